import { z } from 'zod';
import type { UseCaseResult } from '../../app/context';
import { loadFor } from '../../app/context';
import { followUpCalled } from '../../app/follow-up';
import { sendArticle } from '../../app/knowledge';
import { getTicket } from '../../app/queries';
import { moveReleaseFromCard, releaseLines } from '../../app/release-command';
import { previewReply } from '../../app/replies';
import * as uc from '../../app/ticket-actions';
import { linkTicket } from '../../app/ticket-links';
import { Action, accessOf } from '../../cards/actions';
import { intakeModal, section, slackChoices, userText } from '../../cards/slack';
import { releaseNotesModal, releasesMessage } from '../../cards/slack/releases';
import {
  DEVELOPMENT_ROUTES,
  DEVELOPMENT_STATUSES,
  type Priority,
  SUPPORT_STATUSES,
  TEAM_IDS,
} from '../../config/policy.schema';
import { DomainError, ErrorCode } from '../../domain/errors';
import type { Actor } from '../../domain/ticket/ticket';
import { markBusy } from '../busy';
import { confirmRaise } from './confirm';
import { type SlackContext, tell } from './context';
import { BadPayloadError, describeSlackError } from './errors';
import { guidedIntake } from './guided';
import { parseScope, publishHome, queueReply } from './home';
import { actorOf } from './identity';
import { type BlockActionsBody, blockActionsBody, draftId, parseOr, ticketNumber } from './payloads';
import { cardOf, viewOf } from './render';
import { draftKey } from './state';
import { replyModal, ticketModalFor } from './ticket-modals';

/** Our card block ids: `<kind>|<ticket>|<revision>|<n>` (see cards/slack cardBlockId). */
const CARD_BLOCK = /^(triage|teamTicketing|requester|alert|view)\|(SR-[1-9]\d{0,9})\|([0-9a-f]{8})\|\d$/;

interface Clicked {
  body: BlockActionsBody;
  id: string;
  suffix: string | undefined;
  /** The button's value or the select's chosen value (unvalidated). */
  raw: unknown;
  cardKind: string | null;
  blockTicket: string | null;
  opKey: string;
  where: { user: string; channel?: string | undefined; threadTs?: string | undefined };
}

function clickedOf(body: BlockActionsBody): Clicked {
  const a = body.actions[0] as Record<string, unknown> & { action_id: string };
  const [id = '', suffix] = a.action_id.split(':');
  const raw = a.type === 'static_select' ? (a.selected_option as { value?: unknown } | null)?.value : a.value;
  const blockId = typeof a.block_id === 'string' ? a.block_id : '';
  const card = CARD_BLOCK.exec(blockId);
  const choice = typeof raw === 'string' ? raw.slice(0, 150) : '';
  // The same rendering clicked twice (a double click) shares the key; a re-rendered card gets a new one.
  const opKey = card
    ? `slack:act:${body.user.id}:${a.action_id}:${choice}:${blockId}`
    : `slack:act:${body.user.id}:${String(a.action_ts ?? body.trigger_id ?? '')}`;
  const channel = body.container?.channel_id ?? body.channel?.id;
  return {
    body,
    id,
    suffix,
    raw,
    cardKind: card?.[1] ?? null,
    blockTicket: card?.[2] ?? null,
    opKey,
    where: { user: body.user.id, channel },
  };
}

/** The ticket a click is about: the button's value, or for a select the ticket named by its block. */
function ticketOf(c: Clicked, isSelect: boolean): string {
  const v = isSelect ? c.blockTicket : c.raw;
  return parseOr(ticketNumber, v, 'button value');
}

const releaseDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const choice = <T extends readonly [string, ...string[]]>(values: T, raw: unknown, what: string) =>
  parseOr(z.enum(values), raw, what);

