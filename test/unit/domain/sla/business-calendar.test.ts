import { execFile } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  type BusinessCalendar,
  type BusinessCalendarSpec,
  createBusinessCalendar,
  parseHours,
  type Weekday,
} from '../../../../src/domain/sla/business-calendar';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE = 60_000;
const DAY = 86_400_000;

const weekdays = (hours: string): BusinessCalendarSpec['hours'] => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
});
const everyDay = (hours: string): BusinessCalendarSpec['hours'] =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as BusinessCalendarSpec['hours'];

/** The seed calendar. */
const LONDON: BusinessCalendarSpec = {
  timeZone: 'Europe/London',
  hours: weekdays('08:45-17:15'),
  holidays: ['2026-12-25', '2026-12-28', '2027-01-01'],
};

/**
 * Calendars whose opening/closing wall times never fall inside a DST gap or overlap: for these, "business time" is
 * exactly "the local wall time is within the day's hours", which the brute-force oracle below checks directly.
 */
const ORACLE_SPECS: Record<string, BusinessCalendarSpec> = {
  london: LONDON,
  newYorkWithSaturday: {
    timeZone: 'America/New_York',
    hours: { ...weekdays('09:00-17:30'), sat: '10:00-14:00' },
    holidays: ['2026-07-03', '2026-11-26', '2026-12-25', '2027-07-05'],
  },
  londonAllWeekWholeDay: { timeZone: 'Europe/London', hours: everyDay('00:00-24:00'), holidays: ['2026-12-25'] },
  londonSpanningTheDstChange: { timeZone: 'Europe/London', hours: everyDay('00:30-03:00'), holidays: [] },
  kolkata: {
    timeZone: 'Asia/Kolkata',
    hours: { ...weekdays('09:30-18:00'), sat: '09:30-13:00' },
    holidays: ['2026-08-15'],
  },
  lordHoweWholeDay: { timeZone: 'Australia/Lord_Howe', hours: everyDay('00:00-24:00'), holidays: [] },
  lordHoweOffice: { timeZone: 'Australia/Lord_Howe', hours: weekdays('08:00-16:30'), holidays: ['2026-01-26'] },
};

/** Calendars whose boundaries fall inside DST gaps/overlaps (semantics chosen by the module; not oracle-checkable). */
const BOUNDARY_IN_TRANSITION_SPECS: Record<string, BusinessCalendarSpec> = {
  londonBoundariesInGapAndOverlap: {
    timeZone: 'Europe/London',
    hours: { sat: '00:00-01:30', sun: '01:30-03:00', mon: '01:15-01:45', wed: '08:45-17:15' },
    holidays: [],
  },
  newYorkNightShift: { timeZone: 'America/New_York', hours: everyDay('02:30-24:00'), holidays: [] },
  lordHoweTwoish: { timeZone: 'Australia/Lord_Howe', hours: everyDay('01:45-02:15'), holidays: [] },
};

const ALL_SPECS = { ...ORACLE_SPECS, ...BOUNDARY_IN_TRANSITION_SPECS };
const calendars = Object.fromEntries(
  Object.entries(ALL_SPECS).map(([name, spec]) => [name, createBusinessCalendar(spec)]),
) as Record<string, BusinessCalendar>;
const london = createBusinessCalendar(LONDON);

const RANGE_START = Date.UTC(2025, 0, 1);
const RANGE_END = Date.UTC(2029, 0, 1) - 1;

/** UTC midnights of the days on which `timeZone` changes its offset, 2025-2028. */
function offsetChangeDays(timeZone: string): number[] {
  const zone = IANAZone.create(timeZone);
  const days: number[] = [];
  for (let day = RANGE_START; day < RANGE_END; day += DAY) {
    if (zone.offset(day) !== zone.offset(day + DAY)) days.push(day);
  }
  return days;
}

