import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import { suggestIncident } from '../../../../src/domain/ticket/incident-match';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import { nextCheckAt, sweepTicket } from '../../../../src/domain/ticket/schedule';
import { type Actor, parentOf, partsOf, type Ticket } from '../../../../src/domain/ticket/ticket';

/** Links and incidents on tickets built the way a fresh raise makes them (op.raise), never by hand. */
const policy = loadPolicy();
const calendar = createBusinessCalendar(policy.calendar);
const directory = createDirectory(policy);
const start = new Date('2026-03-02T10:00:00Z');
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const ANN = slack('U0REQANN', 'Ann Archer');
const BOB: Actor = { platform: 'teams', userId: '29:bob', name: 'Bob Brown' };
const LEE = slack('U0LEVEL1', 'Lee Lewis');

function as(actor: Actor, now = start): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult): Ticket => ({ ...r.ticket, version: r.ticket.version + 1 });
let seq = 0;
function raised(requester: Actor, title = 'Nothing loads', severity?: 1 | 2 | 3 | 4): Ticket {
  seq += 1;
  const t = saved(op.raise({ seq, title, description: 'Since 9am', requester }, as(requester)));
  return severity ? saved(op.setSeverity(t, severity, as(LEE))) : t;
}
/** Link `child` into `parent` both ways, as the app does: parent side first, then the child. */
function link(child: Ticket, parent: Ticket, ctx = as(LEE)): { child: Ticket; parent: Ticket } {
  const p = saved(op.addPart(parent, child, ctx));
  return { parent: p, child: saved(op.joinIncident(child, p, ctx)) };
}
const hours = (h: number) => new Date(start.getTime() + h * 3_600_000);

describe('linking rules', () => {
  it('related to: recorded on each side, idempotent, never to itself, by agents only', () => {
    const a = raised(RITA);
    const b = raised(ANN);
    const r = op.linkRelated(a, b, as(LEE));
    expect(r.ticket.links).toEqual([{ kind: 'related_to', ticket: b.number }]);
    expect(r.events[0]).toMatchObject({ type: 'linked', to: `related to ${b.number}`, actor: { name: 'Lee Lewis' } });
    const again = op.linkRelated(saved(r), b, as(LEE));
    expect(again.events).toEqual([]);
    expect(() => op.linkRelated(a, a, as(LEE))).toThrow(/itself/);
    expect(() => op.linkRelated(a, b, as(RITA))).toThrow();
  });

  it('part of: both record it, with who did it; the child is told once, idempotent', () => {
    const parent = raised(RITA, 'Platform down', 1);
    const child = raised(ANN);
    const p = op.addPart(parent, child, as(LEE));
    expect(partsOf(p.ticket)).toEqual([
      { kind: 'has_part', ticket: child.number, requester: { platform: 'slack', userId: ANN.userId, name: ANN.name } },
    ]);
    expect(p.events[0]).toMatchObject({ type: 'incident_part_added', to: child.number, actor: { name: 'Lee Lewis' } });
    const c = op.joinIncident(child, saved(p), as(LEE));
    expect(parentOf(c.ticket)).toBe(parent.number);
    expect(c.events.map((e) => e.type)).toContain('linked');
    const told = c.notices.filter((n) => n.type === 'requester.update');
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toMatch(new RegExp(`part of incident ${parent.number}`));
    expect(op.joinIncident(saved(c), saved(p), as(LEE)).events).toEqual([]);
    expect(op.addPart(saved(p), saved(c), as(LEE)).events).toEqual([]);
  });

  it('refuses itself, its own child, a closed incident, a child of another incident, and a second incident', () => {
    const a = raised(RITA);
    expect(() => op.joinIncident(a, a, as(LEE))).toThrow(/itself/);
    const parent = raised(RITA, 'Outage', 1);
    const { child, parent: p } = link(raised(ANN), parent);
    expect(() => op.joinIncident(p, child, as(LEE))).toThrow(/is part of/);
    expect(() => op.joinIncident(raised(BOB), child, as(LEE))).toThrow(/itself part of/);
    const other = raised(BOB, 'Other outage', 1);
    expect(() => op.joinIncident(child, other, as(LEE))).toThrow(/already part of/);
    expect(() => op.joinIncident(other, p, as(LEE))).not.toThrow();
    const closed = saved(op.closeWithReason(raised(BOB), { reason: 'spam' }, as(LEE)));
    expect(() => op.joinIncident(raised(ANN), closed, as(LEE))).toThrow(/Closed/);
    expect(() => op.addPart(p, raised(ANN), as(RITA))).toThrow();
  });
});

