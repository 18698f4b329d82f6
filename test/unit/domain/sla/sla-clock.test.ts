import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import {
  type ClockContext,
  clockCondition,
  explainClock,
  formatBusinessInstant,
  formatMinutes,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  stopClock,
  usedMinutes,
} from '../../../../src/domain/sla/sla-clock';

const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const ctx: ClockContext = { calendar, warnAt: policy.sla.warnAt };
const TZ = policy.calendar.timeZone;

/** A London wall time ("2026-06-01T09:00") as an instant. */
const at = (local: string): Date => {
  const dt = DateTime.fromISO(local, { zone: TZ });
  if (!dt.isValid) throw new Error(`bad time ${local}`);
  return dt.toJSDate();
};
const MS = 1;
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

// Mon 1 June 2026 (BST); business hours 08:45-17:15, 510 business minutes a day.
const MON_0900 = at('2026-06-01T09:00');

describe('startClock', () => {
  it('projects the due instant and the 75 % warning in business time', () => {
    const c = startClock('response', 30, MON_0900, ctx);
    expect(c).toMatchObject({ kind: 'response', targetMinutes: 30, usedMinutes: 0, state: 'running', pausedBy: null });
    expect(c.since).toEqual(MON_0900);
    expect(c.dueAt).toEqual(at('2026-06-01T09:30'));
    expect(c.warnAt).toEqual(at('2026-06-01T09:22:30'));
    expect(c).toMatchObject({ warned: false, breached: false, breachedAt: null });
  });

  it('puts the resolution warning at 75 % of 50 business hours and the due at 100 %', () => {
    const c = startClock('resolution', 3000, at('2026-06-01T08:45'), ctx);
    // 2250 = 4 × 510 + 210: Friday 08:45 + 3 h 30.
    expect(c.warnAt).toEqual(at('2026-06-05T12:15'));
    // 3000 = 5 × 510 + 450: the next Monday 08:45 + 7 h 30.
    expect(c.dueAt).toEqual(at('2026-06-08T16:15'));
    expect(calendar.businessMinutesBetween(c.since, c.warnAt!)).toBe(2250);
    expect(calendar.businessMinutesBetween(c.since, c.dueAt!)).toBe(3000);
  });

  it('starts counting at the next opening when raised out of hours', () => {
    expect(startClock('response', 30, at('2026-06-06T11:00'), ctx).dueAt).toEqual(at('2026-06-08T09:15'));
    expect(startClock('response', 30, at('2026-06-01T17:10'), ctx).dueAt).toEqual(at('2026-06-02T09:10'));
  });

  it('skips bank holidays', () => {
    // Thu 24 Dec 2026 17:00 → Fri 25 and Mon 28 are holidays → Tue 29 Dec.
    expect(startClock('response', 30, at('2026-12-24T17:00'), ctx).dueAt).toEqual(at('2026-12-29T09:00'));
  });
});

