import type { TicketView } from '../cards/ticket-view';
import type { Platform } from '../config/policy.schema';
import type { Notice } from '../domain/ticket/notice';
import type { PostedCard, Ticket } from '../domain/ticket/ticket';

/** A platform address: a channel / conversation id, or a user id to DM. */
export interface DeliveryTarget {
  kind: 'channel' | 'user';
  id: string;
  /** Reply in the thread of this message of the channel (a posted card's id), not as a new post. */
  threadOf?: string;
}

/** What to render: the notice, the ticket's current view, and whom to @mention (on this platform). */
export interface DeliveryContent {
  notice: Notice;
  view: TicketView | null;
  mention: { userId: string; name: string } | null;
  /**
   * Which attempt this is (1 first) and when the notice was created: a later attempt may follow one that posted
   * and died before it was recorded, so a platform that can look its posts up checks before posting again.
   */
  attempt?: { number: number; since: Date };
  /** A picture to send with the text (the weekly digest's chart): Slack uploads it, Teams attaches it inline. */
  image?: DeliveryImage;
}

export interface DeliveryImage {
  png: Buffer;
  filename: string;
  /** Also its alt text. */
  title: string;
}

/**
 * One chat platform's side of delivery. Each adapter renders the content its own way (Block Kit,
 * Adaptive Cards) from the same view model. Card kinds by notice type: `ticket.raised` → triage
 * card, `ticket.team_ticketing` → Team Ticketing card, `requester.is_it_fixed` / `requester.csat`
 * → requester cards, `sla.breach` / `sla.ladder` → alert with Acknowledge, `ticket.development` /
 * `ticket.admin` → the Team Ticketing card in that channel; the rest is text.
 */
export interface PlatformDelivery {
  readonly platform: Platform;
  /** Post and return where it went, so a card can be updated in place later. */
  post(target: DeliveryTarget, content: DeliveryContent): Promise<{ channel: string; messageId: string }>;
  /** Re-render a posted card (kind from `post.kind`) for everyone who sees it. */
  update(post: PostedCard, content: DeliveryContent): Promise<void>;
  /** A ticket changed: refresh the platform's standing views of it (Slack App Home). Optional. */
  ticketChanged?(ticket: Ticket): Promise<void>;
}

/**
 * A delivery that failed. Transient unless `permanent`: the platform is paused and the item retried (not before
 * `retryAfterMs`, a 429's Retry-After) for as long as it takes. Permanent: the item is dead, `reason` stored on it.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly opts: {
      retryAfterMs?: number;
      permanent?: boolean;
      /** A short code for the failure (`channel_not_found`, `http_403`, `invalid_auth`), stored on a dead item. */
      reason?: string;
    } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Which card a notice becomes when posted. */
export function cardKindOf(notice: Pick<Notice, 'type'>): PostedCard['kind'] | null {
  switch (notice.type) {
    case 'ticket.raised':
      return 'triage';
    case 'ticket.team_ticketing':
    case 'ticket.development':
    case 'ticket.admin':
    case 'ticket.quote':
      return 'teamTicketing';
    case 'sla.breach':
    case 'sla.ladder':
    case 'csat.low':
      // Alerts (and a low rating's follow-up, "Called them" / "Note") are updated in place (acknowledged: who and when, the button gone; resolved).
      return 'alert';
    default:
      return null;
  }
}
