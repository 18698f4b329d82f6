import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Action } from '../../src/cards/actions';
import type { CrashStep } from '../../src/crash-switch';
import { FakeSlackApi, type SlackCall } from '../fakes/slack-api';
import { BOT_TOKEN, findElement } from '../fixtures/slack/kit';
import { buttonClick, directMessage, eventEnvelope, TRIAGE } from '../fixtures/slack/payloads';
import { formPayload, SIGNING_SECRET, signedRequest } from '../fixtures/slack/sign';
import { freePort, main, Replica, writeSlackPolicy } from '../helpers/cluster';
import { eventually } from '../helpers/harness';

/**
 * Crash at every step, deterministically: a replica of dist/main.js started with HELPLINE_CRASH_AT=<step> takes the
 * request (a Raise click, an Assign click) or runs the scheduler (a breach, a ladder step) and kills itself at that
 * step; the request is then sent again to a second replica on Slack's retry schedule (at once, a minute later, five
 * minutes later, with X-Slack-Retry-Num), and the second replica's scheduler runs as every replica's does. For each
 * step: exactly one ticket, the requester told its number exactly once, every notice posted exactly once (each Slack
 * post carries its key), and never a 200 for work that was not done.
 */
const MONDAY_0900 = '2026-03-02T09:00:00.000Z';
/** Slack's Events API retries: nearly at once, after one minute, after five (then it gives up). */
const SLACK_RETRY_MS = [0, 60_000, 300_000];
const LEE = { id: 'U0LEVEL1', name: 'Lee Lewis' };
const MANAGERS = 'C0MANAGERS';
const RAISE_STEPS: CrashStep[] = [
  'raise:claimed',
  'raise:numbered',
  'ticket:saved',
  'ticket:queued',
  'raise:done',
  'raise:posted',
  'raise:recorded',
];
const CLICK_STEPS: CrashStep[] = ['change:claimed', 'ticket:saved', 'ticket:queued', 'change:done'];

async function postJson(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => null);
  await res?.text();
  return res?.status ?? 0;
}

