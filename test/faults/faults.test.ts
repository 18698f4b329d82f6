import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api';
import { BOT_TOKEN } from '../fixtures/slack/kit';
import { buttonClick, directMessage, eventEnvelope } from '../fixtures/slack/payloads';
import { formPayload, SIGNING_SECRET, signedRequest } from '../fixtures/slack/sign';
import { Database, freePort, Nginx, Replica, sleep, writeSlackPolicy } from '../helpers/cluster';

/**
 * The fault suite (`npm run test:faults`): nginx over three replicas of dist/main.js, their schedulers on, one
 * database, one shared movable clock. Raises from many users at concurrency 32 for about a minute while, in turn,
 * a replica is SIGKILLed and restarted, the database is stopped for 20 s and started again, the Slack API answers
 * 429 and 500 for a while, and a replica is SIGTERMed under load and restarted. Then every ticket breaches and all
 * three schedulers sweep. Counted at the fake Slack API and in the database; the figures are printed as a table.
 */
const CONCURRENCY = 32;
const LOAD_S = Number(process.env.FAULTS_LOAD_SECONDS ?? 60);
const MONDAY_0900 = '2026-03-02T09:00:00.000Z';

type Outcome = 'raised' | 'told' | 'no-answer';
interface Unit {
  user: string;
  outcome: Outcome;
  dmStatus: number;
  clickStatus: number;
  dmMs: number;
  raiseMs: number;
  phase: string;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
};

