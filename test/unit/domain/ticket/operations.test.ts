import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { DevelopmentStatus, Role } from '../../../../src/config/policy.schema';
import {
  ClosedError,
  DomainError,
  ErrorCode,
  ForbiddenError,
  InvalidInputError,
  TransitionNotAllowedError,
} from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import type { Notice, NoticeType } from '../../../../src/domain/ticket/notice';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { nextCheckAt, type SweepResult, sweepTicket } from '../../../../src/domain/ticket/schedule';
import { type Actor, SYSTEM_ACTOR, type Ticket } from '../../../../src/domain/ticket/ticket';

const seedPolicy = loadPolicy();
// Severity 3 climbs the whole ladder here so its mechanics can be followed to the top; the default
// ceilings per severity and priority are tested in ladder.test.ts.
const policy = {
  ...seedPolicy,
  severities: { ...seedPolicy.severities, 3: { ...seedPolicy.severities[3], ladderUpTo: 4 } },
};
const calendar = createBusinessCalendar(policy.calendar);
const clocks: ClockContext = { calendar, warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
const TZ = policy.calendar.timeZone;

/** A London wall time ("2026-06-01T09:00") as an instant. Mon 1 June 2026 is a normal working Monday (BST). */
const at = (local: string): Date => {
  const dt = DateTime.fromISO(local, { zone: TZ });
  if (!dt.isValid) throw new Error(`bad time ${local}`);
  return dt.toJSDate();
};
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes'); // requester
const OLLY = slack('U0OUTSIDER', 'Olly Other'); // another requester, not in the policy
const LEE = slack('U0LEVEL1', 'Lee Lewis'); // Level 1
const SAM = slack('U0LEVEL2', 'Sam Singh'); // Level 2
const DANA = slack('U0DEV1', 'Dana Drew'); // Product / Development / IT
const DEVON = slack('U0DEVLEAD', 'Devon Lake'); // Development, the Dev Lead who signs off reviews
const QUINN = slack('U0QA1', 'Quinn Tate'); // Development, QA
const AMY = slack('U0ADMIN1', 'Amy Adams'); // Administrative Staff
const MIKE = slack('U0TEAMLEAD', 'Mike Fox'); // Team Lead (manager)

/** The OpContext the app builds: the actor's roles from the policy's teams and ladder. */
function as(actor: Actor, now: Date): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
/** The scheduler, as app/scheduled-jobs acts. */
function asSystem(now: Date): op.OpContext {
  return { policy, clocks, now, actor: { ...SYSTEM_ACTOR, platform: 'slack', roles: ['system'] } };
}

/** What the store does on save: version + 1. */
const saved = (r: op.OpResult, before?: Ticket): Ticket => ({ ...r.ticket, version: (before?.version ?? 0) + 1 });

let nextSeq = 2000;
function raised(now: Date, input: Partial<op.RaiseInput> = {}): Ticket {
  const r = op.raise(
    {
      seq: nextSeq++,
      title: 'Invoices fail to export',
      description: 'The nightly export errored',
      requester: RITA,
      severity: 3,
      ...input,
    },
    as(input.requester ?? RITA, now),
  );
  return saved(r);
}

const ofType = (notices: Notice[], type: NoticeType) => notices.filter((n) => n.type === type);
const types = (r: { notices: Notice[] }) => r.notices.map((n) => n.type).sort();

/** The error `f` throws (fails the test when it does not throw). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but the operation succeeded');
}

/** Every event of the result is attributed to the acting person, in the role they acted in, at `now`. */
function expectAudit(r: op.OpResult, ctx: op.OpContext) {
  expect(r.events.length).toBeGreaterThan(0);
  for (const e of r.events) {
    expect(e.ticket).toBe(r.ticket.number);
    expect(e.at).toEqual(ctx.now);
    expect(e.actor).toMatchObject({
      platform: ctx.actor.platform,
      userId: ctx.actor.userId,
      name: ctx.actor.name,
      role: ctx.actor.role,
    });
  }
}
const eventOf = (r: { events: op.OpResult['events'] }, type: string) => r.events.find((e) => e.type === type);
/** A notice key is used once per change: two notices of one result never share a key. */
function expectUniqueKeys(r: { notices: Notice[] }) {
  const keys = r.notices.map((n) => n.key);
  expect(new Set(keys).size).toBe(keys.length);
}

/**
 * `nextCheckAt` is the earliest instant at which the sweep has something to do: sweeping 1 ms
 * before it does nothing, sweeping at it sends something; when null, nothing is ever due.
 */
function expectNextCheckIsEarliest(t: Ticket) {
  expect(t.nextCheckAt).toEqual(nextCheckAt(t, policy, clocks));
  if (!t.nextCheckAt) {
    expect(sweepTicket(t, plus(t.updatedAt, 60 * 86_400_000), policy, clocks).notices).toEqual([]);
    return;
  }
  const before = sweepTicket(t, plus(t.nextCheckAt, -1), policy, clocks);
  expect(before.notices).toEqual([]);
  expect(before.ticket.nextCheckAt).toEqual(t.nextCheckAt);
  expect(sweepTicket(t, t.nextCheckAt, policy, clocks).notices.length).toBeGreaterThan(0);
}

/** Apply a sweep as the store would. */
const swept = (t: Ticket, now: Date): [Ticket, SweepResult] => {
  const r = sweepTicket(t, now, policy, clocks);
  return [{ ...r.ticket, version: t.version + (r.notices.length || r.events.length ? 1 : 0) }, r];
};

describe('the life of a ticket', () => {
  let t: Ticket;
  let dueBeforePause: Date;

  it('raise: New, clocks running, triage card; Severity 1 also to Development triage and the Team Lead', () => {
    const ctx = as(RITA, at('2026-06-01T09:00'));
    const r = op.raise(
      {
        seq: 1042,
        title: "Users can't log in",
        description: 'Nobody in the AP team can log in since 9am; invoicing is blocked.',
        requester: RITA,
        severity: 1,
        categoryId: 'report-a-bug',
        client: 'Acme',
        businessImpact: 'No invoices can be approved',
      },
      ctx,
    );
    t = saved(r);
    expect(t).toMatchObject({
      number: 'SR-1042',
      status: 'new',
      severity: 1,
      team: 'level1',
      categoryId: 'report-a-bug',
      escalationLevel: 0,
      assignee: null,
      version: 1,
    });
    // Severity 1 with Priority 1 (its severity's number until triage): 15 minutes and 4 business hours.
    expect(t.priority).toBe(1);
    expect(t.sla.response).toMatchObject({ state: 'running', targetMinutes: 15 });
    expect(t.sla.resolution).toMatchObject({ state: 'running', targetMinutes: 240 });
    expect(t.sla.response.dueAt).toEqual(at('2026-06-01T09:15'));
    expect(t.sla.resolution.dueAt).toEqual(at('2026-06-01T13:00'));
    expect(t.nextCheckAt).toEqual(at('2026-06-01T09:11:15'));

    // no card is posted yet, so there is none to refresh: only the triage card and the Severity 1 escalation
    expect(types(r)).toEqual(['ticket.raised', 'ticket.sev1', 'ticket.sev1']);
    expect(ofType(r.notices, 'ticket.raised')[0]).toMatchObject({
      key: 'SR-1042:ticket.raised:v1',
      ticket: 'SR-1042',
      audience: { kind: 'channel', channel: 'triage' },
    });
    expect(ofType(r.notices, 'ticket.raised')[0]?.text).toContain("SR-1042 raised by Rita Reyes: Users can't log in");
    const sev1 = ofType(r.notices, 'ticket.sev1');
    expect(sev1.map((n) => n.audience)).toEqual(
      expect.arrayContaining([
        { kind: 'channel', channel: 'developmentTriage' },
        { kind: 'person', personId: 'mike.fox' },
      ]),
    );
    expect(policy.people['mike.fox']?.name).toBe('Mike Fox');
    for (const n of sev1) expect(n.text).toContain('Severity 1 (Critical Incident)');
    expectUniqueKeys(r);
    expectAudit(r, ctx);
    expect(eventOf(r, 'raised')).toMatchObject({ from: null, to: 'new' });
    expectNextCheckIsEarliest(t);
  });

  it('a Severity 3 ticket raises no Severity 1 escalation', () => {
    const r = op.raise(
      { seq: 1, title: 'Typo on the invoice screen', description: '', requester: RITA, severity: 3 },
      as(RITA, at('2026-06-01T09:00')),
    );
    expect(types(r)).toEqual(['ticket.raised']);
  });

  it('a requester cannot assign the ticket', () => {
    const err = thrown(() => op.assign(t, RITA, as(RITA, at('2026-06-01T09:02'))));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(
      'Only Level 1, Level 2, Administrative Staff, Product / Development / IT or a manager can assign SR-1042',
    );
  });

  it('assign by Level 1: Triage, first response met and its clock stopped', () => {
    const ctx = as(LEE, at('2026-06-01T09:05'));
    const r = op.assign(t, LEE, ctx);
    t = saved(r, t);
    expect(t.status).toBe('triage');
    expect(t.assignee).toEqual(LEE);
    expect(t.sla.response).toMatchObject({ state: 'stopped', usedMinutes: 5 });
    expect(t.sla.resolution.state).toBe('running');
    expectAudit(r, ctx);
    expect(eventOf(r, 'assigned')).toMatchObject({ from: null, to: 'Lee Lewis' });
    expect(eventOf(r, 'status')).toMatchObject({ from: 'new', to: 'triage' });
    expect(eventOf(r, 'sla.first_response')).toBeDefined();
    expect(ofType(r.notices, 'requester.update')[0]).toMatchObject({
      key: 'SR-1042:requester.update:v2',
      audience: { kind: 'user', actor: RITA },
    });
    expectUniqueKeys(r);
    expect(t.nextCheckAt).toEqual(t.sla.resolution.warnAt);
    expectNextCheckIsEarliest(t);
  });

  it('requestInfo: Waiting for Customer, clocks paused, the requester is asked', () => {
    const ctx = as(LEE, at('2026-06-01T09:10'));
    dueBeforePause = t.sla.resolution.dueAt!;
    const r = op.requestInfo(t, 'Which users are affected?', ctx);
    t = saved(r, t);
    expect(t.status).toBe('waiting_for_customer');
    expect(t.pendingQuestion).toBe('Which users are affected?');
    expect(t.sla.resolution).toMatchObject({ state: 'paused', pausedBy: 'Waiting for Customer', usedMinutes: 10 });
    expect(t.sla.response.state).toBe('stopped');
    const ask = ofType(r.notices, 'requester.info_requested');
    expect(ask).toHaveLength(1);
    expect(ask[0]?.audience).toEqual({ kind: 'user', actor: RITA });
    expect(ask[0]?.text).toContain('Which users are affected?');
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'triage', to: 'waiting_for_customer' });
    expect(eventOf(r, 'info_requested')?.note).toBe('Which users are affected?');
    expect(t.nextCheckAt).toBeNull();
    expectNextCheckIsEarliest(t);
  });

  it("the requester's reply: Customer Responded, clocks resumed, due moved by the paused business time", () => {
    const ctx = as(RITA, at('2026-06-01T11:10'));
    const r = op.addMessage(t, 'Everyone in the AP team', ctx);
    t = saved(r, t);
    expect(t.status).toBe('customer_responded');
    expect(t.pendingQuestion).toBeNull();
    expect(t.sla.resolution).toMatchObject({ state: 'running', usedMinutes: 10 });
    // Paused 09:10-11:10: 120 business minutes.
    expect(calendar.businessMinutesBetween(dueBeforePause, t.sla.resolution.dueAt!)).toBe(120);
    expect(t.sla.resolution.dueAt).toEqual(calendar.addBusinessMinutes(dueBeforePause, 120));
    expect(t.conversation.at(-1)).toMatchObject({ text: 'Everyone in the AP team', fromAgent: false, author: RITA });
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'waiting_for_customer', to: 'customer_responded' });
    expectNextCheckIsEarliest(t);
  });

  it('a requester cannot escalate to Team Ticketing or to Development', () => {
    expect(() => op.escalateToTeamTicketing(t, '', as(RITA, at('2026-06-01T11:15')))).toThrow(ForbiddenError);
    expect(() => op.escalateToDevelopment(t, 'code_change', as(RITA, at('2026-06-01T11:15')))).toThrow(ForbiddenError);
  });

  it('escalateToTeamTicketing by Level 1: Under Review, the full ticket to the Team Ticketing channel', () => {
    const ctx = as(LEE, at('2026-06-01T11:20'));
    const r = op.escalateToTeamTicketing(t, 'Needs Level 2: session store', ctx);
    t = saved(r, t);
    expect(t).toMatchObject({ status: 'under_review', inTeamTicketing: true, team: 'level2' });
    const tt = ofType(r.notices, 'ticket.team_ticketing');
    expect(tt).toHaveLength(1);
    expect(tt[0]?.audience).toEqual({ kind: 'channel', channel: 'teamTicketing' });
    expect(tt[0]?.text).toContain('SR-1042 escalated to Team Ticketing by Lee Lewis');
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'customer_responded', to: 'under_review' });
    expect(eventOf(r, 'escalated_team_ticketing')?.note).toBe('Needs Level 2: session store');
    expectUniqueKeys(r);
    expectNextCheckIsEarliest(t);
    expect(() => op.escalateToTeamTicketing(t, '', as(LEE, at('2026-06-01T11:21')))).toThrow(
      new TransitionNotAllowedError('SR-1042 is already in Team Ticketing'),
    );
  });

  it('Level 1 cannot escalate to Development', () => {
    const err = thrown(() => op.escalateToDevelopment(t, 'code_change', as(LEE, at('2026-06-01T11:25'))));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toBe(
      'Only Level 2, Product / Development / IT or a manager can move SR-1042 from Under Review to Escalated to Dev',
    );
  });

  it('escalateToDevelopment by Level 2: Escalated to Dev, development Planned on the chosen route', () => {
    expect(() => op.escalateToDevelopment(t, 'rewrite' as never, as(SAM, at('2026-06-01T11:30')))).toThrow(
      InvalidInputError,
    );
    const ctx = as(SAM, at('2026-06-01T11:30'));
    const r = op.escalateToDevelopment(t, 'code_change', ctx);
    t = saved(r, t);
    expect(t.status).toBe('escalated_to_dev');
    expect(t.team).toBe('development');
    expect(t.development).toEqual({
      route: 'code_change',
      status: 'planned',
      releaseNote: null,
      // Development's own acceptance target starts now (8 business hours for a code change by default).
      targets: expect.objectContaining({ route: 'code_change', accept: expect.objectContaining({ minutes: 480 }) }),
    });
    expect(t.sla.resolution.state).toBe('running');
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'under_review', to: 'escalated_to_dev' });
    expect(eventOf(r, 'escalated_dev')).toMatchObject({ from: null, to: 'code_change' });
    expect(ofType(r.notices, 'requester.update')[0]?.text).toContain('Code change / bug fix');
    expectNextCheckIsEarliest(t);
  });

  it('only Development moves the development work, one step at a time', () => {
    expect(() => op.advanceDevelopment(t, 'dev_in_progress', '', as(SAM, at('2026-06-02T09:00')))).toThrow(
      new ForbiddenError('Only Product / Development / IT can move development of SR-1042 to Dev in Progress'),
    );
    expect(() => op.advanceDevelopment(t, 'released', 'x', as(DANA, at('2026-06-02T09:00')))).toThrow(
      TransitionNotAllowedError,
    );
  });

  it('advanceDevelopment through the chain; Released puts the ticket On Customer Test and asks "is it fixed?"', () => {
    // The review is signed off by the Dev Lead, the QA approval by QA: someone other than the change's author.
    const chain: Array<[DevelopmentStatus, string, Actor]> = [
      ['dev_in_progress', '2026-06-02T10:00', DANA],
      ['dev_done_waiting_review', '2026-06-02T15:00', DANA],
      ['dev_done_waiting_qa', '2026-06-03T09:00', DEVON],
      ['qa_in_progress', '2026-06-03T10:00', DANA],
      ['ready_for_release', '2026-06-03T13:00', QUINN],
    ];
    for (const [to, when, who] of chain) {
      const from = t.development!.status;
      const ctx = as(who, at(when));
      const r = op.advanceDevelopment(t, to, '', ctx);
      t = saved(r, t);
      expect(t.status).toBe('escalated_to_dev');
      expect(t.development?.status).toBe(to);
      expectAudit(r, ctx);
      expect(eventOf(r, 'development')).toMatchObject({ from, to });
      expect(ofType(r.notices, 'requester.is_it_fixed')).toEqual([]);
      expectNextCheckIsEarliest(t);
    }
    const ctx = as(DANA, at('2026-06-03T15:00'));
    const r = op.advanceDevelopment(t, 'released', 'Fixed in release 4.2.1', ctx);
    t = saved(r, t);
    expect(t.development).toEqual({
      route: 'code_change',
      status: 'released',
      releaseNote: 'Fixed in release 4.2.1',
      doneBy: DANA,
      reviewedBy: DEVON,
      qaBy: QUINN,
      targets: expect.objectContaining({ accept: expect.objectContaining({ metAt: expect.any(Date) }) }),
    });
    expect(t.status).toBe('on_customer_test');
    expect(t.resolvedAt).toEqual(at('2026-06-03T15:00'));
    expect(t.sla.resolution.state).toBe('stopped');
    const fixed = ofType(r.notices, 'requester.is_it_fixed');
    expect(fixed).toHaveLength(1);
    expect(fixed[0]?.audience).toEqual({ kind: 'user', actor: RITA });
    expect(fixed[0]?.text).toContain('Fixed in release 4.2.1');
    expect(fixed[0]?.text).toContain('Is it fixed?');
    expectAudit(r, ctx);
    expect(eventOf(r, 'development')).toMatchObject({ from: 'ready_for_release', to: 'released' });
    expect(eventOf(r, 'status')).toMatchObject({ from: 'escalated_to_dev', to: 'on_customer_test' });
    expect(t.nextCheckAt).toBeNull();
    expectNextCheckIsEarliest(t);
  });

  it('reopen by the requester: Customer Responded, the resolution clock runs again', () => {
    const used = t.sla.resolution.usedMinutes;
    const ctx = as(RITA, at('2026-06-04T10:00'));
    const r = op.reopen(t, 'Still failing for two users', ctx);
    t = saved(r, t);
    expect(t.status).toBe('customer_responded');
    expect(t.resolvedAt).toBeNull();
    expect(t.sla.resolution).toMatchObject({ state: 'running', usedMinutes: used });
    expect(t.sla.resolution.since).toEqual(at('2026-06-04T10:00'));
    // Already past its 4 business hours before it was resolved: due stays the real instant it was crossed
    // (Mon 15:00: 4 business hours after 09:00, less the time it waited for the customer).
    expect(used).toBeGreaterThan(240);
    expect(t.sla.resolution.dueAt).toEqual(at('2026-06-01T15:00'));
    expect(t.conversation.at(-1)?.text).toBe('Still failing for two users');
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'on_customer_test', to: 'customer_responded' });
    expect(eventOf(r, 'reopened')?.note).toBe('Still failing for two users');
    expectNextCheckIsEarliest(t);
  });

  it('resolve: On Customer Test again, resolution clock stopped', () => {
    const ctx = as(SAM, at('2026-06-04T14:00'));
    const r = op.resolve(t, 'Cleared their sessions', ctx);
    t = saved(r, t);
    expect(t.status).toBe('on_customer_test');
    expect(t.resolvedAt).toEqual(at('2026-06-04T14:00'));
    expect(t.sla.resolution.state).toBe('stopped');
    expect(ofType(r.notices, 'requester.is_it_fixed')[0]?.text).toContain('Cleared their sessions');
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'customer_responded', to: 'on_customer_test' });
    expectNextCheckIsEarliest(t);
  });

  it('another requester cannot confirm the fix', () => {
    const err = thrown(() => op.confirmFixed(t, as(OLLY, at('2026-06-04T14:30'))));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toContain('Only the requester');
  });

  it('confirmFixed by the requester: Pending Closure and the CSAT card', () => {
    const ctx = as(RITA, at('2026-06-04T15:00'));
    const r = op.confirmFixed(t, ctx);
    t = saved(r, t);
    expect(t.status).toBe('pending_closure');
    const csat = ofType(r.notices, 'requester.csat');
    expect(csat).toHaveLength(1);
    expect(csat[0]?.audience).toEqual({ kind: 'user', actor: RITA });
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'on_customer_test', to: 'pending_closure' });
    expectNextCheckIsEarliest(t);
  });

  it('recordCsat by the requester only, 1 to 5', () => {
    expect(() => op.recordCsat(t, 5, '', as(OLLY, at('2026-06-04T15:05')))).toThrow(InvalidInputError);
    expect(() => op.recordCsat(t, 6, '', as(RITA, at('2026-06-04T15:05')))).toThrow(InvalidInputError);
    expect(() => op.recordCsat(t, 2.5, '', as(RITA, at('2026-06-04T15:05')))).toThrow(InvalidInputError);
    const ctx = as(RITA, at('2026-06-04T15:05'));
    const r = op.recordCsat(t, 5, 'Quick and clear', ctx);
    t = saved(r, t);
    expect(t.csat).toEqual({ score: 5, comment: 'Quick and clear', at: at('2026-06-04T15:05') });
    expectAudit(r, ctx);
    expect(eventOf(r, 'csat')).toMatchObject({ from: null, to: 5 });
  });

  it('close by the scheduler after 7 days: Closed, clocks stopped, nothing left to check', () => {
    const ctx = asSystem(at('2026-06-11T15:00'));
    const r = op.close(t, 'No reply for 7 days in Pending Closure', ctx);
    t = saved(r, t);
    expect(t.status).toBe('closed');
    expect(t.closedAt).toEqual(at('2026-06-11T15:00'));
    expect(t.sla.response.state).toBe('stopped');
    expect(t.sla.resolution.state).toBe('stopped');
    expect(t.nextCheckAt).toBeNull();
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'pending_closure', to: 'closed', actor: { role: 'system' } });
    expect(ofType(r.notices, 'requester.update')[0]?.text).toContain("SR-1042 (Users can't log in) is now closed");
    expectNextCheckIsEarliest(t);
  });

  describe('after Closed, every operation throws ClosedError', () => {
    const now = at('2026-06-12T10:00');
    const CLOSED = 'SR-1042 is Closed and can no longer be updated';
    const OPS: Array<[string, () => unknown]> = [
      ['addMessage (requester)', () => op.addMessage(t, 'Hello?', as(RITA, now))],
      ['addMessage (agent)', () => op.addMessage(t, 'Any news?', as(LEE, now))],
      ['assign', () => op.assign(t, LEE, as(LEE, now))],
      ['setSeverity', () => op.setSeverity(t, 2, as(LEE, now))],
      ['setCategory', () => op.setCategory(t, 'file-errors', as(LEE, now))],
      ['setTeam', () => op.setTeam(t, 'admin', as(LEE, now))],
      ['requestInfo', () => op.requestInfo(t, 'More?', as(LEE, now))],
      ['resolve', () => op.resolve(t, '', as(SAM, now))],
      ['confirmFixed', () => op.confirmFixed(t, as(RITA, now))],
      ['reopen', () => op.reopen(t, 'Broken again', as(RITA, now))],
      ['escalateToTeamTicketing', () => op.escalateToTeamTicketing({ ...t, inTeamTicketing: false }, '', as(LEE, now))],
      ['escalateToDevelopment', () => op.escalateToDevelopment(t, 'code_change', as(SAM, now))],
      ['advanceDevelopment', () => op.advanceDevelopment(t, 'dev_in_progress', '', as(DANA, now))],
      ['changeStatus', () => op.changeStatus(t, 'work_in_progress', as(SAM, now))],
      ['customerEscalation', () => op.customerEscalation(t, { reason: 'Still broken' }, as(RITA, now))],
      ['close', () => op.close(t, '', as(LEE, now))],
      // A rating is the exception: within csat.rateWithin of the close (csat.test.ts), not after it.
      [
        'recordCsat (after csat.rateWithin)',
        () => op.recordCsat(t, 1, 'Changed my mind', as(RITA, at('2026-06-18T15:00'))),
      ],
      [
        'acknowledgeAlert (an unacknowledged breach on the closed ticket)',
        () =>
          op.acknowledgeAlert(
            { ...t, alerting: { ...t.alerting, breachedAt: at('2026-06-01T09:30'), notifiedLevel: 1 } },
            as(MIKE, now),
          ),
      ],
    ];
    it.each(OPS)('%s', (name, run) => {
      const err = thrown(run);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(ErrorCode.Closed);
      if (name.startsWith('recordCsat'))
        expect(err.message).toMatch(/^Thank you for wanting to rate SR-1042\. Rating it closed on/);
      else {
        expect(err).toBeInstanceOf(ClosedError);
        expect(err.message).toBe(CLOSED);
      }
    });
  });
});

