import {
  type AdaptiveCardInvokeResponse,
  CardFactory,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { getTicket } from '../../app/queries';
import { moveReleaseFromCard, releaseLines } from '../../app/release-command';
import type { App } from '../../bootstrap';
import { Action } from '../../cards/actions';
import { messageCard } from '../../cards/teams';
import { releasesCard } from '../../cards/teams/releases-card';
import { admitTeamsTurn } from '../allow-list';
import { parseTicketAction, runTicketAction } from './card-actions';
import { completeClientInvoke } from './client-record';
import { clientSearch } from './client-search';
import type { ConversationStore } from './conversation-store';
import { BadActionError, describeError, invokeResponseForError } from './errors';
import { answerQuestion } from './guided';
import { actorOf } from './identity';
import { emptyIntakeCard, intakeCard, raiseReply, submitIntake } from './intake';
import { isKnowledgeVerb, knowledgeAnswer } from './knowledge';
import { handleMessage, isPersonal, type SendPersonal, welcome } from './messages';
import { parseScope, queueCardFor } from './queue';
import { rememberConversation, rememberSender } from './references';
import { ticketCardForActor } from './render';
import { replyPreviewFor } from './replies';
import { actionKey, opKey, plainText } from './turn';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

const invokeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute', { error: 'only Action.Execute is supported' }),
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/**
 * The Teams bot: translates activities into use-case calls and renders the answers as Adaptive Cards.
 * No ticket logic here: every change goes through src/app.
 */
export class HelplineTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly app: App,
    private readonly conversations: ConversationStore,
    private readonly sendPersonal: SendPersonal,
  ) {
    super();
    this.onMessage(async (ctx, next) => {
      await handleMessage(this.app, ctx, this.sendPersonal);
      await next();
    });
    this.onConversationUpdate(async (ctx, next) => {
      await rememberConversation(this.app, this.conversations, ctx);
      await next();
    });
    this.onInstallationUpdate(async (ctx, next) => {
      await rememberConversation(this.app, this.conversations, ctx);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await welcome(this.app, ctx);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    // A tenant this Helpline does not serve: refused before anything is stored or sent on.
    if (!(await admitTeamsTurn(this.app.env, this.app.log, context))) return;
    await rememberSender(this.app, this.conversations, context).catch((err: Error) =>
      this.app.log.warn({ err: err.message }, 'Teams: could not store the conversation reference'),
    );
    await super.run(context);
  }

  // ---------------------------------------------------------------------------------------------
  // Universal Actions

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      const response = await this.cardAction(context);
      return { status: response.statusCode, body: response };
    }
    if (context.activity.name === 'application/search')
      return clientSearch(
        this.app,
        actorOf(this.app, context.activity.from, context.activity.channelId),
        context.activity.value,
      );
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
      const actor = actorOf(this.app, a.from, a.channelId);
      if (verb === Action.AnswerQuestion) {
        return { statusCode: 200, type: CARD, value: answerQuestion(this.app, data) as never };
      }
      if (verb === Action.SubmitForm) {
        const r = await submitIntake(this.app, actor, data, opKey(ctx, verb));
        const card = r.ticket
          ? await ticketCardForActor(this.app, r.ticket, 'requester', actor, raiseReply(r))
          : messageCard({ plainText: raiseReply(r) });
        return { statusCode: 200, type: CARD, value: card as never };
      }
      if (verb === Action.CompleteClient) return await completeClientInvoke(this.app, actor, data);
      if (isKnowledgeVerb(verb))
        return { statusCode: 200, type: CARD, value: (await knowledgeAnswer(this.app, actor, verb, data)) as never };
      if (verb === Action.ReleaseMove) {
        const said = await moveReleaseFromCard(this.app, actor, (data ?? {}) as Record<string, unknown>);
        this.app.kick();
        const card = releasesCard(await releaseLines(this.app, actor), said);
        return { statusCode: 200, type: CARD, value: card as never };
      }
      if (verb === Action.QueueFilter) {
        const scope = parseScope((data as { scope?: unknown } | undefined)?.scope);
        if (!scope) throw new BadActionError('Unknown queue filter');
        return { statusCode: 200, type: CARD, value: (await queueCardFor(this.app, actor, scope)) as never };
      }
      const action = parseTicketAction(verb, data);
      if (action.verb === Action.PreviewReply)
        return { statusCode: 200, type: CARD, value: (await replyPreviewFor(this.app, action, actor)) as never };
      const result = await runTicketAction(this.app, action, actor, actionKey(ctx, action));
      if (result && !result.duplicate) this.app.kick();
      const { ticket, view } = result ?? (await getTicket(this.app, action.ticket, actor));
      // The answer replaces the card the action came from: in a channel or group chat that card is the agents',
      // so someone else's action there is acknowledged in words, and only a refresh (shown to them alone) is a card.
      if (view !== 'agent' && !isPersonal(a) && verb !== Action.RefreshCard)
        return { statusCode: 200, type: MESSAGE, value: `Done: ${ticket.number}.` as never };
      const card = await ticketCardForActor(this.app, ticket, action.card, actor);
      return { statusCode: 200, type: CARD, value: card as never };
    } catch (err) {
      return invokeResponseForError(err, this.app.log, log);
    }
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
      ? intakeCard(this.app, text, 'dialog', { sourceLink: payload?.linkToMessage ?? null })
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
    const actor = actorOf(this.app, ctx.activity.from, ctx.activity.channelId);
    try {
      // An agent raising someone else's message raises it for its author (the agent is recorded as who raised it).
      const author = action.messagePayload?.from?.user;
      const own = !author?.id || author.id === ctx.activity.from?.aadObjectId || author.id === ctx.activity.from?.id;
      const onBehalf = !own && this.app.directory.isAgent(actor);
      const requester = onBehalf
        ? actorOf(
            this.app,
            { id: author?.id ?? '', name: author?.displayName ?? 'Someone', aadObjectId: author?.id ?? '' },
            ctx.activity.channelId,
          )
        : actor;
      const r = await submitIntake(
        this.app,
        requester,
        action.data,
        opKey(ctx, Action.SubmitForm),
        onBehalf ? actor : undefined,
      );
      return { task: { type: 'message', value: raiseReply(r) } };
    } catch (err) {
      const d = describeError(err, this.app.log, { activityId: ctx.activity.id, type: 'submitAction' });
      return { task: { type: 'message', value: d.message } };
    }
  }
}
