import { Action, View } from '../../../src/cards/actions';
import { findElement, people, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import {
  appMention,
  buttonClick,
  channelMessage,
  chosen,
  directMessage,
  GENERAL,
  globalShortcut,
  messageShortcut,
  slashCommand,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

describe('Slack: raising a ticket', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const mine = () =>
    kit.helpline.app.tickets.listByRequester(
      { platform: 'slack', userId: people.rita.id },
      { openOnly: false, limit: 100 },
    );

  it('answers a DM in plain words in thread with what it understood, and files nothing yet', async () => {
    const before = (await mine()).length;
    const msg = directMessage(people.rita, "Users can't log in since 9am, invoicing is blocked for everyone");
    const res = await kit.event(msg);
    expect(res.status).toBe(200);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    expect(reply.body.channel).toBe(msg.channel);
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toMatch(/Suggested severity/);
    expect(shown).toMatch(/Category and team/);
    expect(findElement(reply, Action.RaiseNow)?.element.value).toBe(msg.ts);
    expect(findElement(reply, Action.OpenForm)).toBeDefined();
    expect((await mine()).length).toBe(before);
  });

  it('"Raise ticket" raises it with the suggestion, replies with the confirmation, posts the triage card', async () => {
    const msg = directMessage(people.rita, 'The invoice export fails with Error 500 for all users since this morning');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    const before = (await mine()).length;
    const click = buttonClick(
      people.rita,
      { action_id: Action.RaiseNow, value: msg.ts },
      { channel: msg.channel, ts: String(reply.response?.ts) },
    );
    expect((await kit.interact(click)).status).toBe(200);
    const confirmation = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ raised: Severity \d/.test(String(c.body.text)),
      'confirmation',
    );
    expect(String(confirmation.body.text)).toMatch(/Expect a first response by/);
    // The understood reply loses its buttons once raised.
    const done = await kit.waitFor('chat.update', (c) => c.body.ts === reply.response?.ts, 'intake reply updated');
    expect(findElement(done, Action.RaiseNow)).toBeUndefined();
    expect((await mine()).length).toBe(before + 1);
    await kit.drain();
    const card = await kit.waitFor('chat.postMessage', (c) => c.body.channel === TRIAGE, 'triage card');
    expect(findElement(card, Action.AssignToMe)).toBeDefined();
    expect(findElement(card, Action.EscalateTeamTicketing)).toBeDefined();
    // A double click on "Raise ticket": still one ticket.
    await kit.interact(click);
    await kit.interact(click);
    await new Promise((r) => setTimeout(r, 300));
    expect((await mine()).length).toBe(before + 1);
    // Told once, under the raise's own claim: the confirmation recorded as told with the raise (no claim of its own),
    // carrying its key; the clicks again (acked after their work) post nothing more.
    const key = `slack:raise:${people.rita.id}:${msg.ts}`;
    const told = kit.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.body.thread_ts === msg.ts && /SR-\d+ raised/.test(String(c.body.text)));
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]?.body.metadata)).toContain(`${key}:told`);
    const claims = kit.helpline.app.models.ProcessedEvent.collection;
    expect(await claims.findOne({ _id: key } as never)).toMatchObject({ state: 'done', result: { told: true } });
    expect(await claims.findOne({ _id: `${key}:told` } as never)).toBeNull();
    // The thread was linked to the ticket before the confirmation was posted: a reply there reaches the ticket.
    const number = /SR-\d+/.exec(String(told[0]?.body.text))?.[0];
    expect(
      await kit.helpline.app.models.Conversation.collection.findOne({
        _id: `slack:thread:${msg.channel}:${msg.ts}`,
      } as never),
    ).toMatchObject({ ref: { ticket: number } });
  });

  it('a declined (not supported) request gets the policy reply at once', async () => {
    const policy = kit.helpline.app.policy;
    const declined = Object.values(policy.coverage.notSupported).find((n) => n.route === 'declined');
    if (!declined) return;
    const msg = directMessage(people.rita, `Can you ${declined.keywords[0]} for me please`);
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    expect(findElement(reply, Action.RaiseNow)).toBeUndefined();
    expect(String(reply.body.text)).toContain(
      declined.reply
        .slice(0, 30)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .split(/[*_~`]/)[0],
    );
  });

  it('@mention in a channel answers in thread; the same message seen as message.channels is not answered twice', async () => {
    const m = appMention(people.rita, GENERAL, 'the payroll report is missing totals');
    await kit.event(m);
    // Slack also delivers it as message.channels (same client_msg_id, text with the mention).
    await kit.event({ ...channelMessage(people.rita, GENERAL, m.text), client_msg_id: m.client_msg_id, ts: m.ts });
    await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === m.ts);
    await new Promise((r) => setTimeout(r, 300));
    expect(kit.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === m.ts)).toHaveLength(1);
  });

  it('ignores channel chatter, bots, its own messages, edits and deletes', async () => {
    await kit.event(channelMessage(people.rita, GENERAL, 'lunch anyone?'));
    await kit.event({ ...directMessage(people.rita, 'from a bot'), bot_id: 'B0OTHER', subtype: 'bot_message' });
    await kit.event({ ...directMessage(people.rita, 'from me'), user: 'U0HELPLINE', bot_id: 'B0HELPLINE' });
    await kit.event({
      type: 'message',
      subtype: 'message_changed',
      channel: 'D0REQUESTER',
      channel_type: 'im',
      ts: '1.2',
      message: { type: 'message', user: people.rita.id, text: 'edited', ts: '1.1' },
    });
    await kit.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: 'D0REQUESTER',
      channel_type: 'im',
      ts: '1.3',
      deleted_ts: '1.1',
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(kit.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('"Open form" opens the modal pre-filled; submitting raises and confirms in the thread', async () => {
    const msg = directMessage(people.rita, 'Stock levels are wrong after the import https://example.com/shot.png');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.OpenForm, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    const open = await kit.waitFor('views.open');
    const view = open.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(view.callback_id).toBe(View.Intake);
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).toEqual(
      expect.arrayContaining(['title', 'description', 'impact', 'client', 'category', 'severity', 'links']),
    );
    const title = view.blocks.find((b) => b.block_id === 'title') as { element: { initial_value?: string } };
    expect(title.element.initial_value).toMatch(/Stock levels/);
    const before = (await mine()).length;
    const submit = viewSubmission(
      people.rita,
      { callback_id: View.Intake, private_metadata: view.private_metadata },
      {
        title: { value: text('Stock levels wrong after import') },
        description: { value: text('Since the import this morning') },
        impact: { value: text('Warehouse cannot pick orders') },
        client: { value: text('Acme Ltd') },
        category: { value: chosen('none') },
        severity: { value: chosen('2') },
        links: { value: text('https://example.com/shot.png') },
      },
    );
    const res = await kit.interact(submit);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /raised: Severity 2/.test(String(c.body.text)),
    );
    const [t] = await mine();
    expect(t).toMatchObject({
      title: 'Stock levels wrong after import',
      severity: 2,
      client: 'Acme Ltd',
      businessImpact: 'Warehouse cannot pick orders',
    });
    expect((await mine()).length).toBe(before + 1);
    // Slack re-sending the same submission (same view id): one ticket.
    await kit.interact(submit);
    expect((await mine()).length).toBe(before + 1);
  });

  it('the message shortcut pre-fills the form from the message with its permalink as the source', async () => {
    const s = messageShortcut(people.rita, GENERAL, {
      text: 'The VAT report shows the wrong totals',
      user: people.stranger.id,
    });
    expect((await kit.interact(s)).status).toBe(200);
    const link = await kit.waitFor('chat.getPermalink');
    expect(link.body).toMatchObject({ channel: GENERAL, message_ts: s.message_ts });
    const open = await kit.waitFor('views.open');
    const view = open.body.view as { private_metadata: string; blocks: Array<Record<string, unknown>> };
    expect(JSON.parse(view.private_metadata).sourceLink).toMatch(/^https:\/\/helpline-test\.slack\.com\/archives\//);
    const submit = viewSubmission(
      people.rita,
      { callback_id: View.Intake, private_metadata: view.private_metadata },
      {
        title: { value: text('VAT report totals wrong') },
        severity: { value: chosen('3') },
        category: { value: chosen(null) },
      },
    );
    await kit.interact(submit);
    const dm = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && /raised/.test(String(c.body.text)),
    );
    const number = /SR-\d+/.exec(String(dm.body.text))?.[0] ?? '';
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.sourceLink).toMatch(/archives\/C0GENERAL\/p/);
  });

  it('the global shortcut and /ticket new open the empty form', async () => {
    await kit.interact(globalShortcut(people.rita));
    const a = await kit.waitFor('views.open');
    expect((a.body.view as { callback_id: string }).callback_id).toBe(View.Intake);
    kit.slack.reset();
    expect((await kit.command(slashCommand(people.rita, 'new'))).status).toBe(200);
    await kit.waitFor('views.open');
  });

  it('/ticket help, unknown subcommands, mine and status', async () => {
    const help = await kit.command(slashCommand(people.rita, 'help'));
    expect(JSON.parse(help.text).text).toMatch(/\/ticket status SR-123/);
    const unknown = await kit.command(slashCommand(people.rita, 'frobnicate'));
    expect(JSON.parse(unknown.text).text).toMatch(/I do not know "frobnicate"[\s\S]*\/ticket new/);
    await kit.command(slashCommand(people.rita, 'mine'));
    const list = await kit.waitFor('chat.postEphemeral');
    expect(JSON.stringify(list.body.blocks)).toMatch(/SR-\d+/);
    const [t] = await mine();
    kit.slack.reset();
    await kit.command(slashCommand(people.rita, `status ${t?.number}`));
    const status = await kit.waitFor('chat.postEphemeral');
    expect(JSON.stringify(status.body.blocks)).toContain(t?.number);
    // Someone else's ticket looks like a missing one.
    kit.slack.reset();
    await kit.command(slashCommand(people.stranger, `status ${t?.number}`));
    const refused = await kit.waitFor('chat.postEphemeral');
    expect(String(refused.body.text)).toMatch(/does not exist/);
  });

  it('a reply in the ticket thread by the requester is added to the ticket (and a retry adds it once)', async () => {
    const msg = directMessage(people.rita, 'Orders are stuck in pending since the update, customers are affected');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.RaiseNow, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    const conf = await kit.waitFor(
      'chat.postMessage',
      (c) => /raised/.test(String(c.body.text)) && c.body.thread_ts === msg.ts,
    );
    const number = /SR-\d+/.exec(String(conf.body.text))?.[0] ?? '';
    const follow = directMessage(people.rita, 'It also affects the returns screen', { thread_ts: msg.ts });
    const first = await kit.event(follow);
    await kit.event(follow, { eventId: first.eventId, retryNum: 1 });
    await kit.event(follow, { eventId: first.eventId, retryNum: 2 });
    await eventually(
      async () => (await kit.helpline.app.tickets.get(number))?.conversation.length === 1,
      5000,
      'message added',
    );
    await new Promise((r) => setTimeout(r, 300));
    const t = await kit.helpline.app.tickets.get(number);
    expect(t?.conversation.map((m) => m.text)).toEqual(['It also affects the returns screen']);
    // A top-level DM starting with the number is added too.
    await kit.event(directMessage(people.rita, `${number} one more detail: only for EU stores`));
    await eventually(
      async () => (await kit.helpline.app.tickets.get(number))?.conversation.length === 2,
      5000,
      'second message',
    );
  });

  it('App Home shows my open tickets, and the queue for agents', async () => {
    await kit.event({ type: 'app_home_opened', user: people.rita.id, channel: 'D0REQUESTER', tab: 'home' });
    const home = await kit.waitFor('views.publish');
    expect(home.body.user_id).toBe(people.rita.id);
    const shown = JSON.stringify(home.body.view);
    expect(shown).toMatch(/Your open tickets/);
    expect(shown).not.toMatch(/Queue/);
    kit.slack.reset();
    await kit.event({ type: 'app_home_opened', user: people.lee.id, channel: 'D0LEVEL1', tab: 'home' });
    // Rita's Home may be republished meanwhile (it follows changes to her tickets): read Lee's.
    const agent = await kit.waitFor('views.publish', (c) => c.body.user_id === people.lee.id);
    expect(JSON.stringify(agent.body.view)).toMatch(/Queue: breached first[\s\S]*SR-\d+/);
  });
});
