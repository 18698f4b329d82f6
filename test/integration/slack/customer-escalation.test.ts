import { Action, View } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { buttonClick, chosen, slashCommand, TRIAGE, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: customer escalation with rules (signed requests)', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticket = async (n: string) => {
    const t = await kit.helpline.app.tickets.get(n);
    if (!t) throw new Error(`${n} is missing`);
    return t;
  };

  /** The requester opens the Escalate form from `/ticket status` and submits it. */
  async function escalate(number: string, reason: string, ts: string) {
    kit.slack.calls.length = 0;
    await kit.command(slashCommand(people.rita, `status ${number}`));
    const status = await kit.waitFor('chat.postEphemeral', (c) => !!findElement(c, Action.CustomerEscalate));
    const esc = findElement(status, Action.CustomerEscalate)!;
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.CustomerEscalate, value: number, block_id: esc.blockId },
        { channel: 'D0REQUESTER', ts, ephemeral: true },
      ),
    );
    const form: SlackCall = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.CustomerEscalate,
    );
    expect(JSON.stringify(form.body.view)).not.toContain('The requester asked'); // no phone / email choice for them
    const { private_metadata } = form.body.view as { private_metadata: string };
    return kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.CustomerEscalate, private_metadata },
        { reason: { value: text(reason) }, impact: { value: text('Finance cannot report') } },
      ),
    );
  }

  it('refuses a second step within the cooldown, saying when, and takes it once the business hour has passed', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'Month-end close is blocked by the ledger sync');
    await kit.drain();
    expect((await escalate(number, 'Close deadline is tomorrow', '7.1')).text).toBe('');
    await eventually(async () => (await ticket(number)).escalationLevel === 1, 5000, 'escalated to level 1');
    await kit.drain();
    // The Team Lead (level 1's contact) is told once; the requester hears who has it and when to expect an answer.
    const toRita = kit.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.body.text ?? '').includes('is now escalated to the Team Lead'),
    );
    expect(toRita).toHaveLength(1);
    expect(String(toRita[0]?.body.text)).toMatch(/You can expect an answer by \w{3} \d\d:\d\d \(Europe\/London\)/);
    const before = await ticket(number);

    kit.helpline.clock.advanceMinutes(20);
    const refused = await escalate(number, 'Still nothing', '7.2');
    const { errors } = JSON.parse(refused.text) as { errors: { reason: string } };
    expect(errors.reason).toContain('You can escalate it again from');
    expect(errors.reason).toContain('(Europe/London)');
    const unchanged = await ticket(number);
    expect(unchanged.escalationLevel).toBe(1);
    expect(unchanged.version).toBe(before.version);

    kit.helpline.clock.advanceMinutes(45);
    expect((await escalate(number, 'Still nothing after an hour', '7.3')).text).toBe('');
    await eventually(async () => (await ticket(number)).escalationLevel === 2, 5000, 'escalated to level 2');
  });

  it('an agent records an escalation the requester asked for by phone, from the triage card', async () => {
    const { number } = await raiseByDm(kit, people.rita, 'The payroll export fails for every store since this morning');
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    const esc = findElement(card, Action.CustomerEscalate);
    expect(esc).toBeDefined();
    await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.CustomerEscalate, value: number, block_id: esc!.blockId },
        { channel: TRIAGE, ts: String(card.response?.ts) },
      ),
    );
    const form: SlackCall = await kit.waitFor(
      'views.open',
      (c) => (c.body.view as { callback_id: string }).callback_id === View.CustomerEscalate,
    );
    expect(JSON.stringify(form.body.view)).toContain('The requester asked'); // the phone / email choice, for agents
    const { private_metadata } = form.body.view as { private_metadata: string };
    const res = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.CustomerEscalate, private_metadata },
        {
          reason: { value: text('Rita called: payroll runs tonight') },
          impact: { value: text('No store can pay its staff') },
          via: { value: chosen('phone') },
        },
      ),
    );
    expect(res.text).toBe('');
    await eventually(async () => (await ticket(number)).escalationLevel === 1, 5000, 'escalated to level 1');
    const events = await kit.helpline.app.events.listFor(number);
    expect(JSON.stringify(events.filter((e) => e.type.includes('escalat')))).toContain('phone');
  });
});
