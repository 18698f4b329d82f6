import { DateTime } from 'luxon';
import type { DevelopmentStatus, Policy } from '../../config/policy.schema';
import type { OpContext, OpResult } from './change';
import { advanceDevelopment } from './development';
import type { Notice } from './notice';
import { upcomingReleaseDays } from './release-wait';
import { planRelease } from './roadmap';
import type { Actor, Ticket } from './ticket';

/** What moving a whole release does to each ticket in it. */
export const RELEASE_MOVES = ['qa', 'ready', 'released', 'slip'] as const;
export type ReleaseMove = (typeof RELEASE_MOVES)[number];
export const RELEASE_MOVE_STATUS: Record<Exclude<ReleaseMove, 'slip'>, DevelopmentStatus> = {
  qa: 'qa_in_progress',
  ready: 'ready_for_release',
  released: 'released',
};
const ORDER: DevelopmentStatus[] = ['qa_in_progress', 'ready_for_release', 'released'];

export const releaseDayWords = (day: string, policy: Pick<Policy, 'calendar'>) =>
  DateTime.fromISO(day, { zone: policy.calendar.timeZone }).toFormat('ccc d LLL');

/** The release day before the coming one (a release whose day has passed may still be waiting to go live). */
export function previousReleaseDay(policy: Pick<Policy, 'releases' | 'calendar'>, now: Date): string | null {
  const next = upcomingReleaseDays(policy, now, 1)[0];
  const first = policy.releases.first;
  if (!next || !first) return null;
  const prev = next.minus({ days: policy.releases.every / 1440 }).toISODate()!;
  return prev >= first ? prev : null;
}

/** The release day after `day` (the next cycle). */
export function nextCycle(day: string, policy: Pick<Policy, 'releases' | 'calendar'>): string {
  const zone = policy.calendar.timeZone;
  return DateTime.fromISO(day, { zone })
    .plus({ days: policy.releases.every / 1440 })
    .toISODate()!;
}

/**
 * One ticket of the release of `day` moved with it, through the domain's own rules (status moves and sign-offs,
 * planning). Null when it already made this move (a retry after a crash moves nobody twice): its development status
 * is there or beyond, or for a slip it is no longer planned into `day`.
 */
export function moveInRelease(
  ticket: Ticket,
  move: ReleaseMove,
  day: string,
  notes: string,
  ctx: OpContext,
): OpResult | null {
  const dev = ticket.development;
  if (!dev || dev.release !== day) return null;
  if (move === 'slip')
    return dev.status === 'released' ? null : planRelease(ticket, nextCycle(day, ctx.policy), ctx, { slip: true });
  const to = RELEASE_MOVE_STATUS[move];
  if (ORDER.indexOf(dev.status) >= ORDER.indexOf(to)) return null;
  return advanceDevelopment(ticket, to, notes, ctx, { quiet: to === 'released' });
}

type Person = Pick<Actor, 'platform' | 'userId' | 'name'>;
const idOf = (p: Person) => `${p.platform}:${p.userId}`;

/**
 * The release notes of a release gone live, once: to the Team Ticketing channel, and to each person once on their
 * own platform, keyed by the release day and the person so a retry or a second replica stores nothing twice. The
 * requester of a ticket in the release is asked on it whether it is fixed (the customer test); a follower of one
 * (a duplicate's requester), or the requester of a ticket linked to one (related, duplicate, incident part), is
 * told about their own ticket. `told` are people the incident fan-out already asked on their own tickets.
 */
export function releaseNotices(
  day: string,
  notes: string,
  released: Ticket[],
  linked: Ticket[],
  policy: Pick<Policy, 'calendar'>,
  told: Person[] = [],
): Notice[] {
  const when = releaseDayWords(day, policy);
  const list = released.map((t) => `${t.number} (${t.title})`).join(', ');
  const out: Notice[] = [
    {
      key: `release:${day}:notes:channel`,
      type: 'ticket.release_notes',
      ticket: null,
      audience: { kind: 'channel', channel: 'teamTicketing' },
      text: `The release of ${when} is live: ${notes}\nIncluded: ${list.length > 2500 ? `${list.slice(0, 2500)}…` : list || 'no tickets'}.`,
    },
  ];
  const seen = new Set(told.map(idOf));
  const tell = (who: Person, n: Omit<Notice, 'key' | 'audience'>) => {
    if (seen.has(idOf(who))) return;
    seen.add(idOf(who));
    out.push({ ...n, key: `release:${day}:notes:${idOf(who)}`, audience: { kind: 'user', actor: who } });
  };
  const mine = (who: Person) => released.filter((t) => idOf(t.requester) === idOf(who)).map((t) => t.number);
  for (const t of released) {
    const own = mine(t.requester);
    tell(t.requester, {
      type: 'requester.is_it_fixed',
      ticket: t.number,
      text: `The release of ${when} is live, with the fix for your ${own.join(', ')}: ${notes}. Is it fixed?`,
    });
  }
  const inRelease = new Set(released.map((t) => t.number));
  for (const t of released)
    for (const w of t.watchers)
      tell(w, {
        type: 'requester.update',
        ticket: t.number,
        text: `The release of ${when} is live, with the fix for ${t.number} (${t.title}), which you follow: ${notes}.`,
      });
  for (const o of linked) {
    if (inRelease.has(o.number)) continue;
    const to = released.filter((t) => (t.links ?? []).some((l) => l.ticket === o.number)).map((t) => t.number);
    if (to.length === 0) continue;
    tell(o.requester, {
      type: 'requester.update',
      ticket: o.number,
      text: `The release of ${when} is live, with the fix for ${to.join(', ')}, which your ${o.number} is linked to: ${notes}.`,
    });
  }
  return out;
}