describe('operations also used from the cards', () => {
  it('setSeverity to 1 escalates to Development triage and the Team Lead; agents only', () => {
    const t = raised(at('2026-06-01T09:00'));
    expect(() => op.setSeverity(t, 1, as(RITA, at('2026-06-01T09:05')))).toThrow(ForbiddenError);
    const ctx = as(LEE, at('2026-06-01T09:05'));
    const r = op.setSeverity(t, 1, ctx);
    expect(r.ticket.severity).toBe(1);
    expect(ofType(r.notices, 'ticket.sev1').map((n) => n.audience)).toEqual([
      { kind: 'channel', channel: 'developmentTriage' },
      { kind: 'person', personId: 'mike.fox' },
    ]);
    expectUniqueKeys(r);
    expectAudit(r, ctx);
    expect(eventOf(r, 'severity')).toMatchObject({ from: 3, to: 1 });
    expect(op.setSeverity(t, 3, ctx)).toEqual({ ticket: t, events: [], notices: [] });
  });

  it('setCategory moves the owning team; setTeam sets it', () => {
    const t = raised(at('2026-06-01T09:00'));
    const ctx = as(AMY, at('2026-06-01T09:05'));
    const r = op.setCategory(t, 'file-errors', ctx);
    expect(r.ticket).toMatchObject({ categoryId: 'file-errors', team: 'level2' });
    expectAudit(r, ctx);
    expect(eventOf(r, 'category')).toMatchObject({ from: null, to: 'file-errors' });
    expect(eventOf(r, 'team')).toMatchObject({ from: 'level1', to: 'level2' });
    expect(() => op.setCategory(t, 'no-such-category', ctx)).toThrow(InvalidInputError);
    const s = op.setTeam(t, 'admin', ctx);
    expect(eventOf(s, 'team')).toMatchObject({ from: 'level1', to: 'admin' });
    expectAudit(s, ctx);
  });

  it("an agent's correction of triage's severity or category is recorded with before and after", () => {
    const triage = {
      severity: 3 as const,
      severityReason: 'a task impaired',
      categoryId: 'file-import-export-errors',
      team: 'level2' as const,
      categoryReason: "matches File import/Export errors: 'export'",
    };
    const t = raised(at('2026-06-01T09:00'), { triage, categoryId: 'file-import-export-errors' });
    expect(t.triage).toEqual(triage);
    const ctx = as(LEE, at('2026-06-01T09:05'));
    const sev = op.setSeverity(t, 2, ctx);
    expect(eventOf(sev, 'triage_corrected')).toMatchObject({ note: 'severity', from: 3, to: 2 });
    const back = op.setSeverity(saved(sev), 3, ctx);
    expect(eventOf(back, 'triage_corrected')).toBeUndefined(); // back to what triage said: no correction
    const cat = op.setCategory(t, 'file-errors', ctx);
    expect(eventOf(cat, 'triage_corrected')).toMatchObject({
      note: 'category',
      from: 'file-import-export-errors',
      to: 'file-errors',
    });
    expectAudit(cat, ctx);
    // A ticket raised without a suggestion has nothing to correct.
    expect(eventOf(op.setSeverity(raised(at('2026-06-01T09:00')), 2, ctx), 'triage_corrected')).toBeUndefined();
  });

  it('changeStatus records the move and counts as the first response of an agent', () => {
    const t = raised(at('2026-06-01T09:00'));
    const ctx = as(SAM, at('2026-06-01T09:07'));
    const r = op.changeStatus(t, 'under_review', ctx);
    expect(r.ticket.status).toBe('under_review');
    expect(r.ticket.sla.response).toMatchObject({ state: 'stopped', usedMinutes: 7 });
    expectAudit(r, ctx);
    expect(eventOf(r, 'status')).toMatchObject({ from: 'new', to: 'under_review' });
  });

  it('a chargeable request starts in Quote Required with both clocks paused; an agent may close it', () => {
    const t = raised(at('2026-06-01T09:00'), { quoteRequired: 'Writing custom queries' });
    expect(t.status).toBe('quote_required');
    expect(t.sla.response.state).toBe('paused');
    expect(t.sla.resolution.state).toBe('paused');
    expectNextCheckIsEarliest(t);
    const ctx = as(LEE, at('2026-06-01T10:00'));
    const r = op.close(t, 'Passed to Professional Services', ctx);
    expect(r.ticket.status).toBe('closed');
    expect(eventOf(r, 'status')).toMatchObject({ from: 'quote_required', to: 'closed' });
    expectAudit(r, ctx);
  });

  it('an agent message stops the first-response clock and reaches the requester', () => {
    const t = raised(at('2026-06-01T09:00'));
    const ctx = as(AMY, at('2026-06-01T09:12'));
    const r = op.addMessage(t, 'Looking into it now', ctx);
    expect(r.ticket.sla.response).toMatchObject({ state: 'stopped', usedMinutes: 12 });
    expect(r.ticket.conversation.at(-1)).toMatchObject({ fromAgent: true, text: 'Looking into it now' });
    expect(ofType(r.notices, 'requester.update')[0]?.audience).toEqual({ kind: 'user', actor: RITA });
    expectAudit(r, ctx);
  });

  it('a requester message on a Pending Closure ticket is recorded; only "not fixed" reopens it', () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.resolve(t, 'Done', as(LEE, at('2026-06-01T10:00'))), t);
    t = saved(op.confirmFixed(t, as(RITA, at('2026-06-01T11:00'))), t);
    expect(t.status).toBe('pending_closure');
    const thanks = op.addMessage(t, 'Thanks a lot!', as(RITA, at('2026-06-02T10:00')));
    expect(thanks.ticket.status).toBe('pending_closure');
    expect(thanks.ticket.resolvedAt).toEqual(t.resolvedAt);
    expect(thanks.ticket.conversation.at(-1)?.text).toBe('Thanks a lot!');
    t = saved(thanks, t);
    const r = op.reopen(t, 'Actually it broke again', as(RITA, at('2026-06-02T11:00')));
    expect(r.ticket.status).toBe('customer_responded');
    expect(r.ticket.sla.resolution.state).toBe('running');
    // The ticket is open again with its resolution clock running: it is no longer resolved.
    expect(r.ticket.resolvedAt).toBeNull();
  });
});