describe('pause and resume', () => {
  it('moves the due instant by exactly the paused business time', () => {
    let c = startClock('response', 30, MON_0900, ctx);
    c = pauseClock(c, at('2026-06-01T09:10'), 'Waiting for Customer', ctx);
    expect(c).toMatchObject({ state: 'paused', usedMinutes: 10, pausedBy: 'Waiting for Customer', dueAt: null });
    expect(c.warnAt).toBeNull();
    expect(c.since).toEqual(at('2026-06-01T09:10'));
    c = resumeClock(c, at('2026-06-01T09:40'), ctx);
    expect(c).toMatchObject({ state: 'running', usedMinutes: 10, pausedBy: null });
    expect(c.dueAt).toEqual(at('2026-06-01T10:00'));
    expect(c.warnAt).toEqual(at('2026-06-01T09:52:30'));
  });

  it('adds up several pauses', () => {
    const neverPaused = startClock('resolution', 3000, MON_0900, ctx);
    const pauses: Array<[string, string, number]> = [
      ['2026-06-01T10:00', '2026-06-01T10:20', 20],
      ['2026-06-01T11:00', '2026-06-01T13:30', 150],
      ['2026-06-02T09:00', '2026-06-02T09:01', 1],
    ];
    let c = neverPaused;
    let pausedTotal = 0;
    for (const [from, to, minutes] of pauses) {
      const before = c.dueAt!;
      c = resumeClock(pauseClock(c, at(from), 'Waiting for Customer', ctx), at(to), ctx);
      expect(calendar.businessMinutesBetween(before, c.dueAt!)).toBe(minutes);
      expect(c.dueAt).toEqual(calendar.addBusinessMinutes(before, minutes));
      pausedTotal += minutes;
    }
    expect(c.dueAt).toEqual(calendar.addBusinessMinutes(neverPaused.dueAt!, pausedTotal));
    expect(usedMinutes(c, at('2026-06-02T10:00'), ctx)).toBe(495 + 75 - pausedTotal);
  });

  it('adds nothing for a pause over a night or a weekend outside business hours', () => {
    const neverPaused = startClock('resolution', 3000, MON_0900, ctx);
    // Paused at closing, resumed at the next opening: a night.
    let c = pauseClock(neverPaused, at('2026-06-01T17:15'), 'Waiting for Customer', ctx);
    c = resumeClock(c, at('2026-06-02T08:45'), ctx);
    expect(c.dueAt).toEqual(neverPaused.dueAt);
    // Paused in the evening, resumed early the next morning.
    c = resumeClock(pauseClock(c, at('2026-06-02T19:00'), 'Waiting for Customer', ctx), at('2026-06-03T07:00'), ctx);
    expect(c.dueAt).toEqual(neverPaused.dueAt);
    // Friday evening to Monday before opening: a weekend.
    c = resumeClock(pauseClock(c, at('2026-06-05T18:00'), 'Quote Required', ctx), at('2026-06-08T08:00'), ctx);
    expect(c.dueAt).toEqual(neverPaused.dueAt);
  });

  it('adds only the business part of a pause that spans a weekend', () => {
    const start = startClock('resolution', 3000, MON_0900, ctx);
    // Fri 17:00 → Mon 09:00: 15 minutes on Friday, 15 on Monday.
    const c = resumeClock(
      pauseClock(start, at('2026-06-05T17:00'), 'Waiting for Customer', ctx),
      at('2026-06-08T09:00'),
      ctx,
    );
    expect(calendar.businessMinutesBetween(start.dueAt!, c.dueAt!)).toBe(30);
    expect(c.dueAt).toEqual(calendar.addBusinessMinutes(start.dueAt!, 30));
  });

  it('does not count paused time as used', () => {
    const c = pauseClock(startClock('response', 30, MON_0900, ctx), at('2026-06-01T09:10'), 'Waiting', ctx);
    expect(usedMinutes(c, at('2026-06-03T12:00'), ctx)).toBe(10);
    expect(clockCondition(c, at('2026-06-03T12:00'), ctx)).toBe('on_track');
  });

  it('ignores resuming a running clock; a paused clock moved to another pausing status shows the current reason', () => {
    const running = startClock('response', 30, MON_0900, ctx);
    expect(resumeClock(running, at('2026-06-01T09:05'), ctx)).toBe(running);
    const paused = pauseClock(running, at('2026-06-01T09:10'), 'Quote Required', ctx);
    const moved = pauseClock(paused, at('2026-06-01T09:20'), 'Waiting for Customer', ctx);
    expect(moved).toEqual({ ...paused, pausedBy: 'Waiting for Customer' });
    expect(explainClock(moved, at('2026-06-01T09:30'), ctx, TZ)).toContain('(Waiting for Customer)');
  });
});

