import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { newSessionId, signSessionId } from '../../src/app/reports/link-token';
import { type Helpline, startHelpline } from '../../src/bootstrap';
import { type LocalMongo, startLocalMongo } from '../../src/store/local-mongo';
import { REPORTS_COOKIE } from '../../src/web/reports/routes';
import { eventually } from '../helpers/harness';

const DETAIL_TOKEN = 'health-detail-token-for-tests';

describe('/healthz with the database up, down and back', () => {
  let dataDir: string;
  let db: LocalMongo;
  let helpline: Helpline;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-health-'));
    db = await startLocalMongo({ dataDir, backend: 'h2' });
    helpline = await startHelpline({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}helpline_health`,
        LOG_LEVEL: 'silent',
        SCHEDULER_ENABLED: '0',
        HEALTH_DETAIL_TOKEN: DETAIL_TOKEN,
      },
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await helpline?.stop();
    await db?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${helpline.port}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean } };
  };
  /** /readyz?detail, as a local caller, or (`forwarded`) as one a proxy forwarded, with `token` if given. */
  const detail = async (opts: { forwarded?: boolean; token?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.forwarded) headers['x-forwarded-for'] = '203.0.113.7';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(`http://127.0.0.1:${helpline.port}/readyz?detail`, { headers });
    return {
      status: res.status,
      body: (await res.json()) as { ok: boolean; database?: { ok: boolean; error?: string }; time?: string },
    };
  };

  it('says ok while the database answers, 503 while it is down, and recovers without a restart; never more than ok', async () => {
    expect(await health()).toEqual({ status: 200, body: { ok: true } });
    expect((await detail()).body).toMatchObject({ ok: true, database: { ok: true }, outbox: { pending: 0, dead: 0 } });

    const port = Number(new URL(db.uri).port);
    await db.stop();
    await eventually(async () => (await health()).status === 503, 15_000, '/healthz to report the database down');
    expect(await health()).toEqual({ status: 503, body: { ok: false } }); // no driver text, no address
    // The detail says why, to this host only.
    const down = await detail();
    expect(down.status).toBe(503);
    expect(down.body.database?.ok).toBe(false);

    // A route that fails (the database is away): a generic answer with the request id, the driver's text in the log.
    const cookie = `${REPORTS_COOKIE}=${encodeURIComponent(signSessionId(helpline.app.reportsSecret, newSessionId()))}`;
    const failed = await fetch(`http://127.0.0.1:${helpline.port}/reports`, {
      headers: { cookie, 'x-request-id': 'probe-42' },
    });
    expect(failed.status).toBe(503); // the database being away is known: try again later
    expect(failed.headers.get('x-request-id')).toBe('probe-42');
    const page = await failed.text();
    expect(page).toContain('reference probe-42');
    expect(page).not.toMatch(/Mongo|ECONNREFUSED|127\.0\.0\.1|\/work\//);

    db = await startLocalMongo({ dataDir, backend: 'h2', port });
    await eventually(async () => (await health()).status === 200, 30_000, '/healthz to recover');
    expect(await health()).toEqual({ status: 200, body: { ok: true } });
  }, 90_000);

  it('/readyz?detail gives the detail to this host or to the health token, and only ok to anyone else', async () => {
    const local = await detail();
    expect(local).toMatchObject({ status: 200, body: { ok: true, draining: false, database: { ok: true } } });
    expect(Date.parse(local.body.time ?? '')).not.toBeNaN();
    // Through a proxy (even one on this host) the caller is not local: no detail without the token.
    expect(await detail({ forwarded: true })).toEqual({ status: 200, body: { ok: true } });
    expect(await detail({ forwarded: true, token: 'not-the-token-at-all' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    const withToken = await detail({ forwarded: true, token: DETAIL_TOKEN });
    expect(withToken.body).toMatchObject({ ok: true, draining: false, database: { ok: true }, outbox: { dead: 0 } });
  });

  it('/readyz says whether to send this replica traffic: the database reachable and not draining', async () => {
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${helpline.port}/readyz`);
      return { status: res.status, body: (await res.json()) as { ok: boolean } };
    };
    expect(await readyz()).toEqual({ status: 200, body: { ok: true } });
    const port = Number(new URL(db.uri).port);
    await db.stop();
    const down = await eventually(async () => ((await readyz()).status === 503 ? readyz() : null), 15_000, 'not ready');
    expect(down.body).toEqual({ ok: false });
    expect((await detail()).body).toMatchObject({ ok: false, draining: false, database: { ok: false } });
    db = await startLocalMongo({ dataDir, backend: 'h2', port });
    await eventually(async () => (await readyz()).status === 200, 30_000, 'ready again');
  }, 90_000);
});
