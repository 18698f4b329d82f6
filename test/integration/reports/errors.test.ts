import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { signLinkToken } from '../../../src/app/reports/link-token';
import { type Helpline, startHelpline } from '../../../src/bootstrap';
import { MovableClock } from '../../../src/clock';
import { type LocalMongo, startLocalMongo } from '../../../src/store/local-mongo';
import { SEEDED_NOW } from './dataset';

const SECRET = 'reports-secret-for-tests-0123456789abcdef';

/**
 * The database really goes away under a running server with a live report session (its own local server, stopped
 * mid-test; no mocks). The report routes then answer with a plain message and the request id: no path, no stack,
 * no driver error text.
 */
describe('/reports when something fails underneath', () => {
  let dataDir: string;
  let db: LocalMongo;
  let helpline: Helpline;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-reports-down-'));
    db = await startLocalMongo({ dataDir, backend: 'h2' });
    const clock = new MovableClock();
    clock.set(SEEDED_NOW);
    helpline = await startHelpline({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}helpline_reports_down`,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        SCHEDULER_ENABLED: '0',
        REPORTS_SECRET: SECRET,
      },
      clock,
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await helpline?.stop();
    await db?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the database gone: 503 with a generic message and the request id, never a path or a stack', async () => {
    const base = `http://127.0.0.1:${helpline.port}`;
    // A link as the bot makes it (the same signing code), spent by its button: a live session.
    const token = signLinkToken(SECRET, { personId: 'mike.fox', platform: 'slack', userId: 'U0TEAMLEAD' }, SEEDED_NOW);
    const opened = await fetch(`${base}/reports/open`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${base}/reports/api/report`, { headers: { cookie } })).status).toBe(200);

    await db.stop();
    const api = await fetch(`${base}/reports/api/report`, {
      headers: { cookie, 'x-request-id': 'req-reports-down-1' },
    });
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({
      error:
        'The reports cannot reach their database right now. Please try again in a minute (reference req-reports-down-1).',
      requestId: 'req-reports-down-1',
    });
    const page = await fetch(`${base}/reports`, { headers: { cookie } });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toMatch(/cannot reach their database right now.*reference [\w-]+/s);
    expect(html).not.toMatch(/\/tmp|\/work|node_modules|\.ts\b|at \w+ \(|Mongo\w*Error|ECONNREFUSED/);
  }, 60_000);
});
