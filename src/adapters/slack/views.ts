import type { UseCaseResult } from '../../app/context';
import { followUpNote } from '../../app/follow-up';
import { moveReleaseFromCard } from '../../app/release-command';
import { sendCannedReply } from '../../app/replies';
import * as uc from '../../app/ticket-actions';
import { linkTicket, unlinkFromIncident } from '../../app/ticket-links';
import { View } from '../../cards/actions';
import { escapeMrkdwn, INTAKE_BLOCKS, userText } from '../../cards/slack';
import { DEVELOPMENT_ROUTES, type Priority } from '../../config/policy.schema';
import { parseAmount } from '../../domain/ticket/quote';
import { isCloseReason } from '../../domain/ticket/resolution';
import type { Actor } from '../../domain/ticket/ticket';
import { confirmRaise } from './confirm';
import { type SlackContext, tell } from './context';
import { BadPayloadError, describeSlackError, NOT_SAVED } from './errors';
import { actorOf } from './identity';
import { intakeFromView, raiseFromForm, raiseReply } from './intake';
import {
  intakeMetadata,
  parseJson,
  parseOr,
  stateValue,
  ticketModalMetadata,
  type ViewSubmissionBody,
  viewSubmissionBody,
} from './payloads';
import { draftKey } from './state';

type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** Slack closes a modal with an error after 3 s: a save that takes longer is answered "not saved" first. */
const ACK_WINDOW_MS = 2500;

class AckWindowElapsed extends Error {}

/** The work, or AckWindowElapsed once the ack window is nearly gone (the work itself carries on). */
async function withinAckWindow<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AckWindowElapsed()), ACK_WINDOW_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The input block an error is shown under, per form. */
const FIRST_INPUT: Record<string, string> = {
  [View.Intake]: INTAKE_BLOCKS.title,
  [View.RequestInfo]: 'question',
  [View.Resolve]: 'note',
  [View.CustomerEscalate]: 'reason',
  [View.Csat]: 'comment',
  [View.ReleaseNote]: 'note',
  [View.SwitchRoute]: 'reason',
  [View.RoadmapDecision]: 'reason',
  [View.QuoteSent]: 'amount',
  [View.QuoteOutcome]: 'reason',
  [View.MessageRequester]: 'message',
  [View.Reply]: 'message',
  [View.FollowUpNote]: 'note',
  [View.InternalNote]: 'note',
  [View.Close]: 'duplicateOf',
  [View.Link]: 'to',
};

/**
 * Modal submissions. The form is validated and saved before the ack (a database write, no Slack
 * call), so a refusal or a database outage is shown in the form itself and nothing is half-written;
 * messages to Slack go out after the ack.
 */
