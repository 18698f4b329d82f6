import { webApi } from '@slack/bolt';
import type { App } from '../../bootstrap';
import { noticeMessage, type SlackCardKind, type SlackMessage } from '../../cards/slack';
import type { PostedCard, Ticket } from '../../domain/ticket/ticket';
import { type DeliveryContent, DeliveryError, type DeliveryTarget, type PlatformDelivery } from '../../notify/delivery';
import { refreshHomes } from './home';
import { cardOf } from './render';
import { slackState } from './state';

/**
 * Errors that say Helpline's own credentials are wrong (a rotated or revoked token, a missing scope): every
 * delivery to Slack fails alike until the operator fixes them, so Slack is paused and retried, nothing dropped.
 */
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Slack answering that it is in trouble itself: retried like a 5xx. */
const SLACK_TROUBLE = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rate_limited',
]);

/**
 * A Web API failure as the notifier understands it. Transient (Slack is paused and the item retried for as long as
 * it takes): 429 (after Retry-After), 5xx, network errors and timeouts, Slack's own trouble codes, and auth errors.
 * Permanent (dead, the code stored as its reason, re-driven with `npm run outbox -- retry-dead` once put right):
 * every other `ok: false` answer, which is about this request: channel_not_found, not_in_channel, is_archived,
 * account_inactive, user_not_found, message_not_found, cant_update_message, invalid_blocks, msg_too_long,
 * no_permission... (so one bad message or channel never holds all of Slack back); and a 4xx other than 401, 403,
 * 408 and 429.
 */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  const message = `Slack: ${e.data?.error ?? e.code ?? ''} ${e.message ?? ''}`.trim();
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryError(message, {
        retryAfterMs: Math.max(0, e.retryAfter ?? 1) * 1000,
        reason: 'ratelimited',
      });
    case webApi.ErrorCode.HTTPError: {
      const status = e.statusCode;
      const reason = `http_${status ?? 'error'}`;
      if (status === 429) return new DeliveryError(message, { retryAfterMs: 1000, reason });
      // 401/403 from the API itself: the token, as invalid_auth. 408: a timeout.
      if (status !== undefined && status >= 400 && status < 500 && ![401, 403, 408].includes(status))
        return new DeliveryError(message, { permanent: true, reason });
      return new DeliveryError(message, { reason });
    }
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited' || code === 'rate_limited')
        return new DeliveryError(message, { retryAfterMs: 1000, reason: code });
      if (AUTH.has(code) || SLACK_TROUBLE.has(code)) return new DeliveryError(message, { reason: code });
      return new DeliveryError(message, { permanent: true, reason: code });
    }
    default:
      return new DeliveryError(message, { reason: e.code ?? 'network' }); // network, timeouts, anything unknown: retried
  }
}

/**
 * Posts and updates Helpline's messages in Slack. Its own WebClient neither retries nor waits on
 * 429: the notifier owns retries (with Retry-After) so one slow channel does not hold the queue.
 */
/** Message metadata type of Helpline's notices (their outbox key in the payload). */
export const NOTICE_EVENT = 'helpline_notice';

export class SlackDelivery implements PlatformDelivery {
  readonly platform = 'slack' as const;
  private readonly client: webApi.WebClient;

