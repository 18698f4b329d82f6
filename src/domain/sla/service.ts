/**
 * A client's own service level: an SLA tier (tighter or looser targets per severity) and a support calendar of
 * its own. Resolved from the policy when a ticket is raised or its client set, and stored on the ticket as a
 * snapshot, so a later edit of the policy never moves the clocks of tickets already running.
 */
import type { Policy, Severity } from '../../config/policy.schema';
import type { BusinessCalendarSpec } from './business-calendar';

/** Targets (minutes) a tier gives a severity; what is missing comes from the policy's usual rules. */
export interface TierTargets {
  response?: number;
  resolution?: number;
}

/** What applies to one ticket: its client's tier and calendar as they were when they were set. */
export interface ServiceLevel {
  /** The tier (the policy's `tiers` key), its name and its targets per severity; null for the standard SLA. */
  tier: { id: string; name: string; targets: Partial<Record<Severity, TierTargets>> } | null;
  /** The client's calendar (the policy's `calendars` key) and its hours; null for the policy's calendar. */
  calendar: { id: string; name: string; spec: BusinessCalendarSpec } | null;
  /** Names the client gave that the policy does not define ('tier "Platinum"'): the standard applies instead. */
  unknown: string[];
}

/** What a client asks for: its directory's tier and calendar names (either may be missing). */
export interface ServiceRequest {
  supportTier?: string | null;
  calendar?: string | null;
}

type ServicePolicy = Pick<Policy, 'tiers' | 'calendars'>;

/** A policy key matched by its id or its name, case-insensitively ("Gold" finds `gold: { name: Gold }`). */
function byIdOrName<T extends { name: string }>(items: Record<string, T>, wanted: string): [string, T] | null {
  const w = wanted.trim().toLowerCase();
  for (const [id, item] of Object.entries(items)) {
    if (id.toLowerCase() === w || item.name.toLowerCase() === w) return [id, item];
  }
  return null;
}

/**
 * The service level of a client: its tier, and its calendar (the client's own, else its tier's); null when it asks
 * for neither. A name the policy does not define is kept in `unknown` and ignored, so the standard applies.
 */
export function resolveService(policy: ServicePolicy, wanted: ServiceRequest): ServiceLevel | null {
  const unknown: string[] = [];
  let tier: ServiceLevel['tier'] = null;
  let calendarName = wanted.calendar?.trim() || null;
  if (wanted.supportTier?.trim()) {
    const found = byIdOrName(policy.tiers, wanted.supportTier);
    if (!found) unknown.push(`tier "${wanted.supportTier.trim()}"`);
    else {
      const [id, t] = found;
      tier = { id, name: t.name, targets: structuredClone(t.severities) };
      calendarName ??= t.calendar ?? null;
    }
  }
  let calendar: ServiceLevel['calendar'] = null;
  if (calendarName) {
    const found = byIdOrName(policy.calendars, calendarName);
    if (!found) unknown.push(`calendar "${calendarName}"`);
    else {
      const [id, c] = found;
      calendar = {
        id,
        name: c.name,
        spec: { timeZone: c.timeZone, hours: { ...c.hours }, holidays: [...c.holidays] },
      };
    }
  }
  return tier || calendar || unknown.length ? { tier, calendar, unknown } : null;
}

/** Same tier and calendar (ids and contents): a client change that keeps them leaves the clocks alone. */
export function sameService(a: ServiceLevel | null | undefined, b: ServiceLevel | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** "Mon–Fri 08:00–18:00" when the open days share their hours, else each day: "Mon–Thu 08:00–18:00, Fri 08:00–14:00". */
export function describeHours(hours: BusinessCalendarSpec['hours']): string {
  const runs: Array<{ from: string; to: string; hours: string }> = [];
  for (const d of DAYS) {
    const h = hours[d];
    const last = runs.at(-1);
    const prev = DAYS[DAYS.indexOf(d) - 1];
    if (h && last && last.hours === h && prev && last.to === prev) last.to = d;
    else if (h) runs.push({ from: d, to: d, hours: h });
  }
  const cap = (d: string) => d[0]?.toUpperCase() + d.slice(1);
  return runs
    .map((r) => `${cap(r.from)}${r.to !== r.from ? `–${cap(r.to)}` : ''} ${r.hours.replace('-', '–')}`)
    .join(', ');
}

/**
 * The service level in words, for cards: "SLA: Premium tier · ACME calendar (Europe/Berlin, Mon–Fri 08:00–18:00)";
 * null for the standard SLA on the policy's calendar.
 */
export function describeService(service: ServiceLevel | null | undefined): string | null {
  if (!service) return null;
  const parts: string[] = [];
  const notDefined = service.unknown.length
    ? ` (the client's ${service.unknown.join(' and ')} ${service.unknown.length > 1 ? 'are' : 'is'} not in the policy: standard applies)`
    : '';
  if (service.tier) parts.push(`${service.tier.name} tier`);
  if (service.calendar) {
    const { name, spec } = service.calendar;
    parts.push(`${name} (${spec.timeZone}, ${describeHours(spec.hours)})`);
  }
  return parts.length || notDefined ? `SLA: ${parts.join(' · ') || 'standard'}${notDefined}` : null;
}
