import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Role } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import { devLeadIds } from '../../../../src/domain/ticket/development-targets';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { nextCheckAt, sweepTicket } from '../../../../src/domain/ticket/schedule';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const seed = loadPolicy();
const calendar = createBusinessCalendar(seed.calendar);
const clocks: ClockContext = { calendar, warnAt: seed.sla.warnAt };
const at = (local: string) => DateTime.fromISO(local, { zone: seed.calendar.timeZone }).toJSDate();
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const SAM = slack('U0LEVEL2', 'Sam Singh');
const DANA = slack('U0DEV1', 'Dana Drew');

function as(actor: Actor, now: Date, policy: Policy = seed): op.OpContext {
  const roles = createDirectory(policy).rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult, before: Ticket): Ticket => ({ ...r.ticket, version: before.version + 1 });

// Tue 2 Jun 2026 10:00 London: business hours 08:45-17:15.
const ESCALATED = at('2026-06-02T10:00');
let seq = 9100;
function escalated(route: 'code_change' | 'performance_infrastructure' = 'code_change', severity: 1 | 3 = 3): Ticket {
  let t = op.raise(
    { seq: seq++, title: 'Export fails', description: 'The nightly export errors', requester: RITA, severity },
    as(RITA, at('2026-06-02T09:00')),
  ).ticket;
  t = { ...t, version: 1 };
  return saved(op.escalateToDevelopment(t, route, as(SAM, ESCALATED)), t);
}

describe('development targets', () => {
  it('start when the ticket reaches Development, in business hours of the calendar (not the wall clock)', () => {
    const t = escalated();
    const d = t.development!.targets!;
    expect(d.route).toBe('code_change');
    // accept 8h: Tue 10:00 + 7h15 to Tue close, + 45 min Wed → Wed 09:30.
    expect(d.accept?.dueAt).toEqual(at('2026-06-03T09:30'));
    // allocate 16h: Thu 09:00.
    expect(d.allocate?.dueAt).toEqual(calendar.addBusinessMinutes(ESCALATED, 16 * 60));
    expect(nextCheckAt(t, seed)?.getTime()).toBeLessThanOrEqual(d.accept!.dueAt.getTime());
  });

  it('a fix out of cycle (Severity 1) and a route without a release have no allocation target', () => {
    expect(escalated('code_change', 1).development!.targets!.allocate).toBeNull();
    expect(escalated('performance_infrastructure').development!.targets!.allocate).toBeNull();
  });

  it('are met when Development takes the ticket up and plans it into a release', () => {
    let t = escalated();
    t = saved(op.advanceDevelopment(t, 'dev_in_progress', '', as(DANA, at('2026-06-02T11:00'))), t);
    expect(t.development!.targets!.accept?.metAt).toEqual(at('2026-06-02T11:00'));
    expect(t.development!.targets!.allocate?.metAt).toBeNull();
    t = saved(op.planRelease(t, '2026-06-11', as(DANA, at('2026-06-02T12:00'))), t);
    expect(t.development!.targets!.allocate?.metAt).toEqual(at('2026-06-02T12:00'));
    // Nothing left to check for Development (the support clocks wait for the release).
    const r = sweepTicket(t, at('2026-06-10T12:00'), seed, clocks);
    expect(r.notices.filter((n) => n.type === 'dev.target_missed')).toEqual([]);
  });

  it('missed: one alert to each Dev Lead with a stable key, never to the managers; swept again, nothing more', () => {
    const t = escalated();
    const due = t.development!.targets!.accept!.dueAt;
    expect(sweepTicket(t, new Date(due.getTime() - 60_000), seed, clocks).notices).toEqual([]);
    const r = sweepTicket(t, at('2026-06-03T09:31'), seed, clocks);
    const alerts = r.notices.filter((n) => n.type === 'dev.target_missed');
    expect(alerts.map((n) => n.audience)).toEqual([{ kind: 'person', personId: 'dev.lead' }]);
    expect(alerts[0]?.key).toBe(`${t.number}:dev.target:accept:${due.toISOString()}:dev.lead`);
    expect(alerts[0]?.text).toContain('to be taken up by Development within 8 business hours');
    expect(r.notices.some((n) => n.audience.kind === 'channel' && n.audience.channel === 'managers')).toBe(false);
    expect(r.ticket.development!.targets!.accept?.missedAt).toEqual(due);
    expect(r.events.map((e) => e.type)).toEqual(['dev.target_missed']);
    // Swept again (another replica that read the saved ticket): nothing new.
    const again = sweepTicket({ ...r.ticket }, at('2026-06-03T09:40'), seed, clocks);
    expect(again.notices.filter((n) => n.type === 'dev.target_missed')).toEqual([]);
    // The allocation target is next.
    expect(r.ticket.nextCheckAt).toEqual(t.development!.targets!.allocate!.dueAt);
  });

  it('a route switch to a code change sets the allocation target from the switch, acceptance being met', () => {
    let t = escalated('performance_infrastructure');
    const now = at('2026-06-02T15:00');
    t = saved(op.switchRoute(t, 'code_change', 'The slow query needs a fix', as(SAM, now)), t);
    const d = t.development!.targets!;
    expect(d.route).toBe('code_change');
    expect(d.accept?.metAt).toEqual(now);
    expect(d.allocate?.dueAt).toEqual(calendar.addBusinessMinutes(now, 16 * 60));
  });

  it('a severity change that takes the fix out of cycle drops the allocation target; back in cycle, it starts again', () => {
    let t = escalated();
    t = saved(op.setSeverity(t, 1, as(SAM, at('2026-06-02T11:00'))), t);
    expect(t.development!.targets!.allocate).toBeNull();
    t = saved(op.setSeverity(t, 3, as(SAM, at('2026-06-02T12:00'))), t);
    expect(t.development!.targets!.allocate?.dueAt).toEqual(
      calendar.addBusinessMinutes(at('2026-06-02T12:00'), 16 * 60),
    );
  });

  it('the Dev Lead is the sign-off, else the development team leads', () => {
    expect(devLeadIds(seed)).toEqual(['dev.lead']);
    const none = {
      ...seed.development,
      signOffs: { ...seed.development.signOffs, devLead: { people: [], teams: [] } },
    };
    const teams = { ...seed.teams, development: { ...seed.teams.development!, leads: ['dev.dana'] } };
    expect(devLeadIds({ development: none, teams })).toEqual(['dev.dana']);
    // Nobody at all: Development's triage channel hears of it, still not the managers.
    const policy: Policy = {
      ...seed,
      development: none,
      teams: { ...seed.teams, development: { ...teams.development, leads: [] } },
    };
    const t = escalated();
    const r = sweepTicket(t, at('2026-06-03T09:31'), policy, clocks);
    expect(r.notices.filter((n) => n.type === 'dev.target_missed').map((n) => n.audience)).toEqual([
      { kind: 'channel', channel: 'developmentTriage' },
    ]);
  });
});
