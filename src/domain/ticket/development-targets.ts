import type { DevelopmentRoute, Policy } from '../../config/policy.schema';
import type { BusinessCalendar } from '../sla/business-calendar';
import { formatBusinessInstant, formatMinutes } from '../sla/sla-clock';
import type { Notice } from './notice';
import { SYSTEM_ACTOR, type Ticket, type TicketEvent } from './ticket';

/**
 * Development's own targets on a ticket (policy `development.targets`, per route): accept it within N business hours
 * of reaching Development, and (a fix that goes out in a release) plan it into a release within M business hours of
 * reaching its route. Each is due at a business instant, met when it happens, missed once the sweep finds it past
 * due; a missed one alerts the Dev Lead once (a stable notice key), never the support ladder.
 */
export interface DevTarget {
  /** The target in business minutes and when it is due. */
  minutes: number;
  dueAt: Date;
  metAt: Date | null;
  missedAt: Date | null;
}
export interface DevTargets {
  /** The route they were set for, and since when it was on it (a route switch sets the allocation target again). */
  route: DevelopmentRoute;
  since: Date;
  accept: DevTarget | null;
  allocate: DevTarget | null;
}
export const DEV_TARGET_KINDS = ['accept', 'allocate'] as const;
export type DevTargetKind = (typeof DEV_TARGET_KINDS)[number];

type TargetPolicy = Pick<Policy, 'development' | 'releases'>;

/** Development has taken the ticket up: moved it on, switched its route, planned it or decided on it. */
function accepted(t: Ticket): boolean {
  const d = t.development!;
  return d.status !== 'planned' || !!d.release || !!d.roadmap || (d.routeChanges?.length ?? 0) > 0;
}

/** Whether the ticket's fix on this route is allocated to a release (a route that goes out in one, for its severity). */
function allocates(t: Pick<Ticket, 'severity'>, route: DevelopmentRoute, policy: TargetPolicy): boolean {
  return policy.releases.routes.includes(route) && policy.releases.severities.includes(t.severity);
}

function due(minutes: number | null, from: Date, calendar: BusinessCalendar): DevTarget | null {
  return minutes === null
    ? null
    : { minutes, dueAt: calendar.addBusinessMinutes(from, minutes), metAt: null, missedAt: null };
}

/**
 * The allocation target as the severity now says: a severity change that takes the fix out of cycle drops one still
 * counting, one that puts it in a release cycle starts it from now. Met or missed, it stays as it was.
 */
function allocation(
  t: Ticket,
  x: DevTarget | null,
  policy: TargetPolicy,
  now: Date,
  calendar: BusinessCalendar,
): DevTarget | null {
  if (x?.metAt || x?.missedAt) return x;
  const route = t.development!.route;
  if (!allocates(t, route, policy)) return null;
  return x ?? due(policy.development.targets[route].allocate, now, calendar);
}

/**
 * The ticket with its development targets set (on reaching Development, or a new route) and met as its state says;
 * unchanged when nothing moves. Business time from `calendar` (the policy's business hours), from `now`.
 */
export function alignDevTargets(t: Ticket, policy: TargetPolicy, now: Date, calendar: BusinessCalendar): Ticket {
  const d = t.development;
  if (!d || t.status !== 'escalated_to_dev' || d.status === 'released') return t;
  let targets = d.targets ?? null;
  if (!targets || targets.route !== d.route) {
    const per = policy.development.targets[d.route];
    targets = {
      route: d.route,
      since: now,
      // Acceptance is once per ticket: a route switch is itself Development's decision.
      accept: targets ? targets.accept : due(per.accept, now, calendar),
      allocate: allocates(t, d.route, policy) ? due(per.allocate, now, calendar) : null,
    };
  }
  const meet = (x: DevTarget | null, yes: boolean) => (x && !x.metAt && yes ? { ...x, metAt: now } : x);
  const next = {
    ...targets,
    accept: meet(targets.accept, accepted(t)),
    allocate: meet(allocation(t, targets.allocate, policy, now, calendar), !!d.release),
  };
  const same =
    d.targets &&
    next.route === d.targets.route &&
    next.accept?.metAt === d.targets.accept?.metAt &&
    next.allocate === d.targets.allocate &&
    next.allocate?.metAt === d.targets.allocate?.metAt;
  return same ? t : { ...t, development: { ...d, targets: next } };
}