describe('a replica crashing at each step of a raise, a click and a delivery', () => {
  const dbName = `helpline_crash_${randomBytes(4).toString('hex')}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-crash-'));
  const policyFile = writeSlackPolicy(tmp);
  let slack: FakeSlackApi;
  let mongo: MongoClient;
  let env: Record<string, string>;
  let survivor: Replica;
  const started: Replica[] = [];
  /** Every answer of 200, with whether the work it answered for was stored at that moment. */
  const answered: Array<{ what: string; done: boolean }> = [];

  beforeAll(async () => {
    if (!fs.existsSync(main)) throw new Error('dist/main.js is missing: npm test builds it first (npm run build)');
    const server = process.env.MONGODB_URI;
    if (!server) throw new Error('run through jest: its global setup starts the database');
    slack = await new FakeSlackApi().start();
    mongo = await new MongoClient(`${server}${dbName}`).connect();
    env = {
      MONGODB_URI: `${server}${dbName}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      SCHEDULER_ENABLED: '0', // the test runs each replica's jobs when every replica would have
      HELPLINE_TEST_CLOCK: '1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    survivor = new Replica('survivor', await freePort(), env);
    started.push(survivor);
    await survivor.start();
    expect(await postJson(`${survivor.base}/test/clock`, { now: MONDAY_0900 })).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop('SIGKILL')));
    await mongo
      ?.db()
      .dropDatabase()
      .catch(() => undefined);
    await mongo?.close();
    await slack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const tickets = () =>
    mongo.db().collection<{ _id: string; requester: { userId: string }; assignee: unknown }>('tickets');
  const posted = (where: (c: SlackCall) => boolean) =>
    slack.callsTo('chat.postMessage').filter((c) => c.response?.ok === true && where(c));

  /** A replica that dies at `step`: started fresh for each crash. */
  async function crashing(step: CrashStep): Promise<Replica> {
    const r = new Replica(`crash-at-${step}`, await freePort(), { ...env, HELPLINE_CRASH_AT: step });
    started.push(r);
    await r.start();
    return r;
  }

  /** How the replica's process ended: its signal ('SIGKILL' from the crash switch), or 'alive' after 15 s. */
  const died = (r: Replica) =>
    new Promise<string | null>((resolve) => {
      const c = r.child;
      if (!c) return resolve('never started');
      if (c.exitCode !== null || c.signalCode) return resolve(c.signalCode);
      const t = setTimeout(() => resolve('alive'), 15_000);
      c.once('exit', (_code, signal) => {
        clearTimeout(t);
        resolve(signal);
      });
    });
  const outbox = () => mongo.db().collection<{ _id: string; status: string }>('outbox');
  const settled = () =>
    eventually(
      async () => (await outbox().countDocuments({ status: { $ne: 'delivered' } })) === 0 || undefined,
      30_000,
      'every outbox item delivered',
    );

  /** One Slack request: status, 0 when the connection died with no answer. */
  async function send(
    to: Replica,
    body: string,
    type: 'application/json' | 'application/x-www-form-urlencoded',
    retryNum?: number,
  ) {
    const r = signedRequest(body, type, retryNum !== undefined ? { retryNum, retryReason: 'http_error' } : {});
    const res = await fetch(`${to.base}/slack/events`, { method: 'POST', headers: r.headers, body: r.body }).catch(
      () => null,
    );
    await res?.text();
    return res?.status ?? 0;
  }

  /**
   * After the first try died on the crashing replica: Slack's retries to the survivor until one is answered 200;
   * at each 200, whether the work was stored then.
   */
  async function retried(what: string, body: string, isDone: () => Promise<boolean>): Promise<number[]> {
    const statuses: number[] = [];
    for (const [i, wait] of SLACK_RETRY_MS.entries()) {
      await new Promise((r) => setTimeout(r, wait).unref()); // a failed test does not wait for the schedule
      const status = await send(survivor, body, 'application/x-www-form-urlencoded', i + 1);
      statuses.push(status);
      if (status === 200) {
        answered.push({ what, done: await isDone() });
        break;
      }
    }
    return statuses;
  }

  /**
   * The first try, on the replica that dies at `step`: it dies before answering (0), or, at a step that comes after
   * the answer (the move of what the save parked, which the answer does not wait for), answers 200 for work that is
   * done and dies just after. Either way Slack's retries below go to the survivor.
   */
  async function firstTry(what: string, step: CrashStep, status: number, isDone: () => Promise<boolean>) {
    if (status === 200) answered.push({ what: `${what} (first try)`, done: await isDone() });
    const after = step === 'ticket:queued' ? [0, 200] : [0];
    expect({ step, status, expected: after.includes(status) }).toEqual({ step, status, expected: true });
  }

  /** A requester's DM answered by the survivor with the understood reply and its Raise button. */
  async function understood(user: { id: string; name: string }) {
    const msg = directMessage(user, `The supplier import failed this morning for ${user.name}, no workaround`);
    expect(await send(survivor, JSON.stringify(eventEnvelope(msg)), 'application/json')).toBe(200);
    const reply = await eventually(
      () => posted((c) => c.body.thread_ts === msg.ts)[0],
      15_000,
      `the understood reply to ${user.id}`,
    );
    const click = buttonClick(
      user,
      { action_id: Action.RaiseNow, value: msg.ts },
      { channel: msg.channel, ts: String(reply.response?.ts) },
    );
    return { msg, click: formPayload(click) };
  }

  const ticketOf = async (userId: string) => tickets().find({ 'requester.userId': userId }).toArray();
  const confirmations = (thread: string) =>
    posted((c) => c.body.thread_ts === thread && /SR-\d+ raised/.test(String(c.body.text)));
  const about = (c: SlackCall, n: string) => new RegExp(`${n}(?!\\d)`).test(JSON.stringify(c.body));

  it('a raise, an Assign click, a breach and a ladder step: each finished once whatever step its replica died at', async () => {
    // ---- Assign clicks on triage cards of tickets raised whole by the survivor (first: a card to a channel waits
    // behind older ones to it, such as the triage cards of the raises below until they are finished).
    const clicks: Array<{ step: CrashStep; number: string; retries: Promise<number[]> }> = [];
    for (const [i, step] of CLICK_STEPS.entries()) {
      const user = { id: `U0CLICK${i}`, name: `Click ${i}` };
      const { click } = await understood(user);
      expect(await send(survivor, click, 'application/x-www-form-urlencoded')).toBe(200);
      const [ticket] = await ticketOf(user.id);
      const number = ticket?._id ?? '';
      const card = await eventually(
        () => posted((c) => c.body.channel === TRIAGE && about(c, number))[0],
        60_000,
        `the triage card of ${number}`,
      );
      const button = findElement(card, Action.AssignToMe);
      const press = formPayload(
        buttonClick(
          LEE,
          { action_id: Action.AssignToMe, value: button?.element.value, block_id: button?.blockId ?? '' },
          { channel: TRIAGE, ts: String(card.response?.ts) },
        ),
      );
      const doomed = await crashing(step);
      const isDone = async () => !!(await tickets().findOne({ _id: number }))?.assignee;
      await firstTry(`assign at ${step}`, step, await send(doomed, press, 'application/x-www-form-urlencoded'), isDone);
      expect({ step, end: await died(doomed) }).toEqual({ step, end: 'SIGKILL' });
      clicks.push({ step, number, retries: retried(`assign at ${step}`, press, isDone) });
    }

    // ---- Raise clicks: the first try dies on its replica at the step; Slack's retries go to the survivor.
    const raises: Array<{ step: CrashStep; user: string; thread: string; retries: Promise<number[]> }> = [];
    for (const [i, step] of RAISE_STEPS.entries()) {
      const user = { id: `U0CRASH${i}`, name: `Crash ${i}` };
      const { msg, click } = await understood(user);
      const doomed = await crashing(step);
      const isDone = async () => (await ticketOf(user.id)).length === 1;
      await firstTry(`raise at ${step}`, step, await send(doomed, click, 'application/x-www-form-urlencoded'), isDone);
      expect({ step, end: await died(doomed) }).toEqual({ step, end: 'SIGKILL' });
      raises.push({ step, user: user.id, thread: msg.ts, retries: retried(`raise at ${step}`, click, isDone) });
    }

    for (const r of raises)
      expect({ step: r.step, answered: (await r.retries).at(-1) }).toEqual({ step: r.step, answered: 200 });
    for (const c of clicks)
      expect({ step: c.step, answered: (await c.retries).at(-1) }).toEqual({ step: c.step, answered: 200 });
    expect(answered.filter((a) => !a.done)).toEqual([]); // never a 200 for work not done

    // Every raise: one ticket, its requester told its number once, its triage card once.
    for (const r of raises) {
      const mine = await ticketOf(r.user);
      expect({ step: r.step, tickets: mine.length }).toEqual({ step: r.step, tickets: 1 });
      const number = mine[0]?._id ?? '';
      await eventually(() => confirmations(r.thread)[0], 15_000, `the confirmation after ${r.step}`);
      const told = confirmations(r.thread);
      expect({
        step: r.step,
        told: told.length,
        of: String(told[0]?.body.text).startsWith(`${number} raised`),
      }).toEqual({ step: r.step, told: 1, of: true });
    }
    for (const c of clicks) {
      const t = await tickets().findOne({ _id: c.number });
      expect({ step: c.step, assignee: (t?.assignee as { userId?: string } | null)?.userId }).toEqual({
        step: c.step,
        assignee: LEE.id,
      });
    }

    // ---- The breach (every unassigned ticket, 30 business minutes after it was raised) and a ladder step, each swept by a replica that dies.
    const sweepWith = async (step: CrashStep, at: string) => {
      await settled(); // the crashing replica's first delivery is the one this step is about
      expect(await postJson(`${survivor.base}/test/clock`, { now: at })).toBe(200);
      const doomed = await crashing(step);
      await eventually(
        async () => {
          const { time } = (await (await fetch(`${doomed.base}/readyz?detail`)).json()) as { time: string };
          return Date.parse(time) >= Date.parse(at) || undefined;
        },
        10_000,
        `${doomed.name} on the shared clock`,
      );
      expect(await postJson(`${doomed.base}/test/scheduler/run`, {})).toBe(0); // dies mid-run
      expect({ step, end: await died(doomed) }).toEqual({ step, end: 'SIGKILL' });
      // The survivor's jobs, as every replica runs them each minute; a delivery lease of the dead runs out meanwhile.
      expect(await postJson(`${survivor.base}/test/clock`, { advanceMinutes: 2 })).toBe(200);
      expect(await postJson(`${survivor.base}/test/scheduler/run`, {})).toBe(200);
    };
    await sweepWith('sweep:saved', '2026-03-02T10:00:00.000Z'); // raised at 09:00-09:03: breached at 09:30-09:33
    await sweepWith('delivery:posted', '2026-03-02T12:30:00.000Z'); // the Support Manager's step
    // A triage card delivered by the replica that raised it, which dies once the delivery is recorded.
    await settled();
    const late = { id: 'U0CRASHLATE', name: 'Crash late' };
    const { msg: lateMsg, click: lateClick } = await understood(late);
    // The survivor's notifier would race the doomed one for the card (it polls every second): it is stopped while
    // the doomed replica raises and delivers, so the crash happens at its step on any machine, then started again.
    expect(await survivor.stop('SIGTERM')).toBe(0);
    const doomed = await crashing('delivery:recorded');
    const lateStatus = await send(doomed, lateClick, 'application/x-www-form-urlencoded');
    expect({ end: await died(doomed) }).toEqual({ end: 'SIGKILL' });
    await survivor.start();
    const lateRetries =
      lateStatus === 200
        ? []
        : await retried('raise, card delivered', lateClick, async () => (await ticketOf(late.id)).length === 1);
    expect([lateStatus, ...lateRetries].at(-1)).toBe(200);
    raises.push({ step: 'delivery:recorded', user: late.id, thread: lateMsg.ts, retries: Promise.resolve([200]) });
    expect(await postJson(`${survivor.base}/test/clock`, { advanceMinutes: 2 })).toBe(200);
    expect(await postJson(`${survivor.base}/test/scheduler/run`, {})).toBe(200);
    await settled();
    const unassigned = raises.length - 1; // the clicked ones had their first response; the late one is not due yet
    const breaches = posted((c) => c.body.channel === MANAGERS && JSON.stringify(c.body).includes('SLA BREACH'));
    expect(breaches).toHaveLength(unassigned);
    for (const r of raises) {
      const [t] = await ticketOf(r.user);
      expect(breaches.filter((b) => about(b, t?._id ?? '?'))).toHaveLength(r.user === late.id ? 0 : 1);
      // Its triage card, once.
      expect(posted((c) => c.body.channel === TRIAGE && about(c, t?._id ?? '?'))).toHaveLength(1);
      const told = confirmations(r.thread);
      expect({ step: r.step, told: told.length }).toEqual({ step: r.step, told: 1 });
    }
    // Every Slack post carries its key: none posted twice in one conversation, and none left undelivered.
    const perKey = new Map<string, number>();
    for (const c of posted(() => true)) {
      const key = (c.body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
      if (key) perKey.set(`${key}@${c.body.channel}`, (perKey.get(`${key}@${c.body.channel}`) ?? 0) + 1);
    }
    expect([...perKey].filter(([, n]) => n > 1)).toEqual([]);
    expect(await outbox().countDocuments({ status: 'delivered' })).toBeGreaterThanOrEqual(unassigned * 2);
  }, 600_000);
});
