import type { Policy, SupportStatus } from '../../config/policy.schema';
import { InvalidInputError } from '../errors';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen } from './lifecycle';
import { sameActor, type Ticket } from './ticket';

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
  c.tellRequester(`Thanks! How did we do on ${ticket.number}? Rate the support from 1 to 5.`, 'requester.csat');
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

/** Any allowed support status change from the Team Ticketing card. */
export function changeStatus(ticket: Ticket, to: SupportStatus, ctx: OpContext): OpResult {
  if (to === 'on_customer_test') return resolve(ticket, '', ctx);
  if (to === 'closed') return close(ticket, '', ctx);
  const c = new Change(ticket, ctx);
  moveTo(c, to, rolesOn(ticket, ctx.actor));
  if (to === 'quote_required') c.toQuote();
  return c.done();
}

/** The requester's satisfaction score (1-5) and comment. */
/** The shortest time between two low-CSAT alerts on one ticket. */
export const CSAT_ALERT_EVERY_MS = 24 * 3_600_000;

export function recordCsat(ticket: Ticket, score: number, comment: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  if (!sameActor(ticket.requester, ctx.actor)) throw new InvalidInputError('Only the requester can rate this ticket');
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new InvalidInputError('A rating is a whole number from 1 to 5');
  const c = new Change(ticket, ctx);
  const concern = csatConcern(score, comment, ctx.policy);
  // Management hears of a ticket's low score at most once a day, however often the requester changes it.
  const lastAlert = ticket.csat?.alertedAt;
  const alert = !!concern && (!lastAlert || ctx.now.getTime() - lastAlert.getTime() >= CSAT_ALERT_EVERY_MS);
  const alertedAt = alert ? ctx.now : lastAlert;
  c.ticket = {
    ...ticket,
    csat: {
      score: score as 1 | 2 | 3 | 4 | 5,
      comment: clip(comment, LIMITS.field),
      at: ctx.now,
      ...(alertedAt ? { alertedAt } : {}),
    },
  };
  c.event('csat', ticket.csat?.score ?? null, score, clip(comment, 200) || undefined);
  if (alert) {
    const text = `${concern} on ${ticket.number} (${ticket.title}) from ${ctx.actor.name}: ${score}/5${
      comment.trim() ? `, "${clip(comment, 1000)}"` : ''
    }. Please follow it up now.`;
    const lead = ctx.policy.escalation.ladder[1]?.contact;
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

/** Close (the scheduler after Pending Closure, or an agent); the requester is told. */
export function close(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'closed', rolesOn(ticket, ctx.actor));
  c.event('closed', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.tellRequester(`${ticket.number} (${ticket.title}) is now closed. Thank you.`);
  return c.done();
}