/** Instants anywhere in 2025-2028, or within ±4 days of one of the zone's DST changes; ms- or minute-aligned. */
function instantIn(timeZone: string): fc.Arbitrary<number> {
  const changes = offsetChangeDays(timeZone);
  const anywhere = fc.integer({ min: RANGE_START, max: RANGE_END });
  const nearChange =
    changes.length === 0
      ? anywhere
      : fc
          .tuple(fc.constantFrom(...changes), fc.integer({ min: -4 * DAY, max: 4 * DAY }))
          .map(([day, delta]) => day + delta);
  return fc
    .tuple(fc.oneof(anywhere, nearChange), fc.boolean())
    .map(([ms, align]) => (align ? Math.floor(ms / MINUTE) * MINUTE : ms));
}

const at = (ms: number) => new Date(ms);
/** Local wall time in `zone` → Date (test helper; luxon resolves these unambiguous times). */
const local = (iso: string, zone = 'Europe/London') => DateTime.fromISO(iso, { zone }).toJSDate();
const iso = (d: Date) => d.toISOString();
const toMs = (minutes: number) => Math.round(minutes * MINUTE);

describe('properties (fast-check)', () => {
  describe.each(Object.keys(ALL_SPECS))('%s', (name) => {
    const spec = ALL_SPECS[name]!;
    const cal = calendars[name]!;
    const instant = instantIn(spec.timeZone);
    const minutes = fc.integer({ min: 0, max: 20_000 });
    const numRuns = 200;
    /** 0 to 45 days, ms-granular. */
    const gap = fc.integer({ min: 0, max: 45 * DAY });

    it('add then measure gives the same minutes back', () => {
      fc.assert(
        fc.property(instant, minutes, (from, m) => {
          const result = cal.addBusinessMinutes(at(from), m);
          expect(cal.businessMinutesBetween(at(from), result)).toBe(m);
        }),
        { numRuns },
      );
    });

    it('add then measure is exact to the millisecond for fractional minutes', () => {
      fc.assert(
        fc.property(instant, fc.double({ min: 0, max: 20_000, noNaN: true }), (from, m) => {
          const result = cal.addBusinessMinutes(at(from), m);
          expect(cal.businessMinutesBetween(at(from), result)).toBe(toMs(m) / MINUTE);
        }),
        { numRuns },
      );
    });

    it('a positive result is business time or exactly a closing instant', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 1, max: 20_000 }), (from, m) => {
          const result = cal.addBusinessMinutes(at(from), m).getTime();
          expect(result).toBeGreaterThan(from);
          const inside = cal.isBusinessTime(at(result));
          const atClosing = cal.isBusinessTime(at(result - 1)) && !cal.isBusinessTime(at(result));
          expect(inside || atClosing).toBe(true);
          // the last business millisecond before the result is business time
          expect(cal.isBusinessTime(at(result - 1))).toBe(true);
        }),
        { numRuns },
      );
    });

    it('results are strictly monotonic in minutes', () => {
      fc.assert(
        fc.property(instant, minutes, minutes, (from, a, b) => {
          fc.pre(a !== b);
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(cal.addBusinessMinutes(at(from), lo).getTime()).toBeLessThan(
            cal.addBusinessMinutes(at(from), hi).getTime(),
          );
        }),
        { numRuns },
      );
    });

    it('adding in two steps equals adding in one', () => {
      fc.assert(
        fc.property(instant, minutes, minutes, (from, a, b) => {
          const oneStep = cal.addBusinessMinutes(at(from), a + b);
          const firstStep = cal.addBusinessMinutes(at(from), a);
          // a first step that stops at a closing instant continues from there; same instant either way if b > 0
          const twoSteps = cal.addBusinessMinutes(firstStep, b);
          expect(iso(twoSteps)).toBe(b === 0 ? iso(firstStep) : iso(oneStep));
        }),
        { numRuns },
      );
    });

    it('businessMinutesBetween is additive and non-negative', () => {
      fc.assert(
        fc.property(instant, gap, gap, (a, d1, d2) => {
          const b = a + d1;
          const c = b + d2;
          const ab = cal.businessMinutesBetween(at(a), at(b));
          const bc = cal.businessMinutesBetween(at(b), at(c));
          const ac = cal.businessMinutesBetween(at(a), at(c));
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(toMs(ab) + toMs(bc)).toBe(toMs(ac));
          expect(cal.businessMinutesBetween(at(c), at(a))).toBe(0);
        }),
        { numRuns },
      );
    });
  });
});

