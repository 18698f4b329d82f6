/**
 * Business calendar: converts between wall-clock business hours in one IANA time zone and absolute instants.
 *
 * Pure domain code: no I/O, never reads the clock, the environment or the process time zone. Every local-time
 * computation goes through luxon's `IANAZone` with the calendar's explicit zone; `Date` is only used as an instant
 * (`getTime()` / `new Date(ms)`).
 *
 * Semantics (all decided here, relied upon by the SLA engine):
 *
 * - **Resolution.** Everything is computed in integer epoch milliseconds. `addBusinessMinutes` accepts fractional
 *   minutes and rounds `minutes * 60000` to the nearest millisecond; `businessMinutesBetween` returns the exact
 *   business time divided by 60000, which is fractional when the inputs are not minute-aligned (it is an integer
 *   whenever both inputs are minute-aligned and the hours are whole minutes, which they always are).
 * - **Intervals.** Business time is a set of half-open intervals `[opening, closing)`, at most one per local date:
 *   the opening instant is business time, the closing instant is not. `"00:00-24:00"` is the whole local day, so
 *   such days join seamlessly and a 23-hour / 25-hour DST day counts 1380 / 1500 minutes.
 * - **Wall time to instant.** An opening or closing wall time W maps to the first instant at which the local wall
 *   clock reads W or later:
 *   - a wall time skipped by a forward DST jump (e.g. 01:30 on 2026-03-29 in Europe/London) maps to the instant of the
 *     jump (01:00Z, shown as 02:00 BST): the office opens — or closes — as soon as the clock has passed that time;
 *   - a wall time that occurs twice because of a backward jump (e.g. 01:30 on 2026-10-25 in Europe/London) maps to
 *     its first (earlier) occurrence, both for openings and closings. The repeated hour is therefore open if and only
 *     if the first occurrence of its start was open (e.g. `"00:30-03:00"` on 2026-10-25 is 3.5 h of business time,
 *     `"00:30-01:30"` is 1 h).
 *
 *   This mapping never decreases as W increases, so every day's interval is well-ordered and days never overlap; a
 *   day whose opening and closing both fall in the same skipped hour is simply closed.
 * - **Holidays** are local dates, closed all day.
 * - **Zone data assumption.** As in the Temporal polyfill, at most one UTC-offset change is assumed within ±24 h of any
 *   opening/closing wall time (true of every real IANA zone in the supported date range).
 */
import { IANAZone } from 'luxon';

/** Lower-case three-letter weekday keys used in {@link BusinessCalendarSpec.hours}. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Declarative description of a business calendar (typically loaded from policy config). */
export interface BusinessCalendarSpec {
  /** IANA time zone name, e.g. `"Europe/London"`. */
  timeZone: string;
  /** Opening hours per weekday as `"HH:MM-HH:MM"` local wall time (`"00:00-24:00"` = whole day). Missing day = closed. */
  hours: Partial<Record<Weekday, string>>;
  /** Local dates `"YYYY-MM-DD"` that are closed all day. */
  holidays: string[];
}

