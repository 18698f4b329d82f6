import { DateTime } from 'luxon';
import { confirmation } from '../../../src/app/raise-ticket';
import { loadPolicy } from '../../../src/config/policy';
import type { Policy, Severity } from '../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import * as op from '../../../src/domain/ticket/operations';
import { createDirectory } from '../../../src/domain/ticket/roles';
import type { Actor } from '../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const at = (local: string) => DateTime.fromISO(local, { zone: policy.calendar.timeZone }).toJSDate();
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };

function raisedAt(now: Date, severity: Severity, p: Policy = policy) {
  const roles = createDirectory(p).rolesOf(RITA);
  const clocks = { calendar, warnAt: p.sla.warnAt };
  const r = op.raise(
    { seq: 12, title: 'System down', description: '', requester: RITA, severity },
    { policy: p, clocks, now, actor: { ...RITA, role: 'requester', roles } },
  );
  return confirmation({ policy: p, calendar, clock: { now: () => now } }, r.ticket);
}

describe('the requester is told what happens to their ticket', () => {
  it('in hours: severity, priority, team and the first response due', () => {
    expect(raisedAt(at('2026-06-01T10:00'), 3)).toBe(
      'SR-12 raised: Severity 3 (Moderate Incident), Priority 3 (Medium impact), owned by Level 1 Support. ' +
        'Expect a first response by Mon 10:30 (support hours, Europe/London).',
    );
  });

  it('a Severity 1 out of hours: who was paged and when the clock starts', () => {
    const text = raisedAt(at('2026-06-05T20:00'), 1); // a Friday evening
    expect(text).toContain('We have paged development-triage and Mike Fox (Team Lead / CSM) now.');
    expect(text).toContain('It is outside support hours, so its SLA clock starts when support opens, Mon 08:45.');
    expect(text).toContain('Expect a first response by Mon 09:00');
  });

  it('a Severity 1 out of hours on a 24x7 calendar: the clock started now', () => {
    const roundTheClock = {
      ...policy,
      severities: { ...policy.severities, 1: { ...policy.severities[1], calendar: '24x7' as const } },
    };
    const text = raisedAt(at('2026-06-05T20:00'), 1, roundTheClock);
    expect(text).toContain('Severity 1 is counted round the clock: its SLA clock started now.');
    expect(text).toContain('Expect a first response by Fri 20:15 (counted 24x7)');
  });

  it('a Severity 2 out of hours is not paged', () => {
    expect(raisedAt(at('2026-06-05T20:00'), 2)).not.toContain('paged');
  });
});
