import { Action, View } from '../../../src/cards/actions';
import type { SlackCall } from '../../fakes/slack-api';
import { pressOnCard, sentTo, settle } from '../../fixtures/slack/cards';
import { findElement, latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { TRIAGE, text, viewSubmission } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

type ModalView = { callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> };

describe('Slack: canned replies, previewed before they are sent (signed requests)', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;

  async function raised(words: string) {
    const r = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, r.number), 5000, 'triage card');
    return r.number;
  }

  /** Pick a reply from the card's select; the preview modal it opens. */
  async function preview(who: typeof people.lee, number: string, replyId: string): Promise<ModalView> {
    const before = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, who, TRIAGE, number, Action.Reply, replyId);
    const open: SlackCall = await eventually(
      () =>
        kit.slack
          .callsTo('views.open')
          .slice(before)
          .find((c) => (c.body.view as ModalView).callback_id === View.Reply),
      5000,
      'the reply preview',
    );
    return open.body.view as ModalView;
  }
  const initialText = (v: ModalView) =>
    String(
      ((v.blocks.find((b) => b.block_id === 'message')?.element ?? {}) as { initial_value?: string }).initial_value,
    );

  async function send(who: typeof people.lee, v: ModalView, message: string) {
    return kit.interact(
      viewSubmission(
        who,
        { callback_id: View.Reply, private_metadata: v.private_metadata },
        { message: { value: text(message) } },
      ),
    );
  }

  it('"Sent the SOC 2 report": previewed filled from the ticket, edited, sent to the requester, then On Customer Test', async () => {
    const number = await raised('Could you send us your latest SOC 2 report for our auditors?');
    const card = latestCard(kit, TRIAGE, number)!;
    const select = findElement(card, Action.Reply);
    expect(JSON.stringify(select?.element)).toContain('Sent the SOC 2 report');
    expect(JSON.stringify(select?.element)).toContain('Not Supported: Changing import and export schedules');
    // A reply whose move the status rules refuse from here is not offered (New → Quote Required is not a move).
    expect(JSON.stringify(select?.element)).not.toContain('Not Supported: Writing custom queries');

    const v = await preview(people.lee, number, 'soc2-report');
    const filled = initialText(v);
    expect(filled).toContain(`Hi Rita Reyes, as requested on ${number}`);
    expect(filled).toContain('Kind regards, Lee Lewis');
    expect(filled).not.toMatch(/\{(requester|ticket|client|agent)\}/);
    expect(JSON.stringify(v.blocks)).toContain('On Customer Test');
    expect((await ticket(number)).conversation).toHaveLength(0); // a preview sends nothing

    const res = await send(people.lee, v, `${filled} The report is attached as PDF.`);
    expect(res.text).toBe('');
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'On Customer Test');
    const t = await ticket(number);
    expect(t.conversation.at(-1)?.text).toContain('The report is attached as PDF.');
    expect(t.conversation.at(-1)?.fromAgent).toBe(true);
    const events = await kit.helpline.app.events.listFor(number);
    expect(events.find((e) => e.type === 'reply')?.note).toBe('Sent the SOC 2 report');
    await settle(kit);
    await eventually(() => sentTo(kit, people.rita.id, 'The report is attached as PDF.')[0], 5000, 'reply to Rita');
    await eventually(() => sentTo(kit, people.rita.id, 'Is it fixed?')[0], 5000, 'asked whether it is fixed');
  });

  it('a Not Supported answer: sent as the agent message, and the ticket goes to Quote Required', async () => {
    const number = await raised('The approval screen shows the wrong cost centre for two suppliers');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).status === 'triage', 5000, 'assigned');
    await settle(kit);
    const v = await preview(people.lee, number, 'ns:custom-code');
    expect(initialText(v)).toContain('Custom code is not covered by support');
    // Placeholders typed into the edited text are filled from the ticket when it is sent.
    expect((await send(people.lee, v, `{requester}: ${initialText(v)}`)).text).toBe('');
    await eventually(async () => (await ticket(number)).status === 'quote_required', 5000, 'Quote Required');
    expect((await ticket(number)).conversation.at(-1)?.text).toMatch(/^Rita Reyes: Custom code is not covered/);
  });

  it('only agents of the owning team may send one; the reply and its move come from the policy, not the form', async () => {
    const number = await raised('Please send the SOC 2 report again, our new auditor needs a copy');
    expect((await ticket(number)).team).toBe('level1');
    // Sam is an agent, but of Level 2: no preview opens, he is told why.
    const opened = kit.slack.callsTo('views.open').length;
    await pressOnCard(kit, people.sam, TRIAGE, number, Action.Reply, 'looking-into-it');
    await eventually(
      () =>
        kit.slack.calls.find((c) => c.body.user === people.sam.id && /team that owns/.test(String(c.body.text ?? ''))),
      5000,
      'Sam told',
    );
    expect(kit.slack.callsTo('views.open').length).toBe(opened);

    // Lee's preview, submitted by Sam, or with a reply id the policy does not have: refused, nothing changes.
    const v = await preview(people.lee, number, 'looking-into-it');
    const before = (await ticket(number)).version;
    expect((await send(people.sam, v, 'from Sam')).text).toMatch(/team that owns/);
    const forged = JSON.stringify({ ...JSON.parse(v.private_metadata), reply: 'close-everything' });
    const r = await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.Reply, private_metadata: forged },
        { message: { value: text('forged') } },
      ),
    );
    expect(r.text).toMatch(/Choose a reply from the list/);
    expect((await ticket(number)).version).toBe(before);

    // A move the status rules refuse is refused at the preview: On Customer Test twice.
    await send(people.lee, await preview(people.lee, number, 'password-reset'), 'Reset sent');
    await eventually(async () => (await ticket(number)).status === 'on_customer_test', 5000, 'On Customer Test');
    await settle(kit);
    const shown = latestCard(kit, TRIAGE, number)!;
    expect(JSON.stringify(findElement(shown, Action.Reply)?.element ?? {})).not.toContain('Password reset sent');
    const told = kit.slack.calls.length;
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.Reply, 'password-reset');
    await eventually(
      () =>
        kit.slack.calls
          .slice(told)
          .find((c) => c.body.user === people.lee.id && /already On Customer Test/.test(String(c.body.text ?? ''))),
      5000,
      'Lee told it is already On Customer Test',
    );
  });
});