/**
 * Repeating a status change on a ticket already in that status must still check who acts: a
 * requester, or someone else's requester, may not re-run agent operations and reset the ticket.
 */
describe('an operation whose target is the current status still checks the actor', () => {
  const refused = (f: () => unknown) => {
    const err = thrown(f);
    expect([ForbiddenError, TransitionNotAllowedError, ClosedError].some((E) => err instanceof E)).toBe(true);
  };

  it('a requester cannot re-escalate to Development and reset the development work to Planned', () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.escalateToDevelopment(t, 'code_change', as(SAM, at('2026-06-01T09:10'))), t);
    t = saved(op.advanceDevelopment(t, 'dev_in_progress', '', as(DANA, at('2026-06-01T09:20'))), t);
    refused(() => op.escalateToDevelopment(t, 'change_request', as(RITA, at('2026-06-01T09:30'))));
  });

  it('a requester cannot mark their own ticket resolved again while it is On Customer Test', () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.resolve(t, 'Done', as(LEE, at('2026-06-01T09:10'))), t);
    refused(() => op.resolve(t, 'I say so', as(RITA, at('2026-06-01T09:20'))));
  });

  it("another requester cannot confirm the fix of someone else's ticket already Pending Closure", () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.resolve(t, 'Done', as(LEE, at('2026-06-01T09:10'))), t);
    t = saved(op.confirmFixed(t, as(RITA, at('2026-06-01T09:20'))), t);
    refused(() => op.confirmFixed(t, as(OLLY, at('2026-06-01T09:30'))));
  });

  it("a stranger cannot 'reopen' someone else's ticket already Customer Responded", () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.requestInfo(t, 'Which file?', as(LEE, at('2026-06-01T09:10'))), t);
    t = saved(op.addMessage(t, 'invoices.csv', as(RITA, at('2026-06-01T09:20'))), t);
    expect(t.status).toBe('customer_responded');
    refused(() => op.reopen(t, 'Not mine, but still', as(OLLY, at('2026-06-01T09:30'))));
  });

  it('a requester cannot ask themselves for information while the ticket waits for them', () => {
    let t = raised(at('2026-06-01T09:00'));
    t = saved(op.requestInfo(t, 'Which file?', as(LEE, at('2026-06-01T09:10'))), t);
    refused(() => op.requestInfo(t, 'Anything?', as(RITA, at('2026-06-01T09:20'))));
  });
});

