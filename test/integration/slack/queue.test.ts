import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { people, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { homeClick, slashCommand } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

/**
 * The queue as an agent reads it in Slack: `/ticket queue` and App Home, its order read from the
 * posted blocks (breached first, then at risk, then severity, priority and age), its filters and
 * its Open / Take buttons, and App Home republished when a ticket in it changes.
 */
describe('Slack: the queue', () => {
  let kit: SlackKit;
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startSlackKit({ now: new Date('2026-03-02T09:00:00Z') }); // Monday, London = UTC in March
    const raise = async (key: string, at: string, text: string) => {
      kit.helpline.clock.set(new Date(at));
      const r = await raiseTicket(kit.helpline.app, {
        requester: { platform: 'slack', userId: people.rita.id, name: people.rita.name },
        text,
      });
      numbers[key] = r.ticket!.number;
    };
    await raise('sev4', '2026-03-02T09:00:00Z', 'There is a typo in the footer of the invoice PDF, purely cosmetic');
    await raise(
      'sev3',
      '2026-03-02T09:00:00Z',
      'The approval workflow is broken, we use email approvals as a workaround',
    );
    await raise('sev2', '2026-03-02T09:05:00Z', 'Invoicing is blocked across the business, nobody can post invoices');
    await raise('sev1', '2026-03-02T09:08:00Z', 'The system is down, users cannot log in at all');
    await raise('fresh', '2026-03-02T09:30:00Z', 'The approval workflow is broken again, there is a workaround');
    await kit.drain();
    // 09:31: Severity 1 (15 min), 3 and 4 (30 min) are past their first response; Severity 2 is at risk
    // (75 % of 30 min from 09:05 is 09:27:30, due 09:35); the fresh one is on track.
    kit.helpline.clock.set(new Date('2026-03-02T09:31:00Z'));
  });
  afterAll(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  /** Ticket numbers in the order the blocks show them. */
  const order = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/\*(SR-\d+)\*/g)].map((m) => m[1]);
  const expected = () => ['sev1', 'sev3', 'sev4', 'sev2', 'fresh'].map((k) => numbers[k]);
  const ephemeralAfter = async (n: number) =>
    eventually(() => kit.slack.callsTo('chat.postEphemeral')[n], 5000, 'the queue message');
  const publishedAfter = async (n: number) =>
    eventually(() => kit.slack.callsTo('views.publish')[n], 5000, `App Home publish #${n + 1}`);

  it('/ticket queue: breached first (by severity), then at risk, then the rest, each with Open and Take', async () => {
    expect((await kit.command(slashCommand(people.lee, 'queue', 'C0TRIAGE'))).status).toBe(200);
    const msg = await ephemeralAfter(0);
    expect(msg.body.user).toBe(people.lee.id);
    expect(order(msg.body.blocks)).toEqual(expected());
    const shown = JSON.stringify(msg.body.blocks);
    expect(shown).toContain('BREACHED · Severity 1 · Priority 1');
    expect(shown).toContain('AT RISK · Severity 2 · Priority 2');
    expect(shown).toContain(Action.OpenTicket);
    expect(shown).toContain(Action.Take);
  });

  it('/ticket queue unassigned and mine filter it; a requester is told the queue is for agents', async () => {
    await kit.command(slashCommand(people.lee, 'queue mine', 'C0TRIAGE'));
    expect(order((await ephemeralAfter(1)).body.blocks)).toEqual([]);
    await kit.command(slashCommand(people.lee, 'queue unassigned', 'C0TRIAGE'));
    expect(order((await ephemeralAfter(2)).body.blocks)).toEqual(expected());
    await kit.command(slashCommand(people.rita, 'queue'));
    const told = await kit.waitFor('chat.postEphemeral', (c: SlackCall) =>
      JSON.stringify(c.body).includes('for support agents'),
    );
    expect(told.body.user).toBe(people.rita.id);
  });

  it('App Home: the same order; Take from it moves the ticket and republishes the Home; filters and Open', async () => {
    const before = kit.slack.callsTo('views.publish').length;
    await kit.event({ type: 'app_home_opened', user: people.lee.id, channel: 'D0LEVEL1', tab: 'home' });
    const home = await publishedAfter(before);
    expect(home.body.user_id).toBe(people.lee.id);
    expect(order(home.body.view)).toEqual(expected());

    // Lee takes the Severity 3 ticket from his Home: its first response is given, it is no longer breached.
    const res = await kit.interact(homeClick(people.lee, { action_id: Action.Take, value: numbers.sev3 }));
    expect(res.status).toBe(200);
    const refreshed = await eventually(
      async () => {
        await kit.drain();
        return kit.slack
          .callsTo('views.publish')
          .slice(before + 1)
          .find((c) => c.body.user_id === people.lee.id && JSON.stringify(c.body.view).includes('Lee Lewis'));
      },
      5000,
      'App Home republished after the change',
    );
    expect(order(refreshed.body.view)).toEqual(['sev1', 'sev4', 'sev2', 'sev3', 'fresh'].map((k) => numbers[k]));

    // The "Mine" filter: only what Lee has.
    const n = kit.slack.callsTo('views.publish').length;
    await kit.interact(homeClick(people.lee, { action_id: `${Action.QueueFilter}:mine`, value: 'mine' }));
    expect(order((await publishedAfter(n)).body.view)).toEqual([numbers.sev3]);

    // At 10:01 the fresh ticket (raised 09:30) and the Severity 2 (09:35) have breached: the sweep's alerts
    // republish the Home, both now among the breached, by severity; the one Lee took is last.
    const m = kit.slack.callsTo('views.publish').length;
    await kit.interact(homeClick(people.lee, { action_id: `${Action.QueueFilter}:all`, value: 'all' }));
    await publishedAfter(m);
    const k = kit.slack.callsTo('views.publish').length;
    kit.helpline.clock.set(new Date('2026-03-02T10:01:00Z'));
    await kit.helpline.scheduler.runNow(['sla-sweep']);
    await kit.drain();
    const afterBreach = await publishedAfter(k);
    expect(order(afterBreach.body.view)).toEqual(['sev1', 'sev2', 'fresh', 'sev4', 'sev3'].map((x) => numbers[x]));

    // Open: the ticket's card in a modal.
    await kit.interact(homeClick(people.lee, { action_id: Action.OpenTicket, value: numbers.sev1 }));
    const modal = await kit.waitFor('views.open');
    expect(JSON.stringify(modal.body.view)).toContain(`${numbers.sev1} ·`);
    expect(JSON.stringify(modal.body.view)).toContain('target 15 business minutes (Severity 1, business hours)');
  });
});
