import fs from 'node:fs';
import { personalConversationId } from '../../../src/adapters/playground/directory';
import { FakeSlackApi } from '../../fakes/slack-api';
import { FakeSlackSocket } from '../../fakes/slack-socket';
import { APP_TOKEN, BOT_TOKEN, people, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { buttonClick, directMessage, eventEnvelope, slashCommand } from '../../fixtures/slack/payloads';
import { personalMessage } from '../../fixtures/teams/activities';
import { startTeamsKit, type TeamsKit, people as teamsPeople } from '../../fixtures/teams/kit';
import { mainJs, startBot, waitFor } from '../../helpers/bot-process';
import { freePort } from '../../helpers/cluster';
import { eventually, type TestHelpline, testDatabaseUri } from '../../helpers/harness';
import { PlaygroundClient } from '../playground/kit';

type Readyz = { status: number; body: { ok: boolean; draining: boolean; slack?: string } };

/** /readyz with its detail (this test calls from loopback, which may read it). */
async function readyz(base: string): Promise<Readyz> {
  const res = await fetch(`${base}/readyz?detail`);
  return { status: res.status, body: (await res.json()) as Readyz['body'] };
}

/** A DM to the bot over the socket; resolves with the ack and the bot's reply in the DM's thread. */
async function dmOverSocket(kit: SlackKit, socket: FakeSlackSocket, user: { id: string; name: string }, words: string) {
  const msg = directMessage(user, words);
  const envelope = eventEnvelope(msg);
  const ack = await socket.send('events_api', envelope);
  const reply = await kit.waitFor('chat.postMessage', (c) => c.body.thread_ts === msg.ts, 'the intake reply');
  return { msg, ack, reply };
}

describe('Slack over Socket Mode, against a local fake of Slack’s Socket Mode service', () => {
  let socket: FakeSlackSocket;
  let kit: SlackKit;

  beforeAll(async () => {
    socket = await new FakeSlackSocket().start();
    kit = await startSlackKit({ socket });
  });
  afterAll(async () => {
    await kit?.stop();
    await socket?.stop();
  });

  it('opens the connection through SLACK_API_URL, acks every envelope within 3 s, does the work, and reconnects when Slack asks', async () => {
    // apps.connections.open went to the fake Web API, with the app-level token, and the socket said hello.
    await eventually(async () => (await readyz(kit.helpline.base)).body.slack === 'connected', 10_000, 'connected');
    const opens = kit.slack.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe(APP_TOKEN);
    expect(socket.connections).toEqual(['fake-1']);
    expect(await readyz(kit.helpline.base)).toEqual({
      status: 200,
      body: expect.objectContaining({ ok: true, draining: false, slack: 'connected' }),
    });

    // events_api: a DM acked on the socket, answered with the intake reply through the Web API (bot token).
    const words = 'The supplier import failed overnight, nothing came through';
    const { msg, ack, reply } = await dmOverSocket(kit, socket, people.rita, words);
    expect(ack.payload).toEqual({});
    expect(reply.token).toBe(BOT_TOKEN);
    expect(reply.body.channel).toBe(msg.channel);

    // interactive: the "Raise ticket" button on that reply raises the ticket.
    const click = buttonClick(
      people.rita,
      { action_id: 'intake.raise_now', value: msg.ts },
      { channel: msg.channel, ts: String(reply.response?.ts) },
    );
    const clickAck = await socket.send('interactive', click as Record<string, unknown>);
    expect(clickAck.envelopeId).toBeTruthy();
    const confirmation = await kit.waitFor(
      'chat.postMessage',
      (c) => c.body.thread_ts === msg.ts && /SR-\d+ /.test(String(c.body.text)),
      'the confirmation',
    );
    const number = /SR-\d+/.exec(String(confirmation.body.text))?.[0] ?? '';
    const ticket = await kit.helpline.app.tickets.get(number);
    expect(ticket?.requester).toMatchObject({ platform: 'slack', userId: people.rita.id });
    expect(`${ticket?.title} ${ticket?.description}`).toMatch(/supplier import failed/);

    // slash_commands: /ticket help answers in the ack itself.
    const help = await socket.send('slash_commands', slashCommand(people.rita, 'help'));
    expect(String(help.payload.text)).toMatch(/\/ticket status SR-123/);

    // Slack recycles its server: `disconnect`, then a new URL from apps.connections.open and a new socket.
    socket.disconnect('refresh_requested');
    await eventually(() => socket.connections.length === 2 && socket.openCount === 1, 10_000, 'the reconnection');
    expect(kit.slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(socket.connections).toEqual(['fake-1', 'fake-2']);
    await eventually(async () => (await readyz(kit.helpline.base)).body.slack === 'connected', 10_000, 'connected');

    // ...and still works: the requester asks for the ticket's status on the new connection.
    const status = await socket.send('slash_commands', slashCommand(people.rita, `status ${number}`));
    expect(status.envelopeId).toBeTruthy();
    const again = await dmOverSocket(kit, socket, people.priya, 'The payroll export is stuck at 50 percent');
    expect(again.reply.body.channel).toBe(again.msg.channel);

    // A clean stop closes the socket (and stays closed: no reconnect after the shutdown).
    await kit.helpline.stop();
    await eventually(() => socket.openCount === 0, 5000, 'the socket closed');
    expect(socket.connections).toHaveLength(2);
    expect(kit.slack.callsTo('apps.connections.open')).toHaveLength(2);
  }, 60_000);
});

describe('Socket Mode when Slack cannot be reached', () => {
  let slack: FakeSlackApi;
  let kit: TeamsKit;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    const refused = await freePort(); // nothing listens there: the WebSocket is refused
    slack.socketUrl = () => `ws://127.0.0.1:${refused}/link/?ticket=refused`;
    kit = await startTeamsKit({
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url },
    });
  });
  afterAll(async () => {
    await kit?.stop();
    await slack?.stop();
  });

  it('still starts: /healthz, Teams and the playground answer, and /readyz shows Slack not connected', async () => {
    const helpline: TestHelpline = kit.helpline;
    expect((await fetch(`${helpline.base}/healthz`)).status).toBe(200);
    const ready = await readyz(helpline.base);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ok: true, draining: false });
    expect(ready.body.slack).toMatch(/^(connecting|disconnected)$/);

    // It keeps trying, through SLACK_API_URL.
    await eventually(() => slack.callsTo('apps.connections.open').length >= 2, 10_000, 'a second attempt');

    const teams = await kit.send(personalMessage(kit.connector.url, teamsPeople.rita, 'The invoice run fails'));
    expect(teams.status).toBe(200);
    expect(kit.connector.delivered()[0]?.kind).toBe('reply');

    const playground = new PlaygroundClient(helpline);
    await playground.listen();
    const rita = personalConversationId('rita.requester');
    expect(
      (await playground.say('rita.requester', rita, 'The supplier import failed, nothing came through')).status,
    ).toBe(200);
    await playground.waitFor(rita, /intake\.submit/, 'the intake form');
    playground.close();
    expect((await readyz(helpline.base)).body.slack).not.toBe('connected');
  }, 60_000);
});