describe('notice keys', () => {
  it('are the same for the same operation on the same version, and change with the version', () => {
    const t = raised(at('2026-06-01T09:00'));
    const a = op.assign(t, LEE, as(LEE, at('2026-06-01T09:05')));
    const b = op.assign(t, LEE, as(LEE, at('2026-06-01T09:06')));
    expect(a.notices.map((n) => n.key)).toEqual(b.notices.map((n) => n.key));
    expect(a.notices.map((n) => n.key)).toEqual([`${t.number}:requester.update:v2`]);
    // once a card is posted, every change refreshes it (keyed by the version, like the others)
    const posted = {
      ...t,
      posts: [{ kind: 'triage' as const, platform: 'slack' as const, channel: 'C0TRIAGE', messageId: '1.2' }],
    };
    expect(op.assign(posted, LEE, as(LEE, at('2026-06-01T09:06'))).notices.map((n) => n.key)).toEqual([
      `${t.number}:requester.update:v2`,
      `${t.number}:ticket.cards_changed:v2`,
    ]);
    const next = saved(a, t);
    const c = op.requestInfo(next, 'Which invoices?', as(LEE, at('2026-06-01T09:10')));
    for (const key of c.notices.map((n) => n.key)) expect(key).toMatch(/:v3$/);
  });

  it('never collide within one operation', () => {
    const t = raised(at('2026-06-01T09:00'), { severity: 1 });
    expectUniqueKeys(
      op.customerEscalation(t, { reason: 'Month end', businessImpact: 'AP blocked' }, as(RITA, at('2026-06-01T09:30'))),
    );
    expectUniqueKeys(op.escalateToTeamTicketing(t, '', as(LEE, at('2026-06-01T09:30'))));
  });
});

