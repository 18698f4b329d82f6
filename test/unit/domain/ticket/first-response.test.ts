import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { FirstResponseAction, Policy, Role } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import { type ClockContext, clockCondition, usedMinutes } from '../../../../src/domain/sla/sla-clock';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { sweepTicket } from '../../../../src/domain/ticket/schedule';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const seed = loadPolicy();
const calendar = createBusinessCalendar(seed.calendar);
const clocks: ClockContext = { calendar, warnAt: seed.sla.warnAt };
const directory = createDirectory(seed);
const at = (local: string) => DateTime.fromISO(local, { zone: seed.calendar.timeZone }).toJSDate();
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');
const SAM = slack('U0LEVEL2', 'Sam Singh');
const DANA = slack('U0DEV1', 'Dana Drew');
const DEVON = slack('U0DEVLEAD', 'Devon Lake'); // the Dev Lead
const QUINN = slack('U0QA1', 'Quinn Tate'); // QA

function as(actor: Actor, now: Date, policy: Policy = seed): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
let seq = 7000;
const next = (r: op.OpResult, t?: Ticket): Ticket => ({ ...r.ticket, version: (t?.version ?? 0) + 1 });
function raised(now: Date, severity: 1 | 2 | 3 | 4 = 3, policy: Policy = seed): Ticket {
  return next(
    op.raise(
      { seq: seq++, title: 'Invoices fail', description: 'x', requester: RITA, severity },
      as(RITA, now, policy),
    ),
  );
}

const T0 = '2026-06-01T10:00'; // Mon
const T1 = at('2026-06-01T10:10');

/**
 * Every operation support's first act on a ticket can reach. Each platform path is a thin call of one of these:
 * Slack's Reply / Assign to me / Take it / Request info / Resolve / Escalate buttons, the status, development and
 * route selects; Teams' reply, assign, requestInfo, resolve, escalate, status and development verbs; the chat
 * commands that reply on a ticket (`SR-n: …`) or close it. The rule (the policy's `firstResponseEndedBy`) is applied
 * in one place, so each must end the first-response clock at the instant it was taken.
 */
const FIRST_ACTS: Array<[string, FirstResponseAction, (t: Ticket, now: Date, policy?: Policy) => Ticket]> = [
  [
    'reply to the requester (Message requester / Write / SR-n: …)',
    'agent_reply',
    (t, n, p = seed) => next(op.addMessage(t, 'Looking now', as(LEE, n, p)), t),
  ],
  [
    'request info (button, verb)',
    'request_info',
    (t, n, p = seed) => next(op.requestInfo(t, 'Which invoice?', as(LEE, n, p)), t),
  ],
  ['assign to me / take it', 'assignment', (t, n, p = seed) => next(op.assign(t, LEE, as(LEE, n, p)), t)],
  [
    'escalate to Team Ticketing',
    'escalation',
    (t, n, p = seed) => next(op.escalateToTeamTicketing(t, '', as(LEE, n, p)), t),
  ],
  [
    'escalate to Development (route select)',
    'escalation',
    (t, n, p = seed) => next(op.escalateToDevelopment(t, 'code_change', as(SAM, n, p)), t),
  ],
  ['resolve (button, verb)', 'resolution', (t, n, p = seed) => next(op.resolve(t, 'Fixed', as(LEE, n, p)), t)],
  [
    'status select: Work in Progress',
    'status_change',
    (t, n, p = seed) => next(op.changeStatus(t, 'work_in_progress', as(LEE, n, p)), t),
  ],
  [
    'status select: Under Review',
    'status_change',
    (t, n, p = seed) => next(op.changeStatus(t, 'under_review', as(LEE, n, p)), t),
  ],
  [
    'status select: On Customer Test',
    'resolution',
    (t, n, p = seed) => next(op.changeStatus(t, 'on_customer_test', as(LEE, n, p)), t),
  ],
];

