import fc from 'fast-check';
import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Priority, Role, Severity, SupportStatus } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ServiceLevel } from '../../../../src/domain/sla/service';
import { type ClockContext, clockCondition, usedMinutes } from '../../../../src/domain/sla/sla-clock';
import { targetsFor } from '../../../../src/domain/sla/targets';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { sweepTicket } from '../../../../src/domain/ticket/schedule';
import { type Actor, SYSTEM_ACTOR, type Ticket } from '../../../../src/domain/ticket/ticket';

/**
 * Random but legal ticket lives through the real domain operations and the sweep, after every step compared with a
 * model written for this test: each clock counted minute by minute on the calendar in force at that minute, paused,
 * resumed and ended by the README's clock rules (the first of support's visible actions ends the response; a
 * reopen never restarts it). Every instant is minute-aligned and every calendar opens on whole minutes, so a minute
 * is all business time or none.
 */
const MIN = 60_000;
const seed = loadPolicy();
const TZ = seed.calendar.timeZone;
const business = createBusinessCalendar(seed.calendar);
const clocks: ClockContext = { calendar: business, warnAt: seed.sla.warnAt };
const directory = createDirectory(seed);
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');
const SAM = slack('U0LEVEL2', 'Sam Singh');
const DANA = slack('U0DEV1', 'Dana Drew');

const weekdays = (h: string) => ({ mon: h, tue: h, wed: h, thu: h, fri: h });
const ACME: ServiceLevel = {
  tier: null,
  calendar: {
    id: 'acme',
    name: 'ACME',
    spec: { timeZone: 'Europe/Berlin', hours: weekdays('07:00-19:00'), holidays: ['2026-10-26'] },
  },
  unknown: [],
};
const VARIANT: Policy = {
  ...seed,
  severities: { ...seed.severities, 1: { ...seed.severities[1], calendar: '24x7' } },
};
const POLICIES: Array<{ name: string; policy: Policy; clients: boolean }> = [
  { name: 'the default policy', policy: seed, clients: false },
  { name: 'Severity 1 on 24x7 and a client on its own calendar', policy: VARIANT, clients: true },
];

const ANCHORS = ['2026-03-27T16:00', '2026-10-23T16:00', '2026-12-23T15:00', '2026-06-05T16:30', '2026-06-01T08:00'];

type Step =
  | { kind: 'agentReply' | 'requesterReply' | 'requestInfo' | 'assign' | 'escalateTT' | 'escalateDev' }
  | { kind: 'devProgress' | 'switchRoute' }
  | { kind: 'resolve' | 'reopen' | 'confirm' | 'workInProgress' | 'client' | 'nothing' }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'priority'; priority: Priority };

const stepArb: fc.Arbitrary<{ after: number; step: Step }> = fc.record({
  after: fc.integer({ min: 0, max: 1500 }),
  step: fc.oneof(
    fc.constantFrom<Step>(
      { kind: 'agentReply' },
      { kind: 'requesterReply' },
      { kind: 'requestInfo' },
      { kind: 'assign' },
      { kind: 'escalateTT' },
      { kind: 'escalateDev' },
      { kind: 'devProgress' },
      { kind: 'switchRoute' },
      { kind: 'resolve' },
      { kind: 'reopen' },
      { kind: 'confirm' },
      { kind: 'workInProgress' },
      { kind: 'client' },
      { kind: 'nothing' },
    ),
    fc.record({ kind: fc.constant('severity' as const), severity: fc.constantFrom<Severity>(1, 2, 3, 4) }),
    fc.record({ kind: fc.constant('priority' as const), priority: fc.constantFrom<Priority>(1, 2, 3, 4) }),
  ),
});

/** Support's visible acts (each in the default `firstResponseEndedBy`). */
const SUPPORT_ACTS = new Set([
  'agentReply',
  'requestInfo',
  'assign',
  'escalateTT',
  'escalateDev',
  'resolve',
  'workInProgress',
]);

interface ModelClock {
  state: 'running' | 'paused' | 'stopped';
  /** Paused because the ticket waits for a software release (not by its status). */
  forRelease?: boolean;
  /** Start instants of the business minutes counted, in order. */
  counted: number[];
  target: number;
}