/** Business-time arithmetic over one {@link BusinessCalendarSpec}. All methods are pure and never read the clock. */
export interface BusinessCalendar {
  /** The spec the calendar was built from (a normalised copy): what an SLA clock stores to count on it later. */
  readonly spec: BusinessCalendarSpec;
  /** As {@link addBusinessMinutes}, in whole milliseconds: exact. */
  addBusinessMs(from: Date, ms: number): Date;
  /** As {@link businessMinutesBetween}, in whole milliseconds: exact. */
  businessMsBetween(from: Date, to: Date): number;
  /**
   * The instant reached after `minutes` business minutes have elapsed, starting at `from`.
   * `minutes` must be a finite number ≥ 0 (fractions allowed, millisecond resolution). `0` returns `from` unchanged
   * (as a new `Date`) even outside business hours. Outside business hours the clock starts at the next opening. A result
   * that lands exactly on a closing time is that closing instant, not the next opening.
   * @throws RangeError on an invalid date or minutes, or when the calendar has no (or not enough) business time
   *   within ~10 years of `from`.
   */
  addBusinessMinutes(from: Date, minutes: number): Date;
  /**
   * Business minutes in the half-open range `[from, to)`; `0` when `to <= from`. Exact: fractional when the inputs are
   * not minute-aligned.
   * @throws RangeError on an invalid date.
   */
  businessMinutesBetween(from: Date, to: Date): number;
  /**
   * Whether `at` is business time: the opening instant is inside, the closing instant is not.
   * @throws RangeError on an invalid date.
   */
  isBusinessTime(at: Date): boolean;
  /**
   * The business hours `at` falls in: from their opening to their closing (days that join, such as `"00:00-24:00"`
   * ones, make one span), or `null` when `at` is outside business hours.
   * @throws RangeError on an invalid date.
   */
  openSpanAt(at: Date): { opens: Date; closes: Date } | null;
  /**
   * The first opening at or after `at` (the start of the next business hours), or `null` when the calendar has
   * none within ~10 years.
   * @throws RangeError on an invalid date.
   */
  nextOpening(at: Date): Date | null;
}