describe('independent brute-force oracle', () => {
  /** Obviously-right reference: is the local wall time of `ms` (per luxon, in the zone) within that date's hours? */
  function oracleIsBusiness(spec: BusinessCalendarSpec, ms: number): boolean {
    const wall = DateTime.fromMillis(ms, { zone: spec.timeZone });
    if (spec.holidays.includes(wall.toISODate()!)) return false;
    const hours = spec.hours[WEEKDAYS[wall.weekday - 1]!];
    if (hours === undefined) return false;
    const [open, close] = hours.split('-').map((hhmm) => {
      const [h, m] = hhmm.split(':').map(Number) as [number, number];
      return h * 60 + m;
    }) as [number, number];
    const minuteOfDay = wall.hour * 60 + wall.minute;
    return minuteOfDay >= open && minuteOfDay < close;
  }

  /** Counts business minutes one minute at a time (minute-aligned inputs; all zones here have whole-minute offsets). */
  function oracleMinutesBetween(spec: BusinessCalendarSpec, from: number, to: number): number {
    let count = 0;
    for (let t = from; t < to; t += MINUTE) if (oracleIsBusiness(spec, t)) count++;
    return count;
  }

  it('sanity: the oracle itself counts a plain London week as 5 × 510 minutes', () => {
    expect(oracleMinutesBetween(LONDON, Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 12))).toBe(5 * 510);
  });

  it('businessMinutesBetween matches a minute-by-minute count on random ranges up to 2 weeks', () => {
    const names = Object.keys(ORACLE_SPECS);
    const arb = fc.constantFrom(...names).chain((name) =>
      fc.tuple(
        fc.constant(name),
        instantIn(ORACLE_SPECS[name]!.timeZone).map((ms) => Math.floor(ms / MINUTE) * MINUTE),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([name, from, length]) => {
        const to = from + length * MINUTE;
        expect(calendars[name]!.businessMinutesBetween(at(from), at(to))).toBe(
          oracleMinutesBetween(ORACLE_SPECS[name]!, from, to),
        );
      }),
      { numRuns: 20 },
    );
  });

  it.each(Object.keys(ORACLE_SPECS))('isBusinessTime matches the oracle at random instants: %s', (name) => {
    const spec = ORACLE_SPECS[name]!;
    fc.assert(
      fc.property(instantIn(spec.timeZone), (ms) => {
        expect(calendars[name]!.isBusinessTime(at(ms))).toBe(oracleIsBusiness(spec, ms));
      }),
      { numRuns: 300 },
    );
  });

  it('the days around each 2026 DST change match the oracle exactly (every oracle calendar)', () => {
    for (const [name, spec] of Object.entries(ORACLE_SPECS)) {
      for (const day of offsetChangeDays(spec.timeZone).filter((d) => new Date(d).getUTCFullYear() === 2026)) {
        const from = day - DAY;
        const to = day + 2 * DAY;
        expect([name, calendars[name]!.businessMinutesBetween(at(from), at(to))]).toEqual([
          name,
          oracleMinutesBetween(spec, from, to),
        ]);
      }
    }
  });
});

