import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { personalConversationId } from '../../src/adapters/playground/directory';
import { FakeSlackApi } from '../fakes/slack-api';
import { mainJs as main, startBot, waitFor } from '../helpers/bot-process';
import { freePort } from '../helpers/cluster';
import { type TestHelpline, testDatabaseUri } from '../helpers/harness';
import { PlaygroundClient } from './playground/kit';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie still answers kill(0); it is gone for our purposes.
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.split(') ')[1]?.split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

describe('the bot process (dist/main.js)', () => {
  beforeAll(() => {
    if (!fs.existsSync(main)) throw new Error('dist/main.js is missing: npm test builds it first (npm run build)');
  });

  it('refuses a bad variable with one line naming it and how to fix it', async () => {
    const bot = startBot({ PORT: 'abc' });
    const code = await new Promise<number | null>((r) => bot.child.on('exit', r));
    expect(code).toBe(78);
    expect(bot.output().trim()).toBe('Invalid configuration: PORT: expected a port number like 3978');
  });

  it('starts its own local database with no credentials, answers /healthz, and SIGTERM leaves no process behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-proc-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const bot = startBot({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
    try {
      await waitFor(() => bot.output().includes('Helpline is running'), 120_000, 'the bot to start', bot.output);
      expect(bot.output()).toContain(`Open http://localhost:${port}/`);
      // No credentials: the playground is on, and the log says so at warn level, in one line.
      const warning = bot
        .output()
        .split('\n')
        .find((l) => l.includes('PLAYGROUND IS ON'));
      expect(JSON.parse(warning ?? '{}')).toMatchObject({
        level: 40,
        msg: expect.stringMatching(/^PLAYGROUND IS ON \(no Slack or Teams credentials\)/),
      });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      const detail = (await (await fetch(`http://127.0.0.1:${port}/readyz?detail`)).json()) as {
        database: { ok: boolean };
      };
      expect(detail.database.ok).toBe(true);

      const kids = childrenOf(bot.child.pid!);
      expect(kids.length).toBeGreaterThanOrEqual(1); // the local database
      bot.child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => bot.child.on('exit', r));
      expect(code).toBe(0);
      await waitFor(() => kids.every((k) => !alive(k)), 10_000, 'the local database to stop', bot.output);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('keeps its tickets in the local database (H2 under DATA_DIR) across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-proc-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const rita = personalConversationId('rita.requester');
    const start = async () => {
      const bot = startBot({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
      await waitFor(() => bot.output().includes('Helpline is running'), 120_000, 'the bot to start', bot.output);
      return bot;
    };
    const stop = async (bot: ReturnType<typeof startBot>) => {
      bot.child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => bot.child.on('exit', r))).toBe(0);
    };
    let bot = await start();
    try {
      expect(bot.output()).toMatch(
        /mongo-java-server at mongodb:\/\/127\.0\.0\.1:\d+\/ \(data in .*helpline\.mv\.db\)|mongod at/,
      );
      const client = new PlaygroundClient({ base } as TestHelpline);
      await client.listen();
      expect(
        (await client.say('rita.requester', rita, 'The supplier import failed, nothing came through')).status,
      ).toBe(200);
      const form = await client.waitFor(rita, /intake\.submit/, 'the intake form');
      expect(await client.click('rita.requester', form, 'Raise ticket')).toMatchObject({ kind: 'card', status: 200 });
      const raised = await client.waitFor(rita, /SR-1[^0-9]/, 'SR-1 raised');
      expect(JSON.stringify(raised.attachments)).toContain('supplier import failed');
      client.close();
      await stop(bot);

      bot = await start();
      const again = new PlaygroundClient({ base } as TestHelpline);
      await again.listen();
      expect((await again.say('rita.requester', rita, 'status SR-1')).status).toBe(200);
      const status = await again.waitFor(rita, /supplier import failed/, 'SR-1 after the restart');
      expect(JSON.stringify(status.attachments)).toContain('SR-1');
      again.close();
      await stop(bot);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('with Slack credentials and no opt-in serves no playground, no test routes and no unauthenticated /api/messages', async () => {
    const slack = await new FakeSlackApi().start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = startBot({
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: testDatabaseUri('noplayground').uri,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.url,
    });
    try {
      await waitFor(() => bot.output().includes('Helpline is running'), 60_000, 'the bot to start', bot.output);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/playground/api/state`)).status).toBe(404);
      const post = (p: string) =>
        fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect((await post('/test/clock')).status).toBe(404);
      expect((await post('/test/scheduler/run')).status).toBe(404);
      expect((await post('/api/messages')).status).toBe(404);
      expect(bot.output()).not.toMatch(/PLAYGROUND IS ON|HELPLINE_TEST_CLOCK is on/);
      bot.child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => bot.child.on('exit', r))).toBe(0);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await slack.stop();
    }
  }, 120_000);

  it('in production refuses to start without what production requires, in one line', async () => {
    const bot = startBot({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:9/helpline' });
    const code = await new Promise<number | null>((r) => bot.child.on('exit', r));
    expect(code).toBe(78);
    const out = bot.output().trim();
    expect(out).not.toMatch(/\n/);
    expect(out).toMatch(
      /^Invalid configuration: PUBLIC_URL: required when NODE_ENV=production: .*; REPORTS_SECRET: required/,
    );
  });

  it('keeps running when Slack cannot be reached at start-up', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-proc-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const bot = startBot({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/', // nothing listens there
    });
    try {
      await waitFor(() => bot.output().includes('Helpline is running'), 120_000, 'the bot to start', bot.output);
      await new Promise((r) => setTimeout(r, 3000)); // past the Web API client's retries
      expect(bot.child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      bot.child.kill('SIGTERM');
      expect(await new Promise<number | null>((r) => bot.child.on('exit', r))).toBe(0);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
