import {
  type Activity,
  type Attachment,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { App } from '../../bootstrap';
import type { PostedCard } from '../../domain/ticket/ticket';
import { type DeliveryContent, DeliveryError, type DeliveryTarget, type PlatformDelivery } from '../../notify/delivery';
import { type ConversationStore, conversationKey } from './conversation-store';
import { noticeCard, updatedCard } from './render';

type Ref = Partial<ConversationReference> & Record<string, unknown>;

/** The part of the Bot Connector client the adapter puts in turn state that proactive posts use. */
interface ConnectorClient {
  conversations: {
    sendToConversation(conversationId: string, activity: Activity): Promise<ConnectorResult>;
    replyToActivity(conversationId: string, activityId: string, activity: Activity): Promise<ConnectorResult>;
    updateActivity(conversationId: string, activityId: string, activity: Activity): Promise<ConnectorResult>;
  };
}
type ConnectorResult = {
  id?: string;
  _response?: { status: number; headers?: { get(name: string): string | undefined } };
};

/** Defensive: a non-2xx that the connector client resolved instead of throwing is still a failure. */
function delivered(r: ConnectorResult | undefined): ConnectorResult {
  const status = r?._response?.status;
  if (status !== undefined && status >= 300)
    throw toDeliveryError({ statusCode: status, response: r?._response, message: `HTTP ${status}` });
  return r ?? {};
}

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/**
 * A connector call that has not answered in this long fails and is retried by the notifier, well within its
 * delivery lease (which it renews besides). The Bot Connector offers no look-up of what was posted, so a call
 * that timed out but did post is posted again on retry: Teams delivery is at least once in that case.
 */
export const CONNECTOR_TIMEOUT_MS = 15_000;

/**
 * A connector failure as the notifier understands it. Transient (Teams is paused and the item retried for as long
 * as it takes): 429 (after Retry-After), 5xx, 408, no answer, and 401 (the bot's credentials, fixed by the
 * operator). Permanent (dead, `http_<status>` as its reason): 403 (the bot was blocked or removed), 404 (no such
 * conversation), 400 and 413 (the payload) and the other 4xx, which are about this request.
 */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as {
    message?: string;
    statusCode?: number;
    response?: { status?: number; headers?: { get?(name: string): string | undefined } | Record<string, string> };
  };
  const status = e.statusCode ?? e.response?.status;
  const headers = e.response?.headers;
  const retryAfter =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): string | undefined }).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  const message = `Teams connector: ${status ?? 'no response'} ${e.message ?? ''}`.trim();
  const reason = status === undefined ? 'no_response' : `http_${status}`;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new DeliveryError(message, {
      retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000,
      reason,
    });
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 408)
    return new DeliveryError(message, { permanent: true, reason });
  return new DeliveryError(message, { reason });
}

/**
 * A picture as an inline image attachment (a base64 data URI: Teams renders it in the message, nothing is stored
 * in OneDrive). The weekly chart is about 30 KB, well inside a Teams message's ~80 KB.
 */
export function inlineImages(content: DeliveryContent): Attachment[] {
  if (!content.image) return [];
  return [
    {
      contentType: 'image/png',
      contentUrl: `data:image/png;base64,${content.image.png.toString('base64')}`,
      name: content.image.filename,
    },
  ];
}

/**
 * Proactive delivery to Teams: a channel or chat from its stored conversation reference, a person in
 * their personal chat (created when we have none yet), and card updates in place (PUT).
 */
