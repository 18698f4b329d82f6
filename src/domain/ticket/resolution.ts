import type { Policy, Role, SupportStatus } from '../../config/policy.schema';
import { ClosedError, InvalidInputError, RatingClosedError, TransitionNotAllowedError } from '../errors';
import type { BusinessCalendar } from '../sla/business-calendar';
import { formatBusinessInstant, formatMinutes } from '../sla/sla-clock';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { followUpRating, teamLeadOf } from './follow-up';
import { assertOpen, assertPlainMove, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import { type Actor, CLOSE_REASONS, type CloseReason, sameActor, type Ticket } from './ticket';

/** The agent believes it is resolved: On Customer Test; the requester is asked "is it fixed?". */
export function resolve(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'on_customer_test', rolesOn(ticket, ctx.actor));
  c.event('resolved', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.tellRequester(
    `${ctx.actor.name} believes ${ticket.number} (${ticket.title}) is resolved${note.trim() ? `: ${clip(note, 500)}` : ''}. Is it fixed?`,
    'requester.is_it_fixed',
  );
  return c.done();
}

/** The requester confirms the fix: Pending Closure (closed by the scheduler after the policy's days). */
export function confirmFixed(ticket: Ticket, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'pending_closure', rolesOn(ticket, ctx.actor));
  c.event('confirmed_fixed');
  askForRating(c, `Thanks! How did we do on ${ticket.number}? Rate the support from 1 to 5.`);
  return c.done();
}

/** The requester says it is not fixed: reopened as Customer Responded, resolution clock restarts. */
export function reopen(ticket: Ticket, reason: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'customer_responded', rolesOn(ticket, ctx.actor));
  c.event('reopened', undefined, undefined, clip(reason, LIMITS.field) || undefined);
  c.tellAssignee(
    `${ctx.actor.name} says ${ticket.number} (${ticket.title}) is not fixed; reopened as Customer Responded${
      reason.trim() ? `: ${clip(reason, 2000)}` : '.'
    }`,
  );
  if (reason.trim()) {
    c.ticket = {
      ...c.ticket,
      conversation: [
        ...c.ticket.conversation,
        { at: ctx.now, author: actorOf(ctx.actor), fromAgent: false, text: clip(reason, LIMITS.message) },
      ],
    };
  }
  return c.done();
}

/** A plain support status move from a card's status select (statuses that need more have their own control). */
export function changeStatus(ticket: Ticket, to: SupportStatus, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertPlainMove(ctx.policy, ticket, to);
  if (to === 'on_customer_test') return resolve(ticket, '', ctx);
  const c = new Change(ticket, ctx);
  moveTo(c, to, rolesOn(ticket, ctx.actor));
  if (to === 'quote_required') c.toQuote();
  return c.done();
}

/** The requester's satisfaction score (1-5) and comment. */
/** The shortest time between two low-CSAT alerts on one ticket. */
export const CSAT_ALERT_EVERY_MS = 24 * 3_600_000;

export function recordCsat(ticket: Ticket, score: number, comment: string, ctx: OpContext): OpResult {
  assertMayRate(ticket, ctx.now, ctx.policy);
  if (!sameActor(ticket.requester, ctx.actor)) throw new InvalidInputError('Only the requester can rate this ticket');
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new InvalidInputError('A rating is a whole number from 1 to 5');
  const c = new Change(ticket, ctx);
  const concern = csatConcern(score, comment, ctx.policy);
  // A low score opens a follow-up for the Team Lead (one per rating): its card goes out at once.
  const opened = followUpRating(c, score, comment);
  // Otherwise management hears of a ticket's low score at most once a day, however often the requester changes it.
  const lastAlert = ticket.csat?.alertedAt;
  const alert = opened || (!!concern && (!lastAlert || ctx.now.getTime() - lastAlert.getTime() >= CSAT_ALERT_EVERY_MS));
  const alertedAt = alert ? ctx.now : lastAlert;
  c.ticket = {
    ...c.ticket,
    csat: {
      score: score as 1 | 2 | 3 | 4 | 5,
      comment: clip(comment, LIMITS.field),
      at: ctx.now,
      ...(alertedAt ? { alertedAt } : {}),
    },
  };
  c.event('csat', ticket.csat?.score ?? null, score, clip(comment, 200) || undefined);
  if (alert) {
    const text = `${concern ?? 'Low CSAT'} on ${ticket.number} (${ticket.title}) from ${ctx.actor.name}: ${score}/5${
      comment.trim() ? `, "${clip(comment, 1000)}"` : ''
    }. ${opened ? 'Follow it up: "Called them", or a note ("you said, we did" tells the requester).' : 'Please follow it up now.'}`;
    const lead = teamLeadOf(ctx.policy, ticket);
    if (lead) c.notify({ type: 'csat.low', audience: { kind: 'person', personId: lead }, text, keySuffix: 'lead' });
    c.notify({ type: 'csat.low', audience: { kind: 'channel', channel: 'managers' }, text, keySuffix: 'managers' });
  }
  return c.done();
}