describe('customerEscalation', () => {
  const LADDER: Array<[number, string, string]> = [
    [1, 'Team Lead / CSM', 'mike.fox'],
    [2, 'Support Manager', 'james.goulbourne'],
    [3, 'Head of Support & Customer Success', 'erika.goldman'],
    [4, 'Chief Customer Officer (CCO)', 'james.lawson'],
  ];

  it("climbs one level at a time, telling the level's named contact, the Team Lead and the managers", () => {
    let t = raised(at('2026-06-01T09:00'));
    // The requester reaches the Support Manager on their own, an hour apart; a manager takes it higher.
    const steps: Array<[Actor, string]> = [
      [RITA, '2026-06-01T10:00'],
      [RITA, '2026-06-01T11:00'],
      [MIKE, '2026-06-01T11:05'],
      [MIKE, '2026-06-01T11:10'],
    ];
    for (const [i, [level, name, contact]] of LADDER.entries()) {
      const [who, when] = steps[i]!;
      const ctx = as(who, at(when));
      const r = op.customerEscalation(t, { reason: 'Month end is at risk', businessImpact: 'AP team blocked' }, ctx);
      t = saved(r, t);
      expect(t.escalationLevel).toBe(level);
      expect(t.businessImpact).toBe('AP team blocked');
      const sent = ofType(r.notices, 'customer.escalation');
      // The Team Lead once (they are level 1's contact), and never when they acted themselves.
      const lead = level === 1 || who === MIKE ? [] : [{ kind: 'person', personId: 'mike.fox' }];
      const own = who === MIKE && contact === 'mike.fox' ? [] : [{ kind: 'person', personId: contact }];
      expect(sent.map((n) => n.audience)).toEqual([...own, ...lead, { kind: 'channel', channel: 'managers' }]);
      for (const n of sent) {
        expect(n.text).toContain(`to ${name} by ${who.name}: Month end is at risk`);
        expect(n.text).toContain('Impact now: AP team blocked');
      }
      expectUniqueKeys(r);
      expectAudit(r, ctx);
      expect(eventOf(r, 'customer_escalation')).toMatchObject({ from: level - 1, to: level });
    }
    const err = thrown(() =>
      op.customerEscalation(t, { reason: 'Still down', businessImpact: 'x' }, as(MIKE, at('2026-06-01T12:00'))),
    );
    expect(err).toBeInstanceOf(TransitionNotAllowedError);
    expect(err.message).toBe(`${t.number} is already escalated to Chief Customer Officer (CCO)`);
  });

  it('refuses a level off the ladder, an empty reason and a stranger', () => {
    const t = raised(at('2026-06-01T09:00'));
    const ctx = as(RITA, at('2026-06-01T10:00'));
    expect(() => op.customerEscalation(t, { reason: 'x', toLevel: 5 }, ctx)).toThrow(InvalidInputError);
    expect(() => op.customerEscalation(t, { reason: 'x', toLevel: 0 }, ctx)).toThrow(InvalidInputError);
    expect(() => op.customerEscalation(t, { reason: '   ' }, ctx)).toThrow(InvalidInputError);
    expect(() => op.customerEscalation(t, { reason: 'x' }, as(OLLY, at('2026-06-01T10:00')))).toThrow(ForbiddenError);
  });

  it('may jump straight to a named level', () => {
    const t = raised(at('2026-06-01T09:00'));
    const r = op.customerEscalation(
      t,
      { reason: 'Critical', businessImpact: 'Payroll', toLevel: 3 },
      as(MIKE, at('2026-06-01T10:00')),
    );
    expect(r.ticket.escalationLevel).toBe(3);
    expect(ofType(r.notices, 'customer.escalation')[0]?.audience).toEqual({
      kind: 'person',
      personId: 'erika.goldman',
    });
  });
});

