import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Action } from '../../src/cards/actions';
import { loadPolicy } from '../../src/config/policy';
import type { Priority, Severity } from '../../src/config/policy.schema';
import { type FakeBotConnector, startFakeBotConnector } from '../fakes/bot-connector';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api';
import { BOT_TOKEN } from '../fixtures/slack/kit';
import { buttonClick, directMessage, eventEnvelope } from '../fixtures/slack/payloads';
import { formPayload, SIGNING_SECRET, signedRequest } from '../fixtures/slack/sign';
import { cardAction, personalMessage, user } from '../fixtures/teams/activities';
import { freePort, main, Replica, writeSlackPolicy } from '../helpers/cluster';
import { eventually } from '../helpers/harness';

/**
 * Three replicas for real: three processes of the built dist/main.js, each with its scheduler on, on one
 * database, one movable clock kept in that database. Every Slack event is delivered twice (Slack's retry, to
 * another replica), every Raise click and Teams activity twice too, and all three schedulers sweep at the same
 * instants. Counted at the fake Slack API, the fake Bot Connector and in the database: one ticket per request,
 * each alert and ladder step once, every outbox item delivered once.
 */
const MONDAY_0900 = '2026-03-02T09:00:00.000Z'; // 09:00 in London, inside business hours
const TRIAGE = 'C0TRIAGE';
const MANAGERS = 'C0MANAGERS';
const _TEAM_TICKETING = 'C0TEAMTICKETING';
const SLACK_RAISES = 9;
const TEAMS_RAISES = 6;
/** The ladder above the Team Lead (whom the breach alert itself mentions), by its index in the policy. */
const LADDER = [
  { at: '2026-03-02T11:31:00.000Z', contact: 'U0SUPPMGR', level: 'Support Manager', index: 2 },
  { at: '2026-03-02T13:31:00.000Z', contact: 'U0HEADSUPP', level: 'Head of Support', index: 3 },
  { at: '2026-03-02T15:31:00.000Z', contact: 'U0CCO', level: 'Chief Customer Officer', index: 4 },
];

