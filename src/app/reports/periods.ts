import { DateTime } from 'luxon';
import { InvalidInputError } from '../../domain/errors';
import type { BusinessCalendar } from '../../domain/sla/business-calendar';

/** A local week (Monday 00:00 to the next Monday 00:00 in the calendar's zone). */
export interface Week {
  /** ISO date of its Monday, e.g. 2026-03-02. */
  id: string;
  from: Date;
  to: Date;
}

/** At most this many weeks in one report (each is two aggregations): a longer range is refused, not trimmed. */
export const MAX_WEEKS = 26;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The weeks that cover the local dates [fromDate, toDate] (ISO dates), Monday-aligned. A missing date falls back
 * to the four weeks ending with `now`'s week (or with `toDate`'s); dates given the wrong way round are swapped.
 * Throws InvalidInputError, before building a single week, for a malformed date or a range of more than
 * MAX_WEEKS weeks: the count is worked out from the two dates, never by walking the range.
 */
export function weeksCovering(now: Date, timeZone: string, fromDate?: string | null, toDate?: string | null): Week[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const parse = (s: string | null | undefined, which: string) => {
    if (s === null || s === undefined || s === '') return null;
    const d = ISO_DATE.test(s) ? DateTime.fromISO(s, { zone: timeZone }) : null;
    if (!d?.isValid) throw new InvalidInputError(`The ${which} date must be a calendar date written YYYY-MM-DD.`);
    return d;
  };
  let to = parse(toDate, '"to"') ?? today;
  let from = parse(fromDate, '"from"') ?? to.minus({ weeks: 3 });
  if (from > to) [from, to] = [to, from];
  const first = from.startOf('week');
  // Whole calendar days between the two local dates (as UTC dates, so a clock change cannot shift the count).
  const day = (d: DateTime) => DateTime.utc(d.year, d.month, d.day).toMillis() / 86_400_000;
  const count = Math.floor((day(to) - day(first)) / 7) + 1;
  if (count > MAX_WEEKS)
    throw new InvalidInputError(
      `A report covers at most ${MAX_WEEKS} weeks; this range covers ${count}. Choose a shorter range.`,
    );
  return Array.from({ length: count }, (_, i) => {
    const w = first.plus({ weeks: i });
    return { id: w.toISODate() ?? '', from: w.toJSDate(), to: w.plus({ weeks: 1 }).toJSDate() };
  });
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
