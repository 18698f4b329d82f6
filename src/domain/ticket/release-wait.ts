import { DateTime } from 'luxon';
import type { Policy } from '../../config/policy.schema';
import { type ClockContext, type ClockKind, pauseClock, resumeClock } from '../sla/sla-clock';
import { parentOf, type Ticket } from './ticket';

/**
 * Clocks that wait for a release. A ticket with Development on a route whose fix goes out in a software release
 * (`releases.routes`, code change by default), of a severity that waits for one (`releases.severities`: 3 and 4),
 * in a development status the policy's `sla.pausedInDevelopment` lists
 * for a clock has that clock paused, with this reason, until it leaves those statuses (Released puts it On Customer
 * Test, which ends the resolution clock; a reopen counts on from where it stopped). Only a pause with this reason is
 * lifted here: a status's own pause, or an incident's, is left to its own rules.
 */
export const RELEASE_WAIT = 'waiting for the software release';

type WaitPolicy = Pick<Policy, 'sla' | 'releases'>;

/** Whether the ticket's state holds `kind` for a release now. */
export function waitsForRelease(
  t: Pick<Ticket, 'status' | 'development' | 'severity'>,
  kind: ClockKind,
  policy: WaitPolicy,
) {
  const d = t.development;
  return (
    t.status === 'escalated_to_dev' &&
    !!d &&
    // A route that goes out in a release, or a change request Product accepted (it waits for the roadmap).
    (policy.releases.routes.includes(d.route) ||
      (d.route === 'change_request' && d.roadmap?.decision === 'accepted')) &&
    policy.releases.severities.includes(t.severity) &&
    policy.sla.pausedInDevelopment[kind].includes(d.status)
  );
}

/** The ticket with its clocks paused or resumed for a release as its state says (unchanged when nothing moves). */
export function alignReleaseWait(t: Ticket, policy: WaitPolicy, now: Date, ctx: ClockContext): Ticket {
  let sla = t.sla;
  for (const kind of ['response', 'resolution'] as const) {
    const c = sla[kind];
    const wait = waitsForRelease(t, kind, policy) && !parentOf(t);
    if (wait && c.state === 'running') sla = { ...sla, [kind]: pauseClock(c, now, RELEASE_WAIT, ctx) };
    else if (!wait && c.state === 'paused' && c.pausedBy === RELEASE_WAIT)
      sla = { ...sla, [kind]: resumeClock(c, now, ctx) };
  }
  return sla === t.sla ? t : { ...t, sla };
}

/**
 * The next release day on or after `now`'s local date (`releases.first`, then every `releases.every`), as a local
 * date; null when the policy sets no release calendar.
 */
export function nextReleaseDay(policy: Pick<Policy, 'releases' | 'calendar'>, now: Date): DateTime | null {
  const { first, every } = policy.releases;
  if (!first) return null;
  const zone = policy.calendar.timeZone;
  const start = DateTime.fromISO(first, { zone }).startOf('day');
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const step = every / 1440;
  const days = Math.round(today.diff(start, 'days').days);
  if (days <= 0) return start;
  return start.plus({ days: Math.ceil(days / step) * step });
}

/** The next `n` release days from `now` (none without a release calendar). */
export function upcomingReleaseDays(policy: Pick<Policy, 'releases' | 'calendar'>, now: Date, n: number): DateTime[] {
  const first = nextReleaseDay(policy, now);
  if (!first) return [];
  const step = policy.releases.every / 1440;
  return Array.from({ length: n }, (_, i) => first.plus({ days: i * step }));
}
