import type { AppDeps } from '../../app/context';
import type { ReplyPreview } from '../../app/replies';
import { Action, View } from '../../cards/actions';
import { developmentView } from '../../cards/development-view';
import {
  closeReasonInput,
  csatScoreInput,
  decisionInput,
  escalationViaInput,
  escapeMrkdwn,
  followUpTellInput,
  higherPriorityInput,
  linkKindInput,
  roadmapInputs,
  slackChoices,
  ticketModal,
  userText,
} from '../../cards/slack';
import { assertMayRate } from '../../domain/ticket/resolution';
import { type Actor, sameActor, type Ticket } from '../../domain/ticket/ticket';

/**
 * The form a ticket button opens (request info, resolve, message, note, escalate, close, link, rate, release note),
 * built for a ticket the actor was already checked to be allowed to act on.
 */
export function ticketModalFor(
  app: Pick<AppDeps, 'policy' | 'clock'>,
  action: string,
  ticket: Ticket,
  actor: Actor,
  /** The select's choice that opened the form (the route to switch to): a claim the use case checks. */
  chosen?: string,
): Record<string, unknown> {
  const number = ticket.number;
  switch (action) {
    case Action.QuoteSent:
      return ticketModal({
        callbackId: View.QuoteSent,
        title: 'Quote sent',
        submit: 'Record',
        ticket: number,
        intro: `The quote for the chargeable work on *${number}*: the requester is told the amount and whom it went to.`,
        inputs: [
          { block: 'amount', label: 'Amount (e.g. 1200.00)', multiline: false },
          { block: 'currency', label: 'Currency (e.g. GBP)', multiline: false },
          { block: 'sentTo', label: 'Sent to', multiline: false },
        ],
      });
    case Action.QuoteOutcome:
      return ticketModal({
        callbackId: View.QuoteOutcome,
        title: 'Quote outcome',
        submit: 'Record',
        ticket: number,
        intro: `The answer to the quote on *${number}*. Accepted: the work starts (Work in Progress). Declined: the requester is told and the ticket closes.`,
        inputs: [{ block: 'reason', label: 'Why (the requester is told)' }],
        extra: [decisionInput('Accepted (Work in Progress)', 'Declined (closes the ticket)')],
      });
    case Action.RoadmapDecision: {
      const targets = developmentView(ticket, app.policy, app.clock.now())?.roadmapTargets;
      return ticketModal({
        callbackId: View.RoadmapDecision,
        title: 'Roadmap decision',
        submit: 'Record',
        ticket: number,
        intro: `Product's decision on the change request *${number}*, reviewed against the roadmap. Accepted: it waits as Planned for the release or the roadmap you choose. Declined: the requester is told why and the ticket closes.`,
        inputs: [{ block: 'reason', label: 'Why (the requester is told)' }],
        extra: roadmapInputs(targets ?? []),
      });
    }
    case Action.SwitchRoute: {
      const routes = app.policy.developmentRoutes as Record<string, { name: string } | undefined>;
      const from = ticket.development ? routes[ticket.development.route]?.name : undefined;
      const to = routes[chosen ?? '']?.name ?? chosen ?? '';
      return ticketModal({
        callbackId: View.SwitchRoute,
        title: 'Switch route',
        submit: 'Switch',
        ticket: number,
        intro: `Switch *${number}* from ${from ?? 'its route'} to *${to.slice(0, 100)}*. Say why: it goes in the history and on the card, and the requester is told what it means for them.`,
        inputs: [{ block: 'reason', label: 'Why does the route change?' }],
        metadata: { to: (chosen ?? '').slice(0, 60) },
      });
    }
    case Action.RequestInfo:
      return ticketModal({
        callbackId: View.RequestInfo,
        title: 'Request info',
        submit: 'Ask',
        ticket: number,
        intro: `What does the requester of *${number}* need to tell you? They get the question and the clock pauses (Waiting for Customer).`,
        inputs: [{ block: 'question', label: 'Question for the requester' }],
      });
    case Action.Resolve:
      return ticketModal({
        callbackId: View.Resolve,
        title: 'Resolve',
        submit: 'Resolve',
        ticket: number,
        intro: `Resolve *${number}*: it moves to On Customer Test and the requester is asked whether it is fixed.`,
        inputs: [{ block: 'note', label: 'Resolution note', optional: true }],
      });
    case Action.MessageRequester:
      return ticketModal({
        callbackId: View.MessageRequester,
        title: 'Message requester',
        submit: 'Send',
        ticket: number,
        intro: `A plain update to the requester of *${number}* (${ticket.requester.name.slice(0, 100)}); the status does not change.`,
        inputs: [{ block: 'message', label: 'Message to the requester' }],
      });
    case Action.InternalNote:
      return ticketModal({
        callbackId: View.InternalNote,
        title: 'Internal note',
        submit: 'Add note',
        ticket: number,
        intro: `A note on *${number}* for agents only: the requester never sees it.`,
        inputs: [{ block: 'note', label: 'Internal note' }],
      });
    case Action.FollowUpNote:
      return ticketModal({
        callbackId: View.FollowUpNote,
        title: 'Follow-up note',
        submit: 'Add note',
        ticket: number,
        intro: `What was done about the low rating on *${number}*? "You said, we did" tells the requester and ends the follow-up; a note for the team keeps it open.`,
        inputs: [{ block: 'note', label: 'What was done' }],
        extra: [followUpTellInput()],
      });
    case Action.CustomerEscalate:
      return ticketModal({
        callbackId: View.CustomerEscalate,
        title: 'Escalate',
        submit: 'Escalate',
        ticket: number,
        intro: `Escalate *${number}* to the next level of the escalation ladder. Say why, and the impact now: describe it or choose it.`,
        inputs: [
          { block: 'reason', label: 'Why does it need escalating?' },
          { block: 'impact', label: 'Business impact now', optional: true },
        ],
        extra: [
          ...higherPriorityInput(slackChoices(app.policy).priorities.filter((p) => p.value < ticket.priority)),
          // An agent records one that came by phone or email (the requester's own modal has no such choice).
          ...(sameActor(ticket.requester, actor) ? [] : [escalationViaInput()]),
        ],
      });
    case Action.Close:
      return ticketModal({
        callbackId: View.Close,
        title: 'Close',
        submit: 'Close ticket',
        ticket: number,
        intro: `Close *${number}* from ${ticket.status === 'new' ? 'New' : 'its status'} with a reason: the requester is told in plain words.`,
        inputs: [
          { block: 'duplicateOf', label: 'Duplicate of (SR-n), for a duplicate', optional: true, multiline: false },
          { block: 'note', label: 'Note (optional)', optional: true },
        ],
        extra: [closeReasonInput()],
      });
    case Action.Link:
      return ticketModal({
        callbackId: View.Link,
        title: 'Link',
        submit: 'Link',
        ticket: number,
        intro: `Link *${number}* to another ticket. Part of an incident: its clocks wait on the incident's and its requester gets the incident's updates.`,
        inputs: [{ block: 'to', label: 'Ticket (SR-n)', optional: true, multiline: false }],
        extra: [linkKindInput()],
      });
    case Action.Csat:
      // A rating button on a card older than the rating window answers, politely, that rating has closed.
      assertMayRate(ticket, app.clock.now(), app.policy);
      return ticketModal({
        callbackId: View.Csat,
        title: 'Rate the support',
        submit: 'Send',
        ticket: number,
        intro: `How did we do on *${number}*?`,
        inputs: [{ block: 'comment', label: 'Comment', optional: true }],
        extra: [csatScoreInput()],
      });
    default:
      return ticketModal({
        callbackId: View.ReleaseNote,
        title: 'Released',
        submit: 'Released',
        ticket: number,
        intro: `*${number}* is released. What should the requester be told?`,
        inputs: [{ block: 'note', label: 'Release note' }],
        metadata: { to: 'released' },
      });
  }
}

/** A canned reply's preview: the text filled from the ticket, editable, and where the ticket goes once sent. */
export function replyModal(p: ReplyPreview): Record<string, unknown> {
  const number = p.ticket.number;
  const then = p.moveTo
    ? ` Once sent, *${number}* moves to *${escapeMrkdwn(p.moveTo)}*.`
    : ' The status does not change.';
  return ticketModal({
    callbackId: View.Reply,
    title: 'Canned reply',
    submit: 'Send',
    ticket: number,
    intro: `*${userText(p.reply.label, 75)}* to ${userText(p.ticket.requester.name, 100)} on *${number}*: check it, edit it if need be, and send.${then}`,
    inputs: [{ block: 'message', label: 'Message to the requester', initial: p.text }],
    metadata: { reply: p.reply.id },
  });
}