describe('the first response: one rule in the policy, whatever the path', () => {
  it.each(FIRST_ACTS)('%s ends the response clock at that instant', (_name, _action, act) => {
    const t = act(raised(at(T0)), T1);
    expect(t.sla.response.state).toBe('stopped');
    expect(t.sla.response.since).toEqual(T1);
    expect(usedMinutes(t.sla.response, at('2026-06-01T12:00'), clocks)).toBe(10);
  });

  it.each(FIRST_ACTS)('%s does not end it when the policy leaves its action out', (_name, action, act) => {
    const policy: Policy = {
      ...seed,
      sla: {
        ...seed.sla,
        firstResponseEndedBy: seed.sla.firstResponseEndedBy.filter((a) => a !== action && a !== 'status_change'),
      },
    };
    const t = act(raised(at(T0), 3, policy), T1, policy);
    expect(t.sla.response.state).not.toBe('stopped');
    expect(usedMinutes(t.sla.response, T1, clocks)).toBe(10);
  });

  it('an internal note, a severity or priority change and the requester writing are not a first response', () => {
    let t = raised(at(T0));
    t = next(op.addInternalNote(t, 'checking logs', as(LEE, T1)), t);
    t = next(op.setPriority(t, 2, as(LEE, T1)), t);
    t = next(op.addMessage(t, 'any news?', as(RITA, T1)), t);
    expect(t.sla.response.state).toBe('running');
  });

  it('issue 1: Level 2 escalating a Severity 3 to Development at 10:10 is its first response; no breach follows', () => {
    const t = next(op.escalateToDevelopment(raised(at(T0)), 'code_change', as(SAM, T1)));
    expect(t.sla.response.state).toBe('stopped');
    expect(clockCondition(t.sla.response, at('2026-06-01T11:00'), clocks)).toBe('on_track');
    expect(
      sweepTicket(t, at('2026-06-01T17:00'), seed, clocks).notices.filter((n) => n.type !== 'sla.warning'),
    ).toEqual([]);
  });

  it('issue 1: a Severity 1 escalated straight to Development at 10:05 gets no response breach and no ladder', () => {
    const t = next(op.escalateToDevelopment(raised(at(T0), 1), 'code_change', as(SAM, at('2026-06-01T10:05'))));
    for (const now of ['2026-06-01T10:15', '2026-06-01T12:20', '2026-06-01T13:59']) {
      const r = sweepTicket(t, at(now), seed, clocks);
      expect(r.notices.filter((n) => n.type === 'sla.breach' || n.type === 'sla.ladder')).toEqual([]);
    }
    // Its resolution (4 business hours) does breach at 14:00: that alert is real, and is about the resolution.
    const later = sweepTicket(t, at('2026-06-01T16:20'), seed, clocks).notices;
    expect(later.filter((n) => n.type === 'sla.breach').map((n) => n.clock)).toEqual(['resolution']);
  });

  it('issue 2: a first response stays given through On Customer Test and "still broken"', () => {
    let t = next(op.escalateToDevelopment(raised(at(T0)), 'code_change', as(SAM, at('2026-06-01T10:05'))));
    for (const to of ['dev_in_progress', 'dev_done_waiting_review'] as const)
      t = next(op.advanceDevelopment(t, to, '', as(DANA, at('2026-06-01T10:30'))), t);
    t = next(op.advanceDevelopment(t, 'dev_done_waiting_qa', '', as(DEVON, at('2026-06-01T10:30'))), t);
    t = next(op.advanceDevelopment(t, 'qa_in_progress', '', as(DANA, at('2026-06-01T10:30'))), t);
    t = next(op.advanceDevelopment(t, 'ready_for_release', '', as(QUINN, at('2026-06-01T10:30'))), t);
    t = next(op.advanceDevelopment(t, 'released', 'Fixed', as(DANA, at('2026-06-01T10:35'))), t);
    t = next(op.reopen(t, 'still broken', as(RITA, at('2026-06-02T09:00'))), t);
    expect(t.sla.response.state).toBe('stopped');
    expect(clockCondition(t.sla.response, at('2026-06-02T12:00'), clocks)).toBe('on_track');
    expect(t.sla.resolution.state).toBe('running');
  });
});

