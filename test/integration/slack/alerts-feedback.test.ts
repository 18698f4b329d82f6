import { Action, View } from '../../../src/cards/actions';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import {
  findElement,
  latestCard,
  people,
  raiseByDm,
  type SlackKit,
  slackPolicy,
  startSlackKit,
} from '../../fixtures/slack/kit';
import { TRIAGE } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const MANAGERS = 'C0MANAGERS';

describe('Slack: acknowledged alerts change in place; low CSAT and complaints reach management', () => {
  let kit: SlackKit;

  beforeEach(async () => {
    // Every ladder contact is reached in Slack here.
    const policy = slackPolicy();
    const everyoneInSlack = Object.fromEntries(
      Object.entries(policy.people).map(([id, p]) => [id, { ...p, notify: 'slack' as const }]),
    );
    kit = await startSlackKit({
      now: new Date('2026-03-02T09:00:00Z'),
      policy: { ...policy, people: everyoneInSlack },
    });
  });
  afterEach(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;
  const sweepAt = async (iso: string) => {
    kit.helpline.clock.set(new Date(iso));
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    await kit.drain();
  };

  it('a breach alert acknowledged: the same message shows who and when, its button gone; no ladder after it', async () => {
    const { number } = await raiseByDm(
      kit,
      people.rita,
      'The approval workflow is broken, we are using email approvals as a workaround',
    );
    await kit.drain();
    await sweepAt('2026-03-02T09:31:00Z');
    const alert = await eventually(
      () =>
        kit.slack
          .callsTo('chat.postMessage')
          .find((c) => c.body.channel === MANAGERS && JSON.stringify(c.body).includes('SLA BREACH')),
      5000,
      'breach alert',
    );
    expect(findElement(alert, Action.Acknowledge)).toBeDefined();
    const alertTs = String(alert.response?.ts);

    await pressOnCard(kit, people.mike, MANAGERS, number, Action.Acknowledge);
    await eventually(async () => (await ticket(number)).alerting.acknowledgedAt !== null, 5000, 'acknowledged');
    await settle(kit);
    const updated = await eventually(
      () =>
        kit.slack
          .callsTo('chat.update')
          .filter((c) => c.body.channel === MANAGERS && c.body.ts === alertTs)
          .at(-1),
      5000,
      'alert updated in place',
    );
    const body = JSON.stringify(updated.body.blocks);
    expect(body).toContain('Acknowledged by');
    expect(body).toMatch(/Mike Fox at (\w{3} )+?(\d{1,2} \w{3} )?\d{2}:\d{2}/);
    expect(body).toContain('SLA BREACH'); // still says what it was about
    expect(findElement(updated, Action.Acknowledge)).toBeUndefined();

    // Past the ladder step: nobody further up is told.
    await sweepAt('2026-03-02T13:00:00Z');
    expect(sentTo(kit, MANAGERS, 'ESCALATION:')).toHaveLength(0);
    expect(sentTo(kit, 'U0SUPPMGR', 'ESCALATION:')).toHaveLength(0);
  });

  it('a breach alert loses its button when the ticket is resolved', async () => {
    const { number } = await raiseByDm(
      kit,
      people.rita,
      'The approval workflow is broken, email approvals as a workaround',
    );
    await kit.drain();
    await sweepAt('2026-03-02T09:31:00Z');
    const alert = (await ticket(number)).posts.find((p) => p.kind === 'alert' && p.channel === MANAGERS);
    expect(alert).toBeDefined();
    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.Resolve, View.Resolve, { note: 'Rule fixed' });
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'resolved');
    const updated = await eventually(
      async () => {
        await settle(kit);
        return kit.slack
          .callsTo('chat.update')
          .filter((c) => c.body.channel === MANAGERS && c.body.ts === alert!.messageId)
          .find((c) => JSON.stringify(c.body.blocks).includes('On Customer Test'));
      },
      5000,
      'alert updated on resolve',
    );
    expect(JSON.stringify(updated!.body.blocks)).toContain('On Customer Test');
    expect(findElement(updated!, Action.Acknowledge)).toBeUndefined();
  });

  /** Raise, resolve from the triage card, confirm from the requester's card: Pending Closure with the CSAT card. */
  async function toPendingClosure(words: string) {
    const { number } = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.Resolve, View.Resolve, { note: 'Cache cleared' });
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'resolved');
    await settle(kit);
    await pressOnCard(kit, people.rita, people.rita.id, number, Action.FixedYes);
    await eventually(async () => (await ticket(number)).status === 'pending_closure', 5000, 'confirmed');
    await settle(kit);
    return number;
  }

  it('a score of 1 reaches the Team Lead and the managers channel at once; a 5 does not', async () => {
    const low = await toPendingClosure('The dashboard is slow to load every morning for the finance team');
    await pressOnCard(kit, people.rita, people.rita.id, low, `${Action.Csat}:1`);
    await eventually(async () => (await ticket(low)).csat?.score === 1, 5000, 'rated');
    await kit.drain();
    const managers = await eventually(() => sentTo(kit, MANAGERS, 'Low CSAT')[0], 5000, 'managers told');
    expect(JSON.stringify(managers.body)).toContain(low);
    await eventually(() => sentTo(kit, people.mike.id, 'Low CSAT')[0], 5000, 'Team Lead told');

    const high = await toPendingClosure('A column header in the invoice list is misspelt');
    await pressOnCard(kit, people.rita, people.rita.id, high, `${Action.Csat}:5`);
    await eventually(async () => (await ticket(high)).csat?.score === 5, 5000, 'rated 5');
    await kit.drain();
    expect(sentTo(kit, MANAGERS, high).filter((c) => JSON.stringify(c.body).includes('CSAT'))).toHaveLength(0);
  });

  it('Pending Closure is not a dead end: "still broken" reopens it and the assignee hears it', async () => {
    const number = await toPendingClosure('Emails with invoices attached bounce back from one supplier');
    expect((await ticket(number)).assignee).toBeNull();
    await pressOnCard(kit, people.rita, people.rita.id, number, Action.FixedNo);
    await eventually(async () => (await ticket(number)).status === 'customer_responded', 5000, 'reopened');
    await kit.drain();
    // Nobody assigned: the triage card's thread hears it.
    const cardTs = (await ticket(number)).posts.find((p) => p.kind === 'triage' && p.channel === TRIAGE)?.messageId;
    expect(cardTs).toBeDefined();
    await eventually(
      () => sentTo(kit, TRIAGE, 'not fixed').find((c) => c.body.thread_ts !== undefined),
      5000,
      'told in the triage thread',
    );
    const posts = sentTo(kit, TRIAGE, 'not fixed').filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.body.thread_ts)).toEqual([cardTs]);
  });
});