describe('faults: three replicas behind nginx, killed, drained, the database gone for a while', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-faults-'));
  let slack: FakeSlackApi;
  let db: Database;
  let replicas: Replica[];
  let nginx: Nginx;
  let mongo: MongoClient;
  const dbName = 'helpline_faults';

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    db = new Database(path.join(tmp, 'db'), await freePort());
    await db.start();
    const env = {
      HOST: '127.0.0.1',
      MONGODB_URI: `${db.uri}${dbName}`,
      POLICY_FILE: writeSlackPolicy(tmp),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SCHEDULER_ENABLED: '1',
      HELPLINE_TEST_CLOCK: '1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    replicas = [];
    for (const name of ['replica-1', 'replica-2', 'replica-3']) replicas.push(new Replica(name, await freePort(), env));
    await Promise.all(replicas.map((r) => r.start()));
    nginx = new Nginx(
      path.join(tmp, 'nginx'),
      await freePort(),
      replicas.map((r) => r.port),
    );
    await nginx.start();
    mongo = await new MongoClient(`${db.uri}${dbName}`, { serverSelectionTimeoutMS: 60_000 }).connect();
  }, 180_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas ?? []) await r.stop('SIGTERM');
    await mongo?.close().catch(() => undefined);
    await db?.stop();
    await slack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A signed Slack request through nginx; a request that got no answer is sent again as Slack does. */
  async function toSlack(body: string, type: 'application/json' | 'application/x-www-form-urlencoded', retry: boolean) {
    for (let attempt = 0; ; attempt++) {
      const r = signedRequest(body, type, attempt > 0 && retry ? { retryNum: attempt } : {});
      const res = await fetch(`${nginx.base}/slack/events`, {
        method: 'POST',
        headers: r.headers,
        body: r.body,
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (res?.status === 200 || attempt >= 3) return res?.status ?? 0;
      await sleep(1000);
    }
  }

  const posted = (where: (c: SlackCall) => boolean) =>
    slack.calls.filter((c) => c.method === 'chat.postMessage' && c.response?.ok === true && where(c));
  const waitFor = async <T>(find: () => T | undefined, ms: number): Promise<T | undefined> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = find();
      if (v !== undefined || Date.now() > deadline) return v;
      await sleep(100);
    }
  };

  let phase = 'steady';
  /** One requester: plain words in a DM, then the Raise button, until the bot confirms or says it failed. */
  async function raiseOnce(n: number): Promise<Unit> {
    const user = { id: `U0F${String(n).padStart(5, '0')}`, name: `Faulty ${n}` };
    const unitPhase = phase;
    const msg = directMessage(user, `The supplier import failed for store ${n}, nothing came through`);
    let t = performance.now();
    const dmStatus = await toSlack(
      JSON.stringify(eventEnvelope(msg, { eventId: `EvF${n}` })),
      'application/json',
      true,
    );
    const inThread = (c: SlackCall) => c.body.thread_ts === msg.ts;
    const reply = await waitFor(() => posted(inThread)[0], 20_000);
    const dmMs = performance.now() - t;
    const base = { user: user.id, dmStatus, clickStatus: 0, dmMs, raiseMs: 0, phase: unitPhase };
    if (!reply) return { ...base, outcome: 'no-answer' };
    if (!JSON.stringify(reply.body).includes('intake.raise_now')) return { ...base, outcome: 'told' };
    t = performance.now();
    const click = formPayload(
      buttonClick(
        user,
        { action_id: 'intake.raise_now', value: msg.ts },
        { channel: msg.channel, ts: String(reply.response?.ts) },
      ),
    );
    const clickStatus = await toSlack(click, 'application/x-www-form-urlencoded', false);
    const answer = await waitFor(() => posted((c) => inThread(c) && c !== reply)[0], 25_000);
    const raiseMs = performance.now() - t;
    const outcome: Outcome = !answer ? 'no-answer' : /SR-\d+ raised/.test(String(answer.body.text)) ? 'raised' : 'told';
    return { ...base, clickStatus, raiseMs, outcome };
  }

  it('loses nothing and sends nothing twice', async () => {
    await fetch(`${replicas[0]?.base}/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: MONDAY_0900 }),
    });
    await sleep(1500); // every replica reads the shared clock within 500 ms

    // Health as a load balancer sees it, every 500 ms, from a replica that stays up.
    const health: Array<{ at: number; status: number; phase: string }> = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const res = await fetch(`${replicas[2]?.base}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(
          () => null,
        );
        health.push({ at: Date.now(), status: res?.status ?? 0, phase });
        await sleep(500);
      }
    })();

    // The faults, one after another during the load.
    const start = Date.now();
    const at = (fraction: number) => start + fraction * LOAD_S * 1000;
    const until = async (t: number) => sleep(Math.max(0, t - Date.now()));
    const faults = (async () => {
      await until(at(0.1));
      phase = 'replica killed';
      await replicas[1]?.stop('SIGKILL');
      await sleep(3000);
      await replicas[1]?.start();
      phase = 'steady';
      await until(at(0.3));
      phase = 'database down';
      await db.stop();
      await sleep(20_000);
      await db.start();
      phase = 'database back';
      await until(at(0.7));
      phase = 'slack 429/500';
      slack.failNext(40, { status: 429, retryAfter: 1 });
      slack.failNext(40, { status: 500 });
      await sleep(5000);
      phase = 'replica drained';
      const code = await replicas[0]?.stop('SIGTERM');
      expect(code).toBe(0);
      await replicas[0]?.start();
      phase = 'steady';
    })();

    let n = 0;
    const units: Unit[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < start + LOAD_S * 1000) units.push(await raiseOnce(n++));
      }),
    );
    await faults;
    probing = false;
    await prober;

    // Settle: leases of the killed replica run out (the shared clock moves 2 minutes), every replica delivers.
    const run = (r: Replica) =>
      fetch(`${r.base}/test/scheduler/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    const moveClock = (body: object) =>
      fetch(`${replicas[2]?.base}/test/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await moveClock({ advanceMinutes: 2 });
    await sleep(1000);
    await Promise.all(replicas.map(run));

    // Every ticket breaches (30 business minutes): all three schedulers sweep at the same instants.
    await moveClock({ now: '2026-03-02T10:30:00.000Z' });
    await sleep(1000);
    for (let i = 0; i < 3; i++) {
      await Promise.all(replicas.map(run));
      await sleep(1500);
    }

    // ---- what happened
    const db$ = mongo.db();
    const tickets = await db$
      .collection<{ _id: string; seq: number; requester: { userId: string } }>('tickets')
      .find({}, { projection: { seq: 1, requester: 1 } })
      .toArray();
    const byUser = new Map<string, number>();
    for (const t of tickets) byUser.set(t.requester.userId, (byUser.get(t.requester.userId) ?? 0) + 1);
    const raised = units.filter((u) => u.outcome === 'raised');
    const duplicates = [...byUser.values()].filter((c) => c > 1).length;
    const lost = raised.filter((u) => (byUser.get(u.user) ?? 0) !== 1).length;
    const numbers = tickets.map((t) => t.seq).sort((a, b) => a - b);
    const counter =
      (await db$.collection<{ _id: string; seq: number }>('counters').findOne({ _id: 'ticket' }))?.seq ?? 0;
    const unused = counter - numbers.length;
    const breaches = posted((c) => c.body.channel === 'C0MANAGERS' && JSON.stringify(c.body).includes('SLA BREACH'));
    const breachesPer = new Map<string, number>();
    for (const b of breaches) {
      const number = /SR-\d+/.exec(String(b.body.text))?.[0] ?? '?';
      breachesPer.set(number, (breachesPer.get(number) ?? 0) + 1);
    }
    const outbox = await db$.collection<{ status: string; lastError: string | null }>('outbox').find({}).toArray();
    const stuck = outbox.filter((o) => o.status === 'pending' || o.status === 'delivering').length;
    const deadWithoutReason = outbox.filter((o) => o.status === 'dead' && !o.lastError).length;
    const outage = health.filter((h) => h.phase === 'database down');
    // After everything: every replica, the database long back, reports healthy.
    const after = await Promise.all(
      replicas.map(async (r) => ({ status: (await fetch(`${r.base}/healthz`).catch(() => null))?.status ?? 0 })),
    );

    const rows: Array<[string, string | number]> = [
      ['raise attempts (units)', units.length],
      ['  confirmed raised', raised.length],
      ['  told it failed (database down)', units.filter((u) => u.outcome === 'told').length],
      ['  no answer at all', units.filter((u) => u.outcome === 'no-answer').length],
      [
        '    of which raised all the same / not raised',
        `${units.filter((u) => u.outcome === 'no-answer' && byUser.has(u.user)).length} / ${units.filter((u) => u.outcome === 'no-answer' && !byUser.has(u.user)).length}`,
      ],
      ['tickets in the database', tickets.length],
      ['users with two tickets (duplicates)', duplicates],
      ['confirmed raises without exactly one ticket (lost)', lost],
      ['numbers taken but not used (counter - tickets)', unused],
      ['breach alerts / tickets', `${breaches.length} / ${tickets.length}`],
      ['tickets alerted more than once', [...breachesPer.values()].filter((c) => c > 1).length],
      [
        'outbox items: delivered / dead / stuck',
        `${outbox.filter((o) => o.status === 'delivered').length} / ${outbox.filter((o) => o.status === 'dead').length} / ${stuck}`,
      ],
      [
        '/healthz during the outage: 503 / probes',
        `${outage.filter((h) => h.status === 503).length} / ${outage.length}`,
      ],
      [
        '/healthz of each replica after: 200 / replicas',
        `${after.filter((h) => h.status === 200).length} / ${after.length}`,
      ],
    ];
    for (const p of [
      'steady',
      'replica killed',
      'database down',
      'database back',
      'slack 429/500',
      'replica drained',
    ]) {
      const us = units.filter((u) => u.phase === p);
      if (us.length > 0)
        rows.push([
          `p99 ms in "${p}": DM reply / raise (${us.length} units)`,
          `${pct(
            us.map((u) => u.dmMs),
            99,
          )} / ${pct(
            us.filter((u) => u.raiseMs > 0).map((u) => u.raiseMs),
            99,
          )}`,
        ]);
    }
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(
      `\nFault suite (${LOAD_S} s of load at concurrency ${CONCURRENCY})\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n\n`,
    );

    expect(raised.length).toBeGreaterThan(50);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...breachesPer.values()].every((c) => c === 1)).toBe(true);
    expect(breachesPer.size).toBe(tickets.length);
    expect(stuck).toBe(0);
    expect(deadWithoutReason).toBe(0);
    expect(outage.some((h) => h.status === 503)).toBe(true);
    expect(after.map((h) => h.status)).toEqual([200, 200, 200]);
  }, 360_000);
});
