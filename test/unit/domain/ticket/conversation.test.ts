import { loadPolicy } from '../../../../src/config/policy';
import type { Role } from '../../../../src/config/policy.schema';
import { ForbiddenError } from '../../../../src/domain/errors';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import * as op from '../../../../src/domain/ticket/operations';
import { csatConcern } from '../../../../src/domain/ticket/resolution';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

const policy = loadPolicy();
const clocks = { calendar: createBusinessCalendar(policy.calendar), warnAt: policy.sla.warnAt };
const directory = createDirectory(policy);
const now = new Date('2026-03-02T10:00:00Z');
const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
const RITA = slack('U0REQUESTER', 'Rita Reyes');
const LEE = slack('U0LEVEL1', 'Lee Lewis');

function as(actor: Actor): op.OpContext {
  const roles = directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
const saved = (r: op.OpResult, before: Ticket): Ticket => ({ ...r.ticket, version: before.version + 1 });
const fresh = (): Ticket => {
  const r = op.raise({ seq: 7, title: 'Exports fail', description: 'Since 9am', requester: RITA }, as(RITA));
  return { ...r.ticket, version: 1 };
};

describe('the conversation in the domain', () => {
  it("the requester's words go to the assignee, or to the card's thread when nobody has it", () => {
    const t = fresh();
    const unassigned = op.addMessage(t, 'More detail', as(RITA));
    expect(unassigned.notices.find((n) => n.type === 'agent.requester_wrote')).toMatchObject({
      audience: { kind: 'cardThread' },
      text: expect.stringContaining('More detail'),
    });
    const assigned = saved(op.assign(t, LEE, as(LEE)), t);
    const asked = saved(op.requestInfo(assigned, 'Which export?', as(LEE)), assigned);
    const answer = op.addMessage(asked, 'The nightly one', as(RITA));
    expect(answer.ticket.status).toBe('customer_responded');
    expect(answer.notices.find((n) => n.type === 'agent.requester_wrote')).toMatchObject({
      audience: { kind: 'user', actor: { userId: LEE.userId } },
      text: expect.stringMatching(/SR-7 .*answered, now Customer Responded: The nightly one/),
    });
  });

  it('an internal note: agents only, recorded as internal, never sent to the requester', () => {
    const t = fresh();
    expect(() => op.addInternalNote(t, 'psst', as(RITA))).toThrow(ForbiddenError);
    const r = op.addInternalNote(t, 'Client owes two invoices', as(LEE));
    expect(r.ticket.conversation.at(-1)).toMatchObject({ internal: true, text: 'Client owes two invoices' });
    expect(r.notices.filter((n) => n.audience.kind === 'user')).toEqual([]);
    expect(r.ticket.status).toBe(t.status);
  });

  it('low scores and complaints are concerns; the threshold and words come from the policy', () => {
    expect(csatConcern(2, '', policy)).toBe('Low CSAT');
    expect(csatConcern(3, 'fine', policy)).toBeNull();
    expect(csatConcern(5, 'I want to make a complaint', policy)).toBe('Complaint');
    expect(csatConcern(1, '', { csat: { lowScoreAtOrBelow: 0, complaintWords: [], rateWithin: 10_080 } })).toBeNull();
  });
});