/** Block actions: every button and select on our messages, validated at the edge, each one use case. */
export function actionListeners(ctx: SlackContext) {
  const { app } = ctx;
  const guided = guidedIntake(ctx);

  async function openModal(triggerId: string | undefined, view: Record<string, unknown>) {
    if (!triggerId) throw new BadPayloadError('Slack sent no trigger to open the form with.');
    await ctx.client.views.open({ trigger_id: triggerId, view: view as never });
  }

  async function openTicketModal(c: Clicked, number: string, actor: Actor, chosen?: string) {
    // A tampered or stale value, or a person who may not do this, ends here, before any form opens.
    const { ticket } = await loadFor(app, number, actor, accessOf(c.id));
    await openModal(c.body.trigger_id, ticketModalFor(app, c.id, ticket, actor, chosen));
  }

  /** Run the use case a click stands for; null when it only opened a form. */
  async function run(c: Clicked, actor: Actor): Promise<UseCaseResult | null> {
    const isSelect = (c.body.actions[0] as { type?: string }).type === 'static_select';
    if (c.id === Action.Link && c.suffix === 'suggested') {
      // "Part of SR-n?" on the triage card: the value is `<this ticket>><the incident>`, both checked by linkTicket.
      const [child, parent] = String(c.raw ?? '').split('>');
      const number = parseOr(ticketNumber, child, 'button value');
      return linkTicket(
        app,
        { number, actor, opKey: c.opKey },
        { kind: 'part_of', to: parseOr(ticketNumber, parent, 'button value') },
      );
    }
    const number = ticketOf(c, isSelect);
    const cmd = { number, actor, opKey: c.opKey };
    switch (c.id) {
      case Action.AssignToMe:
      case Action.Take:
        return uc.assignToMe(app, cmd);
      case Action.AssignTo: {
        const ids = ['nobody', ...Object.keys(app.policy.people)] as [string, ...string[]];
        const to = choice(ids, c.raw, 'person');
        return uc.assignTo(app, cmd, to === 'nobody' ? null : to);
      }
      case Action.SetSeverity:
        return uc.setSeverity(app, cmd, Number(choice(['1', '2', '3', '4'], c.raw, 'severity')) as 1 | 2 | 3 | 4);
      case Action.SetPriority:
        return uc.setPriority(app, cmd, Number(choice(['1', '2', '3', '4'], c.raw, 'priority')) as Priority);
      case Action.SetCategory: {
        const ids = Object.keys(app.policy.coverage.categories) as [string, ...string[]];
        return uc.setCategory(app, cmd, { categoryId: choice(ids, c.raw, 'category') });
      }
      case Action.SetTeam:
        return uc.setTeam(app, cmd, choice(TEAM_IDS, c.raw, 'team'));
      case Action.ChangeStatus:
        return uc.changeStatus(app, cmd, choice(SUPPORT_STATUSES, c.raw, 'status'));
      case Action.EscalateDevelopment:
        return uc.escalateToDevelopment(app, cmd, choice(DEVELOPMENT_ROUTES, c.raw, 'development route'));
      case Action.AdvanceDevelopment: {
        const to = choice(DEVELOPMENT_STATUSES, c.raw, 'development status');
        if (to === 'released') {
          await openTicketModal(c, number, actor);
          return null;
        }
        return uc.advanceDevelopmentStatus(app, cmd, { to });
      }
      case Action.PlanRelease:
        return uc.planRelease(app, cmd, parseOr(releaseDay, c.raw, 'release'));
      case Action.SwitchRoute:
        // The reason is asked in a form; the route chosen rides in its metadata (checked again at submit).
        await openTicketModal(c, number, actor, choice(DEVELOPMENT_ROUTES, c.raw, 'development route'));
        return null;
      case Action.EscalateTeamTicketing:
        return uc.escalateToTeamTicketing(app, cmd, '');
      case Action.FixedYes:
        return uc.confirmFixed(app, cmd);
      case Action.FixedNo:
        return uc.reopen(app, cmd, 'The requester says it is not fixed');
      case Action.Csat: {
        if (c.suffix === 'comment') {
          await openTicketModal(c, number, actor);
          return null;
        }
        const score = Number(choice(['1', '2', '3', '4', '5'], c.suffix, 'score'));
        return uc.recordCsat(app, cmd, { score });
      }
      case Action.Acknowledge:
        return uc.acknowledgeAlert(app, cmd);
      case Action.SendArticle:
        return sendArticle(app, cmd, c.raw);
      case Action.FollowUpCalled:
        return followUpCalled(app, cmd);
      case Action.Reply: {
        // The preview: refused here for anyone but the owning team's agents, before any form opens.
        const p = await previewReply(app, number, actor, parseOr(z.string().max(100), c.raw, 'reply'));
        await openModal(c.body.trigger_id, replyModal(p));
        return null;
      }
      case Action.RequestInfo:
      case Action.Resolve:
      case Action.CustomerEscalate:
      case Action.MessageRequester:
      case Action.InternalNote:
      case Action.FollowUpNote:
      case Action.Close:
      case Action.Link:
      case Action.RoadmapDecision:
      case Action.QuoteSent:
      case Action.QuoteOutcome:
        await openTicketModal(c, number, actor);
        return null;
      default:
        throw new BadPayloadError(`Unknown action "${c.id.slice(0, 60)}".`);
    }
  }

  /**
   * "Raise ticket" on the understood reply: the stored draft, raised once per draft. A retry or a second click
   * answers from what is stored: a raise done before is confirmed (posted again only if its confirmation was not
   * recorded as posted), one still in progress in a living process is answered 503 (see handle).
   */
  async function raiseNow(c: Clicked, actor: Actor, join = false): Promise<void> {
    const id = parseOr(draftId, c.raw, 'button value');
    const raised = await guided.raiseDraft(c.body.user.id, id, actor, { join, confirmIn: c.where.channel });
    if (!raised.r) throw new BadPayloadError(raised.reply);
    const r = raised.r;
    const channel = raised.channel ?? c.where.channel;
    const reply = raised.reply;
    // Told under the raise's claim (r.told), or here: once, whichever process finishes it.
    if (r.told) {
      // posted with the raise
    } else if (channel && r.ticket)
      await confirmRaise(ctx, raised.opKey, { channel, threadTs: raised.threadTs }, reply);
    else if (!r.duplicate) await tell(ctx, c.where, reply);
    // The understood reply loses its buttons: it has been raised (again on a retry: the first may have died before).
    const msgTs = c.body.container?.message_ts;
    if (channel && msgTs && r.ticket)
      await ctx.client.chat
        .update({ channel, ts: msgTs, text: userText(reply, 3000), blocks: [section(userText(reply, 3000))] as never })
        .catch((err: Error) => app.log.debug({ err: err.message }, 'Slack: could not update the intake reply'));
  }

  /**
   * "Yes, that solved it" / "No, raise a ticket" on a knowledge answer: the deflection counted once per draft, or the
   * intake going on; either way the clicked message shows the outcome (the same on a retry).
   */
  async function knowledgeAnswer(c: Clicked): Promise<void> {
    const id = parseOr(draftId, c.raw, 'button value');
    const said =
      c.id === Action.KnowledgeSolved
        ? await guided.articleSolvedFor(c.body.user.id, id)
        : await guided.articleDeclinedFor(c.body.user.id, id);
    const channel = c.where.channel;
    const ts = c.body.container?.message_ts;
    if (channel && ts) await ctx.client.chat.update({ channel, ts, ...said } as never);
    else await tell(ctx, c.where, said.text);
  }

  async function openForm(c: Clicked): Promise<void> {
    const id = parseOr(draftId, c.raw, 'button value');
    const draft = await ctx.state.drafts.get(draftKey(c.body.user.id, id));
    const prefill = await guided.prefill(c.body.user.id, id);
    if (!draft || !prefill) throw new BadPayloadError('That request is no longer available: please write it again.');
    await openModal(
      c.body.trigger_id,
      intakeModal(prefill, slackChoices(app.policy), {
        channel: draft.data.channel ?? null,
        threadTs: draft.data.threadTs ?? null,
        draftId: id,
      }),
    );
  }

  /** A queue filter button: App Home republished in that scope, or the queue message sent again. */
  async function filterQueue(c: Clicked, actor: Actor): Promise<void> {
    const scope = parseScope(c.suffix ?? c.raw);
    if (!scope) throw new BadPayloadError('Unknown queue filter.');
    if (c.body.container?.type === 'view') {
      await publishHome(app, ctx.client, c.body.user.id, { scope, name: actor.name });
      return;
    }
    const msg = await queueReply(app, c.body.user.id, scope, actor.name);
    if (c.where.channel)
      await ctx.client.chat.postEphemeral({
        channel: c.where.channel,
        user: c.body.user.id,
        text: msg.text,
        blocks: msg.blocks as never,
      });
  }

  /** A release's button: Released… asks for its notes first; the other moves run at once and say what they did. */
  async function releaseMove(c: Clicked, actor: Actor): Promise<void> {
    const [day = '', move = ''] = String(c.raw ?? '').split('|');
    if (move === 'released') {
      const line = (await releaseLines(app, actor)).find((r) => r.day === day);
      await openModal(c.body.trigger_id, releaseNotesModal(day, line?.when ?? day));
      return;
    }
    const said = await moveReleaseFromCard(app, actor, { day, move });
    app.kick();
    const msg = releasesMessage(await releaseLines(app, actor), said);
    if (c.where.channel)
      await ctx.client.chat.postEphemeral({
        channel: c.where.channel,
        user: c.body.user.id,
        text: said,
        blocks: msg.blocks as never,
      });
  }

  /** "Open" on a queue line: the ticket's card, with its buttons, in a modal. */
  async function openTicket(c: Clicked, actor: Actor): Promise<void> {
    const { ticket, view } = await getTicket(app, parseOr(ticketNumber, c.raw, 'button value'), actor, {
      lookup: true,
    });
    const msg = cardOf(app, await viewOf(app, ticket), 'view', { viewer: view });
    await openModal(c.body.trigger_id, {
      type: 'modal',
      title: { type: 'plain_text', text: ticket.number.slice(0, 24) },
      close: { type: 'plain_text', text: 'Close' },
      blocks: msg.blocks.slice(0, 100),
    });
  }

  /** After a change on a requester card, that message shows the new state (it is not in the ticket's posts). */
  async function refreshRequesterCard(c: Clicked, r: UseCaseResult): Promise<void> {
    const channel = c.body.container?.channel_id;
    const ts = c.body.container?.message_ts;
    if (c.cardKind !== 'requester' || !channel || !ts || c.body.container?.is_ephemeral) return;
    // Only the requester's own card in their DM with the bot: never a channel's card, whatever the block says.
    if (r.view !== 'requester' || !channel.startsWith('D')) return;
    const msg = cardOf(app, await viewOf(app, r.ticket), 'requester');
    await ctx.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks as never });
  }

  async function handle(body: unknown): Promise<void> {
    const parsed = blockActionsBody.safeParse(body);
    if (!parsed.success) {
      app.log.info({ issue: parsed.error.issues[0]?.message }, 'Slack: block action of an unexpected shape ignored');
      return;
    }
    const c = clickedOf(parsed.data);
    try {
      const actor = await actorOf(app, c.body.user.id, { name: c.body.user.name ?? c.body.user.username });
      if (c.id === Action.RaiseNow) return await raiseNow(c, actor);
      if (c.id === Action.JoinIncident) return await raiseNow(c, actor, true);
      if (c.id === Action.OpenForm) return await openForm(c);
      if (c.id === Action.KnowledgeSolved || c.id === Action.KnowledgeRaise) return await knowledgeAnswer(c);
      if (c.id === Action.QueueFilter) return await filterQueue(c, actor);
      if (c.id === Action.OpenTicket) return await openTicket(c, actor);
      if (c.id === Action.ReleaseMove) return await releaseMove(c, actor);
      const r = await run(c, actor);
      if (!r) return;
      app.kick();
      await refreshRequesterCard(c, r); // on a retry too: the first try may have died before it
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.DuplicateOperation) {
        // Still in progress in a living process: not done, so not a 200 (adapters/busy.ts); the retry gets its answer.
        markBusy();
        return;
      }
      await tell(ctx, c.where, describeSlackError(err, app.log, { action: c.id, user: c.body.user.id }));
    }
  }

  return { handle };
}
