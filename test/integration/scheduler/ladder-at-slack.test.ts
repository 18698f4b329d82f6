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

  async function raiseUntouched() {
    const r = await raiseTicket(kit.helpline.app, {
      requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
      text: 'The approval workflow is broken, we are using email approvals as a workaround',
    });
    await kit.drain();
    return r.ticket!.number;
  }

  it('climbs Team Lead → Support Manager → Head of Support → CCO, each told exactly once', async () => {
    const number = await raiseUntouched();
    kit.slack.failNext(1, { status: 429, retryAfter: 1, method: 'chat.postMessage', channel: MANAGERS });
    await runAt('2026-03-02T09:31:00Z'); // breached at 09:30
    expect(refused(MANAGERS)).toHaveLength(1); // the 429
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(0); // not delivered yet, and not dead
    await runAt('2026-03-02T09:32:00Z'); // past Retry-After and the first backoff
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(1);
    expect(JSON.stringify(posts(MANAGERS, 'SLA BREACH')[0]?.body)).toContain(`<@${DM_OF.mike}>`);

    for (const [at, contact, level] of [
      ['2026-03-02T11:31:00Z', DM_OF.james, 'Support Manager'],
      ['2026-03-02T13:31:00Z', DM_OF.erika, 'Head of Support'],
      ['2026-03-02T15:31:00Z', DM_OF.cco, 'Chief Customer Officer'],
    ] as const) {
      await runAt(at);
      await runAt(at); // a second sweep at the same instant sends nothing more
      expect(posts(MANAGERS, level)).toHaveLength(1);
      expect(posts(contact, 'ESCALATION')).toHaveLength(1);
    }
    await runAt('2026-03-03T12:00:00Z'); // the top of the ladder: nothing further
    expect(posts(MANAGERS, 'ESCALATION')).toHaveLength(3);
    expect(posts(MANAGERS, 'SLA BREACH')).toHaveLength(1);
    expect(posts(MANAGERS, number).length).toBe(4);
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