export class TeamsDelivery implements PlatformDelivery {
  readonly platform = 'teams' as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationStore,
    private readonly app: Pick<App, 'policy' | 'directory' | 'clock'>,
    private readonly timeoutMs = CONNECTOR_TIMEOUT_MS,
  ) {}

  /** The work, or a retryable failure when the connector has not answered within timeoutMs. */
  private async within<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new DeliveryError(`Teams connector: no answer within ${this.timeoutMs} ms`, { reason: 'timeout' })),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async post(target: DeliveryTarget, content: DeliveryContent): Promise<{ channel: string; messageId: string }> {
    const activity = {
      type: 'message',
      attachments: [CardFactory.adaptiveCard(noticeCard(this.app, content)), ...inlineImages(content)],
    };
    if (target.kind === 'channel') {
      const ref = await this.conversations.get(conversationKey.conversation(target.id));
      if (!ref)
        throw new DeliveryError(`no Teams conversation reference for ${target.id}: add the bot to that team`, {
          permanent: true,
          reason: 'no_conversation_reference',
        });
      return this.send(ref, activity, target.threadOf);
    }
    const ref = await this.conversations.get(conversationKey.user(target.id));
    if (ref?.conversation) return this.send(ref, activity);
    return this.createPersonalChat(target.id, activity);
  }

  /**
   * An answer meant for one person only (a look-up asked in a channel, a report link): sent in their personal chat,
   * created when there is none yet. Throws when they cannot be reached there.
   */
  async sendPersonal(userId: string, activity: Partial<Activity>): Promise<void> {
    const ref = await this.conversations.get(conversationKey.user(userId));
    if (ref?.conversation) await this.send(ref, activity);
    else await this.createPersonalChat(userId, activity);
  }

  async update(post: PostedCard, content: DeliveryContent): Promise<void> {
    if (!content.view) return;
    const card = updatedCard(this.app, post, { ...content, view: content.view });
    const ref = await this.conversations.get(conversationKey.conversation(post.channel));
    if (!ref)
      throw new DeliveryError(`no Teams conversation reference for ${post.channel}`, {
        permanent: true,
        reason: 'no_conversation_reference',
      });
    await this.continue(ref, async (ctx) => {
      const client = ctx.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
      const activity = {
        type: 'message',
        id: post.messageId,
        channelId: ctx.activity.channelId,
        serviceUrl: ctx.activity.serviceUrl,
        conversation: ctx.activity.conversation,
        from: ctx.activity.recipient,
        attachments: [CardFactory.adaptiveCard(card)],
      } as Activity;
      delivered(await client.conversations.updateActivity(post.channel, post.messageId, activity));
    });
  }

  /** A new post in the conversation, or with `threadOf` a reply in that message's thread. */
  private async send(
    ref: Ref,
    activity: Partial<Activity>,
    threadOf?: string,
  ): Promise<{ channel: string; messageId: string }> {
    const conversationId = String(ref.conversation?.id ?? '');
    let messageId = '';
    await this.continue(ref, async (ctx) => {
      // A new post, not a reply: ctx.sendActivity would reply to the continuation event's id.
      const client = ctx.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
      const full = {
        ...activity,
        channelId: ctx.activity.channelId,
        serviceUrl: ctx.activity.serviceUrl,
        conversation: ctx.activity.conversation,
        from: ctx.activity.recipient,
      } as Activity;
      const r = threadOf
        ? await client.conversations.replyToActivity(conversationId, threadOf, { ...full, replyToId: threadOf })
        : await client.conversations.sendToConversation(conversationId, full);
      messageId = delivered(r).id ?? '';
    });
    return { channel: conversationId, messageId };
  }

  /**
   * The adapter hands errors thrown in `logic` to onTurnError (which logs them) instead of rejecting:
   * capture them here so the notifier sees the failure and retries.
   */
  private async continue(ref: Ref, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    try {
      await this.within(
        this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
          await logic(ctx).catch((err: unknown) => {
            failure = err;
          });
        }),
      );
    } catch (err) {
      failure ??= err;
    }
    if (failure) throw toDeliveryError(failure);
  }

  /** A DM to someone without a personal chat yet: create one in their tenant, remember it. */
  private async createPersonalChat(
    userId: string,
    activity: Partial<Activity>,
  ): Promise<{ channel: string; messageId: string }> {
    const tenant = await this.conversations.get(conversationKey.anyTenant);
    const serviceUrl = typeof tenant?.serviceUrl === 'string' ? tenant.serviceUrl : undefined;
    if (!serviceUrl)
      throw new DeliveryError(`cannot reach Teams user ${userId} yet: no Teams activity seen from their tenant`, {
        permanent: true,
        reason: 'no_tenant_seen',
      });
    const tenantId = typeof tenant?.tenantId === 'string' ? tenant.tenantId : undefined;
    let channel = '';
    let messageId = '';
    let failure: unknown;
    try {
      await this.within(
        this.adapter.createConversationAsync(
          this.appId,
          'msteams',
          serviceUrl,
          BOT_FRAMEWORK_SCOPE,
          {
            isGroup: false,
            bot: (tenant?.bot as { id: string; name: string } | undefined) ?? { id: this.appId, name: 'Helpline' },
            members: [{ id: userId, name: '' }],
            ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
          } as never,
          async (ctx) => {
            try {
              const ref = { ...(TurnContext.getConversationReference(ctx.activity) as Ref), serviceUrl };
              channel = String(ctx.activity.conversation?.id ?? '');
              if (!channel || channel === 'undefined')
                throw new DeliveryError(`Teams did not create a chat with ${userId}`);
              const refs = [conversationKey.user(userId), conversationKey.conversation(channel)].map((key) => ({
                key,
                ref,
              }));
              if (this.conversations.saveMany) await this.conversations.saveMany(refs, this.app.clock.now());
              else for (const r of refs) await this.conversations.save(r.key, r.ref, this.app.clock.now());
              const client = ctx.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
              const r = await client.conversations.sendToConversation(channel, {
                ...activity,
                channelId: 'msteams',
                serviceUrl,
                conversation: ctx.activity.conversation,
              } as Activity);
              messageId = delivered(r).id ?? '';
            } catch (err) {
              failure = err;
            }
          },
        ),
      );
    } catch (err) {
      failure ??= err;
    }
    if (failure) throw toDeliveryError(failure);
    return { channel, messageId };
  }
}
