import { type Activity, personalConversation, personalMessage, TENANT_ID } from '../../fixtures/teams/activities';
import { people, startTeamsKit, type TeamsKit } from '../../fixtures/teams/kit';

/**
 * Help in a Teams personal chat through /api/messages: the commands of the sender's role from the policy, the
 * support hours by the Helpline's clock and the policy's contact; and the same card as the welcome on install.
 */
describe('Teams: help that knows the desk', () => {
  let kit: TeamsKit;
  beforeAll(async () => {
    kit = await startTeamsKit({ now: new Date('2026-03-06T18:00:00Z') }); // a Friday evening in London
  });
  afterAll(async () => {
    await kit?.stop();
  });
  afterEach(() => {
    kit.assertRecordedCardsValid();
    kit.connector.reset();
  });

  const helpFrom = async (who: (typeof people)[keyof typeof people]) => {
    expect((await kit.send(personalMessage(kit.connector.url, who, 'help'))).status).toBe(200);
    return JSON.stringify(kit.connector.cards()[0]);
  };

  it('a requester: closed now, opens Monday; phone and portal; no queue', async () => {
    const card = await helpFrom(people.rita);
    expect(card).toContain('Support hours: 08:45–17:15, Monday to Friday (UK time) — closed now — opens Monday 08:45');
    expect(card).toContain('0330 088 0802 (Option 1)');
    expect(card).toContain('https://service-geeni.atlassian.ne');
    expect(card).toContain('**status SR-123**');
    expect(card).toContain('**history SR-123 [page]**');
    expect(card).not.toContain('queue');
    expect(card).not.toContain('**report**');
    expect(card).not.toContain('client SR-123');
  });

  it('an agent: the queue, client records and away', async () => {
    const card = await helpFrom(people.lee);
    expect(card).toContain('as a support agent');
    expect(card).toContain('**queue [mine|team|unassigned]**');
    expect(card).toContain('**client SR-123**');
    expect(card).toContain('**away until 2026-03-10, back**');
    expect(card).not.toContain('**report**');
    expect(card).toContain('opens Monday 08:45');
  });

  it('installed in a personal chat: a welcome with the same help', async () => {
    const {
      text: _text,
      textFormat: _format,
      attachments: _files,
      ...envelope
    } = personalMessage(kit.connector.url, people.lee, '');
    const install: Activity = {
      ...envelope,
      type: 'installationUpdate',
      action: 'add',
      conversation: { ...personalConversation(people.lee), tenantId: TENANT_ID },
    };
    expect((await kit.send(install)).status).toBeLessThan(300);
    const card = JSON.stringify(kit.connector.cards()[0]);
    expect(card).toContain('Welcome to Helpline');
    expect(card).toContain('**queue [mine|team|unassigned]**');
    expect(card).toContain('opens Monday 08:45');
  });
});
