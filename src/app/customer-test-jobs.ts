import { formatMinutes } from '../domain/sla/sla-clock';
import { rolesFor } from '../domain/ticket/lifecycle';
import * as op from '../domain/ticket/operations';
import type { Ticket } from '../domain/ticket/ticket';
import { opContext } from './context';
import { eachTicket, type JobDeps, type JobReport, remind, systemActor } from './scheduled-jobs';

const BATCH = 500;

/**
 * On Customer Test is not a dead end: the requester is reminded "is it fixed?" once after the policy's
 * business time (the same card, with Yes / No), and a ticket nobody answered for the policy's calendar
 * time is closed, as Pending Closure is.
 */
export async function customerTestFollowUp(deps: JobDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const { customerTestReminderAfter, customerTestCloseAfter } = deps.policy.sla;
  const earliest = Math.min(customerTestReminderAfter, customerTestCloseAfter);
  // Business minutes never exceed calendar minutes, so this bound only drops tickets not yet due.
  const waiting = await deps.tickets.findInStatusSince(
    'on_customer_test',
    new Date(now.getTime() - earliest * 60_000),
    BATCH,
  );
  // A policy whose transitions do not let the scheduler close On Customer Test only gets the reminders.
  const mayClose = rolesFor(deps.policy, 'on_customer_test', 'closed').includes('system');
  return eachTicket(deps, 'customer-test', waiting, async (t: Ticket) => {
    const since = t.statusChangedAt;
    if (mayClose && now.getTime() - since.getTime() >= customerTestCloseAfter * 60_000) {
      const days = Math.round(customerTestCloseAfter / 1440);
      const r = op.close(t, `No answer for ${days} days in On Customer Test`, opContext(deps, systemActor));
      await deps.tickets.save(r, t.version);
      return true;
    }
    const waited = deps.calendar.businessMinutesBetween(since, now);
    if (waited < customerTestReminderAfter) return false;
    return remind(deps, [
      {
        key: `${t.number}:requester.is_it_fixed:reminder:${since.toISOString()}`,
        type: 'requester.is_it_fixed',
        ticket: t.number,
        audience: { kind: 'user', actor: t.requester },
        text: `Reminder: is ${t.number} (${t.title}) fixed? We asked ${formatMinutes(waited)} ago (business time). If we hear nothing it closes in ${Math.round(customerTestCloseAfter / 1440)} days.`,
      },
    ]);
  });
}
