/**
 * Support hours in words, for help: the business calendar's weekly hours and whether support is open at an instant
 * ("Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15"). Pure: the instant is given.
 */
import { DateTime } from 'luxon';
import type { BusinessCalendar, Weekday } from './business-calendar';

const DAYS: ReadonlyArray<[Weekday, string]> = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];

/** What the people of a time zone call its time: "UK time" for Europe/London, else "New York time", "UTC". */
export function zoneWords(timeZone: string): string {
  if (timeZone === 'Europe/London') return 'UK time';
  if (/^(Etc\/)?(UTC|GMT|Zulu)$/i.test(timeZone)) return 'UTC';
  return `${(timeZone.split('/').at(-1) ?? timeZone).replace(/_/g, ' ')} time`;
}

/** "Monday to Friday", "Monday, Wednesday and Friday", "Monday to Wednesday and Saturday". */
function dayRuns(indexes: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === (indexes[j] as number) + 1) j++;
    const from = DAYS[indexes[i] as number]?.[1] ?? '';
    const to = DAYS[indexes[j] as number]?.[1] ?? '';
    if (j === i) runs.push(from);
    else if (j === i + 1) runs.push(from, to);
    else runs.push(`${from} to ${to}`);
    i = j + 1;
  }
  return runs.length > 1 ? `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}` : (runs[0] ?? '');
}

/** The weekly hours: "08:45–17:15, Monday to Friday (UK time)"; days with other hours after a semicolon. */
export function weeklyHours(spec: BusinessCalendar['spec']): string | null {
  const groups = new Map<string, number[]>();
  DAYS.forEach(([day], i) => {
    const h = spec.hours[day];
    if (h) groups.set(h, [...(groups.get(h) ?? []), i]);
  });
  if (groups.size === 0) return null;
  const parts = [...groups].map(([h, days]) => {
    const words = h === '00:00-24:00' ? 'all day' : h.replace('-', '–');
    return days.length === 7 ? `${words}, every day` : `${words}, ${dayRuns(days)}`;
  });
  return `${parts.join('; ')} (${zoneWords(spec.timeZone)})`;
}

/** When an instant falls, seen from `now`: "today 08:45", "tomorrow 08:45", "Monday 08:45", "Monday 4 January 08:45". */
function whenFrom(at: Date, now: Date, timeZone: string): string {
  const t = DateTime.fromJSDate(at, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const days = Math.round(t.startOf('day').diff(today, 'days').days);
  const time = t.toFormat('HH:mm');
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days < 7) return `${t.toFormat('cccc')} ${time}`;
  return `${t.toFormat('cccc d LLLL')} ${time}`;
}

/** Until when an open span runs: "17:15" the same day, "midnight" at the day's end, else as {@link whenFrom}. */
function untilFrom(closes: Date, now: Date, timeZone: string): string {
  const c = DateTime.fromJSDate(closes, { zone: timeZone });
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  if (c.hasSame(today, 'day')) return c.toFormat('HH:mm');
  if (c.equals(c.startOf('day')) && c.minus({ days: 1 }).hasSame(today, 'day')) return 'midnight';
  return whenFrom(closes, now, timeZone);
}

/**
 * Whether support is open at `now`: "open now until 17:15", "closed now — opens Monday 08:45", or on a holiday
 * "closed today (holiday) — opens Tuesday 08:45". `null` when the calendar has no hours at all.
 */
export function hoursState(
  calendar: Pick<BusinessCalendar, 'spec' | 'openSpanAt' | 'nextOpening'>,
  now: Date,
): string | null {
  const tz = calendar.spec.timeZone;
  const span = calendar.openSpanAt(now);
  if (span) return `open now until ${untilFrom(span.closes, now, tz)}`;
  const opens = calendar.nextOpening(now);
  if (!opens) return null;
  const local = DateTime.fromJSDate(now, { zone: tz });
  const weekday = DAYS[local.weekday - 1]?.[0];
  const holiday =
    calendar.spec.holidays.includes(local.toISODate() ?? '') && !!weekday && !!calendar.spec.hours[weekday];
  return `${holiday ? 'closed today (holiday)' : 'closed now'} — opens ${whenFrom(opens, now, tz)}`;
}

/**
 * The support hours line of help: "Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15".
 */
export function supportHoursLine(
  calendar: Pick<BusinessCalendar, 'spec' | 'openSpanAt' | 'nextOpening'>,
  now: Date,
): string {
  const weekly = weeklyHours(calendar.spec);
  if (!weekly) return 'Support hours: none are set.';
  const state = hoursState(calendar, now);
  return `Support hours: ${weekly}${state ? ` — ${state}` : ''}`;
}
