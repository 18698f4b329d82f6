import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CONNECTOR_PATH } from '../../../src/adapters/playground/index';
import { MAX_JSON_DEPTH } from '../../../src/web/body';
import { FakeSlackApi } from '../../fakes/slack-api';
import { BOT_TOKEN, type SlackKit, startSlackKit } from '../../fixtures/slack/kit';
import { SIGNING_SECRET, signedRequest } from '../../fixtures/slack/sign';
import { startBot, waitFor } from '../../helpers/bot-process';
import { startTestHelpline, type TestHelpline, testDatabaseUri } from '../../helpers/harness';

const MB = 1024 * 1024;
const BIG = 20 * MB;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Send `total` bytes (repeating `chunk`) as the body, chunked unless `contentLength` is given, and resolve with the
 * answer as soon as it has come, whether or not the server read the rest (it closes the connection instead).
 * The sender respects back-pressure, so it never holds more than a chunk or two itself.
 */
function send(
  base: string,
  method: string,
  route: string,
  headers: Record<string, string>,
  total: number,
  chunk: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(route, base);
    let answered = false;
    // Chunked framing said out loud: Node's client sends it by default only on methods that usually carry a body.
    const framing = total > 0 && !headers['content-length'] ? { 'transfer-encoding': 'chunked' } : {};
    const req = http.request(url, { method, headers: { ...headers, ...framing }, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') });
      });
      res.on('error', () => undefined);
    });
    // The server stops reading at its cap and closes: the rest of the upload fails, which is the point.
    req.on('error', (err) => {
      if (!answered)
        setImmediate(() => answered || reject(new Error(`${method} ${route}: no answer (${err.message})`)));
    });
    let sent = 0;
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** A multipart/form-data body of one file, as a browser or curl -F sends it, `total` bytes long. */
function multipart(): { headers: Record<string, string>; chunk: Buffer } {
  const boundary = '----helpline-probe';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    chunk: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n${'x'.repeat(64 * 1024)}\r\n`,
    ),
  };
}

/** The answer names no file on this machine and carries only a generic text and the request id. */
function saysNothing(a: Answer): void {
  expect(a.body).not.toMatch(/\/(work|tmp|home|usr|src|node_modules)\b/);
  expect(a.body).not.toMatch(/ENOENT|Error:|at \w+ \(/);
}

/** Every route the server has, with what a huge body sent to it is answered (a body to a route that reads none: 415). */
const ROUTES: Array<{ method: string; route: string; reads: boolean }> = [
  { method: 'POST', route: '/slack/events', reads: true },
  { method: 'POST', route: '/api/messages', reads: true },
  { method: 'POST', route: '/playground/api/messages', reads: true },
  { method: 'POST', route: '/playground/api/actions', reads: true },
  { method: 'POST', route: `${CONNECTOR_PATH}v3/conversations`, reads: true },
  { method: 'POST', route: `${CONNECTOR_PATH}v3/conversations/c1/activities`, reads: true },
  { method: 'POST', route: `${CONNECTOR_PATH}v3/conversations/c1/activities/a1`, reads: true },
  { method: 'PUT', route: `${CONNECTOR_PATH}v3/conversations/c1/activities/a1`, reads: true },
  { method: 'DELETE', route: `${CONNECTOR_PATH}v3/conversations/c1/activities/a1`, reads: false },
  { method: 'GET', route: `${CONNECTOR_PATH}v3/conversations/c1/members`, reads: false },
  { method: 'POST', route: '/test/clock', reads: true },
  { method: 'POST', route: '/test/scheduler/run', reads: true },
  { method: 'GET', route: '/', reads: false },
  { method: 'GET', route: '/playground/static/app.js', reads: false },
  { method: 'GET', route: '/playground/vendor/adaptivecards.min.js', reads: false },
  { method: 'GET', route: '/playground/api/state', reads: false },
  { method: 'GET', route: '/playground/api/clock', reads: false },
  { method: 'GET', route: '/playground/events', reads: false },
  { method: 'GET', route: '/reports/open?token=x', reads: false },
  // The link page's button: a small form (the token) only, so a JSON body is 415 like a route that reads none.
  { method: 'POST', route: '/reports/open', reads: false },
  { method: 'GET', route: '/reports', reads: false },
  { method: 'GET', route: '/reports/api/report', reads: false },
  { method: 'GET', route: '/reports/csv/sla', reads: false },
  { method: 'GET', route: '/reports/tickets/SR-1', reads: false },
  { method: 'GET', route: '/reports/static/app.js', reads: false },
  { method: 'GET', route: '/reports/vendor/chart.umd.min.js', reads: false },
  { method: 'GET', route: '/healthz', reads: false },
  { method: 'GET', route: '/readyz', reads: false },
];

/** Kilobytes from the server process's /proc status: its resident set now, and its peak since the last reset. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

describe('Before authentication, in the built server: 20 MB bodies to every route', () => {
  let slack: FakeSlackApi;
  let bot: ReturnType<typeof startBot>;
  let base = '';
  let tmp: string;
  let pid = 0;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    // The server's own temp folder, empty: whatever it spooled would land here.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-spool-'));
    bot = startBot({
      PORT: '0',
      HOST: '127.0.0.1',
      TMPDIR: tmp,
      MONGODB_URI: testDatabaseUri('spool').uri,
      NODE_ENV: 'test', // Teams with auth off and the playground, as in development
      HELPLINE_TEST_CLOCK: '1',
      HELPLINE_PLAYGROUND: '1', // the playground and unauthenticated /api/messages are opt-in beside Slack credentials
      SCHEDULER_ENABLED: '0',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
    });
    await waitFor(() => /Open http:\/\/localhost:\d+\//.test(bot.output()), 60_000, 'the bot to start', bot.output);
    base = `http://127.0.0.1:${/Open http:\/\/localhost:(\d+)\//.exec(bot.output())?.[1]}`;
    pid = bot.child.pid ?? 0;
  }, 90_000);
  afterAll(async () => {
    if (bot?.child.exitCode === null) {
      const exited = new Promise((r) => bot.child.once('exit', r));
      bot.child.kill('SIGTERM');
      await exited;
    }
    await slack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers a 20 MB chunked body 413 (415 where the route reads none) and a 20 MB multipart one 415, holding no more than the cap and writing no file', async () => {
    const json = Buffer.from(`{"text":"${'x'.repeat(64 * 1024 - 20)}`);
    const form = multipart();
    await send(base, 'GET', '/healthz', {}, 0, Buffer.alloc(0)); // warm: the first request loads what it loads
    // Per request: the server's resident set before it, and its peak (VmHWM, reset just before) during it. Where the
    // peak cannot be reset, its resident set after the answer. Garbage from earlier requests is not counted against one.
    const resetPeak = () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    };
    const answers: string[] = [];
    const growth: Array<[string, number]> = [];
    for (const { method, route, reads } of ROUTES) {
      for (const [kind, headers, chunk, expected] of [
        ['chunked JSON', { 'content-type': 'application/json' }, json, reads ? 413 : 415],
        ['multipart', form.headers, form.chunk, 415],
      ] as const) {
        // Twice, keeping the smaller growth: a body held whole grows the process both times, while work the server
        // does meanwhile on its own (start-up loads, a collection) can show once.
        let grew = Number.POSITIVE_INFINITY;
        let a: Awaited<ReturnType<typeof send>> | undefined;
        for (let attempt = 0; attempt < 2 && grew >= 15 * MB; attempt++) {
          const before = memoryOf(pid).rss;
          const peakReset = resetPeak();
          a = await send(base, method, route, headers, BIG, chunk);
          const after = memoryOf(pid);
          grew = Math.min(grew, (peakReset ? Math.max(after.peak, after.rss) : after.rss) - before);
        }
        if (!a) throw new Error('no request was sent');
        const what = `${method} ${route} ${kind}`;
        growth.push([what, grew]);
        answers.push(`${what}: ${a.status}`);
        expect(`${what}: ${a.status}`).toBe(`${what}: ${expected}`);
        expect(JSON.parse(a.body)).toEqual({ error: expect.any(String), requestId: a.headers['x-request-id'] });
        saysNothing(a);
      }
    }
    expect(answers).toHaveLength(ROUTES.length * 2);
    // A body of 20 MB held whole would show as 20 MB or more; the cap is 1 MB.
    expect(growth.filter(([, bytes]) => bytes >= 15 * MB)).toEqual([]);
    expect(fs.readdirSync(tmp)).toEqual([]);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200); // still serving
  }, 180_000);

  it('refuses a Content-Length over the cap before reading, and what no route reads: octet streams, gzip, no type', async () => {
    const big = await send(
      base,
      'POST',
      '/api/messages',
      { 'content-type': 'application/json', 'content-length': String(BIG) },
      BIG,
      Buffer.alloc(64 * 1024, 0x20),
    );
    expect(big.status).toBe(413);
    const small = Buffer.from('{"type":"message"}');
    const post = (headers: Record<string, string>) => send(base, 'POST', '/api/messages', headers, small.length, small);
    expect((await post({ 'content-type': 'application/octet-stream' })).status).toBe(415);
    expect((await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(415);
    expect((await post({})).status).toBe(415);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describe('Before authentication: nesting, bad bodies and failing routes', () => {
  let kit: SlackKit;
  beforeAll(async () => {
    kit = await startSlackKit();
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('the route table above names every route the server has', () => {
    const served = (kit.helpline.server.getDebugInfo() as { routes: Array<{ method: string; path: string }> }).routes;
    const unnamed = served.filter(({ method, path: pattern }) => {
      const matches = new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`);
      return !ROUTES.some((r) => r.method === method.toUpperCase() && matches.test(r.route.split('?')[0] ?? ''));
    });
    expect(unnamed).toEqual([]);
  });

  it('answers JSON nested deeper than the limit 400, on the Bot Framework, Slack and playground routes', async () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const post = async (route: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(`${kit.helpline.base}${route}`, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as { error: string } };
    };
    const json = { 'content-type': 'application/json' };
    for (const route of ['/api/messages', '/playground/api/messages', '/test/clock']) {
      const r = await post(route, JSON.stringify({ type: 'message', value: JSON.parse(deep) }), json);
      expect([route, r.status, r.body.error]).toEqual([route, 400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`]);
    }
    // Slack: before the signature is checked, in an event and in interactivity's form-encoded payload.
    const event = signedRequest(
      JSON.stringify({ type: 'event_callback', event: JSON.parse(deep) }),
      'application/json',
    );
    expect((await post('/slack/events', event.body, event.headers)).status).toBe(400);
    const form = signedRequest(new URLSearchParams({ payload: deep }).toString(), 'application/x-www-form-urlencoded');
    expect((await post('/slack/events', form.body, form.headers)).status).toBe(400);
    // Just inside the limit is read as before: the playground takes the card data and then finds no such person.
    const ok = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH - 3)}${']'.repeat(MAX_JSON_DEPTH - 3)}`);
    const action = { type: 'Action.Submit', data: { nested: ok } };
    const inside = await post(
      '/playground/api/actions',
      JSON.stringify({ as: 'nobody', conversationId: 'c1', replyToId: 'a1', action }),
      json,
    );
    expect(inside).toEqual({ status: 400, body: { error: 'no person "nobody" in the policy' } });
  });

  it('a bad JSON body is 400 with our own text; a route that fails is a generic 500 with the request id', async () => {
    const bad = await fetch(`${kit.helpline.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'expected a JSON body' });
    // Object's own keys are not files (this once read a file that is not there and answered its path).
    const ctor = await fetch(`${kit.helpline.base}/reports/static/constructor`);
    expect(ctor.status).toBe(404);
    expect(await ctor.text()).toBe('not found');
  });
});

describe('Per-address rate limits on the public routes', () => {
  let h: TestHelpline;
  beforeAll(async () => {
    h = await startTestHelpline({
      prefix: 'ratelimit',
      env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_WEBHOOKS_PER_MINUTE: '5' },
    });
    h.clock.pause(); // the buckets refill on the app's clock: held still, only the test moves it
  });
  afterAll(async () => {
    await h?.stop();
  });

  const get = async (route: string) => {
    const res = await fetch(`${h.base}${route}`);
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };
  const webhook = async () => {
    const res = await fetch(`${h.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };

  it('answers 429 with Retry-After past the limit, keeps the webhooks and probes apart, and refills over the minute', async () => {
    for (let i = 0; i < 3; i++) expect((await get('/playground/api/clock')).status).toBe(200);
    expect(await get('/playground/api/clock')).toEqual({ status: 429, retryAfter: '20' });
    expect((await get('/nowhere')).status).toBe(429); // unknown paths count too

    // The webhooks have their own, larger bucket.
    for (let i = 0; i < 5; i++) expect((await webhook()).status).not.toBe(429);
    expect(await webhook()).toEqual({ status: 429, retryAfter: '12' });

    // Load balancers' probes are never limited.
    for (let i = 0; i < 10; i++) expect((await get('/healthz')).status).toBe(200);

    h.clock.advanceMinutes(1);
    expect((await get('/playground/api/clock')).status).toBe(200);
    expect((await webhook()).status).not.toBe(429);
  });
});