describe('retargets count time on the calendar in force when it passed', () => {
  const roundTheClock: Policy = {
    ...seed,
    severities: { ...seed.severities, 1: { ...seed.severities[1], calendar: '24x7' } },
  };
  const ctxOf = (actor: Actor, now: Date) => as(actor, now, roundTheClock);

  it('issue 3: a Severity 3 raised Fri 17:00 made Severity 1 (24x7) on Monday 09:00 has used 30 minutes, not 3,840', () => {
    const t0 = next(
      op.raise(
        { seq: seq++, title: 'x', description: '', requester: RITA, severity: 3 },
        ctxOf(RITA, at('2026-06-05T17:00')),
      ),
    );
    const t = next(op.setSeverity(t0, 1, ctxOf(LEE, at('2026-06-08T09:00'))), t0);
    expect(usedMinutes(t.sla.resolution, at('2026-06-08T09:00'), clocks)).toBe(30);
    // Severity 1 with Priority 3: 8 h; 7 h 30 left from 09:00, counted round the clock.
    expect(t.sla.resolution.dueAt).toEqual(at('2026-06-08T16:30'));
    expect(t.sla.resolution.breached).toBe(false);
  });

  it('issue 3: a Severity 1 (24x7) raised Sat 10:00 lowered to Severity 2 on Monday keeps the weekend it used', () => {
    const t0 = next(
      op.raise(
        { seq: seq++, title: 'x', description: '', requester: RITA, severity: 1 },
        ctxOf(RITA, at('2026-06-06T10:00')),
      ),
    );
    const t = next(op.setSeverity(t0, 2, ctxOf(LEE, at('2026-06-08T09:00'))), t0);
    expect(usedMinutes(t.sla.resolution, at('2026-06-08T09:00'), clocks)).toBe(47 * 60);
    // 16 h (Severity 2) was reached on Sunday 02:00, on the 24x7 hours then in force.
    expect(t.sla.resolution.dueAt).toEqual(at('2026-06-07T02:00'));
    expect(clockCondition(t.sla.resolution, at('2026-06-08T09:00'), clocks)).toBe('breached');
  });
});

describe('exact arithmetic', () => {
  it('issue 4: resolved at its 960th business minute after an odd-millisecond pause: breached, due at that instant', () => {
    let t = raised(at('2026-06-01T09:00'), 2);
    const pauseAt = new Date(at('2026-06-01T10:00').getTime() + 23);
    t = next(op.requestInfo(t, 'which?', as(LEE, pauseAt)), t);
    t = next(op.addMessage(t, 'this one', as(RITA, at('2026-06-01T11:00'))), t);
    const due = t.sla.resolution.dueAt!;
    t = next(op.resolve(t, 'done', as(LEE, due)), t);
    expect(usedMinutes(t.sla.resolution, due, clocks)).toBe(960);
    expect(clockCondition(t.sla.resolution, due, clocks)).toBe('breached');
    expect(t.sla.resolution.dueAt).toEqual(due);
  });

  it('issue 4: after three running periods the condition at the due instant is breached, 1 ms before at risk', () => {
    let t = raised(at('2026-06-01T09:00:00.007'), 2);
    for (const [p, r] of [
      ['2026-06-01T10:00:00.023', '2026-06-01T10:30:00.011'],
      ['2026-06-01T12:00:00.019', '2026-06-01T13:00:00.003'],
    ]) {
      t = next(op.requestInfo(t, 'Which export?', as(LEE, at(p!))), t);
      t = next(op.addMessage(t, 'answer', as(RITA, at(r!))), t);
    }
    const due = t.sla.resolution.dueAt!;
    expect(clockCondition(t.sla.resolution, due, clocks)).toBe('breached');
    expect(clockCondition(t.sla.resolution, new Date(due.getTime() - 1), clocks)).toBe('at_risk');
    expect(usedMinutes(t.sla.resolution, due, clocks)).toBe(960);
  });
});