  constructor(
    private readonly app: App,
    token: string,
  ) {
    this.client = new webApi.WebClient(token, {
      slackApiUrl: app.env.SLACK_API_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
  }

  /** How a notice looks in Slack (card kinds by notice type, see PlatformDelivery). */
  render(content: DeliveryContent, post?: PostedCard): SlackMessage {
    const { notice, view } = content;
    const mentionUserId = content.mention?.userId ?? null;
    if (!view) return noticeMessage(notice.text, null, mentionUserId);
    const card = (kind: SlackCardKind, headline?: string) =>
      cardOf(this.app, view, kind, { ...(headline ? { headline } : {}), mentionUserId });
    if (post) return card(post.kind, post.headline);
    switch (notice.type) {
      case 'ticket.raised':
        return card('triage', notice.text || undefined);
      case 'ticket.team_ticketing':
      case 'ticket.development':
      case 'ticket.admin':
      case 'ticket.quote':
        return card('teamTicketing', notice.text || undefined);
      case 'requester.is_it_fixed':
      case 'requester.csat':
        return card('requester', notice.text);
      case 'ticket.assigned':
        // The new assignee's DM: the ticket with the actions an agent has on it.
        return cardOf(this.app, view, 'view', { headline: notice.text, viewer: 'agent' });
      case 'sla.breach':
      case 'sla.ladder':
      case 'csat.low':
        return card('alert', notice.text);
      default:
        return noticeMessage(notice.text, view, mentionUserId);
    }
  }

  async post(target: DeliveryTarget, content: DeliveryContent): Promise<{ channel: string; messageId: string }> {
    const msg = this.render(content);
    if (content.image) return this.upload(target, msg.text, content.image, content);
    try {
      // A retry may follow an attempt that posted and died before recording it: look for that post first.
      const earlier = (content.attempt?.number ?? 1) > 1 ? await this.findPosted(target, content) : null;
      if (earlier) return earlier;
      // A user id as the channel posts in the app's DM with that person.
      const r = await this.client.chat.postMessage({
        channel: target.id,
        ...(target.threadOf ? { thread_ts: target.threadOf } : {}),
        text: msg.text,
        blocks: msg.blocks as never,
        unfurl_links: false,
        // The outbox key travels with the message, so a later attempt can find it (findPosted).
        metadata: { event_type: NOTICE_EVENT, event_payload: { key: content.notice.key } },
      });
      const posted = { channel: String(r.channel ?? target.id), messageId: String(r.ts ?? '') };
      // Replies in the thread of a DM about a ticket are added to that ticket.
      if (target.kind === 'user' && content.notice.ticket && posted.messageId)
        await slackState(this.app)
          .linkThread(posted.channel, posted.messageId, content.notice.ticket, this.app.clock.now())
          .catch((err: Error) => this.app.log.warn({ err: err.message }, 'Slack: could not link the DM thread'));
      return posted;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /**
   * A picture with its text as the comment, through files.uploadV2 (files.getUploadURLExternal, the bytes to the
   * upload URL, files.completeUploadExternal into the channel): needs the files:write scope.
   */
  private async upload(
    target: DeliveryTarget,
    text: string,
    image: NonNullable<DeliveryContent['image']>,
    content: DeliveryContent,
  ): Promise<{ channel: string; messageId: string }> {
    try {
      const channel =
        target.kind === 'user'
          ? String((await this.client.conversations.open({ users: target.id })).channel?.id ?? target.id)
          : target.id;
      // The file's name carries the outbox key: a retry whose earlier attempt may have shared it looks for it first.
      const filename = `${image.filename.replace(/\.png$/i, '')}-${content.notice.key.replace(/[^A-Za-z0-9-]+/g, '-')}.png`;
      if ((content.attempt?.number ?? 1) > 1) {
        const earlier = await this.findUploaded(channel, filename, content);
        if (earlier) return earlier;
      }
      const r = (await this.client.files.uploadV2({
        channel_id: channel,
        initial_comment: text,
        file: image.png,
        filename,
        title: image.title,
        alt_text: image.title,
      })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
      return { channel, messageId: String(r.files?.[0]?.files?.[0]?.id ?? '') };
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** The file an earlier attempt shared for this notice, found by its name in the channel's history since then. */
  private async findUploaded(
    channel: string,
    filename: string,
    content: DeliveryContent,
  ): Promise<{ channel: string; messageId: string } | null> {
    try {
      const since = (content.attempt?.since.getTime() ?? Date.now()) / 1000 - 60;
      const history = await this.client.conversations.history({ channel, oldest: since.toFixed(6), limit: 200 });
      for (const m of history.messages ?? []) {
        const file = (m as { files?: Array<{ id?: string; name?: string }> }).files?.find((f) => f.name === filename);
        if (file?.id) return { channel, messageId: file.id };
      }
      return null;
    } catch (err) {
      this.app.log.warn(
        { key: content.notice.key, err: (err as Error).message },
        'Slack: could not look for an earlier upload of this notice; uploading it',
      );
      return null;
    }
  }

  /**
   * The message an earlier attempt posted for this notice, found by its metadata in the channel's history since
   * the notice was created; null when there is none or the history cannot be read (then it is posted again).
   */
  private async findPosted(
    target: DeliveryTarget,
    content: DeliveryContent,
  ): Promise<{ channel: string; messageId: string } | null> {
    try {
      const channel =
        target.kind === 'user'
          ? String((await this.client.conversations.open({ users: target.id })).channel?.id ?? target.id)
          : target.id;
      const since = (content.attempt?.since.getTime() ?? Date.now()) / 1000 - 60;
      const history = await this.client.conversations.history({
        channel,
        oldest: since.toFixed(6),
        limit: 200,
        include_all_metadata: true,
      });
      const found = history.messages?.find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
        return meta?.event_type === NOTICE_EVENT && meta.event_payload?.key === content.notice.key;
      });
      return found?.ts ? { channel, messageId: found.ts } : null;
    } catch (err) {
      this.app.log.warn(
        { key: content.notice.key, err: (err as Error).message },
        'Slack: could not look for an earlier post of this notice; posting it',
      );
      return null;
    }
  }

  /** Republish the App Home of those who opened it and may see this ticket in it. */
  async ticketChanged(ticket: Ticket): Promise<void> {
    try {
      await refreshHomes(this.app, this.client, ticket);
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  async update(post: PostedCard, content: DeliveryContent): Promise<void> {
    if (!content.view) return;
    const msg = this.render(content, post);
    try {
      await this.client.chat.update({
        channel: post.channel,
        ts: post.messageId,
        text: msg.text,
        blocks: msg.blocks as never,
      });
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}
