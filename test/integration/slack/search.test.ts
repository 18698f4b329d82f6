import { raiseTicket } from '../../../src/app/raise-ticket';
import { Action } from '../../../src/cards/actions';
import type { Actor } from '../../../src/domain/ticket/ticket';
import type { SlackCall } from '../../fakes/slack-api';
import { findElement, people, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { appMention, buttonClick, directMessage, slashCommand } from '../../fixtures/slack/payloads';
import { eventually } from '../../helpers/harness';

/**
 * Search in Slack through the real entry points: a DM, `/ticket search` in a channel, an @mention in a channel; the
 * results read from the blocks the fake Slack received; the tickets raised through the raise use case, so their
 * terms are what the store writes on a save.
 */
describe('Slack: search', () => {
  let kit: SlackKit;
  const n: Record<string, string> = {};
  const slackActor = (p: { id: string; name: string }): Actor => ({ platform: 'slack', userId: p.id, name: p.name });

  beforeAll(async () => {
    kit = await startSlackKit();
    const raise = async (key: string, who: { id: string; name: string }, text: string, client: string) => {
      const r = await raiseTicket(kit.helpline.app, { requester: slackActor(who), text, client });
      n[key] = r.ticket!.number;
    };
    await raise(
      'ritaAcme',
      people.rita,
      'The monthly report export fails with error 500, we have a workaround',
      'ACME',
    );
    await raise('ritaNorthwind', people.rita, 'Invoice export to PDF is slow since the release', 'Northwind');
    await raise('strangerAcme', people.stranger, 'Exporting the supplier list fails for the plant', 'ACME');
    await raise('ritaTypo', people.rita, 'There is a typo in the footer of the invoices, cosmetic only', 'ACME');
    for (let i = 1; i <= 12; i++)
      await raise(`payroll${i}`, people.stranger, `Payroll batch ${i} is stuck before the export step`, 'Northwind');
    await kit.drain();
  });
  afterAll(async () => {
    kit.assertLimits();
    await kit.stop();
  });

  const numbersIn = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/\*(SR-\d+)\*/g)].map((m) => m[1]);
  const searchReplies = (method: string) =>
    kit.slack
      .callsTo(method)
      .filter((c) => String(c.body.text).includes(' match "') || /^No tickets/.test(String(c.body.text)));
  const nextReply = async (method: string, before: number, what: string) =>
    eventually(() => searchReplies(method)[before], 5000, what);

  it('an agent DMs "search export acme": the ACME tickets with "export", each with Open and Take', async () => {
    const before = searchReplies('chat.postMessage').length;
    await kit.event(directMessage(people.lee, 'search export acme'));
    const reply = await nextReply('chat.postMessage', before, 'the search results');
    expect(reply.body.channel).toBe(`D${people.lee.id.slice(1)}`);
    expect(new Set(numbersIn(reply.body.blocks))).toEqual(new Set([n.ritaAcme, n.strangerAcme]));
    expect(String(reply.body.text)).toContain('2 tickets match "export acme"');
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toContain(Action.OpenTicket);
    expect(shown).toContain(Action.Take);
  });

  it('Take from a result assigns the ticket to the agent who clicked', async () => {
    const before = searchReplies('chat.postMessage').length;
    await kit.event(directMessage(people.lee, 'search supplier plant'));
    const reply = await nextReply('chat.postMessage', before, 'the search results');
    expect(numbersIn(reply.body.blocks)).toEqual([n.strangerAcme]);
    const take = findElement(reply, Action.Take);
    expect(take?.element.value).toBe(n.strangerAcme);
    await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.Take, value: n.strangerAcme, block_id: take?.blockId ?? '' },
        { channel: String(reply.body.channel), ts: String(reply.response?.ts) },
      ),
    );
    await eventually(
      async () => (await kit.helpline.app.tickets.get(n.strangerAcme!))?.assignee?.userId === people.lee.id,
      5000,
      'the ticket assigned to Lee',
    );
  });

  it('/ticket search client:ACME open in a channel: ephemeral to the agent, every open ACME ticket', async () => {
    const before = searchReplies('chat.postEphemeral').length;
    expect((await kit.command(slashCommand(people.lee, 'search client:ACME open', 'C0TRIAGE'))).status).toBe(200);
    const reply = await nextReply('chat.postEphemeral', before, 'the ephemeral results');
    expect(reply.body.user).toBe(people.lee.id);
    expect(reply.body.channel).toBe('C0TRIAGE');
    expect(new Set(numbersIn(reply.body.blocks))).toEqual(new Set([n.ritaAcme, n.strangerAcme, n.ritaTypo]));
  });

  it('a requester finds only their own tickets, as lines without Take', async () => {
    const before = searchReplies('chat.postMessage').length;
    await kit.event(directMessage(people.rita, 'search export'));
    const reply = await nextReply('chat.postMessage', before, "Rita's results");
    expect(new Set(numbersIn(reply.body.blocks))).toEqual(new Set([n.ritaAcme, n.ritaNorthwind]));
    expect(String(reply.body.text)).toContain('2 tickets of yours match "export"');
    expect(JSON.stringify(reply.body.blocks)).not.toContain(Action.Take);
    // Naming someone else's client or requester does not widen it.
    const again = searchReplies('chat.postMessage').length;
    await kit.event(directMessage(people.rita, `search requester:<@${people.stranger.id}> payroll`));
    const none = await nextReply('chat.postMessage', again, 'no results for Rita');
    expect(numbersIn(none.body.blocks)).toEqual([]);
    expect(String(none.body.text)).toMatch(/^No tickets of yours match/);
  });

  it('pages: ten a page, the next page by "page 2", the two pages disjoint', async () => {
    const payroll = Array.from({ length: 12 }, (_, i) => n[`payroll${i + 1}`]);
    const before = searchReplies('chat.postMessage').length;
    await kit.event(directMessage(people.priya, 'search payroll export'));
    const first = await nextReply('chat.postMessage', before, 'page 1');
    expect(String(first.body.text)).toContain('12 tickets match "payroll export" (page 1 of 2)');
    expect(JSON.stringify(first.body.blocks)).toContain('search payroll export page 2');
    await kit.event(directMessage(people.priya, 'search payroll export page 2'));
    const second = await nextReply('chat.postMessage', before + 1, 'page 2');
    const one = numbersIn(first.body.blocks);
    const two = numbersIn(second.body.blocks);
    expect(one).toHaveLength(10);
    expect(two).toHaveLength(2);
    expect(new Set([...one, ...two])).toEqual(new Set(payroll));
  });

  it('an @mention search in a channel is answered ephemerally: nothing is posted to the channel', async () => {
    const posted = kit.slack.callsTo('chat.postMessage').length;
    const before = searchReplies('chat.postEphemeral').length;
    await kit.event(appMention(people.lee, 'C0TRIAGE', 'search export acme'));
    const reply = await nextReply('chat.postEphemeral', before, 'the ephemeral results');
    expect(reply.body.user).toBe(people.lee.id);
    expect(numbersIn(reply.body.blocks)).toHaveLength(2);
    const toChannel = kit.slack
      .callsTo('chat.postMessage')
      .slice(posted)
      .filter((c: SlackCall) => c.body.channel === 'C0TRIAGE');
    expect(JSON.stringify(toChannel)).not.toContain(n.ritaAcme);
  });

  it('each search counts as one look-up of the person', async () => {
    const counters = kit.helpline.app.models.Ticket.db.collection('rate_counters');
    const lookups = async () =>
      (await counters.find({ _id: { $regex: `^lookup:slack:${people.sam.id}:` } } as never).toArray()).reduce(
        (sum, d) => sum + Number(d.count),
        0,
      );
    const start = await lookups();
    await kit.command(slashCommand(people.sam, 'search export'));
    await kit.command(slashCommand(people.sam, 'search payroll'));
    await eventually(async () => (await lookups()) === start + 2, 5000, 'two look-ups counted');
    expect(await lookups()).toBe(start + 2);
  });
});
