import { people, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { appHomeOpened, directMessage, slashCommand } from '../../fixtures/slack/payloads';

/**
 * Help in Slack through the real entry points (a signed DM, `/ticket help`, App Home): the commands of the sender's
 * role from the policy, the support hours with today's state by the Helpline's clock, and the policy's contact.
 */
describe('Slack: help that knows the desk', () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit(); // Monday 2 March 2026, 10:00 in London
  });
  afterAll(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  const dmHelp = async (who: { id: string; name: string }) => {
    const msg = directMessage(who, 'help');
    expect((await kit.event(msg)).status).toBe(200);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'the help reply');
    return String(reply.body.text);
  };

  it('a requester DMs "help": hours open now, the contact, and no agent command', async () => {
    const text = await dmHelp(people.rita);
    expect(text).toContain('Support hours: 08:45–17:15, Monday to Friday (UK time) — open now until 17:15');
    expect(text).toContain('Phone: 0330 088 0802 (Option 1)');
    expect(text).toContain('Support Portal: <https://service-geeni.atlassian.ne>');
    expect(text).not.toContain('Email:'); // not in the default policy
    expect(text).toContain('`/ticket status SR-123`');
    expect(text).toContain('`/ticket history SR-123 [page]`');
    expect(text).toContain('find your tickets');
    expect(text).not.toContain('/ticket queue');
    expect(text).not.toContain('/ticket away');
    expect(text).not.toContain('/ticket report');
    expect(text).not.toContain('client SR-123');
  });

  it('an agent DMs "help": the queue, client records and away, but not the reports', async () => {
    const text = await dmHelp(people.lee);
    expect(text).toContain('as a support agent');
    expect(text).toContain('`/ticket queue [mine|team|unassigned]`');
    expect(text).toContain('`client SR-123`');
    expect(text).toContain('`/ticket away until 2026-03-10, /ticket back`');
    expect(text).not.toContain('/ticket report');
    expect(text).not.toContain('away NAME');
  });

  it('a manager asks /ticket help after hours: closed now, opens tomorrow; the reports and away for others', async () => {
    kit.helpline.clock.set(new Date('2026-03-02T18:30:00Z'));
    try {
      const res = await kit.command(slashCommand(people.mike, 'help'));
      expect(res.status).toBe(200);
      const text = String((JSON.parse(res.text) as { text: string }).text);
      expect(text).toContain('— closed now — opens tomorrow 08:45');
      expect(text).toContain('as a manager');
      expect(text).toContain('`/ticket report`');
      expect(text).toContain('`/ticket away NAME until 2026-03-10, /ticket away NAME off`');
    } finally {
      kit.helpline.clock.set(new Date('2026-03-02T10:00:00Z'));
    }
  });

  it('App Home shows the hours, the contact and the commands of the role', async () => {
    await kit.event(appHomeOpened(people.rita));
    const home = await kit.waitFor('views.publish', (c) => c.body.user_id === people.rita.id, "Rita's App Home");
    const shown = JSON.stringify(home.body.view);
    expect(shown).toContain('open now until 17:15');
    expect(shown).toContain('0330 088 0802 (Option 1)');
    expect(shown).toContain('/ticket mine');
    expect(shown).not.toContain('/ticket queue');
  });
});
