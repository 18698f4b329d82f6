import type { Policy, Priority, Severity } from '../../config/policy.schema';
import { type BusinessCalendar, createBusinessCalendar } from './business-calendar';
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
 * Targets for a severity and priority: the severity's priority cell, else the severity's own
 * target, else the standard SLA (`sla.targets`, the seed's 30 business minutes / 50 business hours).
 */
export function targetsFor(
  policy: Pick<Policy, 'sla' | 'severities'>,
  severity: Severity,
  priority: Priority,
): TargetChoice {
  const sev = policy.severities[severity];
  const cell = sev.byPriority[priority];
  const pick = (kind: ClockKind) => {
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

/** The clock context for a ticket of this severity: business hours, or 24x7 when the policy says so. */
export function clocksForSeverity(
  business: ClockContext,
  policy: Pick<Policy, 'severities' | 'calendar'>,
  severity: Severity,
): ClockContext {
  if (policy.severities[severity].calendar !== '24x7') return business;
  return { ...business, calendar: alwaysOpenCalendar(policy.calendar.timeZone) };
}

/** Why a clock has its target, for cards: "Severity 1 with Priority 1, business hours" or "the standard SLA, 24x7". */
export function targetReason(choice: TargetChoice, kind: ClockKind): string {
  return `${choice.why[kind]}, ${choice.calendar === '24x7' ? 'counted 24x7' : 'business hours'}`;
}
