import { Action } from '../../../src/cards/actions';
import { slackChoices, ticketCard } from '../../../src/cards/slack';
import { ticketView } from '../../../src/cards/ticket-view';
import { loadPolicy } from '../../../src/config/policy';
import type { DevelopmentStatus, Role, SupportStatus } from '../../../src/config/policy.schema';
import { SUPPORT_STATUSES } from '../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import * as op from '../../../src/domain/ticket/operations';
import { createDirectory } from '../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../src/domain/ticket/ticket';

/**
 * No dead ends with the default policy: from every status but Closed, a card someone sees in chat offers
 * a move the domain accepts for a person who sees that card; the development chain runs to Released.
 */
const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const clocks = { calendar, warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
const now = new Date('2026-03-02T10:00:00Z');
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const AGENTS = [
  slack('U0LEVEL1', 'Lee Lewis'),
  slack('U0LEVEL2', 'Sam Singh'),
  slack('U0DEV1', 'Dana Drew'),
  slack('U0DEVLEAD', 'Devon Lake'), // the Dev Lead
  slack('U0QA1', 'Quinn Tate'), // QA
];

function as(actor: Actor): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}

function ticketIn(status: SupportStatus): Ticket {
  const t = op.raise(
    { seq: 1, title: 'Invoices do not export', description: 'Since 9am', requester: RITA },
    as(RITA),
  ).ticket;
  const development =
    status === 'escalated_to_dev'
      ? { route: 'code_change' as const, status: 'planned' as const, releaseNote: null }
      : null;
  return { ...t, status, development, version: 3 };
}

type Elements = Array<{ action_id?: string; options?: Array<{ value: string }> }>;
function controls(t: Ticket, kind: 'triage' | 'teamTicketing' | 'requester') {
  const v = ticketView(t, [], { policy, calendar, now });
  const msg = ticketCard(v, { kind, choices: slackChoices(policy) });
  const els = msg.blocks.flatMap((b) => ((b as { elements?: Elements }).elements ?? []) as Elements);
  return els.filter((e) => typeof e.action_id === 'string');
}

/** Try each move a card offers, as each person who could be looking at it; true when one is accepted. */
function someoneMovesIt(t: Ticket): string[] {
  const moved: string[] = [];
  const tryAs = (who: Actor[], f: (ctx: op.OpContext) => op.OpResult, what: string) => {
    for (const a of who) {
      try {
        if (f(as(a)).ticket.status !== t.status || what.startsWith('dev')) {
          moved.push(`${a.name}: ${what}`);
          return;
        }
      } catch {
        // not this person
      }
    }
  };
  for (const kind of ['triage', 'teamTicketing'] as const) {
    for (const e of controls(t, kind)) {
      if (e.action_id === Action.ChangeStatus)
        for (const o of e.options ?? [])
          tryAs(AGENTS, (c) => op.changeStatus(t, o.value as SupportStatus, c), `${kind} → ${o.value}`);
      if (e.action_id === Action.Resolve) tryAs(AGENTS, (c) => op.resolve(t, '', c), `${kind} resolve`);
      if (e.action_id === Action.RequestInfo) tryAs(AGENTS, (c) => op.requestInfo(t, 'Which?', c), `${kind} ask`);
      if (e.action_id === Action.AdvanceDevelopment)
        for (const o of e.options ?? [])
          tryAs(AGENTS, (c) => op.advanceDevelopment(t, o.value as DevelopmentStatus, 'v2', c), `dev → ${o.value}`);
    }
  }
  for (const e of controls(t, 'requester')) {
    if (e.action_id === Action.FixedYes) tryAs([RITA], (c) => op.confirmFixed(t, c), 'requester: fixed');
    if (e.action_id === Action.FixedNo) tryAs([RITA], (c) => op.reopen(t, 'no', c), 'requester: still broken');
  }
  return moved;
}

describe('no dead ends in the default policy', () => {
  it.each(SUPPORT_STATUSES.filter((s) => s !== 'closed'))('%s: someone can move it on from a card', (status) => {
    expect(someoneMovesIt(ticketIn(status))).not.toEqual([]);
  });

  it('the development chain runs from Planned to Released from the card', () => {
    let t = ticketIn('escalated_to_dev');
    const seen: string[] = [t.development!.status];
    for (let i = 0; i < 10 && t.status === 'escalated_to_dev'; i++) {
      const select = controls(t, 'teamTicketing').find((e) => e.action_id === Action.AdvanceDevelopment);
      const options = (select?.options ?? []).map((o) => o.value as DevelopmentStatus);
      expect(options.length).toBeGreaterThan(0);
      // Forward: the first offered status not seen yet.
      const to = options.find((s) => !seen.includes(s)) ?? options[0]!;
      // Whoever holds the move: the developer, the Dev Lead for the review, QA for the approval.
      const who = to === 'dev_done_waiting_qa' ? AGENTS[3]! : to === 'ready_for_release' ? AGENTS[4]! : AGENTS[2]!;
      t = { ...op.advanceDevelopment(t, to, 'Fixed in 2.4', as(who)).ticket, version: t.version + 1 };
      seen.push(to);
    }
    expect(seen.at(-1)).toBe('released');
    expect(t.status).toBe('on_customer_test');
  });

  it('the requester can reopen from the Pending Closure card', () => {
    const ids = controls(ticketIn('pending_closure'), 'requester').map((e) => e.action_id);
    expect(ids).toContain(Action.FixedNo);
  });
});
