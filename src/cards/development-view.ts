import { DateTime } from 'luxon';
import type { Policy, SupportStatus } from '../config/policy.schema';
import { formatBusinessInstant, formatMinutes } from '../domain/sla/sla-clock';
import type { ClockReading } from '../domain/ticket/clocks';
import { routeSwitchesFrom } from '../domain/ticket/development';
import { DEV_TARGET_KINDS, type DevTargets } from '../domain/ticket/development-targets';
import { quoteAmount } from '../domain/ticket/quote';
import { nextReleaseDay, RELEASE_WAIT, upcomingReleaseDays } from '../domain/ticket/release-wait';
import { roadmapTargetWords } from '../domain/ticket/roadmap';
import type { Ticket } from '../domain/ticket/ticket';

/** Development's work as every card shows it: the route (and how it changed), the status, who signed what off. */
export interface DevelopmentView {
  /** The route's name: shown for as long as the ticket is with Development. */
  route: string;
  status: string;
  releaseNote: string | null;
  /** The route's switches in words, latest last: "from Performance & infrastructure (3 Mar 10:00, Sam Singh): …". */
  routeChanges: string[];
  /** "Change by Dana Drew · reviewed by Devon Lake (Dev Lead) · approved by Quinn Tate (QA)"; null before any. */
  signOffs: string | null;
  /** The routes it may be switched to now (the Switch route control offers these). */
  routeSwitches: Array<{ id: string; name: string }>;
  /** The release it is planned into, in words ("the release of Thu 19 Mar"); null before it is planned. */
  release: string | null;
  /** A fix waiting for a release: the coming releases it may be planned into (or moved to). */
  releaseChoices: Array<{ id: string; name: string }> | null;
  /** Product's roadmap decision on a change request, in words; null before it. */
  roadmap: string | null;
  /** A change request awaiting Product's decision: the targets it may be accepted for (releases, the roadmap). */
  roadmapTargets: Array<{ id: string; name: string }> | null;
  /** Development's own targets in words ("take up due Wed 09:30 · plan into a release missed Thu 09:00"); null when none. */
  targets: string | null;
}

export function developmentView(
  t: Ticket,
  policy: Pick<Policy, 'developmentRoutes' | 'statuses' | 'development' | 'calendar' | 'releases'>,
  now: Date,
): DevelopmentView | null {
  const d = t.development;
  if (!d) return null;
  const routeName = (r: string) => policy.developmentRoutes[r as keyof Policy['developmentRoutes']]?.name ?? r;
  const signs = [
    d.doneBy ? `change by ${d.doneBy.name}` : null,
    d.reviewedBy ? `reviewed by ${d.reviewedBy.name} (Dev Lead)` : null,
    d.qaBy ? `approved by ${d.qaBy.name} (QA)` : null,
  ].filter((x): x is string => !!x);
  const open = t.status === 'escalated_to_dev' && d.status !== 'released';
  return {
    route: routeName(d.route),
    status: policy.statuses[d.status as SupportStatus]?.name ?? d.status,
    releaseNote: d.releaseNote,
    routeChanges: (d.routeChanges ?? []).map(
      (r) =>
        `from ${routeName(r.from)} to ${routeName(r.to)} (${formatBusinessInstant(r.at, policy.calendar.timeZone, now)}, ${r.by.name}): ${r.reason}`,
    ),
    signOffs: signs.length > 0 ? `${signs.join(' · ').replace(/^./, (c) => c.toUpperCase())}` : null,
    routeSwitches: open ? routeSwitchesFrom(policy, d.route).map((id) => ({ id, name: routeName(id) })) : [],
    release: d.release ? roadmapTargetWords(d.release, policy) : null,
    releaseChoices:
      open &&
      (policy.releases.routes.includes(d.route) || (d.route === 'change_request' && d.roadmap?.decision === 'accepted'))
        ? upcomingReleaseDays(policy, now, 6)
            .map((day) => ({ id: day.toISODate() ?? '', name: `Release of ${day.toFormat('ccc d LLL')}` }))
            .filter((c) => c.id !== d.release)
        : null,
    roadmap: d.roadmap
      ? `${d.roadmap.decision === 'accepted' ? `Accepted for ${roadmapTargetWords(d.roadmap.target, policy)}` : 'Declined'} by ${d.roadmap.by.name}: ${d.roadmap.reason}`
      : null,
    roadmapTargets:
      open && d.route === 'change_request' && !d.roadmap
        ? [
            ...upcomingReleaseDays(policy, now, 6).map((day) => ({
              id: day.toISODate() ?? '',
              name: `Release of ${day.toFormat('ccc d LLL')}`,
            })),
            { id: 'roadmap', name: 'The roadmap (no release yet)' },
          ]
        : null,
    targets: targetsLine(d.targets, policy.calendar.timeZone, now),
  };
}