describe('children stop paging', () => {
  it('a child has no next check and the sweep tells nothing, however late; unlinked, its clocks resume', () => {
    const { child } = link(raised(ANN, 'Nothing loads', 1), raised(RITA, 'Outage', 1));
    expect(child.sla.response.state).toBe('paused');
    expect(child.sla.resolution.state).toBe('paused');
    expect(child.sla.response.pausedBy).toMatch(/part of incident/);
    expect(child.nextCheckAt).toBeNull();
    expect(nextCheckAt(child, policy)).toBeNull();
    const late = sweepTicket({ ...child, nextCheckAt: start }, hours(72), policy, { calendar, warnAt: 0.75 });
    expect(late.notices).toEqual([]);
    expect(late.ticket.nextCheckAt).toBeNull();
    // A status move (the child asks its requester and hears back) does not start its clocks again.
    const asked = saved(op.requestInfo(child, 'Which browser?', as(LEE, hours(1))));
    const answered = saved(op.addMessage(asked, 'Firefox', as(ANN, hours(2))));
    expect(answered.status).toBe('customer_responded');
    expect(answered.sla.resolution.state).toBe('paused');
    expect(answered.nextCheckAt).toBeNull();
    // Unlinked: the time it was linked is not counted, and the sweep looks after it again.
    const alone = saved(op.leaveIncident(answered, 'different problem', as(LEE, hours(3))));
    expect(parentOf(alone)).toBeNull();
    expect(alone.sla.resolution.state).toBe('running');
    expect(alone.sla.resolution.usedMinutes).toBe(0);
    expect(alone.nextCheckAt).not.toBeNull();
  });

  it('the incident still pages: one breach for the outage, not one per reporter', () => {
    let parent = raised(RITA, 'Outage', 1);
    const kids: Ticket[] = [];
    for (const who of [ANN, BOB]) {
      const r = link(raised(who, 'Outage', 1), parent);
      parent = r.parent;
      kids.push(r.child);
    }
    const at = hours(48);
    const swept = [parent, ...kids].map((t) => sweepTicket(t, at, policy, { calendar, warnAt: 0.75 }));
    const breaches = swept.flatMap((s) => s.notices).filter((n) => n.type === 'sla.breach');
    expect(breaches.length).toBeGreaterThan(0);
    expect(new Set(breaches.map((n) => n.ticket))).toEqual(new Set([parent.number]));
  });
});

