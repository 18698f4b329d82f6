import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type Helpline, startHelpline } from '../../src/bootstrap';
import { type LocalMongo, startLocalMongo } from '../../src/store/local-mongo';
import { eventually } from '../helpers/harness';

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
    return {
      status: res.status,
      body: (await res.json()) as { ok: boolean; database: { ok: boolean; error?: string } },
    };
  };

  it('says ok while the database answers, 503 while it is down, and recovers without a restart', async () => {
    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ ok: true, database: { ok: true }, outbox: { pending: 0, dead: 0 } });

    const port = Number(new URL(db.uri).port);
    await db.stop();
    const down = await eventually(
      async () => {
        const h = await health();
        return h.status === 503 ? h : null;
      },
      15_000,
      '/healthz to report the database down',
    );
    expect(down.body.ok).toBe(false);
    expect(down.body.database.ok).toBe(false);

    db = await startLocalMongo({ dataDir, backend: 'h2', port });
    const back = await eventually(
      async () => {
        const h = await health();
        return h.status === 200 ? h : null;
      },
      30_000,
      '/healthz to recover',
    );
    expect(back.body.database.ok).toBe(true);
  }, 90_000);

  it('/readyz says whether to send this replica traffic: the database reachable and not draining', async () => {
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${helpline.port}/readyz`);
      return { status: res.status, body: (await res.json()) as { ok: boolean; draining: boolean } };
    };
    expect(await readyz()).toMatchObject({ status: 200, body: { ok: true, draining: false } });
    const port = Number(new URL(db.uri).port);
    await db.stop();
    const down = await eventually(async () => ((await readyz()).status === 503 ? readyz() : null), 15_000, 'not ready');
    expect(down.body).toMatchObject({ ok: false, draining: false });
    db = await startLocalMongo({ dataDir, backend: 'h2', port });
    await eventually(async () => (await readyz()).status === 200, 30_000, 'ready again');
  }, 90_000);
});
