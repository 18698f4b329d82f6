import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Role } from '../../../../src/config/policy.schema';
import { ForbiddenError, TransitionNotAllowedError } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

/** A low score's follow-up: opened by the rating's own change, for the owning team's Team Lead, done by an agent. */
const base = loadPolicy();
const calendar = createBusinessCalendar(base.calendar);
const RITA: Actor = { platform: 'slack', userId: 'U0REQUESTER', name: 'Rita Reyes' };
const LEE: Actor = { platform: 'slack', userId: 'U0LEVEL1', name: 'Lee Lewis' };
const MON = new Date('2026-03-02T10:00:00Z');

function as(actor: Actor, policy: Policy = base): op.OpContext {
  const roles = createDirectory(policy).rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks: { calendar, warnAt: policy.sla.warnAt }, now: MON, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult): Ticket => ({ ...r.ticket, version: r.ticket.version + 1 });
const pendingClosure = (policy: Policy = base): Ticket => {
  const t = saved(op.raise({ seq: 9, title: 'Exports fail', description: 'Since 9am', requester: RITA }, as(RITA)));
  return saved(op.confirmFixed(saved(op.resolve(t, 'Fixed', as(LEE, policy))), as(RITA, policy)));
};

describe('low CSAT follow-up', () => {
  it('a score at or below the line opens one, for the Team Lead, with a card to them and the managers', () => {
    const r = op.recordCsat(pendingClosure(), 2, 'Slow', as(RITA));
    expect(r.ticket.csatFollowUps).toEqual([expect.objectContaining({ state: 'open', score: 2, lead: 'mike.fox' })]);
    const low = r.notices.filter((n) => n.type === 'csat.low');
    expect(low.map((n) => n.audience)).toEqual([
      { kind: 'person', personId: 'mike.fox' },
      { kind: 'channel', channel: 'managers' },
    ]);
    expect(low[0]?.text).toContain('"Called them"');
    expect(op.recordCsat(pendingClosure(), 3, 'Fine', as(RITA)).ticket.csatFollowUps).toBeUndefined();
  });

  it("the owning team's lead comes first; the line follows the policy (0 turns it off)", () => {
    const withLead: Policy = {
      ...base,
      teams: { ...base.teams, level1: { ...base.teams.level1!, leads: ['priya.level1'] } },
    };
    expect(op.teamLeadOf(withLead, { team: 'level1' })).toBe('priya.level1');
    expect(op.teamLeadOf(base, { team: 'level1' })).toBe('mike.fox');
    const off: Policy = { ...base, csat: { ...base.csat, lowScoreAtOrBelow: 0 } };
    expect(op.recordCsat(pendingClosure(off), 1, '', as(RITA, off)).ticket.csatFollowUps).toBeUndefined();
  });

  it('a team note keeps it open; "you said, we did" tells the requester and ends it; then nothing is open', () => {
    const rated = saved(op.recordCsat(pendingClosure(), 1, 'Nobody answered', as(RITA)));
    const noted = op.followUpNote(rated, { text: 'Talked to the team', toRequester: false }, as(LEE));
    expect(noted.ticket.csatFollowUps?.[0]?.state).toBe('open');
    expect(noted.notices.filter((n) => n.type === 'requester.update')).toHaveLength(0);
    const told = op.followUpNote(saved(noted), { text: 'We now answer within the hour', toRequester: true }, as(LEE));
    expect(told.ticket.csatFollowUps?.[0]).toMatchObject({ state: 'done', doneBy: 'Lee Lewis' });
    const toRita = told.notices.find((n) => n.type === 'requester.update');
    expect(toRita?.audience).toEqual({ kind: 'user', actor: RITA });
    expect(toRita?.text).toContain('you said "Nobody answered" (1/5). We did: We now answer within the hour');
    expect(() => op.followUpCalled(saved(told), as(LEE))).toThrow(TransitionNotAllowedError);
    expect(() => op.followUpCalled(rated, as(RITA))).toThrow(ForbiddenError);
  });
});
