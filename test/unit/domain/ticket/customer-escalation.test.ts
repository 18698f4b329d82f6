import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { ForbiddenError, InvalidInputError, TransitionNotAllowedError } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const clocks: ClockContext = { calendar, warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
/** A London wall time as an instant. Fri 5 June 2026 is a working Friday; Mon 8 June the next working day. */
const at = (local: string) => DateTime.fromISO(local, { zone: policy.calendar.timeZone }).toJSDate();

const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');
const MIKE = slack('U0TEAMLEAD', 'Mike Fox');

function as(actor: Actor, now: Date): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult, before: Ticket): Ticket => ({ ...r.ticket, version: before.version + 1 });
let seq = 7000;
const raised = (now: Date): Ticket => ({
  ...op.raise(
    { seq: seq++, title: 'Invoices fail to export', description: 'Errors', requester: RITA, severity: 3 },
    as(RITA, now),
  ).ticket,
  version: 1,
});
const escalate = (t: Ticket, who: Actor, when: string, input: Partial<op.CustomerEscalationInput> = {}) =>
  op.customerEscalation(
    t,
    { reason: 'Month end is at risk', businessImpact: 'AP team blocked', ...input },
    as(who, at(when)),
  );
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('customerEscalation rules', () => {
  it('has the documented defaults: 1 business hour between steps, the Support Manager at most', () => {
    expect(policy.customerEscalation).toEqual({ cooldown: 60, requesterMaxLevel: 2 });
  });

  it("counts the requester's cooldown in business time, over a weekend, and says when the next step is possible", () => {
    const t = raised(at('2026-06-05T16:00'));
    // Friday 17:00: 15 business minutes are left that day, the other 45 run from Monday 08:45.
    const first = saved(escalate(t, RITA, '2026-06-05T17:00'), t);
    expect(first).toMatchObject({ escalationLevel: 1, customerEscalatedAt: at('2026-06-05T17:00') });
    for (const when of ['2026-06-05T17:10', '2026-06-06T12:00', '2026-06-08T09:29']) {
      const err = thrown(() => escalate(first, RITA, when));
      expect(err).toBeInstanceOf(TransitionNotAllowedError);
      expect(err.message).toContain('You can escalate it again from Mon 09:30 (Europe/London)');
      expect(err.message).toContain('escalated to the Team Lead / CSM at Fri 17:00 (Europe/London)');
    }
    const second = escalate(first, RITA, '2026-06-08T09:30');
    expect(second.ticket.escalationLevel).toBe(2);
  });

  it('lets a requester reach the Support Manager on their own, and says who to contact for more', () => {
    const t = raised(at('2026-06-01T09:00'));
    const jump = thrown(() => escalate(t, RITA, '2026-06-01T10:00', { toLevel: 3 }));
    expect(jump).toBeInstanceOf(ForbiddenError);
    const two = saved(escalate(t, RITA, '2026-06-01T10:00', { toLevel: 2 }), t);
    const err = thrown(() => escalate(two, RITA, '2026-06-02T10:00'));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(
      `You can escalate ${t.number} up to the Support Manager yourself, and it is already there. Higher levels are reached by the SLA escalation ladder or by a manager: contact James Goulbourne (Support Manager) if it needs more.`,
    );
    // A manager is bounded by the ladder only, and no cooldown.
    expect(escalate(two, MIKE, '2026-06-01T10:01').ticket.escalationLevel).toBe(3);
  });

  it('needs a reason and the impact now; nothing changes without them', () => {
    const t = raised(at('2026-06-01T09:00'));
    expect(thrown(() => escalate(t, RITA, '2026-06-01T10:00', { reason: '  ' })).message).toBe(
      'Say why the ticket needs escalating',
    );
    const noImpact = thrown(() => escalate(t, RITA, '2026-06-01T10:00', { businessImpact: ' ' }));
    expect(noImpact).toBeInstanceOf(InvalidInputError);
    expect(noImpact.message).toContain('Say what the impact is now');
    // The impact chosen as a priority is the impact now too.
    const chosen = escalate(t, RITA, '2026-06-01T10:00', { businessImpact: '', priority: 2 });
    expect(chosen.ticket).toMatchObject({ escalationLevel: 1, priority: 2 });
    expect(t.escalationLevel).toBe(0);
  });

  it('lets an agent record one that came by phone or email: in the audit, beyond the cooldown and the max level', () => {
    const t = raised(at('2026-06-01T09:00'));
    const one = saved(escalate(t, RITA, '2026-06-01T10:00'), t);
    const r = escalate(one, LEE, '2026-06-01T10:10', { via: 'phone', toLevel: 3, reason: 'Called: payroll blocked' });
    expect(r.ticket.escalationLevel).toBe(3);
    expect(r.events.find((e) => e.type === 'customer_escalation')).toMatchObject({
      actor: { userId: 'U0LEVEL1', role: 'level1' },
      from: 1,
      to: 3,
      note: 'Called: payroll blocked (for the requester, by phone)',
    });
    const text = r.notices.find((n) => n.type === 'customer.escalation')?.text;
    expect(text).toContain('by Rita Reyes (by phone, recorded by Lee Lewis)');
    // It was the requester's step: their own next one waits the cooldown from it.
    const byEmail = saved(escalate(t, LEE, '2026-06-01T10:10', { via: 'email' }), t);
    expect(byEmail.customerEscalatedAt).toEqual(at('2026-06-01T10:10'));
    expect(thrown(() => escalate(byEmail, RITA, '2026-06-01T10:30'))).toBeInstanceOf(TransitionNotAllowedError);
    expect(escalate(byEmail, RITA, '2026-06-01T11:10').ticket.escalationLevel).toBe(2);
    // Only an agent records one for the requester.
    expect(thrown(() => escalate(one, RITA, '2026-06-01T11:05', { via: 'email' }))).toBeInstanceOf(InvalidInputError);
  });

  it('tells the assignee and the Team Lead once, and the requester who has it and when to expect an answer', () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.assign(t, LEE, as(LEE, at('2026-06-01T09:05'))), t);
    const r = escalate(t, RITA, '2026-06-01T10:00', { toLevel: 2 });
    const sent = r.notices.filter((n) => n.type === 'customer.escalation');
    expect(sent.map((n) => [n.key, n.audience])).toEqual([
      [`${t.number}:customer.escalation:v3`, { kind: 'person', personId: 'james.goulbourne' }],
      [`${t.number}:customer.escalation:v3:lead`, { kind: 'person', personId: 'mike.fox' }],
      [`${t.number}:customer.escalation:v3:assignee`, { kind: 'user', actor: LEE }],
      [`${t.number}:customer.escalation:v3:managers`, { kind: 'channel', channel: 'managers' }],
    ]);
    const keys = r.notices.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    const target = r.ticket.sla.response.targetMinutes;
    const due = DateTime.fromJSDate(calendar.addBusinessMinutes(at('2026-06-01T10:00'), target), {
      zone: 'Europe/London',
    }).toFormat('ccc HH:mm');
    const told = r.notices.filter((n) => n.type === 'requester.update');
    expect(told).toHaveLength(1);
    expect(told[0]?.audience).toEqual({ kind: 'user', actor: RITA });
    expect(told[0]?.text).toContain('is now escalated to the Support Manager, James Goulbourne, who has been told');
    expect(told[0]?.text).toContain(`You can expect an answer by ${due} (Europe/London)`);
    // Level 1's contact is the Team Lead: told once.
    const lead = escalate(t, RITA, '2026-06-01T10:00').notices.filter((n) => n.type === 'customer.escalation');
    expect(lead.filter((n) => n.audience.kind === 'person')).toHaveLength(1);
  });
});
