import { Action, View } from '../../../src/cards/actions';
import {
  allText,
  findElement,
  latestCard,
  people,
  raiseByDm,
  type SlackKit,
  useSlackKit,
} from '../../fixtures/slack/kit';
import {
  buttonClick,
  chosen,
  directMessage,
  eventEnvelope,
  TRIAGE,
  text,
  viewSubmission,
} from '../../fixtures/slack/payloads';
import { formPayload, signedRequest } from '../../fixtures/slack/sign';
import { eventually } from '../../helpers/harness';

describe('Slack: the edge rules', () => {
  let kit: SlackKit;
  useSlackKit((k) => {
    kit = k;
  });

  const count = async () => (await kit.helpline.app.tickets.listQueue({ now: new Date(), limit: 500 })).length;

  it('refuses a forged signature and a request older than 5 minutes with 401, and acts on neither', async () => {
    const body = JSON.stringify(eventEnvelope(directMessage(people.rita, 'the printer is broken')));
    const forged = signedRequest(body, 'application/json', { secret: 'not-the-secret' });
    expect((await kit.post(forged.body, forged.headers)).status).toBe(401);
    const old = signedRequest(body, 'application/json', { at: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect((await kit.post(old.body, old.headers)).status).toBe(401);
    const tamperedBody = signedRequest(body, 'application/json');
    expect((await kit.post(body.replace('printer', 'scanner'), tamperedBody.headers)).status).toBe(401);
    const unsigned = await fetch(`${kit.helpline.base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(kit.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('refuses a body no Slack request comes near with 413, before reading it, and files nothing', async () => {
    const before = await count();
    const huge = JSON.stringify(eventEnvelope(directMessage(people.rita, `the printer ${'x'.repeat(1_100_000)}`)));
    const r = signedRequest(huge, 'application/json');
    const res = await kit.post(r.body, r.headers);
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/request body over 1000000 bytes/);
    await new Promise((done) => setTimeout(done, 300));
    expect(kit.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await count()).toBe(before);
  });

  it('answers Slack url_verification', async () => {
    const r = signedRequest(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' }),
      'application/json',
    );
    const res = await kit.post(r.body, r.headers);
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });

  it('the same event delivered three times (x-slack-retry-num 1, 2) is answered once; three Raise clicks make one ticket', async () => {
    const msg = directMessage(people.rita, 'The nightly backup job failed with Error 503 for all clients');
    const first = await kit.event(msg);
    const r1 = await kit.event(msg, { eventId: first.eventId, retryNum: 1 });
    const r2 = await kit.event(msg, { eventId: first.eventId, retryNum: 2 });
    expect([first.status, r1.status, r2.status]).toEqual([200, 200, 200]);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    await new Promise((r) => setTimeout(r, 300));
    expect(kit.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === msg.ts)).toHaveLength(1);
    const before = await count();
    const click = buttonClick(
      people.rita,
      { action_id: Action.RaiseNow, value: msg.ts },
      { channel: msg.channel, ts: String(reply.response?.ts) },
    );
    await Promise.all([kit.interact(click), kit.interact(click), kit.interact(click)]);
    await eventually(async () => (await count()) === before + 1, 5000, 'one ticket');
    await new Promise((r) => setTimeout(r, 300));
    expect(await count()).toBe(before + 1);
  });

  it('answers when the work is saved: a 200 to Raise means the ticket exists', async () => {
    const msg = directMessage(people.rita, 'The stock transfer screen freezes on save for every store');
    await kit.event(msg);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    const before = await count();
    const res = await kit.interact(
      buttonClick(
        people.rita,
        { action_id: Action.RaiseNow, value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    expect(res.status).toBe(200);
    expect(await count()).toBe(before + 1); // no waiting: it was saved before Slack was answered
  });

  it("answers within Slack's 3 s while the Slack API is slow, and finishes the work after", async () => {
    const msg = directMessage(people.rita, 'The label printer prints blank labels');
    kit.slack.delayNext({ ms: 4000, method: 'chat.postMessage', match: (b) => b.thread_ts === msg.ts });
    const res = await kit.event(msg);
    expect(res.status).toBe(200);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    expect(reply.answeredAt).toBeUndefined(); // Slack was answered while the reply was still on its way
    await eventually(() => reply.answeredAt, 10_000, 'the reply delivered');
    expect(reply.response?.ok).toBe(true);
  }, 15_000);

  it('an event whose work is still in progress elsewhere is answered 503, and done when sent again after', async () => {
    const msg = directMessage(people.rita, 'The price list import stops half way');
    const key = `slack:msg:${String(msg.client_msg_id)}`;
    // Another replica claimed this message and died before finishing it.
    expect(await kit.helpline.app.operations.begin(key, new Date())).toEqual({ state: 'new' });
    const first = await kit.event(msg, { eventId: 'EvBusy1' });
    expect(first.status).toBe(503); // not 200: the work is not done
    expect(kit.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === msg.ts)).toHaveLength(0);
    await kit.helpline.app.operations.abandon(key); // the dead replica's claim is free (45 s later in real life)
    const retry = await kit.event(msg, { eventId: 'EvBusy1', retryNum: 1 });
    expect(retry.status).toBe(200);
    const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
    expect(JSON.stringify(reply.body)).toContain(Action.RaiseNow);
  }, 20_000);

  it('escapes user text: no ping, link or formatting from a title or description in any message', async () => {
    const nasty = '<!channel> *bold* <@U123> _it_ ~x~ `code` <http://evil.example|click> & <!here>';
    const res = await kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.Intake, private_metadata: '{}' },
        {
          title: { value: text(nasty) },
          description: { value: text(`${nasty}\nmore: <!everyone>`) },
          client: { value: text('<@U0LEVEL1>') },
          impact: { value: text('*everyone* is blocked') },
          severity: { value: chosen('3') },
          category: { value: chosen('none') },
        },
      ),
    );
    expect(res.status).toBe(200);
    const dm = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && /raised/.test(String(c.body.text)),
    );
    const number = /SR-\d+/.exec(String(dm.body.text))?.[0] ?? '';
    await kit.drain();
    await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    const texts = kit.slack.calls.flatMap(allText);
    // Nothing that looks like a mention or formatting reaches Slack, not even in plain_text.
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<!here>');
      expect(t).not.toContain('<!everyone>');
      expect(t).not.toContain('<@U123>');
      expect(t).not.toContain('<@U0LEVEL1>');
      expect(t).not.toContain('<http://evil');
      expect(t).not.toMatch(/\*bold\*|\*everyone\*|_it_|~x~|`code`/);
    }
    // The title is still readable (header blocks are plain text).
    const card = latestCard(kit, TRIAGE, number)!;
    const header = (card.body.blocks as Array<{ type: string; text?: { text: string } }>).find(
      (b) => b.type === 'header',
    );
    expect(header?.text?.text?.replace(/\u200b/g, '')).toContain('<!channel> *bold* <@U123>');
    expect((header?.text as { type?: string } | undefined)?.type).toBe('plain_text');
  });

  it('keeps every message within Block Kit limits when the text is huge', async () => {
    const long = `${'Very long line of text about the failure. '.repeat(400)}\n${Array.from({ length: 60 }, (_, i) => `https://example.com/${i}`).join('\n')}`;
    await kit.interact(
      viewSubmission(
        people.rita,
        { callback_id: View.Intake, private_metadata: '{}' },
        {
          title: { value: text('x'.repeat(150)) },
          description: { value: text(long) },
          impact: { value: text('y'.repeat(2000)) },
          client: { value: text('z'.repeat(200)) },
          links: { value: text(Array.from({ length: 30 }, (_, i) => `https://logs.example.com/${i}`).join('\n')) },
          severity: { value: chosen('4') },
        },
      ),
    );
    const dm = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === people.rita.id && /raised/.test(String(c.body.text)),
    );
    const number = /SR-\d+/.exec(String(dm.body.text))?.[0] ?? '';
    await kit.drain();
    const card = await eventually(() => latestCard(kit, TRIAGE, number), 5000, 'triage card');
    expect(JSON.stringify(card.body.blocks)).toContain('…');
    // Escalate so the full Team Ticketing post (the biggest message) is rendered too.
    const esc = findElement(card, Action.EscalateTeamTicketing)!;
    await kit.interact(
      buttonClick(
        people.lee,
        { action_id: Action.EscalateTeamTicketing, value: number, block_id: esc.blockId },
        { channel: TRIAGE, ts: String(card.body.ts ?? '1.1') },
      ),
    );
    await eventually(async () => (await kit.helpline.app.tickets.get(number))?.inTeamTicketing, 5000, 'escalated');
    await kit.drain();
    await kit.waitFor('chat.postMessage', (c) => c.body.channel === 'C0TEAMTKT');
    // afterEach runs assertBlockKitLimits over every call recorded here.
  });

  it('a 429 from chat.postMessage is retried after Retry-After; channel_not_found is given up at once', async () => {
    const outbox = kit.helpline.app.outbox;
    kit.slack.failNext(1, { status: 429, retryAfter: 30, method: 'chat.postMessage', channel: TRIAGE });
    const { number } = await raiseByDm(kit, people.rita, 'Scanner app crashes when scanning pallets');
    await kit.drain();
    const attempts = () => kit.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === TRIAGE);
    await eventually(() => attempts().length === 1, 5000, 'the rate-limited attempt');
    expect(latestCard(kit, TRIAGE, number)?.body.ts).toBeUndefined();
    // Not before Retry-After (30 s on the app clock)...
    kit.helpline.clock.advanceMinutes(0.25);
    await kit.drain();
    expect(attempts()).toHaveLength(1);
    expect(await outbox.countPending()).toBeGreaterThan(0);
    // ...and once it has passed, delivered.
    kit.helpline.clock.advanceMinutes(0.5);
    await kit.drain();
    await eventually(() => attempts().length === 2, 5000, 'the retry');

    // A permanent failure is not retried: the notification is dead at once.
    kit.slack.reset();
    const dead = await outbox.countDead();
    kit.slack.failNext(1, { status: 200, error: 'channel_not_found', method: 'chat.postMessage', channel: TRIAGE });
    await raiseByDm(kit, people.rita, 'The warehouse dashboard has a typo in the heading');
    await kit.drain();
    await eventually(async () => (await outbox.countDead()) > dead, 5000, 'a dead notification');
    kit.helpline.clock.advanceMinutes(60);
    await kit.drain();
    expect(attempts()).toHaveLength(1);
  });

  it('interactivity payloads that are not JSON or not ours are refused without side effects', async () => {
    const r = signedRequest('payload=%7Bnot-json', 'application/x-www-form-urlencoded');
    const res = await kit.post(r.body, r.headers);
    expect([200, 400]).toContain(res.status);
    const weird = signedRequest(
      formPayload({
        type: 'block_actions',
        user: { id: 'U0X' },
        actions: [{ type: 'button', action_id: 'ticket.assign_me', value: { $gt: '' }, action_ts: '1' }],
      }),
      'application/x-www-form-urlencoded',
    );
    expect((await kit.post(weird.body, weird.headers)).status).toBe(200);
    const eph = await kit.waitFor('chat.postMessage', () => true);
    expect(String(eph.body.text)).toMatch(/Invalid button value/);
  });
});