describe('updates fan out', () => {
  it("support's message on the incident reaches each child's requester once, about their own ticket, with stable keys", () => {
    let parent = raised(RITA, 'Outage', 1);
    const a = link(raised(ANN), parent);
    const b = link(raised(ANN), a.parent); // Ann reported it twice: told once
    const c = link(raised(BOB), b.parent);
    const d = link(raised(RITA), c.parent); // the incident's own requester: told once, as its requester
    parent = d.parent;
    const r = op.addMessage(parent, 'We found the cause; a fix is rolling out', as(LEE));
    const updates = r.notices.filter((n) => n.type === 'requester.update');
    const to = updates.map((n) =>
      n.audience.kind === 'user' ? `${n.audience.actor.platform}:${n.audience.actor.userId}` : '',
    );
    expect(to.sort()).toEqual([`slack:${ANN.userId}`, `slack:${RITA.userId}`, `teams:${BOB.userId}`].sort());
    const ann = updates.find((n) => n.audience.kind === 'user' && n.audience.actor.userId === ANN.userId);
    expect(ann?.ticket).toBe(a.child.number);
    expect(ann?.text).toMatch(new RegExp(`${a.child.number}, ${b.child.number} are part of: .*fix is rolling out`));
    // The same change computed again (a retry) gives the same keys: the outbox stores each once.
    const again = op.addMessage(parent, 'We found the cause; a fix is rolling out', as(LEE));
    expect(again.notices.map((n) => n.key)).toEqual(r.notices.map((n) => n.key));
    expect(new Set(updates.map((n) => n.key)).size).toBe(updates.length);
  });

  it('the incident resolved: each open child follows once, asked on its own ticket; a second pass does nothing', () => {
    let parent = raised(RITA, 'Outage', 1);
    const a = link(raised(ANN), parent);
    const b = link(raised(BOB), a.parent);
    parent = saved(op.resolve(b.parent, 'Rolled back the release', as(LEE)));
    expect(op.partsToFollow(parent).sort()).toEqual([a.child.number, b.child.number].sort());
    for (const child of [a.child, b.child]) {
      const r = op.followIncidentResolution(child, parent, 'Rolled back the release', as(LEE));
      expect(r.ticket.status).toBe('on_customer_test');
      const asked = r.notices.filter((n) => n.type.startsWith('requester.'));
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ type: 'requester.is_it_fixed', ticket: child.number });
      expect(asked[0]?.text).toMatch(/Rolled back the release/);
      expect(op.followIncidentResolution(saved(r), parent, '', as(LEE)).events).toEqual([]);
    }
    // The incident's own "is it fixed?" goes to its requester only (children are asked on their own tickets).
    const resolved = op.resolve(b.parent, 'x', as(LEE));
    expect(resolved.notices.filter((n) => n.type.startsWith('requester.')).map((n) => n.ticket)).toEqual([
      parent.number,
    ]);
  });

  it('the incident closed without a fix: a child still being worked leaves it and its clocks count again', () => {
    const a = link(raised(ANN), raised(RITA, 'Outage', 1));
    const b = link(raised(BOB), a.parent);
    const fixed = saved(op.followIncidentResolution(a.child, saved(op.resolve(b.parent, 'x', as(LEE))), '', as(LEE)));
    const closed = saved(op.closeWithReason(b.parent, { reason: 'spam' }, as(LEE)));
    expect(op.partsToFollow(closed).sort()).toEqual([a.child.number, b.child.number].sort());
    const left = op.followIncident(b.child, closed, '', as(LEE));
    expect(parentOf(left.ticket)).toBeNull();
    expect(left.ticket.sla.resolution.state).toBe('running');
    expect(left.ticket.nextCheckAt).not.toBeNull();
    expect(left.notices.find((n) => n.type === 'requester.update')?.text).toMatch(/no longer part of incident/);
    // One already resolved with it stays as it is.
    expect(op.followIncident(fixed, closed, '', as(LEE)).events).toEqual([]);
  });
});

describe('the triage card suggests an open incident', () => {
  const candidates = (...ts: Ticket[]) => ts;
  it('same category or outage words, within the window, an older open incident; never itself or a child', () => {
    const incident = raised(RITA, 'The whole platform is down', 1);
    const report = raised(ANN, 'Nobody can log in, site is down');
    expect(suggestIncident(report, candidates(incident, report), hours(1))).toEqual({
      number: incident.number,
      title: incident.title,
    });
    // Not the other way round (the incident is older), not out of the window, not an ordinary ticket.
    expect(suggestIncident(incident, candidates(incident, report), hours(1))).toBeNull();
    expect(suggestIncident(report, candidates(incident), hours(30))).toBeNull();
    const quiet = raised(BOB, 'Please reset my workflow password');
    expect(suggestIncident(quiet, candidates(incident), hours(1))).toBeNull();
    // Already part of it, or the incident resolved: nothing to suggest.
    const linked = link(report, incident).child;
    expect(suggestIncident(linked, candidates(incident), hours(1))).toBeNull();
    const fixed = saved(op.resolve(incident, 'x', as(LEE)));
    expect(suggestIncident(raised(BOB, 'Everyone is down again'), candidates(fixed), hours(1))).toBeNull();
  });
});