describe('acknowledgeAlert', () => {
  it('refuses when there is no breach yet', () => {
    const t = raised(at('2026-06-01T09:00'));
    expect(() => op.acknowledgeAlert(t, as(MIKE, at('2026-06-01T09:10')))).toThrow(
      new TransitionNotAllowedError(`${t.number} has no breach alert to acknowledge`),
    );
  });

  it('is for agents and managers only', () => {
    const [t] = swept(raised(at('2026-06-01T09:00')), at('2026-06-01T09:30'));
    expect(() => op.acknowledgeAlert(t, as(RITA, at('2026-06-01T09:40')))).toThrow(ForbiddenError);
    expect(op.acknowledgeAlert(t, as(LEE, at('2026-06-01T09:40'))).ticket.alerting.acknowledgedBy).toEqual(LEE);
  });
});

describe('sweepTicket', () => {
  const MON_0900 = at('2026-06-01T09:00');

  it('warns at 75 % of the first response target to the triage channel when unassigned', () => {
    const t = raised(MON_0900);
    expect(t.nextCheckAt).toEqual(at('2026-06-01T09:22:30'));
    expect(sweepTicket(t, at('2026-06-01T09:22:29.999'), policy, clocks).notices).toEqual([]);
    const [after, r] = swept(t, at('2026-06-01T09:22:30'));
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatchObject({
      type: 'sla.warning',
      ticket: t.number,
      clock: 'response',
      audience: { kind: 'channel', channel: 'triage' },
      at: at('2026-06-01T09:22:30'),
    });
    expect(r.notices[0]?.text).toContain('is at risk: its first response is due Mon 09:30');
    expect(r.events.map((e) => [e.type, e.actor])).toEqual([['sla.warning', SYSTEM_ACTOR]]);
    expect(after.sla.response.warned).toBe(true);
    expect(after.nextCheckAt).toEqual(at('2026-06-01T09:30'));
    expectNextCheckIsEarliest(after);
  });

  it('warns the assignee about the resolution clock', () => {
    let t = raised(MON_0900);
    t = saved(op.assign(t, LEE, as(LEE, at('2026-06-01T09:05'))), t);
    // 2250 business minutes after Mon 09:00: Mon 495 + Tue-Thu 1530 + Fri 225 → Fri 12:30.
    expect(t.nextCheckAt).toEqual(at('2026-06-05T12:30'));
    const [after, r] = swept(t, at('2026-06-05T12:30'));
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatchObject({
      type: 'sla.warning',
      clock: 'resolution',
      audience: { kind: 'user', actor: LEE },
    });
    expect(after.nextCheckAt).toEqual(at('2026-06-08T16:30'));
    expectNextCheckIsEarliest(after);
  });

  it('alerts the managers at the breach, mentioning the Team Lead, and schedules the ladder', () => {
    const [warned] = swept(raised(MON_0900), at('2026-06-01T09:22:30'));
    const [after, r] = swept(warned, at('2026-06-01T09:30'));
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatchObject({
      type: 'sla.breach',
      clock: 'response',
      audience: { kind: 'channel', channel: 'managers' },
      mention: 'mike.fox',
      level: 1,
      at: at('2026-06-01T09:30'),
    });
    const text = r.notices[0]!.text;
    expect(text).toContain(
      'missed the 30 business minutes target for the standard SLA for its first response at Mon 1 Jun 09:30',
    );
    expect(text).toContain('Acknowledge to stop the escalation');
    expect(text).toContain('Team Lead / CSM please acknowledge');
    expect(text).not.toContain('reported late');
    expect(after.sla.response).toMatchObject({ warned: true, breached: true, breachedAt: at('2026-06-01T09:30') });
    expect(after.alerting).toMatchObject({
      breachedAt: at('2026-06-01T09:30'),
      notifiedLevel: 1,
      nextStepAt: at('2026-06-01T11:30'),
    });
    expect(after.nextCheckAt).toEqual(at('2026-06-01T11:30'));
    expectNextCheckIsEarliest(after);
  });

  it('alerts the level the customer escalated to', () => {
    let t = raised(MON_0900);
    t = saved(op.customerEscalation(t, { reason: 'x', priority: 3, toLevel: 2 }, as(RITA, at('2026-06-01T09:10'))), t);
    const [after, r] = swept(t, at('2026-06-01T09:30'));
    expect(r.notices[0]).toMatchObject({ type: 'sla.breach', mention: 'james.goulbourne', level: 2 });
    expect(after.alerting.notifiedLevel).toBe(2);
  });

  it('climbs the ladder every ladderStepAfter business minutes up to the CCO, then stops', () => {
    expect(policy.sla.ladderStepAfter).toBe(120);
    let [t] = swept(raised(MON_0900), at('2026-06-01T09:30'));
    const STEPS: Array<[string, number, string, string, string | null]> = [
      ['2026-06-01T11:30', 2, 'Support Manager', 'james.goulbourne', '2026-06-01T13:30'],
      ['2026-06-01T13:30', 3, 'Head of Support & Customer Success', 'erika.goldman', '2026-06-01T15:30'],
      ['2026-06-01T15:30', 4, 'Chief Customer Officer (CCO)', 'james.lawson', null],
    ];
    for (const [when, level, name, contact, next] of STEPS) {
      expect(sweepTicket(t, plus(at(when), -1), policy, clocks).notices).toEqual([]);
      const [after, r] = swept(t, at(when));
      expect(r.notices.map((n) => [n.type, n.level, n.audience, n.mention])).toEqual([
        ['sla.ladder', level, { kind: 'channel', channel: 'managers' }, contact],
        ['sla.ladder', level, { kind: 'person', personId: contact }, undefined],
      ]);
      for (const n of r.notices) {
        expect(n.text).toContain(`now escalated to ${name}`);
        expect(n.text).toContain('breached its first response SLA at Mon 1 Jun 09:30');
      }
      expect(after.alerting.notifiedLevel).toBe(level);
      expect(after.alerting.nextStepAt).toEqual(next ? at(next) : null);
      expectNextCheckIsEarliest(after);
      t = after;
    }
    // At the top: nothing more, however long nobody acknowledges.
    expect(t.nextCheckAt).toEqual(t.sla.resolution.warnAt);
    expect(ofType(sweepTicket(t, at('2026-06-03T09:00'), policy, clocks).notices, 'sla.ladder')).toEqual([]);
  });

  it('counts ladder steps in business time, across the night', () => {
    const t = raised(at('2026-06-01T16:00'));
    const [after] = swept(t, at('2026-06-01T16:30'));
    // 45 minutes on Monday, 75 on Tuesday.
    expect(after.alerting.nextStepAt).toEqual(at('2026-06-02T10:00'));
    expect(sweepTicket(after, at('2026-06-02T09:59'), policy, clocks).notices).toEqual([]);
    expect(sweepTicket(after, at('2026-06-02T10:00'), policy, clocks).notices[0]?.level).toBe(2);
  });

  it('stops climbing once someone acknowledges', () => {
    const [breached] = swept(raised(MON_0900), at('2026-06-01T09:30'));
    const ctx = as(MIKE, at('2026-06-01T10:00'));
    const r = op.acknowledgeAlert(breached, ctx);
    const t = saved(r, breached);
    expect(t.alerting).toMatchObject({
      acknowledgedBy: MIKE,
      acknowledgedAt: at('2026-06-01T10:00'),
      nextStepAt: null,
    });
    expectAudit(r, ctx);
    expect(eventOf(r, 'alert_acknowledged')?.note).toBe('level 1');
    expect(t.nextCheckAt).toEqual(t.sla.resolution.warnAt);
    expectNextCheckIsEarliest(t);
    for (const when of ['2026-06-01T11:30', '2026-06-01T15:30', '2026-06-02T12:00'])
      expect(ofType(sweepTicket(t, at(when), policy, clocks).notices, 'sla.ladder')).toEqual([]);
    // A second acknowledgement changes nothing.
    expect(op.acknowledgeAlert(t, as(LEE, at('2026-06-01T10:05')))).toEqual({ ticket: t, events: [], notices: [] });
  });

  it('after downtime, sends one breach (with the real time) and one ladder notice for the level reached', () => {
    const t = raised(MON_0900);
    // Nobody swept from 09:00 until 14:30: 5 business hours after the 09:30 breach.
    const [after, r] = swept(t, at('2026-06-01T14:30'));
    expect(ofType(r.notices, 'sla.warning')).toEqual([]);
    const breach = ofType(r.notices, 'sla.breach');
    expect(breach).toHaveLength(1);
    expect(breach[0]?.at).toEqual(at('2026-06-01T09:30'));
    expect(breach[0]?.text).toContain('at Mon 1 Jun 09:30 (reported late, at Mon 1 Jun 14:30)');
    const ladder = ofType(r.notices, 'sla.ladder');
    // Steps fell due at 11:30 (level 2) and 13:30 (level 3): one notice for level 3, posted and sent to its contact.
    expect(ladder.map((n) => [n.level, n.audience])).toEqual([
      [3, { kind: 'channel', channel: 'managers' }],
      [3, { kind: 'person', personId: 'erika.goldman' }],
    ]);
    expect(ladder[0]?.mention).toBe('erika.goldman');
    expect(ladder[0]?.at).toEqual(at('2026-06-01T13:30'));
    expect(ladder[0]?.text).toContain('breached its first response SLA at Mon 1 Jun 09:30');
    expect(ladder[0]?.text).toContain(
      'now escalated to Head of Support & Customer Success (steps due since Mon 1 Jun 11:30)',
    );
    expect(r.notices).toHaveLength(3);
    expect(after.alerting).toMatchObject({ notifiedLevel: 3, nextStepAt: at('2026-06-01T15:30') });
    expect(after.nextCheckAt).toEqual(at('2026-06-01T15:30'));
    expectNextCheckIsEarliest(after);
  });

  it('after a long downtime, jumps to the CCO in one notice and skips warnings whose breach is past', () => {
    const t = raised(MON_0900);
    const [after, r] = swept(t, at('2026-06-09T12:00'));
    expect(ofType(r.notices, 'sla.warning')).toEqual([]);
    expect(ofType(r.notices, 'sla.breach').map((n) => [n.clock, n.at])).toEqual([
      ['response', at('2026-06-01T09:30')],
      ['resolution', at('2026-06-08T16:30')],
    ]);
    expect(ofType(r.notices, 'sla.ladder').map((n) => n.level)).toEqual([4, 4]);
    expect(after.alerting.notifiedLevel).toBe(4);
    expect(after.nextCheckAt).toBeNull();
    expectNextCheckIsEarliest(after);
  });

  it('never warns or breaches a paused clock', () => {
    const t = raised(MON_0900, { quoteRequired: 'Any custom code' });
    expect(t.nextCheckAt).toBeNull();
    for (const when of ['2026-06-01T09:30', '2026-06-09T12:00', '2026-07-01T12:00'])
      expect(sweepTicket(t, at(when), policy, clocks).notices).toEqual([]);
  });

  it('never breaches a clock paused after its warning, and counts the pause once resumed', () => {
    let t = raised(MON_0900);
    [t] = swept(t, at('2026-06-01T09:22:30'));
    t = saved(op.changeStatus(t, 'triage', as(LEE, at('2026-06-01T09:25'))), t);
    t = saved(op.requestInfo(t, 'Which file?', as(LEE, at('2026-06-01T09:26'))), t);
    expect(t.nextCheckAt).toBeNull();
    expect(sweepTicket(t, at('2026-06-10T09:00'), policy, clocks).notices).toEqual([]);
    t = saved(op.addMessage(t, 'invoices.csv', as(RITA, at('2026-06-02T09:00'))), t);
    expect(t.sla.resolution.state).toBe('running');
    expectNextCheckIsEarliest(t);
  });

  it('sends nothing new when swept twice at the same instant, and the same keys from two replicas', () => {
    const t = raised(MON_0900);
    const now = at('2026-06-01T14:30');
    const [after, first] = swept(t, now);
    expect(first.notices.length).toBeGreaterThan(0);
    const again = sweepTicket(after, now, policy, clocks);
    expect(again.notices).toEqual([]);
    expect(again.events).toEqual([]);
    expect(again.ticket.nextCheckAt).toEqual(after.nextCheckAt);
    // Two replicas sweeping the same stored ticket produce the same keys (the outbox stores them once).
    const replica = sweepTicket(t, now, policy, clocks);
    expect(replica.notices.map((n) => n.key)).toEqual(first.notices.map((n) => n.key));
    expectUniqueKeys(first);
  });

  it('keeps nextCheckAt on the earliest pending instant through a whole day of sweeps', () => {
    let t = raised(MON_0900);
    let sent = 0;
    // Sweep every 5 minutes for two business days: every notice is due exactly at a nextCheckAt.
    for (let now = MON_0900; now < at('2026-06-03T09:00'); now = plus(now, 5 * 60_000)) {
      const due = t.nextCheckAt && t.nextCheckAt <= now;
      const [after, r] = swept(t, now);
      expect(r.notices.length > 0).toBe(!!due);
      sent += r.notices.length;
      t = after;
      expect(t.nextCheckAt).toEqual(nextCheckAt(t, policy, clocks));
    }
    // Warning, breach, three ladder steps (posted and sent to the contact).
    expect(sent).toBe(1 + 1 + 3 * 2);
  });
});

