import { closeWithReason } from '../../../src/app/ticket-actions';
import { Action, View } from '../../../src/cards/actions';
import { findElement, people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import {
  appMention,
  buttonClick,
  channelMessage,
  chosen,
  directMessage,
  GENERAL,
  messageShortcut,
  slashCommand,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

const lee = { platform: 'slack' as const, userId: people.lee.id, name: people.lee.name };

describe('Slack: guided intake asks for what is missing, one question at a time', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  /** The bot's latest message in the thread `ts` that satisfies `when`. */
  const inThread = (ts: string, when: (body: Record<string, unknown>) => boolean, what: string) =>
    kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === ts && when(c.body), what);
  const says = (re: RegExp) => (b: Record<string, unknown>) => re.test(`${b.text} ${JSON.stringify(b.blocks ?? '')}`);

  const ticketsOf = (userId: string) =>
    kit.helpline.app.tickets.listByRequester({ platform: 'slack', userId }, { openOnly: false, limit: 100 });

  /** A DM reply in the thread of `ts`. */
  const replyInThread = (channel: string, ts: string, words: string) =>
    kit.event(directMessage(people.rita, words, { thread_ts: ts, channel }));

  it('asks for the business impact, then the client (skipped), then raises with the answers on "raise it anyway"', async () => {
    const msg = directMessage(people.rita, 'the export to sage failed last night');
    await kit.event(msg);
    const first = await inThread(msg.ts, says(/business impact/), 'first question');
    expect(String(first.body.text)).toMatch(/^What is the business impact/);
    expect(JSON.stringify(first.body.blocks)).toContain('Raise it anyway');
    expect(findElement(first, Action.RaiseNow)?.element.value).toBe(msg.ts);
    const before = (await ticketsOf(people.rita.id)).length;

    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'all of AP, month end payments are due friday');
    const second = await inThread(msg.ts, says(/Which client/), 'second question');
    expect(JSON.stringify(second.body.blocks)).toContain('all of AP, month end payments are due friday');

    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'skip');
    await inThread(msg.ts, says(/error message, a screenshot/), 'third question');

    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'raise it anyway');
    const confirmation = await inThread(msg.ts, says(/SR-\d+ raised/), 'confirmation');
    const number = /SR-\d+/.exec(String(confirmation.body.text))?.[0] ?? '';
    expect((await ticketsOf(people.rita.id)).length).toBe(before + 1);
    const t = await kit.helpline.app.tickets.get(number);
    expect(t).toMatchObject({
      businessImpact: 'all of AP, month end payments are due friday',
      client: '',
      requester: { userId: people.rita.id },
      categoryId: 'file-import-export-errors',
    });
    // Raised: a later reply in the thread is not taken as an answer any more.
    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'Acme');
    await kit.drain();
    expect((await kit.helpline.app.tickets.get(number))?.client).toBe('');
  });

  it('answers pre-fill the form; the client named in the words is recognised and not asked for', async () => {
    const msg = directMessage(people.rita, 'invoices from Northgate Foods are on hold in the portal');
    await kit.event(msg);
    const first = await inThread(msg.ts, () => true, 'first question');
    expect(`${first.body.text}`).not.toMatch(/Which client/);
    await replyInThread(msg.channel, msg.ts, 'our AP team cannot pay 40 suppliers');
    await inThread(msg.ts, says(/our AP team cannot pay 40 suppliers/), 'answer shown');
    kit.slack.reset();
    await kit.interact(
      buttonClick(people.rita, { action_id: Action.OpenForm, value: msg.ts }, { channel: msg.channel, ts: '1.1' }),
    );
    const open = await kit.waitFor('views.open');
    const form = JSON.stringify(open.body.view);
    expect(form).toContain('our AP team cannot pay 40 suppliers');
    expect(form).toContain('Northgate Foods');
  });

  it("Raise while a question is pending: the thread is the ticket's, closed or not, and never answers the question", async () => {
    const before = (await ticketsOf(people.rita.id)).length;
    const msg = directMessage(people.rita, 'the supplier export to sage failed last night');
    await kit.event(msg);
    const question = await inThread(msg.ts, says(/business impact/), 'question');
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.RaiseNow, value: msg.ts },
        { channel: msg.channel, ts: String(question.response?.ts) },
      ),
    );
    const confirmation = await inThread(msg.ts, says(/SR-\d+ raised/), 'confirmation');
    const number = /SR-\d+/.exec(String(confirmation.body.text))?.[0] ?? '';

    // Open: a reply there is added to the ticket.
    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'it is all of AP');
    await inThread(msg.ts, says(new RegExp(`Added to ${number}`)), 'added to the ticket');

    // Closed: a reply there is not taken as the raised draft's answer (its next question would be the client's); it
    // is read as a new request, as in any thread that is not a pending question's.
    await closeWithReason(kit.helpline.app, { number, actor: lee }, { reason: 'resolved_elsewhere' });
    kit.slack.reset();
    await replyInThread(msg.channel, msg.ts, 'Acme');
    const next = await inThread(msg.ts, () => true, 'the answer to the reply');
    expect(String(next.body.text)).not.toMatch(/Which client/);
    expect(findElement(next, Action.RaiseNow)?.element.value).not.toBe(msg.ts);
    expect(await ticketsOf(people.rita.id)).toHaveLength(before + 1);
  });

  it('a DM outside the thread is a new request, not an answer', async () => {
    const first = directMessage(people.rita, 'the approve button does nothing');
    await kit.event(first);
    await inThread(first.ts, says(/business impact/), 'question');
    const second = directMessage(people.rita, 'the approval emails stopped arriving this morning');
    await kit.event(second);
    const reply = await inThread(second.ts, () => true, 'understood reply to the new request');
    expect(findElement(reply, Action.RaiseNow)?.element.value).toBe(second.ts);
  });

  it('after an @mention in a channel, the requester answers in its thread; others there are not taken as answers', async () => {
    const mention = appMention(people.rita, GENERAL, 'the approve button does nothing');
    await kit.event(mention);
    await inThread(mention.ts, says(/business impact/), 'question in the channel thread');
    kit.slack.reset();
    await kit.event(channelMessage(people.stranger, GENERAL, 'same here', { thread_ts: mention.ts }));
    await kit.event(channelMessage(people.rita, GENERAL, 'the whole AP team', { thread_ts: mention.ts }));
    const next = await inThread(mention.ts, says(/Which client/), 'next question');
    expect(JSON.stringify(next.body.blocks)).toContain('the whole AP team');
    expect(JSON.stringify(next.body.blocks)).not.toContain('same here');
  });

  it('/ticket <plain words> works like a DM: echoed in the DM, the questions in its thread', async () => {
    const res = await kit.command(slashCommand(people.rita, 'the supplier file was rejected with invalid header row'));
    expect(res.status).toBe(200);
    const echo = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && /^You asked:/.test(String(c.body.text)),
      'echo',
    );
    const ts = String(echo.response?.ts);
    const question = await inThread(ts, () => true, 'question in the thread of the echo');
    expect(findElement(question, Action.RaiseNow)?.element.value).toBe(ts);
    expect(JSON.stringify(question.body.blocks)).toContain('File errors');
  });

  it("an agent raising someone's message from the shortcut makes its author the requester; the agent is recorded", async () => {
    const s = messageShortcut(people.lee, GENERAL, {
      text: 'the VAT report shows the wrong totals',
      user: people.rita.id,
    });
    await kit.interact(s);
    const open = await kit.waitFor('views.open');
    const view = open.body.view as { private_metadata: string };
    expect(JSON.parse(view.private_metadata).onBehalfOf).toBe(people.rita.id);
    await kit.interact(
      viewSubmission(
        people.lee,
        { callback_id: View.Intake, private_metadata: view.private_metadata },
        { title: { value: text('VAT report totals wrong') }, severity: { value: chosen('4') } },
      ),
    );
    const t = await eventually(
      async () => (await ticketsOf(people.rita.id)).find((x) => x.title === 'VAT report totals wrong'),
      5000,
      'ticket for the author',
    );
    const raised = (await kit.helpline.app.events.listFor(t.number)).find((e) => e.type === 'raised');
    expect(raised).toMatchObject({ actor: { userId: people.lee.id }, note: expect.stringContaining('for Rita Reyes') });
  });

  it('someone who is not an agent raising from the shortcut raises it as themselves', async () => {
    const s = messageShortcut(people.stranger, GENERAL, { text: 'the logo looks odd', user: people.rita.id });
    await kit.interact(s);
    const open = await kit.waitFor('views.open');
    const view = open.body.view as { private_metadata: string };
    await kit.interact(
      viewSubmission(
        people.stranger,
        { callback_id: View.Intake, private_metadata: view.private_metadata },
        { title: { value: text('Logo looks odd') }, severity: { value: chosen('4') } },
      ),
    );
    await eventually(
      async () => (await ticketsOf(people.stranger.id)).some((x) => x.title === 'Logo looks odd'),
      5000,
      'ticket raised by the stranger for themselves',
    );
  });
});
