import type { Policy, Priority, Severity } from '../../config/policy.schema';
import { type BusinessCalendar, type BusinessCalendarSpec, createBusinessCalendar } from './business-calendar';
import type { ServiceLevel } from './service';
import type { ClockContext, ClockKind } from './sla-clock';

/** The targets a ticket's clocks run to, and why: which rule of the policy chose each. */
export interface TargetChoice {
  response: number;
  resolution: number;
  /** Which hours the clocks count. */
  calendar: 'business' | '24x7';
  /** "Severity 1 with Priority 1", "Severity 2", "the standard SLA", per clock. */
  why: Record<ClockKind, string>;
}

/**
 * Targets for a severity and priority: the client's tier for that severity (as stored on the ticket), else the
 * severity's priority cell, else the severity's own target, else the standard SLA (`sla.targets`, the seed's
 * 30 business minutes / 50 business hours).
 */
export function targetsFor(
  policy: Pick<Policy, 'sla' | 'severities'>,
  severity: Severity,
  priority: Priority,
  service?: ServiceLevel | null,
): TargetChoice {
  const sev = policy.severities[severity];
  const cell = sev.byPriority[priority];
  const tier = service?.tier;
  const pick = (kind: ClockKind) => {
    const tiered = tier?.targets[severity]?.[kind];
    if (tier && tiered !== undefined) return { minutes: tiered, why: `${tier.name} tier, Severity ${severity}` };
    if (cell?.[kind] !== undefined)
      return { minutes: cell[kind], why: `Severity ${severity} with Priority ${priority}` };
    if (sev[kind] !== undefined) return { minutes: sev[kind], why: `Severity ${severity}` };
    return { minutes: policy.sla.targets[kind], why: 'the standard SLA' };
  };
  const response = pick('response');
  const resolution = pick('resolution');
  return {
    response: response.minutes,
    resolution: resolution.minutes,
    calendar: sev.calendar,
    why: { response: response.why, resolution: resolution.why },
  };
}

const roundTheClock = new Map<string, BusinessCalendar>();

/** Every hour of every day in `timeZone`: the calendar of a severity that runs 24x7. */
export function alwaysOpenCalendar(timeZone: string): BusinessCalendar {
  let cal = roundTheClock.get(timeZone);
  if (!cal) {
    const day = '00:00-24:00';
    cal = createBusinessCalendar({
      timeZone,
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      holidays: [],
    });
    roundTheClock.set(timeZone, cal);
  }
  return cal;
}

const clientCalendars = new Map<string, BusinessCalendar>();

/** The business calendar of a client's stored calendar spec (built once per distinct spec). */
function clientCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  const key = JSON.stringify(spec);
  let cal = clientCalendars.get(key);
  if (!cal) {
    cal = createBusinessCalendar(spec);
    clientCalendars.set(key, cal);
  }
  return cal;
}

/** The business hours a ticket's clocks count: its client's calendar when it has one, else the policy's. */
export function serviceCalendar(business: BusinessCalendar, service?: ServiceLevel | null): BusinessCalendar {
  const own = service?.calendar?.spec;
  return own ? clientCalendar(own) : business;
}

/**
 * The clock context for a ticket of this severity: the client's calendar when the ticket has one, else the
 * policy's business hours; every hour (in that calendar's time zone) when the severity runs 24x7.
 */
export function clocksForSeverity(
  business: ClockContext,
  policy: Pick<Policy, 'severities' | 'calendar'>,
  severity: Severity,
  service?: ServiceLevel | null,
): ClockContext {
  const own = service?.calendar?.spec;
  if (policy.severities[severity].calendar === '24x7')
    return { ...business, calendar: alwaysOpenCalendar(own?.timeZone ?? policy.calendar.timeZone) };
  return own ? { ...business, calendar: serviceCalendar(business.calendar, service) } : business;
}

/** Why a clock has its target, for cards: "Severity 1 with Priority 1, business hours" or "the standard SLA, 24x7". */
export function targetReason(choice: TargetChoice, kind: ClockKind): string {
  return `${choice.why[kind]}, ${choice.calendar === '24x7' ? 'counted 24x7' : 'business hours'}`;
}
