import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../domain/sla/business-calendar';

/** A local week (Monday 00:00 to the next Monday 00:00 in the calendar's zone). */
export interface Week {
  /** ISO date of its Monday, e.g. 2026-03-02. */
  id: string;
  from: Date;
  to: Date;
}

/** At most this many weeks in one report (each is one aggregation). */
export const MAX_WEEKS = 26;

/**
 * The weeks that cover the local dates [fromDate, toDate] (ISO dates), Monday-aligned; at most MAX_WEEKS (the
 * latest ones). An invalid or missing date falls back to the four weeks ending with `now`'s week.
 */
export function weeksCovering(now: Date, timeZone: string, fromDate?: string | null, toDate?: string | null): Week[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const parse = (s: string | null | undefined) => {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
    const d = DateTime.fromISO(s, { zone: timeZone });
    return d.isValid ? d : null;
  };
  let to = parse(toDate) ?? today;
  let from = parse(fromDate) ?? to.minus({ weeks: 3 });
  if (from > to) [from, to] = [to, from];
  const first = from.startOf('week');
  const weeks: Week[] = [];
  for (let w = first; w <= to; w = w.plus({ weeks: 1 })) {
    weeks.push({ id: w.toISODate() ?? '', from: w.toJSDate(), to: w.plus({ weeks: 1 }).toJSDate() });
  }
  return weeks.slice(-MAX_WEEKS);
}

/** The instant `minutes` business minutes before `now` (to a second), by doubling then halving the span. */
export function businessMinutesBefore(calendar: BusinessCalendar, now: Date, minutes: number): Date {
  const used = (spanMs: number) => calendar.businessMinutesBetween(new Date(now.getTime() - spanMs), now);
  let hi = Math.max(60_000, minutes * 60_000);
  const limit = 3650 * 86_400_000;
  while (used(hi) < minutes && hi < limit) hi *= 2;
  let lo = 0;
  while (hi - lo > 1000) {
    const mid = (lo + hi) / 2;
    if (used(mid) >= minutes) hi = mid;
    else lo = mid;
  }
  return new Date(now.getTime() - hi);
}

/** Open-ticket age buckets in business hours (the last one is open-ended). */
export const AGE_BUCKETS = [
  { label: 'under 8 business hours', hours: 8 },
  { label: '8 to 24 business hours', hours: 24 },
  { label: '24 to 80 business hours', hours: 80 },
] as const;
export const AGE_LABELS = [...AGE_BUCKETS.map((b) => b.label), 'over 80 business hours'];
