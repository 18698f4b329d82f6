import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Role, Severity } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { ladderCeiling, sweepTicket } from '../../../../src/domain/ticket/schedule';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const TZ = policy.calendar.timeZone;
const clocks: ClockContext = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');

function as(actor: Actor, now: Date, p: Policy = policy): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy: p, clocks, now, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult, before?: Ticket): Ticket => ({ ...r.ticket, version: (before?.version ?? 0) + 1 });

/** Sweep as the scheduler would; returns the ticket after and the ladder levels notified (channel posts only). */
function sweep(t: Ticket, when: string, p: Policy = policy): [Ticket, number[]] {
  const r = sweepTicket(t, at(when), p, clocks);
  const levels = r.notices.filter((n) => n.type === 'sla.ladder' && n.audience.kind === 'channel').map((n) => n.level!);
  return [{ ...r.ticket, version: t.version + 1 }, levels];
}

/** Raised Mon 1 June 2026 09:00 and assigned at 09:05: the response clock is met, the resolution clock runs. */
function assignedTicket(severity: Severity, p: Policy = policy, priority?: 1 | 2 | 3 | 4): Ticket {
  let t = saved(
    op.raise(
      { seq: 31, title: 'Exports fail', description: '', requester: RITA, severity, ...(priority ? { priority } : {}) },
      as(RITA, at('2026-06-01T09:00'), p),
    ),
  );
  t = saved(op.assign(t, LEE, as(LEE, at('2026-06-01T09:05'), p)), t);
  return t;
}

describe('how high the ladder climbs', () => {
  it.each<[Severity, number]>([
    [1, 4],
    [2, 3],
    [3, 2],
    [4, 1],
  ])('Severity %i stops at level %i', (severity, level) => {
    expect(ladderCeiling({ severity, priority: 4 }, policy)).toBe(level);
  });

  it('a critical-impact priority lets a low severity climb to its own ceiling', () => {
    expect(ladderCeiling({ severity: 4, priority: 1 }, policy)).toBe(3);
    expect(ladderCeiling({ severity: 1, priority: 1 }, policy)).toBe(4);
  });

  it('a Severity 2 resolution breach nobody acts on climbs to the Head of Support and stops', () => {
    let t = assignedTicket(2);
    // 16 business hours from Mon 09:00: Tue 16:30.
    expect(t.sla.resolution.dueAt).toEqual(at('2026-06-02T16:30'));
    let levels: number[];
    [t] = sweep(t, '2026-06-02T16:30');
    expect(t.alerting).toMatchObject({ clock: 'resolution', notifiedLevel: 1, nextStepAt: at('2026-06-03T10:00') });
    [t, levels] = sweep(t, '2026-06-03T10:00');
    expect(levels).toEqual([2]);
    [t, levels] = sweep(t, '2026-06-03T12:00');
    expect(levels).toEqual([3]);
    [t, levels] = sweep(t, '2026-06-05T12:00');
    expect(levels).toEqual([]);
    expect(t.alerting.notifiedLevel).toBe(3);
  });
});

describe('the ladder climbs only while nobody acts', () => {
  const breached = () => sweep(assignedTicket(2), '2026-06-02T16:30')[0];

  it('an agent reply holds it a full step', () => {
    let t = breached();
    t = saved(op.addMessage(t, 'Looking at the export logs now', as(LEE, at('2026-06-03T09:30'))), t);
    expect(t.alerting.nextStepAt).toEqual(at('2026-06-03T11:30'));
    let levels: number[];
    [t, levels] = sweep(t, '2026-06-03T10:00');
    expect(levels).toEqual([]);
    [t, levels] = sweep(t, '2026-06-03T11:30');
    expect(levels).toEqual([2]);
  });

  it('Waiting for Customer stops the climb while the customer has it, and the answer restarts the wait', () => {
    let t = breached();
    t = saved(op.requestInfo(t, 'Which file?', as(LEE, at('2026-06-03T09:30'))), t);
    let levels: number[];
    [t, levels] = sweep(t, '2026-06-04T09:30');
    expect(levels).toEqual([]);
    expect(t.nextCheckAt).toBeNull();
    t = saved(op.addMessage(t, 'invoices.csv', as(RITA, at('2026-06-04T10:00'))), t);
    expect(t.status).toBe('customer_responded');
    expect(t.alerting.nextStepAt).toEqual(at('2026-06-04T12:00'));
    [t, levels] = sweep(t, '2026-06-04T11:59');
    expect(levels).toEqual([]);
    [t, levels] = sweep(t, '2026-06-04T12:00');
    expect(levels).toEqual([2]);
  });

  it('follows the policy: without agent_reply in ladderPausedBy, a reply does not hold it', () => {
    const strict: Policy = { ...policy, sla: { ...policy.sla, ladderPausedBy: ['assignment'] } };
    let t = sweep(assignedTicket(2, strict), '2026-06-02T16:30', strict)[0];
    t = saved(op.addMessage(t, 'On it', as(LEE, at('2026-06-03T09:30'), strict)), t);
    expect(t.alerting.nextStepAt).toEqual(at('2026-06-03T10:00'));
    expect(sweep(t, '2026-06-03T10:00', strict)[1]).toEqual([2]);
  });

  it('a ceiling raised after the step fell due waits a full step from the change, not from long ago', () => {
    let t = sweep(assignedTicket(4), '2026-06-08T16:35')[0];
    const lee = as(LEE, at('2026-06-10T09:00'));
    t = saved(op.setPriority(t, 1, lee), t);
    expect(t.alerting.nextStepAt).toEqual(at('2026-06-10T11:00'));
    expect(sweep(t, '2026-06-10T10:59')[1]).toEqual([]);
  });

  it('resolving it ends the climb: the breach no longer stands', () => {
    let t = breached();
    t = saved(op.resolve(t, 'Re-ran the export', as(LEE, at('2026-06-03T09:30'))), t);
    expect(sweep(t, '2026-06-05T12:00')[1]).toEqual([]);
    expect(t.nextCheckAt).toBeNull();
  });

  it('a customer escalation that raises the priority raises how far it may climb', () => {
    let t = sweep(assignedTicket(4), '2026-06-08T16:35')[0];
    expect(t.alerting).toMatchObject({ clock: 'resolution', notifiedLevel: 1 });
    expect(t.nextCheckAt).toBeNull(); // Severity 4 stops at the Team Lead
    t = saved(
      op.customerEscalation(
        t,
        { reason: 'Now blocks month end', priority: 1, toLevel: 1 },
        as(RITA, at('2026-06-09T09:00')),
      ),
      t,
    );
    expect(t.priority).toBe(1);
    // Climbing again on its own schedule (2 business hours after the breach: Tue 10:00), up to Head of Support.
    expect(t.nextCheckAt).toEqual(at('2026-06-09T10:00'));
    let [after, levels] = sweep(t, '2026-06-09T10:00');
    expect(levels).toEqual([2]);
    [after, levels] = sweep(after, '2026-06-09T12:00');
    expect(levels).toEqual([3]);
    expect(sweep(after, '2026-06-12T13:00')[1]).toEqual([]);
  });
});
