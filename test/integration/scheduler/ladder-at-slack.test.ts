import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import { findElement, people, type SlackKit, slackPolicy, startSlackKit } from '../../fixtures/slack/kit';
import { buttonClick } from '../../fixtures/slack/payloads';

/**
 * The whole ladder as managers see it in Slack: every post counted at the fake Slack Web API.
 * The breach alert meets a 429 first and is delivered once after its Retry-After.
 */
describe('SLA alerts and the escalation ladder, counted at the fake Slack API', () => {
  let kit: SlackKit;
  const MANAGERS = 'C0MANAGERS';
  const DM_OF = { mike: 'U0TEAMLEAD', james: 'U0SUPPMGR', erika: 'U0HEADSUPP', cco: 'U0CCO' };

  beforeEach(async () => {
    // The default policy DMs two of the contacts in Teams; here every contact is reached in Slack.
    const policy = slackPolicy();
    const people = Object.fromEntries(
      Object.entries(policy.people).map(([id, p]) => [id, { ...p, notify: 'slack' as const }]),
    );
    kit = await startSlackKit({ now: new Date('2026-03-02T09:00:00Z'), policy: { ...policy, people } });
  });
  afterEach(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  const runAt = async (iso: string) => {
    kit.helpline.clock.set(new Date(iso));
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    // Deliver, including retries that became due (the notifier's clock is the same movable clock).
    await kit.drain();
  };
  /** Messages Slack accepted (a 429 is recorded by the fake but not delivered). */
  const posts = (channel: string, text: string) =>
    kit.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.response?.ok === true && c.body.channel === channel && JSON.stringify(c.body).includes(text));
  const refused = (channel: string) =>
    kit.slack.callsTo('chat.postMessage').filter((c) => c.response?.ok === false && c.body.channel === channel);

  async function raise(text: string) {
    const r = await raiseTicket(kit.helpline.app, {
      requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
      text,
    });
    await kit.drain();
    return r.ticket!;
  }
  /** Severity 3 ("workaround"): the standard 30 minutes / 50 hours; its ladder stops at the Support Manager. */
  const raiseUntouched = async () =>
    (await raise('The approval workflow is broken, we are using email approvals as a workaround')).number;

  it('a Severity 3 left alone: breach to the Team Lead, one step to the Support Manager, then no higher', async () => {
    const number = await raiseUntouched();
    kit.slack.failNext(1, { status: 429, retryAfter: 1, method: 'chat.postMessage', channel: MANAGERS });
    await runAt('2026-03-02T09:31:00Z'); // breached at 09:30
    expect(refused(MANAGERS)).toHaveLength(1); // the 429
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(0); // not delivered yet, and not dead
    await runAt('2026-03-02T09:32:00Z'); // past Retry-After and the first backoff
    const breach = posts(MANAGERS, 'SLA BREACH');
    expect(breach).toHaveLength(1);
    const text = JSON.stringify(breach[0]?.body);
    expect(text).toContain(`<@${DM_OF.mike}>`);
    // Why it was sent and what stops it.
    expect(text).toContain('missed the 30 business minutes target for the standard SLA for its first response');
    expect(text).toContain('Acknowledge to stop the escalation');
    expect(text).toContain('no higher than Support Manager');

    await runAt('2026-03-02T11:31:00Z');
    await runAt('2026-03-02T11:31:00Z'); // a second sweep at the same instant sends nothing more
    expect(posts(MANAGERS, 'Support Manager is the last step')).toHaveLength(1);
    expect(posts(DM_OF.james, 'ESCALATION')).toHaveLength(1);
    for (const at of ['2026-03-02T13:31:00Z', '2026-03-02T15:31:00Z', '2026-03-03T12:00:00Z', '2026-03-05T12:00:00Z'])
      await runAt(at);
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(1);
    expect(posts(DM_OF.erika, 'ESCALATION')).toHaveLength(0);
    expect(posts(DM_OF.cco, 'ESCALATION')).toHaveLength(0);
    expect(posts(MANAGERS, number).length).toBe(2);
  });

  it('a cosmetic Severity 4 left alone alerts the Team Lead and goes no further, however long it waits', async () => {
    const t = await raise('There is a typo in the footer of the invoice PDF, purely cosmetic');
    expect(t.severity).toBe(4);
    await runAt('2026-03-02T09:31:00Z');
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(1);
    expect(JSON.stringify(posts(MANAGERS, 'SLA BREACH')[0]?.body)).toContain('No further escalation for this ticket');
    for (const at of ['2026-03-02T11:31:00Z', '2026-03-03T12:00:00Z', '2026-03-06T16:00:00Z', '2026-03-10T16:00:00Z'])
      await runAt(at);
    // The resolution breach (50 business hours: Mon 9 Mar 16:30) is one more alert, still no climb.
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(2);
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(0);
    for (const dm of Object.values(DM_OF)) expect(posts(dm, 'ESCALATION')).toHaveLength(0);
  });

  it('a Severity 1 left alone: 15 minutes, then up the whole ladder to the CCO, each told exactly once', async () => {
    const t = await raise('The system is down, users cannot log in at all');
    expect(t.severity).toBe(1);
    await runAt('2026-03-02T09:16:00Z'); // breached at 09:15
    expect(JSON.stringify(posts(MANAGERS, 'SLA BREACH')[0]?.body)).toContain(
      'missed the 15 business minutes target for Severity 1 for its first response',
    );
    for (const [at, contact, level] of [
      ['2026-03-02T11:16:00Z', DM_OF.james, 'Support Manager'],
      ['2026-03-02T13:16:00Z', DM_OF.erika, 'Head of Support'],
      ['2026-03-02T15:16:00Z', DM_OF.cco, 'Chief Customer Officer'],
    ] as const) {
      await runAt(at);
      await runAt(at);
      expect(posts(MANAGERS, `now escalated to ${level}`)).toHaveLength(1);
      expect(posts(contact, 'ESCALATION')).toHaveLength(1);
    }
    await runAt('2026-03-03T12:00:00Z');
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(3);
  });

  it('a Severity 2 answered after its breach: the answer ends the climb', async () => {
    const t = await raise('Invoicing is blocked across the business, nobody can post invoices');
    expect(t.severity).toBe(2);
    await runAt('2026-03-02T09:31:00Z');
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(1);
    // Lee takes it from the triage card at 10:00: the first response is given, the breach no longer stands.
    kit.helpline.clock.set(new Date('2026-03-02T10:00:00Z'));
    const card = kit.slack
      .callsTo('chat.postMessage')
      .find((c) => c.body.channel === 'C0TRIAGE' && JSON.stringify(c.body).includes(t.number))!;
    const assign = findElement(card, Action.AssignToMe)!;
    const res = await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.AssignToMe, value: t.number, block_id: assign.blockId },
        { channel: 'C0TRIAGE', ts: String(card.response?.ts) },
      ),
    );
    expect(res.status).toBe(200);
    for (let i = 0; i < 50 && !(await kit.helpline.app.tickets.get(t.number))?.assignee; i++)
      await new Promise((r) => setTimeout(r, 50));
    for (const at of ['2026-03-02T11:31:00Z', '2026-03-02T13:31:00Z', '2026-03-02T16:00:00Z']) await runAt(at);
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(0);
    for (const dm of Object.values(DM_OF)) expect(posts(dm, 'ESCALATION')).toHaveLength(0);
  });

  it('an Acknowledge click on the alert stops the climb and records who acknowledged', async () => {
    const number = await raiseUntouched();
    await runAt('2026-03-02T09:31:00Z');
    const alert = posts(MANAGERS, 'SLA BREACH')[0]!;
    const ack = findElement(alert, Action.Acknowledge);
    expect(ack).toBeDefined();
    const res = await kit.interact(
      buttonClick(
        people.mike,
        { action_id: Action.Acknowledge, value: number, block_id: ack!.blockId },
        { channel: MANAGERS, ts: String(alert.response?.ts) },
      ),
    );
    expect(res.status).toBe(200);
    const t = await kit.helpline.app.tickets.get(number).then(async (x) => {
      for (let i = 0; i < 50 && !x?.alerting.acknowledgedAt; i++) {
        await new Promise((r) => setTimeout(r, 50));
        x = await kit.helpline.app.tickets.get(number);
      }
      return x;
    });
    expect(t?.alerting.acknowledgedBy?.name).toBe('Mike Fox');
    await runAt('2026-03-02T16:00:00Z');
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(0);
    expect(posts(DM_OF.james, 'ESCALATION')).toHaveLength(0);
  });
});