async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('three replicas on one database', () => {
  const dbName = `helpline_replicas_${randomBytes(4).toString('hex')}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-replicas-'));
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  const replicas: Replica[] = [];
  let mongo: MongoClient;
  const policyFile = writeSlackPolicy(tmp);

  beforeAll(async () => {
    if (!fs.existsSync(main)) throw new Error('dist/main.js is missing: npm test builds it first (npm run build)');
    const server = process.env.MONGODB_URI;
    if (!server) throw new Error('run through jest: its global setup starts the database');
    slack = await new FakeSlackApi().start();
    connector = await startFakeBotConnector();
    mongo = await new MongoClient(`${server}${dbName}`).connect();
    const env = {
      MONGODB_URI: `${server}${dbName}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SCHEDULER_ENABLED: '1',
      HELPLINE_TEST_CLOCK: '1',
      HELPLINE_PLAYGROUND: '1', // Teams without MicrosoftAppId beside Slack: unauthenticated /api/messages
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    for (const name of ['replica-1', 'replica-2', 'replica-3']) replicas.push(new Replica(name, await freePort(), env));
    await Promise.all(replicas.map((r) => r.start()));
    expect(new Set(replicas.map((r) => r.child?.pid)).size).toBe(3);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    await mongo?.db().dropDatabase();
    await mongo?.close();
    await slack?.stop();
    await connector?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const replica = (i: number): Replica => replicas[i % 3] as Replica;

  /** A signed Slack request to one replica. */
  const toSlack = async (
    i: number,
    body: string,
    contentType: 'application/json' | 'application/x-www-form-urlencoded',
    retryNum?: number,
  ) => {
    const r = signedRequest(body, contentType, retryNum !== undefined ? { retryNum } : {});
    const res = await fetch(`${replica(i).base}/slack/events`, { method: 'POST', headers: r.headers, body: r.body });
    return res.status;
  };

  /** Moves the shared clock through one replica, and waits until every replica has read it (within 500 ms). */
  const setClock = async (iso: string, through: number) => {
    expect((await postJson(`${replica(through).base}/test/clock`, { now: iso })).status).toBe(200);
    for (const r of replicas)
      await eventually(
        async () => {
          const { time } = (await (await fetch(`${r.base}/readyz?detail`)).json()) as { time: string };
          return Math.abs(Date.parse(time) - Date.parse(iso)) < 60_000 || undefined;
        },
        5_000,
        `every replica on the shared clock at ${iso}`,
      );
  };

  /** Moves the shared clock through one replica, then every replica sweeps and delivers at once. */
  const sweepAt = async (iso: string, through: number) => {
    await setClock(iso, through);
    const runs = await Promise.all(replicas.map((r) => postJson(`${r.base}/test/scheduler/run`, {})));
    for (const run of runs) {
      expect(run.status).toBe(200);
      // the movable clock keeps running from where it was set: every replica is within seconds of it
      const now = Date.parse((run.body as { now: string }).now);
      expect(now - Date.parse(iso)).toBeGreaterThanOrEqual(0);
      expect(now - Date.parse(iso)).toBeLessThan(10_000);
    }
  };

  const accepted = (method: string, where: (c: SlackCall) => boolean) =>
    slack.callsTo(method).filter((c) => c.response?.ok === true && where(c));
  const mentions = (c: SlackCall, text: string) => JSON.stringify(c.body).includes(text);
  /** The call is about ticket `n` (SR-1 is not SR-12). */
  const about = (c: SlackCall, n: string) => new RegExp(`${n}(?!\\d)`).test(JSON.stringify(c.body));

  it('raises, retried events, double clicks and three racing schedulers: everything happens exactly once', async () => {
    await setClock(MONDAY_0900, 0);

    // Slack: each DM reaches one replica and its retry another; the Raise click lands on two replicas at once.
    const slackUsers = Array.from({ length: SLACK_RAISES }, (_, i) => ({ id: `U0REQ${i}`, name: `Requester ${i}` }));
    const slackRaised = await Promise.all(
      slackUsers.map(async (u, i) => {
        const msg = directMessage(u, `The supplier import failed this morning for store ${i}, no workaround`);
        const body = JSON.stringify(eventEnvelope(msg, { eventId: `EvReplica${i}` }));
        const statuses = await Promise.all([
          toSlack(i, body, 'application/json'),
          toSlack(i + 1, body, 'application/json', 1),
        ]);
        expect(statuses).toEqual([200, 200]);
        const reply = await eventually(
          () => slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === msg.ts && c.response?.ok),
          15_000,
          `the reply to ${u.id}`,
        );
        const click = formPayload(
          buttonClick(
            u,
            { action_id: 'intake.raise_now', value: msg.ts },
            { channel: msg.channel, ts: String(reply.response?.ts) },
          ),
        );
        await Promise.all([
          toSlack(i + 1, click, 'application/x-www-form-urlencoded'),
          toSlack(i + 2, click, 'application/x-www-form-urlencoded'),
        ]);
        return msg;
      }),
    );

    // Teams: each plain-words message and each form submission reaches two replicas.
    const teamsUsers = Array.from({ length: TEAMS_RAISES }, (_, i) => user(`29:1req-${i}`, `Teams Requester ${i}`));
    await Promise.all(
      teamsUsers.map(async (u, i) => {
        const msg = personalMessage(connector.url, u, `Report ${i} shows the wrong totals since yesterday`);
        const sent = await Promise.all([
          postJson(`${replica(i).base}/api/messages`, msg),
          postJson(`${replica(i + 1).base}/api/messages`, msg),
        ]);
        for (const s of sent) expect(s.status).toBe(200);
        const form = await eventually(
          () =>
            connector
              .cards()
              .map((c) => c as { actions?: Array<{ verb?: string; data?: Record<string, string> }> })
              .find((c) => c.actions?.[0]?.verb === Action.SubmitForm && JSON.stringify(c).includes(`Report ${i} `)),
          15_000,
          `the form for ${u.id}`,
        );
        const fields = { ...form.actions?.[0]?.data, title: `Report ${i} totals wrong`, severity: '3' };
        const invoke = cardAction(connector.url, u, Action.SubmitForm, fields);
        const submitted = await Promise.all([
          postJson(`${replica(i + 2).base}/api/messages`, invoke),
          postJson(`${replica(i).base}/api/messages`, invoke),
        ]);
        for (const s of submitted) expect(s.status).toBe(200);
      }),
    );

    const tickets = mongo.db().collection<{ _id: string; requester: { userId: string } }>('tickets');
    const total = SLACK_RAISES + TEAMS_RAISES;
    await eventually(async () => (await tickets.countDocuments()) >= total || undefined, 20_000, `${total} tickets`);
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate would land now
    expect(await tickets.countDocuments()).toBe(total);
    const all = await tickets.find({}, { projection: { requester: 1 } }).toArray();
    const numbers = all.map((t) => t._id).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => `SR-${i + 1}`)); // none used twice, none skipped
    const requesters = all.map((t) => t.requester.userId).sort();
    expect(requesters).toEqual([...slackUsers.map((u) => u.id), ...teamsUsers.map((u) => u.id)].sort());

    // One understood-reply and one confirmation per Slack requester; one triage card per ticket.
    for (const msg of slackRaised) {
      const inThread = accepted('chat.postMessage', (c) => c.body.thread_ts === msg.ts);
      expect(inThread.filter((c) => /SR-\d+ /.test(String(c.body.text)))).toHaveLength(1);
    }
    await eventually(
      () => accepted('chat.postMessage', (c) => c.body.channel === TRIAGE).length >= total || undefined,
      20_000,
      'the triage cards',
    );
    for (const n of numbers)
      expect(accepted('chat.postMessage', (c) => c.body.channel === TRIAGE && about(c, n))).toHaveLength(1);

    // The breach at 09:30 (30 business minutes), then the ladder: three schedulers sweep at each instant, twice.
    await sweepAt('2026-03-02T09:31:00.000Z', 1);
    await sweepAt('2026-03-02T09:31:00.000Z', 2);
    for (const step of LADDER) {
      await sweepAt(step.at, 0);
      await sweepAt(step.at, 2);
    }
    const breaches = accepted('chat.postMessage', (c) => c.body.channel === MANAGERS && mentions(c, 'SLA BREACH'));
    // How far each ticket's ladder may climb: the policy's ceiling for its severity, or its priority's if higher.
    const policy = loadPolicy(policyFile);
    const urgency = await tickets
      .find({}, { projection: { severity: 1, priority: 1 } })
      .toArray()
      .then((ts) => new Map(ts.map((t) => [t._id, t as unknown as { severity: Severity; priority: Priority }])));
    for (const n of numbers) {
      expect(breaches.filter((c) => about(c, n))).toHaveLength(1);
      const { severity, priority } = urgency.get(n) as { severity: Severity; priority: Priority };
      const ceiling = Math.max(
        policy.severities[severity].ladderUpTo ?? 4,
        policy.priorities[priority]?.ladderUpTo ?? 0,
      );
      for (const step of LADDER) {
        const told = accepted('chat.postMessage', (c) => c.body.channel === step.contact && about(c, n));
        const times = step.index <= ceiling ? 1 : 0; // each step up to the ceiling once, none above it
        expect({ ticket: n, level: step.level, times: told.length }).toEqual({ ticket: n, level: step.level, times });
      }
    }
    expect(breaches).toHaveLength(total);

    // Nothing left in the outbox but delivered items, each delivered once.
    const outbox = mongo.db().collection<{ _id: string; status: string; attempts: number }>('outbox');
    await eventually(
      async () => (await outbox.countDocuments({ status: { $ne: 'delivered' } })) === 0 || undefined,
      20_000,
      'every outbox item delivered',
    );
    const items = await outbox.find({}).toArray();
    expect(items.length).toBeGreaterThanOrEqual(total * 3); // triage card, breach alert, at least one ladder step
    for (const r of replicas) expect(r.child?.exitCode).toBeNull();
  }, 240_000);
});