/** Opening hours of one day, in minutes after local midnight; `endMinute` is exclusive and may be 1440 (24:00). */
export interface DailyHours {
  startMinute: number;
  endMinute: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far `addBusinessMinutes` may scan before giving up (~10 years of local dates). */
const MAX_SCAN_DAYS = 3660;
/** The per-local-date interval cache is cleared when it grows past this many entries. */
const CACHE_LIMIT = 5000;

/** ISO weekday order: index 0 = Monday … 6 = Sunday. */
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HOURS_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses `"HH:MM-HH:MM"` local opening hours into minutes after midnight.
 * The start is `00:00`–`23:59`; the end is `00:01`–`24:00` (`24:00` only as an end) and must be after the start.
 * @throws RangeError naming the bad value.
 */
export function parseHours(value: string): DailyHours {
  const m = typeof value === 'string' ? HOURS_RE.exec(value) : null;
  if (!m) {
    throw new RangeError(`Invalid business hours ${JSON.stringify(value)}: expected "HH:MM-HH:MM", e.g. "08:45-17:15"`);
  }
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (sh > 23 || sm > 59) {
    throw new RangeError(`Invalid business hours ${JSON.stringify(value)}: start must be between 00:00 and 23:59`);
  }
  if (em > 59 || eh > 24 || (eh === 24 && em !== 0)) {
    throw new RangeError(`Invalid business hours ${JSON.stringify(value)}: end must be between 00:01 and 24:00`);
  }
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  if (endMinute <= startMinute) {
    throw new RangeError(`Invalid business hours ${JSON.stringify(value)}: end must be after start`);
  }
  return { startMinute, endMinute };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function parseHoliday(value: string): number {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (!m || monthDays === undefined || day < 1 || day > monthDays) {
    throw new RangeError(`Invalid holiday ${JSON.stringify(value)}: expected an existing local date "YYYY-MM-DD"`);
  }
  return daysFromCivil(year, month, day);
}

function instantOf(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Invalid ${name}: ${String(value)} is not a valid Date`);
  }
  return ms;
}

/** Open interval of one local date, in epoch ms; `null` = closed all day. */
type DayInterval = { readonly start: number; readonly end: number } | null;

/**
 * Builds a {@link BusinessCalendar} from a spec, validating it eagerly.
 *
 * See the module documentation for the exact semantics (half-open intervals, DST gap/overlap handling, millisecond
 * resolution). The returned object caches per-local-date open intervals (bounded) and is safe to share.
 *
 * @throws RangeError naming the bad value for an unknown time zone, malformed or empty hours, an unknown weekday key,
 *   or a malformed/non-existent holiday date.
 */
export function createBusinessCalendar(spec: BusinessCalendarSpec): BusinessCalendar {
  const timeZone = spec?.timeZone;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new RangeError(
      `Invalid time zone ${JSON.stringify(timeZone)}: expected an IANA name such as "Europe/London"`,
    );
  }
  const zone = IANAZone.create(timeZone);

  const hoursSpec = spec.hours as Record<string, unknown> | null | undefined;
  if (typeof hoursSpec !== 'object' || hoursSpec === null || Array.isArray(hoursSpec)) {
    throw new RangeError(`Invalid hours ${JSON.stringify(hoursSpec)}: expected an object keyed by weekday`);
  }
  for (const key of Object.keys(hoursSpec)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      throw new RangeError(`Invalid weekday ${JSON.stringify(key)} in hours: expected one of ${WEEKDAYS.join(', ')}`);
    }
  }
  const hoursByIsoDay: (DailyHours | null)[] = WEEKDAYS.map((day) => {
    const value = hoursSpec[day];
    if (value === undefined) return null;
    try {
      return parseHours(value as string);
    } catch (err) {
      throw new RangeError(`${(err as Error).message} (for "${day}")`);
    }
  });
  const hasHours = hoursByIsoDay.some((h) => h !== null);

  if (!Array.isArray(spec.holidays)) {
    throw new RangeError(`Invalid holidays ${JSON.stringify(spec.holidays)}: expected an array of "YYYY-MM-DD"`);
  }
  const holidays = new Set(spec.holidays.map(parseHoliday));

  /** UTC offset (ms) of the zone at an instant; luxon reports minutes at second resolution. */
  const offsetAt = (ms: number): number => Math.round(zone.offset(ms) * MINUTE_MS);

  /** First instant at which the local wall clock reads `wall` (wall time encoded as if it were UTC) or later. */
  const wallToInstant = (wall: number): number => {
    const before = offsetAt(wall - DAY_MS);
    const after = offsetAt(wall + DAY_MS);
    if (before === after) return wall - before;
    // One offset change in between: find its instant T (first ms with the new offset) by bisection.
    let lo = wall - DAY_MS;
    let hi = wall + DAY_MS;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (offsetAt(mid) === before) lo = mid;
      else hi = mid;
    }
    const earlier = wall - before; // valid if it is before the change
    if (earlier < hi) return earlier; // normal, or first occurrence of a repeated time
    const later = wall - after; // valid if it is at/after the change
    if (later >= hi) return later;
    return hi; // skipped wall time: the instant of the jump
  };

  const cache = new Map<number, DayInterval>();
  /** Open interval of the local date `dayNum` (days since 1970-01-01). */
  const dayInterval = (dayNum: number): DayInterval => {
    const cached = cache.get(dayNum);
    if (cached !== undefined) return cached;
    let result: DayInterval = null;
    const hours = hoursByIsoDay[(((dayNum + 3) % 7) + 7) % 7]; // 1970-01-01 was a Thursday
    if (hours && !holidays.has(dayNum)) {
      const midnight = dayNum * DAY_MS;
      const start = wallToInstant(midnight + hours.startMinute * MINUTE_MS);
      const end = wallToInstant(midnight + hours.endMinute * MINUTE_MS);
      if (end > start) result = { start, end };
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(dayNum, result);
    return result;
  };

  // Offsets are within ±24 h, so an instant's local date is its UTC date ±1: scanning from the UTC date - 1 is safe.
  const firstDayToScan = (ms: number): number => Math.floor(ms / DAY_MS) - 1;

  const addMs = (from: Date, ms: number, what: string): Date => {
    const fromMs = instantOf(from, 'from');
    let remaining = ms;
    if (remaining === 0) return new Date(fromMs);
    if (!hasHours) {
      throw new RangeError(`Cannot add ${what}: the calendar (${timeZone}) has no business hours`);
    }
    const first = firstDayToScan(fromMs);
    for (let dayNum = first; dayNum <= first + MAX_SCAN_DAYS; dayNum++) {
      const iv = dayInterval(dayNum);
      if (iv === null || iv.end <= fromMs) continue;
      const start = Math.max(iv.start, fromMs);
      const available = iv.end - start;
      if (remaining <= available) return new Date(start + remaining);
      remaining -= available;
    }
    throw new RangeError(
      `Cannot add ${what} to ${new Date(fromMs).toISOString()}: ` +
        `not enough business time within ${MAX_SCAN_DAYS} days (~10 years) in calendar ${timeZone}`,
    );
  };

  const msBetween = (from: Date, to: Date): number => {
    const fromMs = instantOf(from, 'from');
    const toMs = instantOf(to, 'to');
    if (toMs <= fromMs) return 0;
    let total = 0;
    const last = firstDayToScan(toMs) + 2;
    for (let dayNum = firstDayToScan(fromMs); dayNum <= last; dayNum++) {
      const iv = dayInterval(dayNum);
      if (iv === null) continue;
      const start = Math.max(iv.start, fromMs);
      const end = Math.min(iv.end, toMs);
      if (end > start) total += end - start;
    }
    return total;
  };

  return {
    spec: {
      timeZone,
      hours: Object.fromEntries(
        WEEKDAYS.filter((d) => hoursSpec[d] !== undefined).map((d) => [d, hoursSpec[d] as string]),
      ),
      holidays: [...spec.holidays],
    },

    addBusinessMinutes(from: Date, minutes: number): Date {
      if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
        throw new RangeError(`Invalid minutes ${String(minutes)}: expected a finite number >= 0`);
      }
      return addMs(from, Math.round(minutes * MINUTE_MS), `${minutes} business minutes`);
    },

    addBusinessMs(from: Date, ms: number): Date {
      if (!Number.isSafeInteger(ms) || ms < 0) {
        throw new RangeError(`Invalid milliseconds ${String(ms)}: expected a whole number >= 0`);
      }
      return addMs(from, ms, `${ms} business ms`);
    },

    businessMsBetween(from: Date, to: Date): number {
      return msBetween(from, to);
    },

    businessMinutesBetween(from: Date, to: Date): number {
      return msBetween(from, to) / MINUTE_MS;
    },

    isBusinessTime(at: Date): boolean {
      const ms = instantOf(at, 'at');
      const first = firstDayToScan(ms);
      for (let dayNum = first; dayNum <= first + 2; dayNum++) {
        const iv = dayInterval(dayNum);
        if (iv !== null && iv.start <= ms && ms < iv.end) return true;
      }
      return false;
    },

    openSpanAt(at: Date): { opens: Date; closes: Date } | null {
      const ms = instantOf(at, 'at');
      const first = firstDayToScan(ms);
      for (let dayNum = first; dayNum <= first + 2; dayNum++) {
        const iv = dayInterval(dayNum);
        if (iv === null || iv.start > ms || ms >= iv.end) continue;
        let opens = iv.start;
        for (let d = dayNum - 1, prev = dayInterval(d); prev?.end === opens && d > dayNum - MAX_SCAN_DAYS; ) {
          opens = prev.start;
          prev = dayInterval(--d);
        }
        let closes = iv.end;
        for (let d = dayNum + 1, next = dayInterval(d); next?.start === closes && d < dayNum + MAX_SCAN_DAYS; ) {
          closes = next.end;
          next = dayInterval(++d);
        }
        return { opens: new Date(opens), closes: new Date(closes) };
      }
      return null;
    },

    nextOpening(at: Date): Date | null {
      const ms = instantOf(at, 'at');
      if (!hasHours) return null;
      const first = firstDayToScan(ms);
      for (let dayNum = first; dayNum <= first + MAX_SCAN_DAYS; dayNum++) {
        const iv = dayInterval(dayNum);
        if (iv !== null && iv.start >= ms && dayInterval(dayNum - 1)?.end !== iv.start) return new Date(iv.start);
      }
      return null;
    },
  };
}

const bySpec = new Map<string, BusinessCalendar>();

/** The calendar of a spec, built once per distinct spec (a stored SLA clock names the calendars it counted on). */
export function calendarFor(spec: BusinessCalendarSpec): BusinessCalendar {
  const key = JSON.stringify(spec);
  let cal = bySpec.get(key);
  if (!cal) {
    cal = createBusinessCalendar(spec);
    if (bySpec.size >= 200) bySpec.clear();
    bySpec.set(key, cal);
  }
  return cal;
}