describe('named cases (seed calendar: Europe/London 08:45-17:15 Mon-Fri)', () => {
  // Note: Friday 17:00 + 30 min is 15 min on Friday (until 17:15) + 15 min on Monday → 09:00, not 09:15.
  it('Friday 17:00 + 30 min → Monday 09:00; Friday closing 17:15 + 30 min → Monday 09:15', () => {
    expect(london.addBusinessMinutes(local('2026-06-05T17:00'), 30)).toEqual(local('2026-06-08T09:00'));
    expect(london.addBusinessMinutes(local('2026-06-05T17:15'), 30)).toEqual(local('2026-06-08T09:15'));
    expect(iso(london.addBusinessMinutes(local('2026-06-05T17:15'), 30))).toBe('2026-06-08T08:15:00.000Z');
  });

  it('raised Saturday 10:00 + 30 min → Monday 09:15', () => {
    expect(london.addBusinessMinutes(local('2026-06-06T10:00'), 30)).toEqual(local('2026-06-08T09:15'));
  });

  it('raised Tuesday 03:00 + 30 min → Tuesday 09:15', () => {
    expect(london.addBusinessMinutes(local('2026-06-09T03:00'), 30)).toEqual(local('2026-06-09T09:15'));
  });

  it('a result landing exactly on the 17:15 closing is 17:15, not the next 08:45', () => {
    expect(london.addBusinessMinutes(local('2026-06-09T16:45'), 30)).toEqual(local('2026-06-09T17:15'));
    expect(london.addBusinessMinutes(local('2026-06-08T08:45'), 510)).toEqual(local('2026-06-08T17:15'));
    expect(london.addBusinessMinutes(local('2026-06-08T08:45'), 510.001)).toEqual(
      new Date(local('2026-06-09T08:45').getTime() + 60),
    );
  });

  it('Christmas 2026: 25th and 28th are holidays, 26th/27th weekend', () => {
    expect(london.addBusinessMinutes(local('2026-12-24T17:00'), 30)).toEqual(local('2026-12-29T09:00'));
    expect(london.addBusinessMinutes(local('2026-12-24T17:15'), 30)).toEqual(local('2026-12-29T09:15'));
    expect(london.businessMinutesBetween(local('2026-12-24T17:00'), local('2026-12-29T09:00'))).toBe(30);
    expect(london.isBusinessTime(local('2026-12-25T12:00'))).toBe(false);
    expect(london.isBusinessTime(local('2026-12-28T12:00'))).toBe(false);
    // and New Year's Day 2027 (a Friday)
    expect(london.addBusinessMinutes(local('2026-12-31T17:15'), 30)).toEqual(local('2027-01-04T09:15'));
  });

  it('DST spring-forward weekend (2026-03-29): Friday 17:00 GMT + 30 → Monday 09:00 BST = 08:00Z', () => {
    const from = local('2026-03-27T17:00');
    expect(iso(from)).toBe('2026-03-27T17:00:00.000Z');
    expect(iso(london.addBusinessMinutes(from, 30))).toBe('2026-03-30T08:00:00.000Z');
    expect(iso(london.addBusinessMinutes(local('2026-03-27T17:15'), 30))).toBe('2026-03-30T08:15:00.000Z');
  });

  it('DST fall-back weekend (2026-10-25): Friday 17:00 BST + 30 → Monday 09:00 GMT = 09:00Z', () => {
    const from = local('2026-10-23T17:00');
    expect(iso(from)).toBe('2026-10-23T16:00:00.000Z');
    expect(iso(london.addBusinessMinutes(from, 30))).toBe('2026-10-26T09:00:00.000Z');
    expect(iso(london.addBusinessMinutes(local('2026-10-23T17:15'), 30))).toBe('2026-10-26T09:15:00.000Z');
  });

  it('50 business hours from Monday 08:45 → following Monday 16:15 (5 × 8.5 h + 7.5 h)', () => {
    expect(iso(london.addBusinessMinutes(local('2026-01-05T08:45'), 3000))).toBe('2026-01-12T16:15:00.000Z');
    // across the spring-forward weekend: starts in GMT, ends in BST
    expect(iso(london.addBusinessMinutes(local('2026-03-23T08:45'), 3000))).toBe('2026-03-30T15:15:00.000Z');
    expect(london.businessMinutesBetween(local('2026-03-23T08:45'), local('2026-03-30T16:15'))).toBe(3000);
  });

  it('isBusinessTime: opening instant is inside, closing instant is not', () => {
    const open = local('2026-06-09T08:45').getTime();
    const close = local('2026-06-09T17:15').getTime();
    expect(london.isBusinessTime(at(open))).toBe(true);
    expect(london.isBusinessTime(at(open - 1))).toBe(false);
    expect(london.isBusinessTime(at(close - 1))).toBe(true);
    expect(london.isBusinessTime(at(close))).toBe(false);
    expect(london.isBusinessTime(local('2026-06-13T12:00'))).toBe(false); // Saturday
  });

  it('0 minutes returns `from`, even at night or on a holiday', () => {
    for (const from of [
      local('2026-06-06T03:00'),
      local('2026-12-25T12:00'),
      new Date(Date.UTC(2026, 5, 9, 12, 0, 7, 3)),
    ]) {
      expect(london.addBusinessMinutes(from, 0).getTime()).toBe(from.getTime());
    }
  });

  it('businessMinutesBetween is 0 when to <= from', () => {
    const a = local('2026-06-09T10:00');
    const b = local('2026-06-09T12:00');
    expect(london.businessMinutesBetween(b, a)).toBe(0);
    expect(london.businessMinutesBetween(a, a)).toBe(0);
    expect(london.businessMinutesBetween(a, b)).toBe(120);
  });

  it('fractional minutes: exact to the millisecond', () => {
    const from = local('2026-06-09T10:00');
    expect(london.addBusinessMinutes(from, 0.5).getTime()).toBe(from.getTime() + 30_000);
    expect(london.businessMinutesBetween(from, new Date(from.getTime() + 90_000))).toBe(1.5);
    expect(london.businessMinutesBetween(local('2026-06-09T17:14:30'), local('2026-06-10T08:45:15'))).toBe(0.75);
    // 1/3 minute = 20 000 ms exactly after rounding to whole milliseconds
    expect(london.addBusinessMinutes(from, 1 / 3).getTime()).toBe(from.getTime() + 20_000);
  });

  it('long ranges (beyond the interval cache size) are still exact', () => {
    const from = Date.UTC(2010, 0, 1);
    const to = Date.UTC(2030, 0, 1);
    const total = london.businessMinutesBetween(at(from), at(to));
    let sum = 0;
    for (let year = 2010; year < 2030; year++) {
      sum += london.businessMinutesBetween(at(Date.UTC(year, 0, 1)), at(Date.UTC(year + 1, 0, 1)));
    }
    expect(total).toBe(sum);
    expect(total).toBeGreaterThan(20 * 250 * 510);
  });
});