/** Why management must hear this feedback at once ("Low CSAT", "Complaint"), or null. */
export function csatConcern(score: number, comment: string, policy: Pick<Policy, 'csat'>): string | null {
  const words = comment.toLowerCase();
  if (policy.csat.complaintWords.some((w) => words.includes(w.toLowerCase()))) return 'Complaint';
  if (score <= policy.csat.lowScoreAtOrBelow) return 'Low CSAT';
  return null;
}

/**
 * Ask the requester to rate the support, once per resolution: not when they have rated, nor when they were asked
 * already (at "Yes, fixed", by the CSAT prompt job, or at an earlier step of this close). Only the requester is
 * asked: people following the ticket hear of the close, not the rating.
 */
function askForRating(c: Change, text: string): void {
  const t = c.ticket;
  if (t.csat || t.csatAskedAt) return;
  c.notify({ type: 'requester.csat', audience: { kind: 'user', actor: t.requester }, text });
  c.ticket = { ...c.ticket, csatAskedAt: c.ctx.now };
}

const rateText = (t: Pick<Ticket, 'number' | 'title'>) =>
  `How did we do on ${t.number} (${t.title})? Rate the support from 1 to 5.`;

/**
 * The CSAT prompt job: a ticket resolved into Pending Closure whose requester was not asked yet (an agent moved it
 * there) and has not rated is asked now. Nothing changes when there is nothing to ask.
 */
export function promptForRating(ticket: Ticket, ctx: OpContext): OpResult {
  if (ticket.status !== 'pending_closure' || ticket.csat || ticket.csatAskedAt)
    return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  askForRating(c, rateText(ticket));
  return c.done();
}

const days = (minutes: number) => {
  const d = Math.round(minutes / 1440);
  return `${d} day${d === 1 ? '' : 's'}`;
};

/** Why a ticket closed without an agent's reason, in the requester's words; '' when an agent simply closed it. */
function closedBecause(t: Ticket, ctx: OpContext): string {
  const { sla } = ctx.policy;
  const bySystem = ctx.actor.roles.includes('system');
  switch (t.status) {
    case 'quote_required':
      return 'the quote for the chargeable work was declined';
    case 'pending_closure':
      return bySystem ? `it was resolved and ${days(sla.autoCloseAfter)} have passed with no report of a problem` : '';
    case 'on_customer_test':
      return bySystem ? `we asked whether it was fixed and heard nothing for ${days(sla.customerTestCloseAfter)}` : '';
    case 'waiting_for_customer':
      return bySystem
        ? `we asked you ${t.pendingQuestion ? `"${clip(t.pendingQuestion, 300)}" ` : 'for information '}on ${formatBusinessInstant(
            t.statusChangedAt,
            ctx.policy.calendar.timeZone,
          )} and have had no answer for ${formatMinutes(sla.waitingCloseAfter)}`
        : '';
    default:
      return '';
  }
}

/**
 * Close: the scheduler (Pending Closure, On Customer Test or Waiting for Customer left unanswered), or an agent (a
 * declined quote). The requester is told why in plain words, that they can always come back, and is asked to rate
 * the support unless they already were for this resolution.
 */
