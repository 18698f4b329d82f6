import fc from 'fast-check';
import { DateTime } from 'luxon';
import { type BusinessCalendarSpec, createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import {
  type ClockContext,
  clockCondition,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  stopClock,
  usedMinutes,
} from '../../../../src/domain/sla/sla-clock';

/**
 * An independent oracle: the clock's history replayed minute by minute. Every input is minute-aligned
 * and every calendar opens and closes on whole minutes, so a minute is either all business time or none.
 */
const MIN = 60_000;
const weekdays = (h: string) => ({ mon: h, tue: h, wed: h, thu: h, fri: h });
const CALENDARS: Array<{ name: string; spec: BusinessCalendarSpec; anchors: string[] }> = [
  {
    name: 'London office hours, bank holidays',
    spec: { timeZone: 'Europe/London', hours: weekdays('08:45-17:15'), holidays: ['2026-03-30', '2026-10-26'] },
    anchors: ['2026-03-26T16:00', '2026-10-22T16:00', '2026-12-23T15:00'],
  },
  {
    name: 'London 24x7',
    spec: {
      timeZone: 'Europe/London',
      hours: { ...weekdays('00:00-24:00'), sat: '00:00-24:00', sun: '00:00-24:00' },
      holidays: [],
    },
    anchors: ['2026-03-28T22:00', '2026-10-24T22:00'],
  },
  {
    name: 'London night shift across the DST hours',
    spec: {
      timeZone: 'Europe/London',
      hours: { sat: '00:30-03:00', sun: '00:30-03:00', mon: '00:30-03:00' },
      holidays: [],
    },
    anchors: ['2026-03-27T23:00', '2026-10-23T23:00'],
  },
  {
    name: 'New York, Thanksgiving',
    spec: { timeZone: 'America/New_York', hours: weekdays('09:00-17:00'), holidays: ['2026-11-26'] },
    anchors: ['2026-03-05T15:00', '2026-10-29T15:00', '2026-11-24T15:00'],
  },
  {
    name: 'Sydney, six days',
    spec: {
      timeZone: 'Australia/Sydney',
      hours: { ...weekdays('08:00-18:00'), sat: '09:00-12:00' },
      holidays: ['2026-10-05'],
    },
    anchors: ['2026-04-02T15:00', '2026-10-01T15:00'],
  },
];

type Op =
  | { kind: 'pause'; after: number; reason: string }
  | { kind: 'resume'; after: number }
  | { kind: 'stop'; after: number }
  | { kind: 'retarget'; after: number; target: number }
  | { kind: 'check'; after: number };

const WARN = 0.75;

/** Minute-by-minute replay: used minutes and the instant each threshold was crossed, or null. */
function oracle(
  isBusiness: (ms: number) => boolean,
  start: number,
  ops: Array<{ at: number; op: Op }>,
  now: number,
  target: number,
  horizon: number,
) {
  const runs: Array<[number, number]> = [];
  let state: 'running' | 'paused' | 'stopped' = 'running';
  let since = start;
  for (const { at, op } of ops) {
    if (at > now) break;
    if ((op.kind === 'pause' || op.kind === 'stop') && state === 'running') {
      runs.push([since, at]);
      since = at;
    }
    if (op.kind === 'pause' && state === 'running') state = 'paused';
    if (op.kind === 'stop') state = 'stopped';
    if (op.kind === 'resume' && state !== 'running') {
      state = 'running';
      since = at;
    }
  }
  const open: Array<[number, number]> = state === 'running' ? [[since, horizon]] : [];
  let used = 0;
  let usedNow = 0;
  const crossed: Record<'due' | 'warn', number | null> = { due: null, warn: null };
  const thresholds = { due: target, warn: target * WARN } as const;
  for (const [from, to] of [...runs, ...open]) {
    for (let m = from; m < to; m += MIN) {
      if (!isBusiness(m)) continue;
      for (const k of ['due', 'warn'] as const) {
        if (crossed[k] === null && used + 1 >= thresholds[k]) crossed[k] = m + (thresholds[k] - used) * MIN;
      }
      used += 1;
      if (m < now) usedNow += 1;
      if (crossed.due !== null && m >= now) break;
    }
  }
  return { state, usedNow, due: crossed.due, warn: crossed.warn };
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('pause' as const),
    after: fc.integer({ min: 0, max: 900 }),
    reason: fc.constantFrom('Waiting for Customer', 'Quote Required'),
  }),
  fc.record({ kind: fc.constant('resume' as const), after: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('stop' as const), after: fc.integer({ min: 0, max: 900 }) }),
  fc.record({
    kind: fc.constant('retarget' as const),
    after: fc.integer({ min: 0, max: 900 }),
    target: fc.integer({ min: 1, max: 600 }),
  }),
  fc.record({ kind: fc.constant('check' as const), after: fc.integer({ min: 0, max: 400 }) }),
);

describe('sla-clock against a minute-by-minute oracle', () => {
  it.each(CALENDARS)('$name: used minutes, state, condition, due and warn instants agree', ({ spec, anchors }) => {
    const calendar = createBusinessCalendar(spec);
    const ctx: ClockContext = { calendar, warnAt: WARN };
    const isBusiness = (ms: number) => calendar.isBusinessTime(new Date(ms));
    fc.assert(
      fc.property(
        fc.constantFrom(...anchors),
        fc.integer({ min: 0, max: 3 * 1440 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        (anchor, offset, firstTarget, opList) => {
          const start = DateTime.fromISO(anchor, { zone: spec.timeZone }).toMillis() + offset * MIN;
          let c: SlaClock = startClock('resolution', firstTarget, new Date(start), ctx);
          let t = start;
          let target = firstTarget;
          const history: Array<{ at: number; op: Op }> = [];
          for (const op of opList) {
            t += op.after * MIN;
            const at = new Date(t);
            history.push({ at: t, op });
            if (op.kind === 'pause') c = pauseClock(c, at, op.reason, ctx);
            if (op.kind === 'resume') c = resumeClock(c, at, ctx);
            if (op.kind === 'stop') c = stopClock(c, at, ctx);
            if (op.kind === 'retarget') {
              target = op.target;
              c = retargetClock(c, target, at, ctx);
            }
            const o = oracle(isBusiness, start, history, t, target, t + 30 * 1440 * MIN);
            expect(c.state).toBe(o.state);
            expect(usedMinutes(c, at, ctx)).toBe(o.usedNow);
            expect(c.dueAt?.getTime() ?? null).toBe(o.due);
            expect(c.warnAt?.getTime() ?? null).toBe(o.warn);
            const condition = o.usedNow >= target ? 'breached' : o.usedNow >= target * WARN ? 'at_risk' : 'on_track';
            expect(clockCondition(c, at, ctx)).toBe(condition);
          }
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });
});
