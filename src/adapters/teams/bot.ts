import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  CardFactory,
  type ConversationReference,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { getTicket, listMyTickets } from '../../app/queries';
import type { App } from '../../bootstrap';
import { Action } from '../../cards/actions';
import { helpCard, type Json, messageCard, ticketListCard } from '../../cards/teams';
import { parseTicketAction, runTicketAction } from './card-actions';
import { type ConversationStore, conversationKey } from './conversation-store';
import { BadActionError, describeError, invokeResponseForError } from './errors';
import { actorOf, viewerOf } from './identity';
import { emptyIntakeCard, intakeCard, raiseReply, submitIntake } from './intake';
import { cardFor, ticketCardForActor, viewOf } from './render';

const CARD = 'application/vnd.microsoft.card.adaptive';

const invokeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute', { error: 'only Action.Execute is supported' }),
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Teams sends HTML-ish text: drop tags (mentions already removed) and decode the usual entities. */
export function plainText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function cardActivity(card: Json): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

/** Where to reach this conversation later; without the activity id, so proactive posts are not replies to it. */
function referenceOf(a: Activity): Partial<ConversationReference> & Record<string, unknown> {
  const { activityId: _ignored, ...ref } = TurnContext.getConversationReference(a);
  return ref;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The Teams bot: translates activities into use-case calls and renders the answers as Adaptive Cards.
 * No ticket logic here: every change goes through src/app.
 */
export class HelplineTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly app: App,
    private readonly conversations: ConversationStore,
  ) {
    super();
    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      await next();
    });
    this.onConversationUpdate(async (ctx, next) => {
      await this.rememberConversation(ctx);
      await next();
    });
    this.onInstallationUpdate(async (ctx, next) => {
      await this.rememberConversation(ctx);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await this.rememberSender(context).catch((err: Error) =>
      this.app.log.warn({ err: err.message }, 'Teams: could not store the conversation reference'),
    );
    await super.run(context);
  }

  private opKey(ctx: TurnContext, verb: string): string {
    const a = ctx.activity;
    return a.id ? `teams:${a.id}` : `teams:${a.from?.id}:${a.replyToId ?? ''}:${verb}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Universal Actions

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      const response = await this.cardAction(context);
      return { status: response.statusCode, body: response };
    }
    return super.onInvokeActivity(context);
  }

  /** `adaptiveCard/action`: validate, run the use case, answer with the refreshed card for this viewer. */
  private async cardAction(ctx: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const a = ctx.activity;
    const parsed = invokeValue.safeParse(a.value);
    const log = { verb: parsed.success ? parsed.data.action.verb : undefined, activityId: a.id };
    try {
      if (!parsed.success) throw new BadActionError('Invalid card action: expected an Action.Execute with a verb');
      const { verb, data } = parsed.data.action;
      const actor = actorOf(this.app, a.from);
      if (verb === Action.SubmitForm) {
        const r = await submitIntake(this.app, actor, data, this.opKey(ctx, verb));
        const card = r.ticket
          ? await ticketCardForActor(this.app, r.ticket, 'requester', actor, raiseReply(r))
          : messageCard({ plainText: raiseReply(r) });
        return { statusCode: 200, type: CARD, value: card as never };
      }
      const action = parseTicketAction(verb, data);
      const result = await runTicketAction(this.app, action, actor, this.opKey(ctx, verb));
      if (result && !result.duplicate) this.app.kick();
      const ticket = result?.ticket ?? (await getTicket(this.app, action.ticket, actor)).ticket;
      const card = await ticketCardForActor(this.app, ticket, action.card, actor);
      return { statusCode: 200, type: CARD, value: card as never };
    } catch (err) {
      return invokeResponseForError(err, this.app.log, log);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Messages: raise in plain words, commands, and Action.Submit fallbacks

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const key = a.id ? `teams:message:${a.id}` : null;
    if (key) {
      const claim = await this.app.operations.begin(key, this.app.clock.now());
      if (claim.state !== 'new') return; // redelivered: already handled (or being handled)
    }
    try {
      if (isObject(a.value)) await this.handleSubmit(ctx, a.value);
      else await this.handleText(ctx);
      if (key) await this.app.operations.complete(key, { ok: true });
    } catch (err) {
      if (key) await this.app.operations.abandon(key).catch(() => undefined);
      const d = describeError(err, this.app.log, { activityId: a.id, type: 'message' });
      await ctx.sendActivity({ type: 'message', text: d.message, textFormat: 'plain' });
    }
  }

  private async handleText(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const text = plainText(TurnContext.removeRecipientMention(a) ?? a.text ?? '');
    const actor = actorOf(this.app, a.from);
    const command = text.toLowerCase().replace(/[.!?]+$/, '');
    if (!text || command === 'help' || command === '?') {
      await ctx.sendActivity(cardActivity(helpCard()));
      return;
    }
    if (command === 'new' || command === 'new ticket' || command === 'raise') {
      await ctx.sendActivity(cardActivity(emptyIntakeCard(this.app, 'chat')));
      return;
    }
    if (command === 'mine' || command === 'my tickets') {
      const tickets = await listMyTickets(this.app, actor);
      const lines = tickets.map((t) => ({
        number: t.number,
        title: t.title,
        severity: t.severity,
        status: this.app.policy.statuses[t.status]?.name ?? t.status,
      }));
      await ctx.sendActivity(cardActivity(ticketListCard('Your open tickets', lines, 'You have no open tickets.')));
      return;
    }
    const status = /^status\s+(sr-\d+)$/i.exec(text);
    if (status?.[1]) {
      const { ticket } = await getTicket(this.app, status[1].toUpperCase(), actor);
      await ctx.sendActivity(cardActivity(await ticketCardForActor(this.app, ticket, 'view', actor)));
      return;
    }
    const card = intakeCard(this.app, text, 'chat');
    if ('notSupported' in card) {
      await ctx.sendActivity({ type: 'message', text: card.notSupported as string, textFormat: 'plain' });
      return;
    }
    await ctx.sendActivity(cardActivity(card));
  }

  /** An `Action.Submit` (the fallback of our Universal Actions, or a form in an older client). */
  private async handleSubmit(ctx: TurnContext, value: Record<string, unknown>): Promise<void> {
    const a = ctx.activity;
    const actor = actorOf(this.app, a.from);
    const verb = value.verb;
    if (verb === Action.SubmitForm) {
      const r = await submitIntake(this.app, actor, value, this.opKey(ctx, verb));
      await ctx.sendActivity({ type: 'message', text: raiseReply(r), textFormat: 'plain' });
      return;
    }
    const action = parseTicketAction(verb, value);
    const result = await runTicketAction(this.app, action, actor, this.opKey(ctx, String(verb)));
    if (result && !result.duplicate) this.app.kick();
    const ticket = result?.ticket ?? (await getTicket(this.app, action.ticket, actor)).ticket;
    const view = await viewOf(this.app, ticket);
    const card = cardFor(this.app, view, action.card, viewerOf(this.app, ticket, actor));
    if (a.replyToId) await ctx.updateActivity({ ...cardActivity(card), id: a.replyToId });
    else await ctx.sendActivity(cardActivity(card));
  }

  // ---------------------------------------------------------------------------------------------
  // Message extension: "Raise a ticket from this message"

  protected override async handleTeamsMessagingExtensionFetchTask(
    ctx: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const payload = action.messagePayload;
    const text = plainText(payload?.body?.content ?? '');
    const card = text
      ? intakeCard(this.app, text, 'dialog', payload?.linkToMessage ?? null)
      : emptyIntakeCard(this.app, 'dialog');
    if ('notSupported' in card) return { task: { type: 'message', value: card.notSupported as string } };
    void ctx;
    return {
      task: {
        type: 'continue',
        value: { title: 'Raise a ticket', height: 'large', width: 'medium', card: CardFactory.adaptiveCard(card) },
      },
    };
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    ctx: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const actor = actorOf(this.app, ctx.activity.from);
    try {
      const r = await submitIntake(this.app, actor, action.data, this.opKey(ctx, Action.SubmitForm));
      return { task: { type: 'message', value: raiseReply(r) } };
    } catch (err) {
      const d = describeError(err, this.app.log, { activityId: ctx.activity.id, type: 'submitAction' });
      return { task: { type: 'message', value: d.message } };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conversation references, for proactive messages from any replica

  /** Every activity tells us where its conversation, its tenant and (in personal chat) its sender can be reached. */
  private async rememberSender(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    if (!a.serviceUrl || !a.conversation?.id) return;
    const now = this.app.clock.now();
    const ref = referenceOf(a);
    const tenantId = a.conversation.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const bare = { ...ref, conversation: { ...a.conversation, id: a.conversation.id.split(';')[0] as string } };
    const tenant = { serviceUrl: a.serviceUrl, channelId: a.channelId, tenantId: tenantId ?? null, bot: a.recipient };
    const writes: Array<Promise<void>> = [
      this.conversations.save(conversationKey.conversation(a.conversation.id), bare, now),
    ];
    if (tenantId) writes.push(this.conversations.save(conversationKey.tenant(tenantId), tenant, now));
    writes.push(this.conversations.save(conversationKey.anyTenant, tenant, now));
    if (a.conversation.conversationType === 'personal' && a.from?.id) {
      const actor = actorOf(this.app, a.from);
      for (const id of new Set([a.from.id, actor.userId]))
        writes.push(this.conversations.save(conversationKey.user(id), bare, now));
    }
    await Promise.all(writes);
  }

  /** The bot was added to a team (or installed): keep a reference for the team's channels. */
  private async rememberConversation(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const cd = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
    const now = this.app.clock.now();
    const ref = referenceOf(a);
    const at = (id: string) => ({
      ...ref,
      conversation: {
        ...a.conversation,
        id,
        isGroup: true,
        conversationType: 'channel',
        tenantId: a.conversation?.tenantId,
      },
    });
    const channels = new Set<string>([cd.team?.id, cd.channel?.id].filter((x): x is string => !!x));
    const teamId = cd.team?.id;
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id) || a.action === 'add';
    if (teamId && botAdded) {
      try {
        for (const ch of await TeamsInfo.getTeamChannels(ctx, teamId)) if (ch.id) channels.add(ch.id);
      } catch (err) {
        this.app.log.info(
          { teamId, err: (err as Error).message },
          'Teams: channel list unavailable; stored the General channel',
        );
      }
    }
    for (const id of channels) await this.conversations.save(conversationKey.conversation(id), at(id), now);
    if (teamId && botAdded) this.app.log.info({ teamId, channels: [...channels] }, 'Teams: bot added to a team');
  }
}