export function close(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  const why = closedBecause(ticket, ctx);
  moveTo(c, 'closed', rolesOn(ticket, ctx.actor));
  c.event('closed', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.tellRequester(
    `${ticket.number} (${ticket.title}) is now closed${why ? `: ${why}` : ''}. If you still need help, just write to me here (mention ${ticket.number}) and we will pick it up again. Thank you.`,
  );
  askForRating(c, rateText(ticket));
  return c.done();
}

/**
 * Waiting for Customer with no answer for the policy's `waitingCloseAfter` of business time (on `calendar`, the
 * one the reminder counts on) is due to close; a requester who answered moved it to Customer Responded already,
 * and a message of theirs since the question (whatever path recorded it) keeps it open too.
 */
export function waitingCloseDue(
  t: Pick<Ticket, 'status' | 'statusChangedAt' | 'conversation' | 'requester'>,
  now: Date,
  policy: Pick<Policy, 'sla'>,
  calendar: Pick<BusinessCalendar, 'businessMinutesBetween'>,
): boolean {
  if (t.status !== 'waiting_for_customer') return false;
  const since = t.statusChangedAt.getTime();
  if (t.conversation.some((m) => !m.fromAgent && sameActor(t.requester, m.author) && m.at.getTime() >= since))
    return false;
  return calendar.businessMinutesBetween(t.statusChangedAt, now) >= policy.sla.waitingCloseAfter;
}

/** The scheduler closes a ticket left in Waiting for Customer unanswered (see {@link waitingCloseDue}), as {@link close}. */
export function closeUnanswered(ticket: Ticket, ctx: OpContext): OpResult {
  if (!waitingCloseDue(ticket, ctx.now, ctx.policy, ctx.clocks.calendar))
    throw new TransitionNotAllowedError(`${ticket.number} is not due to close: it is not waiting unanswered`);
  return close(ticket, `No answer for ${formatMinutes(ctx.policy.sla.waitingCloseAfter)} in Waiting for Customer`, ctx);
}

/** Close with a reason: each reason's name, and whether the requester is asked to rate the support. */
export const CLOSE_REASON_WORDS: Record<CloseReason, { name: string; csat: boolean }> = {
  duplicate: { name: 'Duplicate of another ticket', csat: false },
  withdrawn: { name: 'Withdrawn by the requester', csat: true },
  spam: { name: 'Spam / not a support request', csat: false },
  resolved_elsewhere: { name: 'Resolved elsewhere', csat: true },
};

export function isCloseReason(x: unknown): x is CloseReason {
  return typeof x === 'string' && (CLOSE_REASONS as readonly string[]).includes(x);
}

/** A close that asks for a rating: every one but a duplicate or spam. */
export function closeAsksForRating(t: Pick<Ticket, 'closeReason'>): boolean {
  return !t.closeReason || CLOSE_REASON_WORDS[t.closeReason].csat;
}

type Rateable = Pick<Ticket, 'number' | 'status' | 'closeReason' | 'closedAt'>;

/**
 * Whether the requester's card offers the rating buttons: Pending Closure, or Closed (by any path but a duplicate
 * or spam) less than `csat.rateWithin` ago, to rate or change the rating.
 */
export function mayRate(t: Rateable, now: Date, policy: Pick<Policy, 'csat'>): boolean {
  if (t.status === 'pending_closure') return true;
  return t.status === 'closed' && closeAsksForRating(t) && now < ratingClosesAt(t, policy);
}

function ratingClosesAt(t: Rateable, policy: Pick<Policy, 'csat'>): Date {
  return new Date((t.closedAt?.getTime() ?? 0) + policy.csat.rateWithin * 60_000);
}

/**
 * A rating is taken on an open ticket, and on a Closed one within `csat.rateWithin` of closing; a duplicate or spam
 * is never rated. After the window the requester is told, politely, that rating has closed.
 */
export function assertMayRate(t: Rateable, now: Date, policy: Pick<Policy, 'csat' | 'calendar'>): void {
  if (t.status !== 'closed') return;
  if (!closeAsksForRating(t)) throw new ClosedError(t.number);
  const closesAt = ratingClosesAt(t, policy);
  if (now >= closesAt)
    throw new RatingClosedError(
      `Thank you for wanting to rate ${t.number}. Rating it closed on ${formatBusinessInstant(closesAt, policy.calendar.timeZone)}, ${days(policy.csat.rateWithin)} after the ticket closed, so this rating was not recorded. If something still needs our help, just write to me here.`,
    );
}

/**
 * An agent closes an open ticket, from any open status, with a reason: a duplicate of another ticket (linked both
 * ways; its requester follows the original), withdrawn by the requester, spam / not a support request, or resolved
 * elsewhere. The requester is told in plain words; withdrawn and resolved elsewhere ask for a rating.
 */
export function closeWithReason(
  ticket: Ticket,
  input: { reason: CloseReason; note?: string; duplicateOf?: Pick<Ticket, 'number' | 'title' | 'status'> },
  ctx: OpContext,
): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, AGENT_ROLES as Role[], `close ${ticket.number}`);
  if (!isCloseReason(input.reason)) throw new InvalidInputError('Choose why the ticket is closed');
  const original = input.duplicateOf;
  if (input.reason === 'duplicate') {
    if (!original) throw new InvalidInputError(`Say which ticket ${ticket.number} duplicates (SR-n)`);
    if (original.number === ticket.number) throw new InvalidInputError('A ticket cannot duplicate itself');
    if (original.status === 'closed')
      throw new TransitionNotAllowedError(
        `${original.number} is Closed: close ${ticket.number} as a duplicate of an open ticket, or with another reason`,
      );
  }
  const note = clip(input.note ?? '', LIMITS.field);
  const c = new Change(ticket, ctx);
  const links = [...(ticket.links ?? [])];
  if (input.reason === 'duplicate' && original) links.push({ kind: 'duplicate_of', ticket: original.number });
  c.ticket = { ...c.ticket, closeReason: input.reason, links };
  moveTo(c, 'closed', roles, { anyOpen: true });
  c.event(
    'closed',
    null,
    input.reason,
    [original ? `duplicate of ${original.number}` : '', note].filter(Boolean).join(': ') || undefined,
  );
  const t = ticket;
  const because = note ? ` (${clip(note, 500)})` : '';
  switch (input.reason) {
    case 'duplicate':
      c.tellRequester(
        `${t.number} (${t.title}) is the same request as ${original?.number} (${original?.title}), so we have closed ${t.number} and carry on with ${original?.number}. You will get its updates here.`,
      );
      break;
    case 'withdrawn':
      c.tellRequester(`${t.number} (${t.title}) is closed: it was withdrawn${because}. Thank you.`);
      break;
    case 'spam':
      c.tellRequester(`${t.number} (${t.title}) is closed: it is not a support request${because}.`);
      break;
    case 'resolved_elsewhere':
      c.tellRequester(`${t.number} (${t.title}) is closed: it was resolved elsewhere${because}. Thank you.`);
      break;
  }
  if (CLOSE_REASON_WORDS[input.reason].csat)
    askForRating(c, `How did we do on ${t.number}? Rate the support from 1 to 5.`);
  return c.done();
}