describe('a later breach after an acknowledged one', () => {
  it('starts a new ladder: the resolution breach climbs even though the first-response alert was acknowledged', () => {
    let t = raised(at('2026-06-01T09:00')); // Monday
    const first = sweepTicket(t, at('2026-06-01T09:31'), policy, clocks);
    expect(ofType(first.notices, 'sla.breach')).toHaveLength(1);
    t = { ...first.ticket, version: t.version + 1 };
    t = saved(op.acknowledgeAlert(t, as(MIKE, at('2026-06-01T09:40'))), t);
    t = saved(op.assign(t, LEE, as(LEE, at('2026-06-01T09:45'))), t);
    // 50 business hours from Mon 09:00: the next Monday at 16:30.
    const second = sweepTicket(t, at('2026-06-08T16:31'), policy, clocks);
    const breach = ofType(second.notices, 'sla.breach');
    expect(breach).toHaveLength(1);
    expect(breach[0]?.clock).toBe('resolution');
    expect(second.ticket.alerting).toMatchObject({ notifiedLevel: 1, acknowledgedBy: null, acknowledgedAt: null });
    expect(second.ticket.nextCheckAt).not.toBeNull();
    t = { ...second.ticket, version: t.version + 1 };
    const climb = sweepTicket(t, at('2026-06-09T10:01'), policy, clocks); // 2 business hours later: Tue 10:00
    expect(ofType(climb.notices, 'sla.ladder').map((n) => n.level)).toEqual([2, 2]);
  });
});