describe('DST handling of whole days and of hours spanning or touching the change', () => {
  const wholeDay = calendars.londonAllWeekWholeDay!;

  it('a 23-hour and a 25-hour local day count 1380 and 1500 minutes', () => {
    expect(wholeDay.businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-30T00:00'))).toBe(1380);
    expect(wholeDay.businessMinutesBetween(local('2026-10-25T00:00'), local('2026-10-26T00:00'))).toBe(1500);
    expect(iso(wholeDay.addBusinessMinutes(local('2026-03-29T00:00'), 1380))).toBe('2026-03-29T23:00:00.000Z');
    expect(iso(wholeDay.addBusinessMinutes(local('2026-10-25T00:00'), 1500))).toBe('2026-10-26T00:00:00.000Z');
    // the skipped and the repeated hour are business time like any other
    expect(wholeDay.isBusinessTime(new Date('2026-03-29T01:00:00Z'))).toBe(true);
    expect(wholeDay.isBusinessTime(new Date('2026-10-25T01:30:00Z'))).toBe(true);
    // midnight between two open days is inside (closing of one day = opening of the next)
    expect(wholeDay.isBusinessTime(local('2026-06-10T00:00'))).toBe(true);
    expect(wholeDay.isBusinessTime(local('2026-12-25T00:00'))).toBe(false); // holiday
  });

  it('"00:30-03:00" spanning the change is 90 min on spring-forward day and 210 min on fall-back day', () => {
    const cal = calendars.londonSpanningTheDstChange!;
    expect(cal.businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-30T00:00'))).toBe(90);
    expect(cal.businessMinutesBetween(local('2026-10-25T00:00'), local('2026-10-26T00:00'))).toBe(210);
    expect(cal.businessMinutesBetween(local('2026-06-14T00:00'), local('2026-06-15T00:00'))).toBe(150);
    expect(iso(cal.addBusinessMinutes(local('2026-03-29T00:00'), 90))).toBe('2026-03-29T02:00:00.000Z'); // 03:00 BST
  });

  describe('opening/closing wall times inside the gap or the repeated hour', () => {
    const cal = createBusinessCalendar({ timeZone: 'Europe/London', hours: { sun: '01:30-03:00' }, holidays: [] });
    const closesInOverlap = createBusinessCalendar({
      timeZone: 'Europe/London',
      hours: { sun: '00:30-01:30' },
      holidays: [],
    });
    const bothInGap = createBusinessCalendar({
      timeZone: 'Europe/London',
      hours: { sun: '01:15-01:45' },
      holidays: [],
    });

    it('a skipped opening time opens at the instant of the jump (01:00Z = 02:00 BST)', () => {
      expect(cal.isBusinessTime(new Date('2026-03-29T00:59:59.999Z'))).toBe(false);
      expect(cal.isBusinessTime(new Date('2026-03-29T01:00:00Z'))).toBe(true);
      expect(cal.businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-30T00:00'))).toBe(60);
      expect(iso(cal.addBusinessMinutes(local('2026-03-28T12:00'), 1))).toBe('2026-03-29T01:01:00.000Z');
    });

    it('a repeated opening time opens at its first occurrence (01:30 BST = 00:30Z)', () => {
      expect(cal.isBusinessTime(new Date('2026-10-25T00:29:59.999Z'))).toBe(false);
      expect(cal.isBusinessTime(new Date('2026-10-25T00:30:00Z'))).toBe(true);
      expect(cal.businessMinutesBetween(local('2026-10-25T00:00'), local('2026-10-26T00:00'))).toBe(150);
    });

    it('a repeated closing time closes at its first occurrence; the repeated hour does not reopen', () => {
      expect(closesInOverlap.businessMinutesBetween(local('2026-10-25T00:00'), local('2026-10-26T00:00'))).toBe(60);
      expect(closesInOverlap.isBusinessTime(new Date('2026-10-25T00:29:59.999Z'))).toBe(true);
      expect(closesInOverlap.isBusinessTime(new Date('2026-10-25T00:30:00Z'))).toBe(false);
      expect(closesInOverlap.isBusinessTime(new Date('2026-10-25T01:15:00Z'))).toBe(false); // 01:15 GMT (repeat)
      // skipped closing time (spring): closes at the jump, 00:30-01:00Z
      expect(closesInOverlap.businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-30T00:00'))).toBe(30);
    });

    it('hours entirely inside the skipped hour make that day closed; other days are unaffected', () => {
      expect(bothInGap.businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-30T00:00'))).toBe(0);
      expect(bothInGap.businessMinutesBetween(local('2026-10-25T00:00'), local('2026-10-26T00:00'))).toBe(30);
      expect(iso(bothInGap.addBusinessMinutes(local('2026-03-28T12:00'), 10))).toBe('2026-04-05T00:25:00.000Z');
    });
  });

  it('Lord Howe (30-minute DST): whole days are 23.5 h and 24.5 h', () => {
    const cal = calendars.lordHoweWholeDay!;
    const z = 'Australia/Lord_Howe';
    expect(cal.businessMinutesBetween(local('2026-04-05T00:00', z), local('2026-04-06T00:00', z))).toBe(1470);
    expect(cal.businessMinutesBetween(local('2026-10-04T00:00', z), local('2026-10-05T00:00', z))).toBe(1410);
  });

  it('Kolkata (+05:30, no DST): Friday 17:45 + 30 min → Saturday 09:45', () => {
    const z = 'Asia/Kolkata';
    const cal = calendars.kolkata!;
    expect(cal.addBusinessMinutes(local('2026-06-05T17:45', z), 30)).toEqual(local('2026-06-06T09:45', z));
    expect(iso(cal.addBusinessMinutes(local('2026-06-05T17:45', z), 30))).toBe('2026-06-06T04:15:00.000Z');
  });
});

describe('validation and degenerate calendars', () => {
  const make = (patch: Partial<BusinessCalendarSpec>) => () => createBusinessCalendar({ ...LONDON, ...patch });

  it('rejects an unknown time zone, naming it', () => {
    expect(make({ timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(make({ timeZone: 'Mars/Olympus_Mons' })).toThrow(/"Mars\/Olympus_Mons"/);
    expect(make({ timeZone: '' })).toThrow(/time zone ""/);
  });

  it.each([
    '8:45-17:15',
    '08:45 - 17:15',
    '17:00-09:00',
    '09:00-09:00',
    '24:00-24:00',
    '00:00-24:30',
    '23:60-24:00',
    '00:00-25:00',
    'nine to five',
    '',
  ])('rejects hours %j, naming the value and the day', (hours) => {
    expect(make({ hours: { mon: '08:45-17:15', tue: hours } })).toThrow(RangeError);
    expect(make({ hours: { mon: '08:45-17:15', tue: hours } })).toThrow(`${JSON.stringify(hours)}`);
    expect(make({ hours: { tue: hours } })).toThrow(/"tue"/);
  });

  it('rejects an unknown weekday key and non-object hours', () => {
    expect(make({ hours: { monday: '08:45-17:15' } as unknown as BusinessCalendarSpec['hours'] })).toThrow(/"monday"/);
    expect(make({ hours: null as unknown as BusinessCalendarSpec['hours'] })).toThrow(/hours/);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-12-00', '2026/12/25', '26-12-25', '2026-12-25T00:00', '2027-02-29'])(
    'rejects holiday %j, naming it',
    (holiday) => {
      expect(make({ holidays: ['2026-12-25', holiday] })).toThrow(RangeError);
      expect(make({ holidays: ['2026-12-25', holiday] })).toThrow(JSON.stringify(holiday));
    },
  );

  it('accepts leap days, 24:00 ends and whole-day hours', () => {
    expect(make({ holidays: ['2028-02-29'] })).not.toThrow();
    expect(parseHours('00:00-24:00')).toEqual({ startMinute: 0, endMinute: 1440 });
    expect(parseHours('08:45-17:15')).toEqual({ startMinute: 525, endMinute: 1035 });
    expect(parseHours('23:59-24:00')).toEqual({ startMinute: 1439, endMinute: 1440 });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, -0.5])('rejects minutes %p, naming the value', (minutes) => {
    expect(() => london.addBusinessMinutes(local('2026-06-09T10:00'), minutes)).toThrow(RangeError);
    expect(() => london.addBusinessMinutes(local('2026-06-09T10:00'), minutes)).toThrow(String(minutes));
  });

  it('rejects invalid dates', () => {
    const bad = new Date(Number.NaN);
    expect(() => london.addBusinessMinutes(bad, 1)).toThrow(/Invalid from/);
    expect(() => london.businessMinutesBetween(local('2026-06-09T10:00'), bad)).toThrow(/Invalid to/);
    expect(() => london.isBusinessTime(bad)).toThrow(/Invalid at/);
  });

  it('a calendar with no hours: adding > 0 minutes throws instead of looping; 0 minutes and measuring work', () => {
    const closed = createBusinessCalendar({ timeZone: 'Europe/London', hours: {}, holidays: [] });
    const from = local('2026-06-09T10:00');
    expect(() => closed.addBusinessMinutes(from, 1)).toThrow(/no business hours/);
    expect(closed.addBusinessMinutes(from, 0)).toEqual(from);
    expect(closed.businessMinutesBetween(from, local('2027-06-09T10:00'))).toBe(0);
    expect(closed.isBusinessTime(from)).toBe(false);
  });

  it('hours that are all holidays for 10+ years: throws a clear error after a bounded scan', () => {
    const mondays: string[] = [];
    for (let d = DateTime.fromISO('2026-06-01', { zone: 'utc' }); d.year < 2038; d = d.plus({ weeks: 1 })) {
      mondays.push(d.toISODate()!);
    }
    const cal = createBusinessCalendar({ timeZone: 'Europe/London', hours: { mon: '09:00-10:00' }, holidays: mondays });
    expect(() => cal.addBusinessMinutes(local('2026-06-01T00:00'), 1)).toThrow(/within 3660 days/);
    expect(iso(cal.addBusinessMinutes(local('2036-06-01T00:00'), 60))).toBe('2038-01-04T10:00:00.000Z');
  });

  it('does not keep a reference to the caller’s spec', () => {
    const spec: BusinessCalendarSpec = { timeZone: 'Europe/London', hours: { mon: '09:00-10:00' }, holidays: [] };
    const cal = createBusinessCalendar(spec);
    spec.hours.mon = '00:00-24:00';
    spec.holidays.push('2026-06-08');
    expect(cal.businessMinutesBetween(local('2026-06-08T00:00'), local('2026-06-09T00:00'))).toBe(60);
  });
});

describe('independence from the process time zone', () => {
  type Op = [calendar: number, kind: 'add' | 'between' | 'is', a: number, b: number];
  const specs = Object.values(ALL_SPECS);

  function makeOps(): Op[] {
    let seed = 20_260_329;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const ops: Op[] = [];
    specs.forEach((spec, c) => {
      const changes = offsetChangeDays(spec.timeZone);
      for (let i = 0; i < 60; i++) {
        const near = changes.length > 0 && i % 2 === 0;
        const from = near
          ? changes[rand(changes.length)]! + rand(8 * DAY) - 4 * DAY
          : RANGE_START + rand(4 * 365 * DAY);
        ops.push([c, 'add', from, rand(20_000)]);
        ops.push([c, 'between', from, from + rand(21 * DAY)]);
        ops.push([c, 'is', from, 0]);
      }
    });
    return ops;
  }

  function run(cals: BusinessCalendar[], ops: Op[]): (number | boolean)[] {
    return ops.map(([c, kind, a, b]) => {
      const cal = cals[c]!;
      if (kind === 'add') return cal.addBusinessMinutes(new Date(a), b).getTime();
      if (kind === 'between') return cal.businessMinutesBetween(new Date(a), new Date(b));
      return cal.isBusinessTime(new Date(a));
    });
  }

  /** Child script: transpile the module with @swc/core, evaluate it, run the same ops, print JSON. */
  const CHILD = `
    const path = require('path');
    const Module = require('module');
    const { swc, file, specs, ops } = JSON.parse(process.env.BC_INPUT);
    const { code } = require(swc).transformFileSync(file, {
      swcrc: false, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    });
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file));
    mod._compile(code, file);
    const cals = specs.map((s) => mod.exports.createBusinessCalendar(s));
    const results = ops.map(([c, kind, a, b]) => {
      const cal = cals[c];
      if (kind === 'add') return cal.addBusinessMinutes(new Date(a), b).getTime();
      if (kind === 'between') return cal.businessMinutesBetween(new Date(a), new Date(b));
      return cal.isBusinessTime(new Date(a));
    });
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    process.stdout.write(JSON.stringify({ tz, results }));
  `;

  function runInChild(tz: string, ops: Op[]): Promise<{ tz: string; results: (number | boolean)[] }> {
    const input = JSON.stringify({
      swc: require.resolve('@swc/core'),
      file: path.resolve(__dirname, '../../../../src/domain/sla/business-calendar.ts'),
      specs,
      ops,
    });
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', CHILD],
        { env: { ...process.env, TZ: tz, BC_INPUT: input }, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`child with TZ=${tz} failed: ${err.message}\n${stderr}`));
          else resolve(JSON.parse(stdout));
        },
      );
    });
  }

  it('gives identical results with TZ=UTC, America/Los_Angeles and Asia/Tokyo', async () => {
    const ops = makeOps();
    const expected = run(specs.map(createBusinessCalendar), ops);
    const zones = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'];
    const children = await Promise.all(zones.map((tz) => runInChild(tz, ops)));
    children.forEach((child, i) => {
      expect(child.tz).toBe(zones[i]); // the child really ran in that zone
      expect(child.results).toEqual(expected);
    });
  });
});