describe('instants already crossed survive pauses and reopens', () => {
  it('keeps the real due instant of a breached clock paused and resumed (issue 13)', () => {
    let c = startClock('response', 30, at('2026-06-01T08:45'), ctx);
    c = pauseClock(c, at('2026-06-01T09:30'), 'Waiting for Customer', ctx);
    expect(c.dueAt).toEqual(at('2026-06-01T09:15'));
    c = resumeClock(c, at('2026-06-01T10:00'), ctx);
    expect(c.dueAt).toEqual(at('2026-06-01T09:15'));
    expect(c.warnAt).toEqual(at('2026-06-01T09:07:30'));
    expect(explainClock(c, at('2026-06-01T10:05'), ctx, TZ)).toContain('BREACHED at Mon 09:15');
  });

  it('a pause and resume at the same instant moves nothing', () => {
    const c = startClock('response', 30, at('2026-06-01T08:45'), ctx);
    const t = at('2026-06-01T09:30');
    const again = resumeClock(pauseClock(c, t, 'Waiting', ctx), t, ctx);
    expect(again.dueAt).toEqual(c.dueAt);
    expect(again.warnAt).toEqual(c.warnAt);
  });

  it('a stopped and reopened clock keeps the instant it missed its target', () => {
    let c = startClock('resolution', 60, at('2026-06-01T16:45'), ctx);
    c = stopClock(c, at('2026-06-02T10:00'), ctx);
    expect(c.dueAt).toEqual(at('2026-06-02T09:15'));
    c = resumeClock(c, at('2026-06-03T09:00'), ctx);
    expect(c.dueAt).toEqual(at('2026-06-02T09:15'));
  });
});

describe('stop and restart', () => {
  it('stops with the minutes used and no projection', () => {
    const c = stopClock(startClock('response', 30, MON_0900, ctx), at('2026-06-01T09:12'), ctx);
    expect(c).toMatchObject({ state: 'stopped', usedMinutes: 12, warnAt: null, dueAt: null, pausedBy: null });
    expect(c.since).toEqual(at('2026-06-01T09:12'));
    expect(usedMinutes(c, at('2026-06-09T09:12'), ctx)).toBe(12);
    expect(stopClock(c, at('2026-06-02T10:00'), ctx)).toBe(c);
  });

  it('stops a paused clock with the minutes used before the pause', () => {
    const paused = pauseClock(startClock('response', 30, MON_0900, ctx), at('2026-06-01T09:10'), 'Waiting', ctx);
    expect(stopClock(paused, at('2026-06-01T12:00'), ctx)).toMatchObject({ state: 'stopped', usedMinutes: 10 });
  });

  it('resumes a stopped clock (a reopened ticket) with the time left', () => {
    const stopped = stopClock(startClock('resolution', 3000, MON_0900, ctx), at('2026-06-01T10:00'), ctx);
    const c = resumeClock(stopped, at('2026-06-03T09:00'), ctx);
    expect(c).toMatchObject({ state: 'running', usedMinutes: 60 });
    expect(c.since).toEqual(at('2026-06-03T09:00'));
    expect(c.dueAt).toEqual(calendar.addBusinessMinutes(at('2026-06-03T09:00'), 2940));
    expect(usedMinutes(c, at('2026-06-03T10:00'), ctx)).toBe(120);
  });
});