describe('the bot process (dist/main.js) in Socket Mode', () => {
  let slack: FakeSlackApi;
  let socket: FakeSlackSocket;

  beforeAll(async () => {
    if (!fs.existsSync(mainJs)) throw new Error('dist/main.js is missing: npm test builds it first (npm run build)');
    slack = await new FakeSlackApi().start();
    socket = await new FakeSlackSocket().start();
  });
  afterAll(async () => {
    await socket?.stop();
    await slack?.stop();
  });

  const botEnv = async () => ({
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    MONGODB_URI: testDatabaseUri('socket').uri,
    SCHEDULER_ENABLED: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: slack.url,
  });

  it('connects, answers over the socket, and exits 0 on SIGTERM with the socket closed', async () => {
    slack.reset();
    slack.socketUrl = () => socket.nextUrl();
    const env = await botEnv();
    const bot = startBot(env);
    try {
      await waitFor(() => bot.output().includes('Helpline is running'), 60_000, 'the bot to start', bot.output);
      await waitFor(() => socket.openCount === 1, 10_000, 'the socket', bot.output);
      const base = `http://127.0.0.1:${env.PORT}`;
      await eventually(async () => (await readyz(base)).body.slack === 'connected', 10_000, 'connected');
      const msg = directMessage(people.rita, 'The supplier import failed overnight');
      await socket.send('events_api', eventEnvelope(msg));
      await eventually(
        () => slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === msg.ts),
        10_000,
        'the intake reply',
      );
      bot.child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => bot.child.on('exit', r))).toBe(0);
      await eventually(() => socket.openCount === 0, 5000, 'the socket closed');
      expect(bot.output()).toContain('Slack: Socket Mode connected');
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
  }, 120_000);

  it('comes up with apps.connections.open failing, says so on /readyz, and still exits 0 on SIGTERM', async () => {
    slack.reset();
    slack.failNext(1000, { status: 500, method: 'apps.connections.open' });
    const env = await botEnv();
    const bot = startBot(env);
    try {
      await waitFor(() => bot.output().includes('Helpline is running'), 60_000, 'the bot to start', bot.output);
      const base = `http://127.0.0.1:${env.PORT}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      await eventually(() => slack.callsTo('apps.connections.open').length >= 2, 10_000, 'a retry');
      const ready = await readyz(base);
      expect(ready.status).toBe(200);
      expect(ready.body.slack).toMatch(/^(connecting|disconnected)$/);
      expect(bot.output()).toContain('Socket Mode could not connect; retrying');
      bot.child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => bot.child.on('exit', r))).toBe(0);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
  }, 120_000);
});
