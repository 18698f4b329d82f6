import { ticketView } from '../../../../src/cards/ticket-view';
import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

/** The desk's daily work on tickets built the way a fresh raise makes them (op.raise), never by hand. */
const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const directory = createDirectory(policy);
const now = new Date('2026-03-02T10:00:00Z');
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');
const PRIYA = slack('U0LEVEL1B', 'Priya Patel');
const SAM = slack('U0LEVEL2', 'Sam Singh');
const MIKE = slack('U0TEAMLEAD', 'Mike Fox');
const OTTO = slack('U0OTHER', 'Otto Other');

function as(actor: Actor): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now, actor: { ...actor, role, roles } };
}
/** A change as the store saves it: the version moves on. */
const saved = (r: op.OpResult): Ticket => ({ ...r.ticket, version: r.ticket.version + 1 });
let seq = 0;
function raised(requester: Actor = RITA, title = 'Invoices do not export'): Ticket {
  seq += 1;
  return saved(op.raise({ seq, title, description: 'Since 9am', requester }, as(requester)));
}
const offered = (t: Ticket) => ticketView(t, [], { policy, calendar, now }).nextStatuses.map((s) => s.id);

describe('the status select offers only plain moves', () => {
  it('a fresh raise offers no status that needs a route, a question or a reason', () => {
    const t = raised();
    expect(t.status).toBe('new');
    const options = offered(t);
    expect(options).not.toContain('escalated_to_dev');
    expect(options).not.toContain('waiting_for_customer');
    expect(options).not.toContain('closed');
    expect(options.length).toBeGreaterThan(0);
    for (const to of options) expect(() => op.changeStatus(t, to, as(SAM))).not.toThrow();
  });

  it('"Escalated to Dev" from the plain select is refused; the route select takes it there and tells Development', () => {
    const t = saved(op.escalateToTeamTicketing(raised(), '', as(LEE)));
    expect(offered(t)).not.toContain('escalated_to_dev');
    expect(() => op.changeStatus(t, 'escalated_to_dev', as(SAM))).toThrow(/only with a development route/);
    expect(() => op.changeStatus(t, 'closed', as(SAM))).toThrow(/only with a reason/);
    expect(() => op.changeStatus(t, 'waiting_for_customer', as(SAM))).toThrow(/only with a question/);
    const r = op.escalateToDevelopment(t, 'code_change', as(SAM));
    expect(r.ticket.status).toBe('escalated_to_dev');
    expect(r.ticket.development).toMatchObject({ route: 'code_change', status: 'planned' });
    expect(r.notices.some((n) => n.audience.kind === 'channel' && n.audience.channel === 'developmentTriage')).toBe(
      true,
    );
  });
});

describe('close with a reason', () => {
  it('closes from New; spam asks for no rating, withdrawn does and the requester may still rate it', () => {
    const spam = op.closeWithReason(raised(), { reason: 'spam' }, as(LEE));
    expect(spam.ticket).toMatchObject({ status: 'closed', closeReason: 'spam' });
    expect(spam.notices.map((n) => n.type)).not.toContain('requester.csat');
    expect(spam.notices.find((n) => n.type === 'requester.update')?.text).toMatch(/not a support request/);
    expect(spam.events.find((e) => e.type === 'closed')).toMatchObject({ to: 'spam', actor: { name: 'Lee Lewis' } });

    const withdrawn = saved(op.closeWithReason(raised(), { reason: 'withdrawn', note: 'sorted it' }, as(LEE)));
    expect(op.mayRate(withdrawn, now, policy)).toBe(true);
    const rated = op.recordCsat(withdrawn, 4, '', as(RITA));
    expect(rated.ticket.csat?.score).toBe(4);
    // Within csat.rateWithin the rating may still be changed.
    expect(op.mayRate(rated.ticket, now, policy)).toBe(true);
    expect(() => op.recordCsat(saved(spam), 4, '', as(RITA))).toThrow(/Closed/);
  });

  it('a duplicate is linked both ways, its requester follows the original and hears its updates', () => {
    const original = raised(RITA, 'Login page spins');
    const dup = raised(OTTO, 'Cannot log in');
    const closed = op.closeWithReason(dup, { reason: 'duplicate', duplicateOf: original }, as(LEE));
    expect(closed.ticket.links).toEqual([{ kind: 'duplicate_of', ticket: original.number }]);
    expect(closed.notices.map((n) => n.type)).not.toContain('requester.csat');
    expect(closed.notices.find((n) => n.type === 'requester.update')?.text).toContain(original.number);
    const linked = saved(op.linkDuplicate(original, dup, as(LEE)));
    expect(linked.links).toEqual([{ kind: 'duplicated_by', ticket: dup.number }]);
    expect(linked.watchers.map((w) => w.userId)).toEqual([OTTO.userId]);
    // Linking twice changes nothing.
    expect(op.linkDuplicate(linked, dup, as(LEE)).events).toEqual([]);
    const resolved = op.resolve(linked, 'Cleared the cache', as(SAM));
    const told = resolved.notices.filter((n) => n.audience.kind === 'user').map((n) => n.audience);
    expect(told).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: expect.objectContaining({ userId: OTTO.userId }) })]),
    );
    expect(() => op.closeWithReason(dup, { reason: 'duplicate', duplicateOf: dup }, as(LEE))).toThrow(/itself/);
    expect(() => op.closeWithReason(dup, { reason: 'duplicate' }, as(LEE))).toThrow(/which ticket/);
    expect(() => op.closeWithReason(dup, { reason: 'spam' }, as(RITA))).toThrow();
  });
});

describe('assign to a person', () => {
  const priya = { personId: 'priya.level1', actor: PRIYA };
  const lee = { personId: 'lee.level1', actor: LEE };

  it('an agent takes it and hands over their own; only a manager assigns someone else', () => {
    const t = raised();
    expect(() => op.assignTo(t, priya, as(LEE))).toThrow(/Only a team lead or a manager/);
    const mine = saved(op.assignTo(t, lee, as(LEE)));
    expect(mine.assignee?.userId).toBe(LEE.userId);
    const handed = op.assignTo(mine, priya, as(LEE));
    expect(handed.ticket.assignee?.userId).toBe(PRIYA.userId);
    expect(handed.notices.find((n) => n.type === 'ticket.assigned')?.audience).toMatchObject({
      kind: 'user',
      actor: { userId: PRIYA.userId },
    });
    expect(handed.events.find((e) => e.type === 'assigned')).toMatchObject({
      from: 'Lee Lewis',
      to: 'Priya Patel',
      actor: { name: 'Lee Lewis' },
    });
    const byManager = op.assignTo(saved(handed), lee, as(MIKE));
    expect(byManager.notices.find((n) => n.type === 'agent.assignment')).toMatchObject({
      audience: { kind: 'user', actor: { userId: PRIYA.userId } },
      text: expect.stringMatching(/Mike Fox reassigned .* from you to Lee Lewis/),
    });
    const none = op.assignTo(saved(byManager), null, as(MIKE));
    expect(none.ticket.assignee).toBeNull();
    expect(none.events.map((e) => e.type)).toContain('unassigned');
  });

  it('someone outside the owning team is refused', () => {
    expect(() => op.assignTo(raised(), { personId: 'sam.level2', actor: SAM }, as(MIKE))).toThrow(/not in Level 1/);
  });
});