const TARGET_WORDS = { accept: 'take up', allocate: 'plan into a release' } as const;

/** Each target: met (when), missed (when it was due) or due (when). */
function targetsLine(d: DevTargets | null | undefined, tz: string, now: Date): string | null {
  if (!d) return null;
  const when = (x: Date) => formatBusinessInstant(x, tz, now);
  const parts = DEV_TARGET_KINDS.flatMap((k) => {
    const x = d[k];
    if (!x) return [];
    const state = x.metAt
      ? `met ${when(x.metAt)}`
      : x.missedAt
        ? `MISSED (due ${when(x.dueAt)})`
        : `due ${when(x.dueAt)}`;
    return [`${TARGET_WORDS[k]} ${state}`];
  });
  return parts.length ? parts.join(' · ') : null;
}

/** The card's lines for development, label and value (both platforms show the same words). */
export function developmentLines(d: DevelopmentView | null): Array<[string, string]> {
  if (!d) return [];
  const out: Array<[string, string]> = [
    ['Route', d.route],
    ['Development', d.status],
  ];
  const last = d.routeChanges.at(-1);
  if (last)
    out.push(['Route switched', d.routeChanges.length > 1 ? `${last} (${d.routeChanges.length} switches)` : last]);
  if (d.release) out.push(['Release', `Planned for ${d.release}`]);
  if (d.signOffs) out.push(['Sign-offs', d.signOffs]);
  if (d.roadmap) out.push(['Roadmap', d.roadmap]);
  if (d.targets) out.push(['Development targets', d.targets]);
  return out;
}

/**
 * A clock held for a release, in words: the next release day instead of a countdown to a breach nobody can act on
 * ("Resolution: waits for the software release, next release Thu 22 Jan (paused since Mon 10:00); 48 business hours
 * left once released"). Any other clock: its usual line.
 */
export function clockLine(
  t: Pick<Ticket, 'sla' | 'development'>,
  reading: ClockReading,
  policy: Pick<Policy, 'releases' | 'calendar'>,
  now: Date,
): string {
  const c = t.sla[reading.kind];
  if (c.state !== 'paused' || c.pausedBy !== RELEASE_WAIT) return reading.line;
  const label = reading.kind === 'response' ? 'First response' : 'Resolution';
  const tz = policy.calendar.timeZone;
  const planned = t.development?.release ? DateTime.fromISO(t.development.release, { zone: tz }) : null;
  const day = planned ?? nextReleaseDay(policy, now);
  const left = reading.targetMinutes - reading.usedMinutes;
  return `${label}: waits for the software release${day ? `, ${planned ? 'planned for' : 'next release'} ${day.toFormat('ccc d LLL')}` : ''} (paused since ${formatBusinessInstant(c.since, tz, now)}); ${
    left > 0 ? `${formatMinutes(left)} left once released` : `breached before it waited, ${formatMinutes(-left)} over`
  }`;
}

/** The quote in words: "1,200.00 GBP sent to finance@acme.example (Mon 10:00, Sam Singh) · accepted by …: why". */
export function quoteLine(t: Pick<Ticket, 'quote'>, policy: Pick<Policy, 'calendar'>, now: Date): string | null {
  const q = t.quote;
  if (!q) return null;
  const when = (d: Date) => formatBusinessInstant(d, policy.calendar.timeZone, now);
  const sent = `${quoteAmount(q)} sent to ${q.sentTo} (${when(q.sentAt)}, ${q.sentBy.name})`;
  return q.outcome
    ? `${sent} · ${q.outcome.decision} by ${q.outcome.by.name}: ${q.outcome.reason}`
    : `${sent} · awaiting the answer`;
}