/** A target still counting: neither met nor missed, on a ticket still waiting on Development. */
function pending(t: Ticket, x: DevTarget | null | undefined): x is DevTarget {
  const d = t.development;
  return !!x && !x.metAt && !x.missedAt && t.status === 'escalated_to_dev' && !!d && d.status !== 'released';
}

/** The next instant a development target falls due (for `nextCheckAt`), or null. */
export function nextDevTargetAt(t: Ticket): Date | null {
  const ds = DEV_TARGET_KINDS.map((k) => t.development?.targets?.[k])
    .filter((x) => pending(t, x))
    .map((x) => x!.dueAt.getTime());
  return ds.length ? new Date(Math.min(...ds)) : null;
}

/** Who hears of a missed development target: the Dev Lead sign-off's people and teams, else the development team's leads. */
export function devLeadIds(policy: Pick<Policy, 'development' | 'teams'>): string[] {
  const h = policy.development.signOffs.devLead;
  const named = [...h.people, ...h.teams.flatMap((id) => policy.teams[id]?.members ?? [])];
  const ids =
    named.length > 0
      ? named
      : Object.values(policy.teams).flatMap((tm) => (tm?.role === 'development' ? tm.leads : []));
  return [...new Set(ids)];
}

const WHAT: Record<DevTargetKind, string> = {
  accept: 'to be taken up by Development',
  allocate: 'to be planned into a release',
};

/**
 * The development targets past due at `now`: each marked missed (at its due instant) with one alert per Dev Lead,
 * keyed by ticket, target and due instant, so every replica's sweep makes the same notices once.
 */
export function sweepDevTargets(
  t: Ticket,
  now: Date,
  policy: Pick<Policy, 'development' | 'teams' | 'calendar' | 'developmentRoutes'>,
): { ticket: Ticket; notices: Notice[]; events: TicketEvent[] } {
  const d = t.development;
  const targets = d?.targets;
  if (!d || !targets) return { ticket: t, notices: [], events: [] };
  const notices: Notice[] = [];
  const events: TicketEvent[] = [];
  let next: DevTargets = targets;
  for (const kind of DEV_TARGET_KINDS) {
    const x = next[kind];
    if (!pending(t, x) || x.dueAt.getTime() > now.getTime()) continue;
    next = { ...next, [kind]: { ...x, missedAt: x.dueAt } };
    const route = policy.developmentRoutes[d.route]?.name ?? d.route;
    const text = `DEVELOPMENT TARGET MISSED: ${t.number} (${route}, Severity ${t.severity}) was due ${WHAT[kind]} within ${formatMinutes(x.minutes)} by ${formatBusinessInstant(x.dueAt, policy.calendar.timeZone)}, and is still ${kind === 'accept' ? 'waiting in Planned' : 'not planned into a release'}. ${t.title}`;
    const key = `${t.number}:dev.target:${kind}:${x.dueAt.toISOString()}`;
    const leads = devLeadIds(policy);
    // Nobody named as Dev Lead and no development team lead: Development's own triage channel, still not the managers.
    const audiences: Array<[string, Notice['audience']]> = leads.length
      ? leads.map((personId) => [`${key}:${personId}`, { kind: 'person', personId }])
      : [[key, { kind: 'channel', channel: 'developmentTriage' }]];
    for (const [k, audience] of audiences)
      notices.push({ key: k, type: 'dev.target_missed', ticket: t.number, audience, at: x.dueAt, text });
    events.push({
      ticket: t.number,
      at: now,
      actor: SYSTEM_ACTOR,
      type: 'dev.target_missed',
      // The route and the target, for the reports (grouped on the type_at index).
      from: d.route,
      to: kind,
      note: `${route}: ${WHAT[kind]} within ${formatMinutes(x.minutes)}`,
    });
  }
  if (next === targets) return { ticket: t, notices, events };
  return { ticket: { ...t, development: { ...d, targets: next } }, notices, events };
}