describe('retargetClock', () => {
  it('moves the projections and lets a clock that is no longer at risk warn again', () => {
    const warned: SlaClock = { ...startClock('response', 30, MON_0900, ctx), warned: true };
    const now = at('2026-06-01T09:25');
    const c = retargetClock(warned, 60, now, ctx);
    expect(c.targetMinutes).toBe(60);
    expect(c.warned).toBe(false);
    expect(c.dueAt).toEqual(at('2026-06-01T10:00'));
    expect(c.warnAt).toEqual(at('2026-06-01T09:45'));
  });

  it('keeps the warning when the clock is still at risk under the new target', () => {
    const warned: SlaClock = { ...startClock('resolution', 3000, MON_0900, ctx), warned: true };
    expect(retargetClock(warned, 30, at('2026-06-01T09:25'), ctx).warned).toBe(true);
  });

  it('clears a breach (and the warning) the new target no longer has', () => {
    const breached: SlaClock = {
      ...startClock('response', 30, MON_0900, ctx),
      warned: true,
      breached: true,
      breachedAt: at('2026-06-01T09:30'),
    };
    const c = retargetClock(breached, 120, at('2026-06-01T09:40'), ctx);
    // 40 of 120 minutes used: below 75 % again.
    expect(c).toMatchObject({ breached: false, breachedAt: null, warned: false });
    expect(c.dueAt).toEqual(at('2026-06-01T11:00'));
    expect(clockCondition(c, at('2026-06-01T09:40'), ctx)).toBe('on_track');
  });

  it('keeps a breach that is still a breach, dated when the new target was crossed', () => {
    const breached: SlaClock = {
      ...startClock('response', 30, MON_0900, ctx),
      warned: true,
      breached: true,
      breachedAt: at('2026-06-01T09:30'),
    };
    expect(retargetClock(breached, 35, at('2026-06-01T09:40'), ctx)).toMatchObject({
      breached: true,
      breachedAt: at('2026-06-01T09:35'),
      dueAt: at('2026-06-01T09:35'),
    });
  });

  it('dates a breach from the history: paused, resumed, then a shorter target', () => {
    let c = startClock('resolution', 3000, MON_0900, ctx);
    c = pauseClock(c, at('2026-06-01T09:20'), 'Waiting for Customer', ctx);
    c = resumeClock(c, at('2026-06-01T11:00'), ctx);
    // 20 minutes before the pause, 10 after the resume: the 30th minute was used at 11:10.
    c = retargetClock(c, 30, at('2026-06-01T12:00'), ctx);
    expect(c.dueAt).toEqual(at('2026-06-01T11:10'));
    expect(c.warnAt).toEqual(at('2026-06-01T11:02:30'));
  });

  it('a shorter target can put a running clock straight into breach', () => {
    const c = retargetClock(startClock('resolution', 3000, MON_0900, ctx), 30, at('2026-06-01T10:00'), ctx);
    // Due when the 30th business minute was used, in the past.
    expect(c.dueAt).toEqual(at('2026-06-01T09:30'));
    expect(clockCondition(c, at('2026-06-01T10:00'), ctx)).toBe('breached');
  });

  it('keeps a paused clock paused', () => {
    const paused = pauseClock(startClock('response', 30, MON_0900, ctx), at('2026-06-01T09:10'), 'Waiting', ctx);
    expect(retargetClock(paused, 60, at('2026-06-01T11:00'), ctx)).toMatchObject({
      state: 'paused',
      targetMinutes: 60,
      dueAt: null,
    });
  });
});

describe('clockCondition at exact instants', () => {
  const c = startClock('response', 30, MON_0900, ctx);
  const warnAt = at('2026-06-01T09:22:30');
  const dueAt = at('2026-06-01T09:30');

  it.each<[string, Date, string]>([
    ['at the start', MON_0900, 'on_track'],
    ['1 ms before the warning', plus(warnAt, -MS), 'on_track'],
    ['at the warning (75 %)', warnAt, 'at_risk'],
    ['1 ms before the due instant', plus(dueAt, -MS), 'at_risk'],
    ['at the due instant', dueAt, 'breached'],
    ['long after', at('2026-06-02T12:00'), 'breached'],
  ])('%s', (_label, now, condition) => {
    expect(clockCondition(c, now, ctx)).toBe(condition);
  });

  it('does not advance out of hours', () => {
    const late = startClock('response', 30, at('2026-06-01T17:00'), ctx);
    // 15 minutes used on Monday; nothing more overnight.
    expect(clockCondition(late, at('2026-06-02T08:44'), ctx)).toBe('on_track');
    expect(clockCondition(late, at('2026-06-02T08:52:30'), ctx)).toBe('at_risk');
    expect(clockCondition(late, at('2026-06-02T09:00'), ctx)).toBe('breached');
    expect(late.warnAt).toEqual(at('2026-06-02T08:52:30'));
    expect(late.dueAt).toEqual(at('2026-06-02T09:00'));
  });

  it('follows the warnAt of the context', () => {
    const half: ClockContext = { calendar, warnAt: 0.5 };
    const h = startClock('response', 30, MON_0900, half);
    expect(h.warnAt).toEqual(at('2026-06-01T09:15'));
    expect(clockCondition(h, at('2026-06-01T09:15'), half)).toBe('at_risk');
  });
});

