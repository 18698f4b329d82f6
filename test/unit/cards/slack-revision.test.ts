import { cardRevision } from '../../../src/cards/slack/ticket-card';
import { ticketView } from '../../../src/cards/ticket-view';
import { loadPolicy } from '../../../src/config/policy';
import { createBusinessCalendar } from '../../../src/domain/sla/business-calendar';
import { raise } from '../../../src/domain/ticket/operations';

describe('Slack card revision (the double-click guard in block ids)', () => {
  const policy = loadPolicy();
  const calendar = createBusinessCalendar(policy.calendar);
  const now = new Date('2026-03-02T10:00:00Z');
  const actor = {
    platform: 'slack' as const,
    userId: 'U0REQUESTER',
    name: 'Rita',
    role: 'requester' as const,
    roles: ['requester' as const],
  };
  const t = raise(
    { seq: 7, title: 'Export broken', description: 'x', requester: actor },
    { policy, clocks: { calendar, warnAt: 0.75 }, now, actor },
  ).ticket;
  const view = (version: number) => ticketView({ ...t, version }, [], { policy, calendar, now });

  it('is the same for the same rendering and differs for a card that returns to an earlier state', () => {
    expect(cardRevision(view(3))).toBe(cardRevision(view(3)));
    // Same fields, later version (severity 2 → 3 → 2, or resolved again): a new click, a new key.
    expect(cardRevision(view(5))).not.toBe(cardRevision(view(3)));
  });
});