/**
 * The original of a duplicate: linked to it, and the duplicate's requester follows it (a watcher: they are told
 * what its requester is told). Nothing changes when it is already linked.
 */
export function linkDuplicate(
  original: Ticket,
  duplicate: Pick<Ticket, 'number' | 'requester'>,
  ctx: OpContext,
): OpResult {
  assertOpen(original);
  assertRole(rolesOn(original, ctx.actor), AGENT_ROLES as Role[], `link a duplicate to ${original.number}`);
  const links = original.links ?? [];
  if (links.some((l) => l.kind === 'duplicated_by' && l.ticket === duplicate.number))
    return { ticket: original, events: [], notices: [] };
  const c = new Change(original, ctx);
  const follows =
    sameActor(original.requester, duplicate.requester) ||
    original.watchers.some((w) => sameActor(w, duplicate.requester));
  const watcher: Actor = {
    platform: duplicate.requester.platform,
    userId: duplicate.requester.userId,
    name: duplicate.requester.name,
  };
  c.ticket = {
    ...original,
    links: [...links, { kind: 'duplicated_by', ticket: duplicate.number }],
    watchers: follows ? original.watchers : [...original.watchers, watcher],
  };
  c.event('duplicate_linked', null, duplicate.number, follows ? undefined : `${watcher.name} follows it`);
  return c.done();
}