describe('explainClock', () => {
  const explain = (c: SlaClock, now: Date) => explainClock(c, now, ctx, TZ);
  const response = startClock('response', 30, MON_0900, ctx);

  it('explains a running clock: time left and when it is due', () => {
    expect(explain(response, at('2026-06-01T09:10'))).toBe('First response: 20 business minutes left; due Mon 09:30');
  });

  it('says AT RISK past the warning', () => {
    expect(explain(response, at('2026-06-01T09:25'))).toBe(
      'First response: AT RISK; 5 business minutes left; due Mon 09:30',
    );
  });

  it('says BREACHED with the instant and how far over', () => {
    expect(explain(response, at('2026-06-01T09:40'))).toBe(
      'First response: BREACHED at Mon 09:30, 10 business minutes over',
    );
  });

  it('explains a paused clock: since when, why, what is left and when it would be due', () => {
    const paused = pauseClock(response, at('2026-06-01T09:10'), 'Waiting for Customer', ctx);
    expect(explain(paused, at('2026-06-01T14:02'))).toBe(
      'First response: paused since Mon 09:10 (Waiting for Customer); 20 business minutes left; due Mon 14:22 if resumed now',
    );
  });

  it('explains a paused clock that was already over its target', () => {
    const paused = pauseClock(response, at('2026-06-01T09:45'), 'Quote Required', ctx);
    const text = explain(paused, at('2026-06-01T10:00'));
    expect(text).toContain('paused since Mon 09:45 (Quote Required)');
    expect(text).toContain('breached at Mon 09:30, 15 business minutes over');
  });

  it('explains a stopped clock as met or missed', () => {
    expect(explain(stopClock(response, at('2026-06-01T09:12'), ctx), at('2026-06-01T12:00'))).toBe(
      'First response: met (12 business minutes used of 30 business minutes)',
    );
    expect(explain(stopClock(response, at('2026-06-01T10:00'), ctx), at('2026-06-01T12:00'))).toBe(
      'First response: missed at Mon 09:30 (1 business hour used of 30 business minutes)',
    );
  });

  it('says which target applies and why', () => {
    const c = startClock('response', 15, MON_0900, ctx);
    expect(explainClock(c, at('2026-06-01T09:05'), ctx, TZ, 'Severity 1, business hours')).toBe(
      'First response: 10 business minutes left; due Mon 09:15; target 15 business minutes (Severity 1, business hours)',
    );
  });

  it('explains the resolution clock in hours, adding the date when it is more than a few days away', () => {
    const resolution = startClock('resolution', 3000, MON_0900, ctx);
    expect(explain(resolution, at('2026-06-01T09:10'))).toBe(
      'Resolution: 49 business hours 50 min left; due Mon 8 Jun 16:30',
    );
  });

  it('formats durations and instants', () => {
    expect(formatMinutes(1)).toBe('1 business minute');
    expect(formatMinutes(59)).toBe('59 business minutes');
    expect(formatMinutes(60)).toBe('1 business hour');
    expect(formatMinutes(125)).toBe('2 business hours 5 min');
    expect(formatBusinessInstant(at('2026-06-01T09:30'), TZ)).toBe('Mon 1 Jun 09:30');
    expect(formatBusinessInstant(at('2026-06-01T09:30'), TZ, at('2026-06-03T12:00'))).toBe('Mon 09:30');
    // Wall time in the policy's zone, whatever the process zone: 08:30Z in June is 09:30 in London.
    expect(formatBusinessInstant(new Date('2026-06-01T08:30:00Z'), TZ)).toBe('Mon 1 Jun 09:30');
    expect(formatBusinessInstant(new Date('2026-12-01T09:30:00Z'), TZ)).toBe('Tue 1 Dec 09:30');
  });
});
