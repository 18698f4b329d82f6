import { Action, View } from '../../../src/cards/actions';
import { pressOnCard, sentTo, settle, submitModalFrom } from '../../fixtures/slack/cards';
import { latestCard, people, raiseByDm, type SlackKit, useSlackKit } from '../../fixtures/slack/kit';
import { buttonClick, directMessage, slashCommand, TRIAGE } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

/** The requester's DM channel as the fake Slack answers it (a post to U… lands in D…). */
const dmOf = (u: { id: string }) => `D${u.id.slice(1)}`;

describe('Slack: the conversation goes both ways', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const ticket = async (n: string) => (await kit.helpline.app.tickets.get(n))!;

  async function raised(words: string) {
    const r = await raiseByDm(kit, people.rita, words);
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, r.number), 5000, 'triage card');
    return r;
  }

  it("the requester's answer reaches the assignee at once, with its text", async () => {
    const { number } = await raised('Cannot approve purchase orders over 10k since the upgrade');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).assignee?.userId === people.lee.id, 5000, 'assigned');
    await settle(kit);
    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.RequestInfo, View.RequestInfo, {
      question: 'Which supplier is it?',
    });
    await eventually(async () => (await ticket(number)).status === 'waiting_for_customer', 5000, 'waiting');
    await settle(kit);
    kit.slack.reset();

    await kit.event(directMessage(people.rita, 'Supplier ACME-42, every PO over 10k'));
    await eventually(async () => (await ticket(number)).status === 'customer_responded', 5000, 'answered');
    await kit.drain();
    // Lee hears it in a DM, with the answer's words and the ticket number.
    const told = await eventually(() => sentTo(kit, people.lee.id, 'Supplier ACME-42')[0], 5000, 'DM to Lee');
    expect(JSON.stringify(told.body)).toContain(number);
    expect(JSON.stringify(told.body)).toMatch(/Customer Responded/);
    // Nobody else is DMed the answer.
    expect(sentTo(kit, people.sam.id, 'ACME-42')).toHaveLength(0);
  });

  it("with nobody assigned, the requester's words go to the thread of the triage card", async () => {
    const { number } = await raised('The supplier portal login page is blank for everyone in finance');
    const cardTs = (await ticket(number)).posts.find((p) => p.kind === 'triage')?.messageId;
    expect(cardTs).toBeDefined();
    kit.slack.reset();
    await kit.event(directMessage(people.rita, `${number}: it started right after the 9am release`));
    await eventually(async () => (await ticket(number)).conversation.length === 1, 5000, 'added');
    await kit.drain();
    const inThread = await eventually(
      () => sentTo(kit, TRIAGE, '9am release').find((c) => c.body.thread_ts === cardTs),
      5000,
      'reply in the triage thread',
    );
    expect(String(inThread.body.text)).toContain(number);
  });

  it('an agent sends a plain update (no status change) and an internal note the requester never sees', async () => {
    const { number } = await raised('Exports to the ERP fail with a timeout for large batches');
    await pressOnCard(kit, people.lee, TRIAGE, number, Action.AssignToMe);
    await eventually(async () => (await ticket(number)).status === 'triage', 5000, 'assigned');
    await settle(kit);
    const status = (await ticket(number)).status;

    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.MessageRequester, View.MessageRequester, {
      message: 'We reproduced it and are working on a fix',
    });
    await eventually(async () => (await ticket(number)).conversation.length === 1, 5000, 'message recorded');
    await settle(kit);
    await eventually(() => sentTo(kit, people.rita.id, 'We reproduced it')[0], 5000, 'update to Rita');
    expect((await ticket(number)).status).toBe(status);

    await submitModalFrom(kit, people.lee, TRIAGE, number, Action.InternalNote, View.InternalNote, {
      note: 'SECRET-NOTE: the client owes us two invoices',
    });
    await eventually(async () => (await ticket(number)).conversation.length === 2, 5000, 'note recorded');
    // Agents see it on the triage card, marked as internal.
    const triage = await eventually(
      async () => {
        await settle(kit);
        const card = latestCard(kit, TRIAGE, number);
        return JSON.stringify(card?.body.blocks ?? '').includes('SECRET-NOTE') ? card : undefined;
      },
      5000,
      'note on the triage card',
    );
    expect(JSON.stringify(triage.body.blocks)).toContain('SECRET-NOTE');
    expect(JSON.stringify(triage.body.blocks)).toContain('internal note');
    expect(JSON.stringify(triage.body.blocks)).toContain('We reproduced it');

    // The requester: no message, no card, no status view, no history ever carries it.
    await kit.event(directMessage(people.rita, `status ${number}`));
    await kit.command(slashCommand(people.rita, `history ${number}`));
    await eventually(() => sentTo(kit, dmOf(people.rita), `History of ${number}`)[0], 5000, 'history for Rita');
    await eventually(
      () => kit.slack.calls.find((c) => c.body.channel === dmOf(people.rita) && c.body.blocks),
      5000,
      'status card for Rita',
    );
    const toRita = kit.slack.calls.filter(
      (c) => c.body.channel === people.rita.id || c.body.channel === dmOf(people.rita),
    );
    expect(toRita.length).toBeGreaterThan(1);
    for (const c of toRita) expect(JSON.stringify(c.body)).not.toContain('SECRET-NOTE');
    // Lee's history shows the note.
    await kit.command(slashCommand(people.lee, `history ${number}`, TRIAGE));
    const leeHistory = await eventually(
      () => sentTo(kit, TRIAGE, `History of ${number}`).find((c) => c.body.user === people.lee.id),
      5000,
      'history for Lee',
    );
    expect(JSON.stringify(leeHistory.body)).toContain('SECRET-NOTE');
  });

  it('a screenshot shared on the ticket is kept as a link (files.info), shown on the card, never downloaded', async () => {
    const { number } = await raised('The approval button does nothing on the purchase order screen');
    kit.slack.reset();
    await kit.event(
      directMessage(people.rita, `${number} here is what I see`, { subtype: 'file_share', files: [{ id: 'F0SHOT1' }] }),
    );
    await eventually(async () => (await ticket(number)).evidence.length === 1, 5000, 'evidence kept');
    expect((await ticket(number)).evidence[0]).toMatchObject({
      kind: 'file',
      name: 'f0shot1.png',
      value: expect.stringMatching(/^https:\/\/helpline-test\.slack\.com\/files\/.+F0SHOT1/),
    });
    expect(kit.slack.callsTo('files.info')).toHaveLength(1);
    await eventually(
      async () => {
        await kit.drain();
        return JSON.stringify(latestCard(kit, TRIAGE, number)?.body.blocks ?? '').includes('f0shot1.png');
      },
      5000,
      'the triage card shows the file',
    );
  });

  it('a screenshot shared with the request itself is on the raised ticket', async () => {
    const msg = directMessage(people.rita, 'The invoice approval screen shows an error when saving', {
      subtype: 'file_share',
      files: [{ id: 'F0RAISE1' }],
    });
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'understood reply');
    await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.RaiseNow, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    const conf = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ /.test(String(c.body.text)),
      'confirmation',
    );
    const number = /SR-\d+/.exec(String(conf.body.text))?.[0] ?? '';
    expect((await ticket(number)).evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'file', name: 'f0raise1.png' })]),
    );
  });

  it('history is paged and hidden from people who may not see the ticket', async () => {
    const { number } = await raised('Report totals differ from the invoice list for March');
    for (const s of ['2', '3', '2', '3', '2', '3', '2', '3', '2', '3', '2', '3', '2', '3', '2', '3']) {
      await pressOnCard(kit, people.lee, TRIAGE, number, Action.SetSeverity, s);
      await eventually(async () => String((await ticket(number)).severity) === s, 5000, `severity ${s}`);
      await settle(kit);
    }
    await kit.command(slashCommand(people.lee, `history ${number}`, TRIAGE));
    const first = await eventually(() => sentTo(kit, TRIAGE, `History of ${number}`)[0], 5000, 'page 1');
    const pages = Number(/page 1 of (\d+)/.exec(String(first.body.text))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(
      String(first.body.text)
        .split('\n')
        .filter((l) => /^\w{3} \d{2}:\d{2} /.test(l)),
    ).toHaveLength(15);
    expect(String(first.body.text)).toContain(`history ${number} 2`);
    await kit.command(slashCommand(people.lee, `history ${number} ${pages}`, TRIAGE));
    const last = await eventually(() => sentTo(kit, TRIAGE, `page ${pages} of ${pages}`)[0], 5000, 'last page');
    expect(String(last.body.text)).not.toContain('More:');
    expect(String(last.body.text)).toContain('changed severity');

    await kit.command(slashCommand(people.stranger, `history ${number}`, TRIAGE));
    const refused = await eventually(
      () => kit.slack.calls.find((c) => c.body.user === people.stranger.id),
      5000,
      'answer to a stranger',
    );
    expect(String(refused.body.text)).not.toContain('History of');
  });
});
