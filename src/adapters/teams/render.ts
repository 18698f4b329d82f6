import type { App } from '../../bootstrap';
import {
  choicesFromPolicy,
  type Json,
  messageCard,
  type TicketCardKind,
  ticketCard,
  type Viewer,
} from '../../cards/teams';
import type { TicketView } from '../../cards/ticket-view';
import type { Actor, PostedCard, Ticket } from '../../domain/ticket/ticket';
import { viewOf } from '../../notify/content';
import type { DeliveryContent } from '../../notify/delivery';
import { refreshUserIds, viewerOf } from './identity';

type RenderDeps = Pick<
  App,
  'policy' | 'calendar' | 'clock' | 'directory' | 'events' | 'clients' | 'assignments' | 'tickets'
>;

export { viewOf };

/** A ticket card of `kind` as `viewer` sees it (an actor, or a role when posting to a channel / DM). */
export function cardFor(
  app: Pick<App, 'policy' | 'directory'>,
  view: TicketView,
  kind: TicketCardKind,
  viewer: Viewer,
  opts: { headline?: string; mention?: DeliveryContent['mention'] } = {},
): Json {
  return ticketCard(view, {
    kind,
    viewer,
    choices: choicesFromPolicy(app.policy),
    refreshUserIds: refreshUserIds(app, view.requester),
    ...(opts.headline ? { headline: opts.headline } : {}),
    ...(opts.mention ? { mention: opts.mention } : {}),
  });
}

export async function ticketCardForActor(
  app: RenderDeps,
  ticket: Ticket,
  kind: TicketCardKind,
  who: Actor,
  headline?: string,
): Promise<Json> {
  return cardFor(app, await viewOf(app, ticket), kind, viewerOf(app, ticket, who), headline ? { headline } : {});
}

/** Which card a notice becomes in Teams (the rest is a plain message card). */
export function noticeCardKind(
  type: DeliveryContent['notice']['type'],
): { kind: TicketCardKind; viewer: Viewer } | null {
  switch (type) {
    case 'ticket.raised':
    case 'ticket.sev1':
      return { kind: 'triage', viewer: 'agent' };
    case 'ticket.team_ticketing':
    case 'ticket.development':
    case 'ticket.admin':
    case 'ticket.quote':
      return { kind: 'teamTicketing', viewer: 'agent' };
    case 'requester.is_it_fixed':
    case 'requester.csat':
      return { kind: 'requester', viewer: 'requester' };
    case 'ticket.assigned':
      return { kind: 'view', viewer: 'agent' };
    case 'sla.breach':
    case 'sla.ladder':
    case 'csat.low':
      return { kind: 'alert', viewer: 'agent' };
    default:
      return null;
  }
}

export function noticeCard(app: Pick<App, 'policy' | 'directory'>, content: DeliveryContent): Json {
  const as = noticeCardKind(content.notice.type);
  if (as && content.view) {
    return cardFor(app, content.view, as.kind, as.viewer, { headline: content.notice.text, mention: content.mention });
  }
  return messageCard({ plainText: content.notice.text || ' ', mention: content.mention });
}

/** A posted card re-rendered in place: its kind, its headline and whom it mentioned, on the ticket's new view. */
export function updatedCard(
  app: Pick<App, 'policy' | 'directory'>,
  post: Pick<PostedCard, 'kind' | 'headline'>,
  content: DeliveryContent & { view: TicketView },
): Json {
  const viewer = post.kind === 'requester' ? 'requester' : 'agent';
  return cardFor(app, content.view, post.kind, viewer, {
    ...(post.headline ? { headline: post.headline } : {}),
    ...(content.mention ? { mention: content.mention } : {}),
  });
}
