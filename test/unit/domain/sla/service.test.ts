import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import { describeHours, describeService, resolveService } from '../../../../src/domain/sla/service';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import { clocksForSeverity, targetReason, targetsFor } from '../../../../src/domain/sla/targets';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { type Actor, SYSTEM_ACTOR, type Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const clocks: ClockContext = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
const london = (local: string) => DateTime.fromISO(local, { zone: 'Europe/London' }).toJSDate();
const chicago = (local: string) => DateTime.fromISO(local, { zone: 'America/Chicago' }).toJSDate();
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const directory = createDirectory(policy);
const system = { ...SYSTEM_ACTOR, platform: 'slack' as const, roles: ['system' as const] };

// Premium's targets, on the client's own calendar (US Central) rather than the tier's (UK extended hours).
const gold = resolveService(policy, { supportTier: 'Premium', calendar: 'us-central' });

function raise(now: Date, service = gold, severity: 1 | 2 | 3 | 4 = 2): Ticket {
  return op.raise(
    { seq: 9, title: 'Export failed', description: '', requester: RITA, severity, service },
    { policy, clocks, now, actor: { ...RITA, role: 'requester', roles: directory.rolesOf(RITA) } },
  ).ticket;
}

describe('a client service level: tier targets and its own calendar', () => {
  it('resolves a tier and a calendar by key or name, case-insensitively, as a snapshot of the policy', () => {
    expect(gold).toMatchObject({
      tier: { id: 'premium', name: 'Premium', targets: { 1: { response: 10, resolution: 240 } } },
      calendar: { id: 'us-central', name: 'US Central calendar', spec: { timeZone: 'America/Chicago' } },
      unknown: [],
    });
    expect(resolveService(policy, { supportTier: 'PREMIUM', calendar: 'US Central Calendar' })).toEqual(gold);
    expect(resolveService(policy, {})).toBeNull();
    // Without a calendar of its own, a client takes its tier's.
    expect(resolveService(policy, { supportTier: 'premium' })?.calendar).toMatchObject({
      id: 'uk-extended',
      spec: { timeZone: 'Europe/London', hours: { mon: '07:00-19:00' } },
    });
  });

  it('keeps names the policy lacks in `unknown`: the standard applies and the card says so', () => {
    const s = resolveService(policy, { supportTier: 'Platinum' });
    expect(s).toEqual({ tier: null, calendar: null, unknown: ['tier "Platinum"'] });
    expect(targetsFor(policy, 2, 2, s)).toEqual(targetsFor(policy, 2, 2));
    expect(describeService(s)).toBe(
      `SLA: standard (the client's tier "Platinum" is not in the policy: standard applies)`,
    );
  });

  it("a tier's targets win for its severities; what it leaves out keeps the policy's rules", () => {
    expect(targetsFor(policy, 2, 2, gold)).toMatchObject({ response: 15, resolution: 480 });
    expect(targetReason(targetsFor(policy, 2, 2, gold), 'response')).toBe('Premium tier, Severity 2, business hours');
    // Severity 3 on Premium: a tighter response, the standard resolution.
    expect(targetsFor(policy, 3, 3, gold)).toMatchObject({ response: 20, resolution: 3000 });
    expect(targetsFor(policy, 3, 3, gold).why.resolution).toBe('the standard SLA');
    // Gold names no targets: the same targets as no tier.
    const silver = resolveService(policy, { supportTier: 'gold' });
    expect(targetsFor(policy, 1, 1, silver)).toMatchObject(targetsFor(policy, 1, 1));
  });

  it('clocks on the client calendar count its hours, not the policy calendar', () => {
    // Mon 7 Dec 2026, 16:50 in London = 10:50 in Chicago. Severity 2 on Premium: 15 min response, 8 h resolution.
    const now = london('2026-12-07T16:50');
    const t = raise(now);
    expect(t.service).toEqual(gold);
    expect(t.sla.response.dueAt).toEqual(chicago('2026-12-07T11:05'));
    // 7 h 10 min left on Monday (to 18:00 Chicago), then 50 min on Tuesday.
    expect(t.sla.resolution.dueAt).toEqual(chicago('2026-12-08T08:50'));
    // The standard ticket at the same instant: 30 min on the London calendar, 25 today and 5 from 08:45 on Tuesday.
    const standard = raise(now, null);
    expect(standard.sla.response.dueAt).toEqual(london('2026-12-08T08:50'));
    expect(clocksForSeverity(clocks, policy, 2, gold).calendar.isBusinessTime(london('2026-12-07T18:00'))).toBe(true);
    expect(clocksForSeverity(clocks, policy, 2, null).calendar.isBusinessTime(london('2026-12-07T18:00'))).toBe(false);
  });

  it("a severity counted 24x7 stays 24x7, in the client calendar's zone", () => {
    const p: Policy = {
      ...policy,
      severities: { ...policy.severities, 1: { ...policy.severities[1], calendar: '24x7' } },
    };
    const ctx = clocksForSeverity(clocks, p, 1, gold);
    expect(ctx.calendar.isBusinessTime(chicago('2026-12-06T03:00'))).toBe(true); // a Sunday night
  });

  it('the ticket keeps what applied: a later policy edit does not move its clocks', () => {
    const t = raise(london('2026-12-07T16:50'));
    const edited: Policy = {
      ...policy,
      tiers: { ...policy.tiers, premium: { name: 'Premium', severities: { 2: { response: 120, resolution: 6000 } } } },
    };
    const moved = op.setPriority(t, 2 === t.priority ? 1 : 2, {
      policy: edited,
      clocks,
      now: london('2026-12-07T16:55'),
      actor: { platform: 'slack', userId: 'U0LEE', name: 'Lee', role: 'level1', roles: ['level1'] },
    }).ticket;
    // Retargeted on the stored Premium targets (15 min), not the edited policy's 120.
    expect(moved.sla.response.targetMinutes).toBe(15);
  });

  it('setting the client later retargets the clocks onto its calendar and tier, with an audit event', () => {
    const now = london('2026-12-07T16:50');
    const t = raise(now, null);
    const later = london('2026-12-07T17:00');
    const r = op.setClient(
      t,
      { client: 'ACME Manufacturing', clientId: 'acme', service: gold },
      {
        policy,
        clocks,
        now: later,
        actor: system,
      },
    );
    expect(r.ticket).toMatchObject({ client: 'ACME Manufacturing', clientId: 'acme', service: gold });
    // 10 minutes already used (16:50–17:00 is business time in both calendars): 5 of Premium's 15 remain.
    expect(r.ticket.sla.response.targetMinutes).toBe(15);
    expect(r.ticket.sla.response.dueAt).toEqual(chicago('2026-12-07T11:05'));
    expect(r.events.map((e) => [e.type, e.to, e.note])).toEqual([
      [
        'client',
        'ACME Manufacturing',
        'SLA: Premium tier · US Central calendar (America/Chicago, Mon–Fri 08:00–18:00)',
      ],
    ]);
    // The same client again changes nothing.
    expect(
      op.setClient(
        r.ticket,
        { client: 'ACME Manufacturing', clientId: 'acme', service: gold },
        {
          policy,
          clocks,
          now: later,
          actor: system,
        },
      ).events,
    ).toHaveLength(0);
  });

  it('only agents (or the scheduler) set the client', () => {
    const t = raise(london('2026-12-07T16:50'), null);
    expect(() =>
      op.setClient(
        t,
        { client: 'ACME', clientId: 'acme', service: gold },
        {
          policy,
          clocks,
          now: london('2026-12-07T17:00'),
          actor: { ...RITA, role: 'requester', roles: ['requester'] },
        },
      ),
    ).toThrow(/Only/);
  });

  it('describes hours and the service for cards', () => {
    expect(describeHours({ mon: '08:00-18:00', tue: '08:00-18:00', wed: '08:00-18:00', fri: '08:00-14:00' })).toBe(
      'Mon–Wed 08:00–18:00, Fri 08:00–14:00',
    );
    expect(describeService(gold)).toBe(
      'SLA: Premium tier · US Central calendar (America/Chicago, Mon–Fri 08:00–18:00)',
    );
    expect(describeService(null)).toBeNull();
  });
});
