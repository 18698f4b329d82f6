import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Severity } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import { type ClockContext, explainClock } from '../../../../src/domain/sla/sla-clock';
import { targetReason, targetsFor } from '../../../../src/domain/sla/targets';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const TZ = policy.calendar.timeZone;
const clocks: ClockContext = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const directory = createDirectory(policy);

function raise(severity: Severity, now: Date, p: Policy = policy, priority?: 1 | 2 | 3 | 4) {
  const roles = directory.rolesOf(RITA);
  return op.raise(
    { seq: 7, title: 'Something', description: '', requester: RITA, severity, ...(priority ? { priority } : {}) },
    { policy: p, clocks, now, actor: { ...RITA, role: 'requester', roles } },
  ).ticket;
}

describe('targets per severity and priority', () => {
  it('chooses the priority cell, else the severity, else the standard SLA, and says which', () => {
    expect(targetsFor(policy, 1, 1)).toMatchObject({ response: 15, resolution: 240 });
    expect(targetsFor(policy, 1, 1).why).toEqual({ response: 'Severity 1', resolution: 'Severity 1 with Priority 1' });
    expect(targetsFor(policy, 1, 3)).toMatchObject({ response: 15, resolution: 480 });
    expect(targetsFor(policy, 2, 2)).toMatchObject({ response: 30, resolution: 960 });
    expect(targetsFor(policy, 4, 1)).toMatchObject({
      response: 30,
      resolution: 3000,
      why: { response: 'the standard SLA', resolution: 'the standard SLA' },
    });
  });

  // Thu 24 Dec 2026 17:00: 15 minutes before closing; Fri 25 and Mon 28 are bank holidays, then a weekend
  // in between; Fri 1 Jan 2027 is a holiday too.
  it.each<[Severity, string, string]>([
    [1, '2026-12-24T17:15', '2026-12-29T12:30'], // 15 min: met at closing; 4 h: 15 min Thu + 3 h 45 Tue
    [2, '2026-12-29T09:00', '2026-12-30T16:00'], // 30 min; 16 h = 15 + 510 Tue + 435 Wed
    [3, '2026-12-29T09:00', '2027-01-06T16:00'], // the standard 50 h, skipping New Year's Day
    [4, '2026-12-29T09:00', '2027-01-06T16:00'],
  ])('Severity %i raised Thu 24 Dec 17:00 is due %s (response) and %s (resolution)', (sev, response, resolution) => {
    const t = raise(sev, at('2026-12-24T17:00'));
    expect(t.sla.response.dueAt).toEqual(at(response));
    expect(t.sla.resolution.dueAt).toEqual(at(resolution));
  });

  it('a Severity 1 on a 24x7 calendar counts the nights, weekend and holidays', () => {
    const roundTheClock = {
      ...policy,
      severities: { ...policy.severities, 1: { ...policy.severities[1], calendar: '24x7' as const } },
    };
    const t = raise(1, at('2026-12-24T22:00'), roundTheClock);
    expect(t.sla.response.dueAt).toEqual(at('2026-12-24T22:15'));
    expect(t.sla.resolution.dueAt).toEqual(at('2026-12-25T02:00'));
    // Moved to Severity 2 at 23:00 (business hours again): the hour it ran at night was counted 24x7 and stays
    // counted; from 23:00 it counts business hours only.
    const lee: Actor = { platform: 'slack', userId: 'U0LEVEL1', name: 'Lee Lewis' };
    const roles = directory.rolesOf(lee);
    const r = op.setSeverity(t, 2, {
      policy: roundTheClock,
      clocks,
      now: at('2026-12-24T23:00'),
      actor: { ...lee, role: 'level1', roles },
    });
    expect(r.ticket.sla.resolution.usedMinutes).toBe(60);
    expect(r.ticket.sla.resolution.dueAt).toEqual(at('2026-12-30T15:15')); // the 15 h left, from Tue 08:45
  });

  it('explains which target applies and why, on the card lines', () => {
    const t = raise(1, at('2026-06-01T09:00'), policy, 1);
    const choice = targetsFor(policy, t.severity, t.priority);
    expect(explainClock(t.sla.resolution, at('2026-06-01T09:30'), clocks, TZ, targetReason(choice, 'resolution'))).toBe(
      'Resolution: 3 business hours 30 min left; due Mon 13:00; target 4 business hours (Severity 1 with Priority 1, business hours)',
    );
  });
});