/** The instant a threshold (minutes) was crossed on the counted minutes, else projected while running. */
function crossing(
  c: ModelClock,
  threshold: number,
  isBusiness: (ms: number) => boolean,
  from: number,
  horizon: number,
) {
  for (let i = 0; i < c.counted.length; i++) if (i + 1 >= threshold) return c.counted[i]! + (threshold - i) * MIN;
  if (c.state !== 'running') return null;
  let used = c.counted.length;
  for (let m = from; m < horizon; m += MIN) {
    if (!isBusiness(m)) continue;
    if (used + 1 >= threshold) return m + (threshold - used) * MIN;
    used += 1;
  }
  return undefined; // beyond the horizon
}

function run(
  policy: Policy,
  clients: boolean,
  anchor: string,
  offset: number,
  severity: Severity,
  steps: Array<{ after: number; step: Step }>,
) {
  const as = (actor: Actor, now: Date): op.OpContext => {
    const roles = directory.rolesOf(actor);
    const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
    return { policy, clocks, now, actor: { ...actor, role, roles } };
  };
  const asSystem = (now: Date): op.OpContext => ({
    policy,
    clocks,
    now,
    actor: { ...SYSTEM_ACTOR, platform: 'slack', roles: ['system'] },
  });
  const start = DateTime.fromISO(anchor, { zone: TZ }).toMillis() + offset * MIN;
  let t: Ticket = op.raise(
    { seq: 1, title: 'Invoices fail', description: '', requester: RITA, severity },
    as(RITA, new Date(start)),
  ).ticket;
  let service: ServiceLevel | null = null;
  const calendarOf = (sev: Severity) => {
    const spec = service?.calendar?.spec;
    if (policy.severities[sev].calendar === '24x7') return () => true;
    const cal = spec ? createBusinessCalendar(spec) : business;
    return (ms: number) => cal.isBusinessTime(new Date(ms));
  };
  const targetsOf = () => targetsFor(policy, t.severity, t.priority, service);
  const model: Record<'response' | 'resolution', ModelClock> = {
    response: { state: 'running', counted: [], target: targetsOf().response },
    resolution: { state: 'running', counted: [], target: targetsOf().resolution },
  };
  let isBusiness = calendarOf(severity);
  const paused = new Set<string>(policy.sla.pausedIn);
  let now = start;

  for (const { after, step } of steps) {
    const next = now + after * MIN;
    for (let m = now; m < next; m += MIN) {
      if (!isBusiness(m)) continue;
      for (const k of ['response', 'resolution'] as const) if (model[k].state === 'running') model[k].counted.push(m);
    }
    now = next;
    const at = new Date(now);
    const before: SupportStatus = t.status;
    let r: op.OpResult | null = null;
    try {
      switch (step.kind) {
        case 'agentReply':
          r = op.addMessage(t, 'Looking', as(LEE, at));
          break;
        case 'requesterReply':
          r = op.addMessage(t, 'Here you go', as(RITA, at));
          break;
        case 'requestInfo':
          r = op.requestInfo(t, 'Which one?', as(LEE, at));
          break;
        case 'assign':
          r = op.assign(t, LEE, as(LEE, at));
          break;
        case 'escalateTT':
          r = op.escalateToTeamTicketing(t, '', as(LEE, at));
          break;
        case 'escalateDev':
          r = op.escalateToDevelopment(t, 'code_change', as(SAM, at));
          break;
        case 'devProgress':
          r = op.advanceDevelopment(t, 'dev_in_progress', '', as(DANA, at));
          break;
        case 'switchRoute':
          r = op.switchRoute(t, 'change_request', 'a new feature', as(SAM, at));
          break;
        case 'resolve':
          r = op.resolve(t, 'done', as(LEE, at));
          break;
        case 'reopen':
          r = op.reopen(t, 'still broken', as(RITA, at));
          break;
        case 'confirm':
          r = op.confirmFixed(t, as(RITA, at));
          break;
        case 'workInProgress':
          r = op.changeStatus(t, 'work_in_progress', as(LEE, at));
          break;
        case 'client':
          if (clients) r = op.setClient(t, { client: 'ACME', clientId: 'acme', service: ACME }, asSystem(at));
          break;
        case 'severity':
          r = op.setSeverity(t, step.severity, as(LEE, at));
          break;
        case 'priority':
          r = op.setPriority(t, step.priority, as(LEE, at));
          break;
        default:
          break;
      }
    } catch (err) {
      if (!(err as { code?: string }).code) throw err; // a refused move (not legal now) is skipped
    }
    if (r) {
      t = { ...r.ticket, version: t.version + 1 };
      const after = t.status;
      // The README's clock rules.
      if (after !== before) {
        if (after === 'closed') for (const k of ['response', 'resolution'] as const) model[k].state = 'stopped';
        else {
          if (after === 'on_customer_test') model.resolution.state = 'stopped';
          if (paused.has(after)) {
            for (const k of ['response', 'resolution'] as const)
              if (model[k].state === 'running') model[k].state = 'paused';
          } else if (paused.has(before) || before === 'on_customer_test' || before === 'pending_closure') {
            if (model.response.state === 'paused') model.response.state = 'running';
            model.resolution.state = 'running';
          }
        }
      }
      if (SUPPORT_ACTS.has(step.kind)) model.response.state = 'stopped';
      // Waiting for a release: a clock the policy lists for the development status of a release route (code change)
      // pauses while the ticket is with Development; it counts again once the ticket no longer waits.
      const dev = t.development;
      for (const k of ['response', 'resolution'] as const) {
        const c = model[k];
        if (after !== before && paused.has(after)) c.forRelease = false; // the status's own pause now
        const waits =
          t.status === 'escalated_to_dev' &&
          !!dev &&
          policy.releases.routes.includes(dev.route) &&
          policy.releases.severities.includes(t.severity) &&
          policy.sla.pausedInDevelopment[k].includes(dev.status);
        if (waits && c.state === 'running') {
          c.state = 'paused';
          c.forRelease = true;
        } else if (!waits && c.forRelease && c.state === 'paused') c.state = 'running';
        if (!waits || c.state !== 'paused') c.forRelease = false;
      }
      if (step.kind === 'client' && clients) service = ACME;
      // A retarget: the new targets; the minutes already counted stay; later ones count on the new calendar.
      isBusiness = calendarOf(t.severity);
      const targets = targetsOf();
      model.response.target = targets.response;
      model.resolution.target = targets.resolution;
    }
    // The sweep at this instant: no breach alert or ladder step but for a clock running and breached.
    const swept = sweepTicket(t, at, policy, clocks);
    for (const n of swept.notices) {
      if (n.type === 'sla.breach') {
        const c = model[n.clock!];
        expect({ clock: n.clock, state: c.state, breached: c.counted.length >= c.target }).toEqual({
          clock: n.clock,
          state: 'running',
          breached: true,
        });
        expect(n.at?.getTime()).toBe(crossing(c, c.target, isBusiness, now, now));
      }
      if (n.type === 'sla.ladder') {
        const c = model[swept.ticket.alerting.clock!];
        expect({ state: c.state, breached: c.counted.length >= c.target }).toEqual({
          state: 'running',
          breached: true,
        });
      }
    }
    t = { ...swept.ticket, version: t.version + (swept.notices.length || swept.events.length ? 1 : 0) };

    for (const k of ['response', 'resolution'] as const) {
      const c = model[k];
      const clock = t.sla[k];
      const used = c.counted.length;
      expect({ k, state: clock.state, used: usedMinutes(clock, at, clocks) }).toEqual({ k, state: c.state, used });
      const condition = used >= c.target ? 'breached' : used >= c.target * policy.sla.warnAt ? 'at_risk' : 'on_track';
      expect({ k, condition: clockCondition(clock, at, clocks) }).toEqual({ k, condition });
      const horizon = now + 4 * 1440 * MIN;
      const due = crossing(c, c.target, isBusiness, now, horizon);
      if (due === undefined)
        expect(clock.dueAt === null || clock.dueAt.getTime() >= horizon).toBe(clock.state === 'running');
      else expect({ k, due: clock.dueAt?.getTime() ?? null }).toEqual({ k, due });
    }
  }
}

describe('ticket lives through the domain operations and the sweep, against a minute-by-minute model', () => {
  it.each(POLICIES)('$name', ({ policy, clients }) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ANCHORS),
        fc.integer({ min: 0, max: 3 * 1440 }),
        fc.constantFrom<Severity>(1, 2, 3, 4),
        fc.array(stepArb, { minLength: 1, maxLength: 10 }),
        (anchor, offset, severity, steps) => run(policy, clients, anchor, offset, severity, steps),
      ),
      { numRuns: 120, seed: 42 },
    );
  });
});