export function viewListeners(ctx: SlackContext) {
  const { app } = ctx;

  async function ticketChange(b: ViewSubmissionBody, actor: Actor): Promise<UseCaseResult> {
    const meta = parseOr(ticketModalMetadata, parseJson(b.view.private_metadata), 'form');
    const cmd = { number: meta.ticket, actor, opKey: `slack:view:${b.view.id}` };
    const need = (block: string, what: string) => {
      const v = stateValue(b, block);
      if (!v) throw new BadPayloadError(`${what} is required.`);
      return v.slice(0, 2000);
    };
    switch (b.view.callback_id) {
      case View.RequestInfo:
        return uc.requestInfo(app, cmd, need('question', 'The question'));
      case View.Resolve:
        return uc.resolve(app, cmd, stateValue(b, 'note')?.slice(0, 2000) ?? '');
      case View.CustomerEscalate: {
        const impact = stateValue(b, 'impact');
        const priority = stateValue(b, 'priority');
        const via = stateValue(b, 'via');
        if (priority !== undefined && !['1', '2', '3', '4'].includes(priority))
          throw new BadPayloadError('Choose an impact from the list.');
        if (via !== undefined && via !== 'phone' && via !== 'email')
          throw new BadPayloadError('Choose phone or email from the list.');
        return uc.customerEscalation(app, cmd, {
          reason: need('reason', 'The reason'),
          ...(impact ? { businessImpact: impact.slice(0, 2000) } : {}),
          ...(priority ? { priority: Number(priority) as Priority } : {}),
          ...(via ? { via } : {}),
        });
      }
      case View.Csat: {
        const score = stateValue(b, 'score');
        if (!score || !['1', '2', '3', '4', '5'].includes(score))
          throw new BadPayloadError('Choose a score from 1 to 5.');
        const comment = stateValue(b, 'comment');
        return uc.recordCsat(app, cmd, {
          score: Number(score),
          ...(comment ? { comment: comment.slice(0, 2000) } : {}),
        });
      }
      case View.MessageRequester:
        return uc.addMessage(app, cmd, need('message', 'The message'));
      case View.Reply:
        return sendCannedReply(app, cmd, { replyId: meta.reply ?? '', text: need('message', 'The reply') });
      case View.FollowUpNote: {
        const tell = stateValue(b, 'tell');
        if (tell !== undefined && tell !== 'team' && tell !== 'requester')
          throw new BadPayloadError('Choose who hears it from the list.');
        return followUpNote(app, cmd, { text: need('note', 'The note'), toRequester: tell === 'requester' });
      }
      case View.InternalNote:
        return uc.addInternalNote(app, cmd, need('note', 'The note'));
      case View.Close: {
        const reason = stateValue(b, 'reason');
        if (!isCloseReason(reason)) throw new BadPayloadError('Choose why the ticket is closed.');
        const note = stateValue(b, 'note')?.slice(0, 2000);
        const duplicateOf = stateValue(b, 'duplicateOf')?.slice(0, 40);
        return uc.closeWithReason(app, cmd, {
          reason,
          ...(note ? { note } : {}),
          ...(duplicateOf ? { duplicateOf } : {}),
        });
      }
      case View.Link: {
        const kind = stateValue(b, 'kind');
        if (kind === 'unlink') return unlinkFromIncident(app, cmd);
        if (kind !== 'part_of' && kind !== 'related_to') throw new BadPayloadError('Choose how to link it.');
        return linkTicket(app, cmd, { kind, to: need('to', 'The ticket (SR-n)').slice(0, 40) });
      }
      case View.ReleaseNote:
        if (meta.to !== 'released') throw new BadPayloadError('That form was not sent the way Helpline built it.');
        return uc.advanceDevelopmentStatus(app, cmd, { to: 'released', releaseNote: need('note', 'The release note') });
      case View.QuoteSent:
        return uc.recordQuoteSent(app, cmd, {
          amount: parseAmount(need('amount', 'The amount')),
          currency: need('currency', 'The currency'),
          sentTo: need('sentTo', 'Whom it was sent to'),
        });
      case View.QuoteOutcome: {
        const decision = stateValue(b, 'decision');
        if (decision !== 'accepted' && decision !== 'declined')
          throw new BadPayloadError('Choose accepted or declined.');
        return uc.recordQuoteOutcome(app, cmd, { decision, reason: need('reason', 'The reason') });
      }
      case View.RoadmapDecision: {
        const decision = stateValue(b, 'decision');
        if (decision !== 'accepted' && decision !== 'declined')
          throw new BadPayloadError('Choose accepted or declined.');
        const target = stateValue(b, 'target');
        return uc.decideRoadmap(app, cmd, {
          decision,
          target: target && target !== 'roadmap' ? target.slice(0, 20) : null,
          reason: need('reason', 'The reason'),
        });
      }
      case View.SwitchRoute: {
        const to = DEVELOPMENT_ROUTES.find((r) => r === meta.to);
        if (!to) throw new BadPayloadError('That form was not sent the way Helpline built it.');
        return uc.switchRoute(app, cmd, { to, reason: need('reason', 'The reason') });
      }
      default:
        throw new BadPayloadError('Unknown form.');
    }
  }

  async function intake(b: ViewSubmissionBody, actor: Actor, ack: Ack): Promise<void> {
    // `ack` here answers once (see handle): the first answer wins, later calls are no-ops.
    const meta = parseOr(intakeMetadata, parseJson(b.view.private_metadata), 'form');
    const form = intakeFromView(app, b);
    // An agent raising someone else's message raises it for its author; anyone else raises it as themselves.
    const onBehalf = meta.onBehalfOf && meta.onBehalfOf !== b.user.id && app.directory.isAgent(actor);
    const requester = onBehalf ? await actorOf(app, meta.onBehalfOf ?? '', { client: ctx.client }) : actor;
    // Opened from a draft whose knowledge answer did not solve it: the raise notes the article, as "Raise ticket" does.
    const draft = meta.draftId && !onBehalf ? await ctx.state.drafts.get(draftKey(b.user.id, meta.draftId)) : null;
    const raising = raiseFromForm(app, requester, form, {
      opKey: `slack:view:${b.view.id}`,
      sourceLink: meta.sourceLink ?? null,
      ...(onBehalf ? { raisedBy: actor } : {}),
      ...(draft?.data.declined ? { knowledgeArticle: draft.data.declined } : {}),
    });
    let r: Awaited<typeof raising>;
    try {
      r = await withinAckWindow(raising);
    } catch (err) {
      if (!(err instanceof AckWindowElapsed)) throw err;
      await ack({ response_action: 'errors', errors: { [INTAKE_BLOCKS.title]: NOT_SAVED } });
      // If the slow save does land, say so (pressing Raise again finds the same ticket: the view id is the key).
      try {
        r = await raising;
      } catch (late) {
        app.log.warn({ err: (late as Error).message }, 'Slack: slow intake save failed (the form already said so)');
        return;
      }
    }
    await ack();
    const reply = userText(raiseReply(r), 3000);
    const to =
      meta.channel && meta.threadTs ? { channel: meta.channel, threadTs: meta.threadTs } : { channel: b.user.id };
    if (!r.ticket) {
      if (!r.duplicate)
        await ctx.client.chat.postMessage({
          ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
          channel: to.channel,
          text: reply,
        });
      return;
    }
    // Raised now or by an earlier try of this submission: linked and confirmed once, whoever finishes it.
    app.kick();
    if (meta.channel && meta.threadTs)
      await ctx.state.linkThread(meta.channel, meta.threadTs, r.ticket.number, app.clock.now());
    await confirmRaise(ctx, `slack:view:${b.view.id}`, to, reply);
  }

  async function handle(body: unknown, ack: Ack): Promise<void> {
    const parsed = viewSubmissionBody.safeParse(body);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: {} }).catch(() => undefined);
      app.log.info({ issue: parsed.error.issues[0]?.message }, 'Slack: view submission of an unexpected shape refused');
      return;
    }
    const b = parsed.data;
    let acked = false;
    const ackOnce: Ack = async (response) => {
      if (acked) return;
      acked = true;
      await ack(response);
    };
    try {
      const actor = await actorOf(app, b.user.id, { name: b.user.name ?? b.user.username });
      if (b.view.callback_id === View.Intake) return await intake(b, actor, ackOnce);
      if (b.view.callback_id === View.ReleaseNotes) {
        const notes = stateValue(b, 'notes');
        if (!notes?.trim()) {
          await ackOnce({ response_action: 'errors', errors: { notes: 'Give the release notes.' } });
          return;
        }
        // The form closes at once; moving a whole release may take longer than Slack waits for the answer.
        await ackOnce();
        const said = await moveReleaseFromCard(app, actor, {
          day: b.view.private_metadata,
          move: 'released',
          releaseNotes: notes,
        });
        app.kick();
        await tell(ctx, { user: b.user.id }, escapeMrkdwn(said));
        return;
      }
      const changing = ticketChange(b, actor);
      changing.catch(() => undefined);
      const r = await withinAckWindow(changing).catch(async (err) => {
        if (!(err instanceof AckWindowElapsed)) throw err;
        await ackOnce({ response_action: 'errors', errors: { [FIRST_INPUT[b.view.callback_id] ?? '']: NOT_SAVED } });
        return changing.catch((late: Error) => {
          app.log.warn({ err: late.message }, 'Slack: slow save failed (the form already said so)');
          return null;
        });
      });
      if (!r) return;
      await ackOnce();
      if (!r.duplicate) app.kick();
    } catch (err) {
      const msg = describeSlackError(err, app.log, { view: b.view.callback_id, user: b.user.id });
      const block = FIRST_INPUT[b.view.callback_id];
      if (!acked && block) await ackOnce({ response_action: 'errors', errors: { [block]: msg.slice(0, 1000) } });
      else {
        await ackOnce();
        await tell(ctx, { user: b.user.id }, msg);
      }
    }
  }

  return { handle };
}
