/**
 * `npm run bench [-- --quick] [-- --only=calendar,trips,slack,teams,click,sweep,reports,h2,search] [-- --sizes=10000,100000]
 * [-- --cpu-prof]`: see bench/README.md. Prints a table and writes bench/results/latest.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadPolicy } from '../src/config/policy';
import { trainWithGate } from '../src/domain/routing/learned-gate';
import { createLearningTriage } from '../src/domain/routing/learned-triage';
import { createTriage, type Triage } from '../src/domain/routing/triage';
import { createBusinessCalendar } from '../src/domain/sla/business-calendar';
import { startJavaServer, startLocalMongo } from '../src/store/local-mongo';
import { BenchConnector, BenchSlackApi, type Call } from './fakes';
import { closedLoop, type LoadResult, percentiles } from './load';
import { type Kind, type Row, type Runs, raiseRows } from './raise';
import { reportsBench } from './reports';
import { searchBench } from './search';
import { SWEEP_NOW, ticketFactory } from './tickets';
import { asCorrected } from './triage-eval/learn';
import { parseSet } from './triage-eval/metrics';
import { tripsBench } from './trips';
import {
  type Button,
  blockActions,
  buttonIn,
  messageIm,
  SECRET,
  sendSigned,
  slackRaise,
  slackTs,
  teamsRaise,
  teamsSubmit,
  type Unit,
} from './units';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const QUICK = !!flag('quick');
const ONLY = flag('only')?.split('=')[1]?.split(',');
const CPU_PROF = !!flag('cpu-prof');
const SIZES = (flag('sizes')?.split('=')[1]?.split(',') ?? (QUICK ? ['1000', '3000'] : ['10000', '100000'])).map(
  Number,
);
const BUDGET_S = QUICK ? 75 : 570;
/** The longest one sweep may take before it is reported as not finished. */
const SWEEP_CAP_S = QUICK ? 10 : 90;
const CONCURRENCY = [1, 16, 64];
const RUN_S = QUICK ? 3 : 8;
const RESULTS = path.join(__dirname, 'results');
const t0 = Date.now();
const remainingS = () => BUDGET_S - (Date.now() - t0) / 1000;
const wanted = (s: string) => !ONLY || ONLY.includes(s);
const log = (msg: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Resident memory of a process in MB, from /proc (0 when unavailable). */
function vmRssMB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (0 when unavailable). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
let dbPid: number | undefined;
/** V8's young generation kept small (semi-spaces of 4 MB, not 16): as in package.json's start and the Dockerfile. */
const RUNTIME_FLAGS = ['--max-semi-space-size=4'];
/** glibc's allocator with two arenas, not eight per core (threads' arenas keep freed memory resident). */
const RUNTIME_ENV = { MALLOC_ARENA_MAX: '2' };

// ---------------------------------------------------------------------------------------------------------------
// Bot processes

interface Bot {
  child: ChildProcess;
  port: number;
  base: string;
  ask<T = Record<string, unknown>>(cmd: string, timeoutMs?: number): Promise<T>;
  vmRssMB(): number;
  stop(): Promise<void>;
}

async function startBot(mode: string, env: Record<string, string>): Promise<Bot> {
  // The runtime settings production runs with (package.json start, deploy/Dockerfile): see README "Memory".
  const execArgv = ['--expose-gc', ...RUNTIME_FLAGS];
  if (CPU_PROF)
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${RESULTS}`, `--cpu-prof-name=${mode}-${Date.now()}.cpuprofile`);
  const child = fork(path.join(__dirname, 'run.js'), ['--child', 'bot.ts', mode], {
    env: { ...process.env, ...RUNTIME_ENV, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, (m: Record<string, unknown>) => void>();
  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (m: Record<string, unknown>) => {
      if ('ready' in m) return m.ready ? resolve(m.port as number) : reject(new Error(String(m.error)));
      pending.get(m.id as number)?.(m);
    });
    child.once('exit', (code) => reject(new Error(`${mode} bot exited with ${code}`)));
  });
  const port = await ready;
  const ask = <T>(cmd: string, timeoutMs = 600_000) =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => reject(new Error(`${cmd} timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      pending.set(id, (m) => {
        clearTimeout(timer);
        pending.delete(id);
        if (m.error) reject(new Error(String(m.error)));
        else resolve(m as T);
      });
      child.send({ cmd, id });
    });
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    ask,
    vmRssMB() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await ask('stop', 30_000).catch(() => child.kill('SIGKILL'));
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

const rows: Row[] = [];
const results: Record<string, unknown> = {};

function calendarBench() {
  const cal = createBusinessCalendar(loadPolicy().calendar);
  const start = Date.parse('2026-01-05T08:00:00Z');
  const froms = Array.from({ length: 997 }, (_, i) => new Date(start + i * 7_919_000)); // ~3 months of instants
  const threeWeeks = 21 * 86_400_000;
  const tos = froms.map((f) => new Date(f.getTime() + threeWeeks));
  const opsPerSec = (fn: (i: number) => unknown) => {
    const ms = QUICK ? 300 : 1500;
    for (let i = 0; i < 20_000; i++) fn(i % froms.length); // warm up
    let n = 0;
    let sink = 0;
    const started = performance.now();
    while (performance.now() - started < ms) {
      for (let k = 0; k < 1000; k++, n++) sink += Number(fn(n % froms.length) !== null);
    }
    if (sink < 0) log('');
    return Math.round(n / ((performance.now() - started) / 1000));
  };
  const add = opsPerSec((i) => cal.addBusinessMinutes(froms[i] as Date, 50 * 60));
  const between = opsPerSec((i) => cal.businessMinutesBetween(froms[i] as Date, tos[i] as Date));
  results.calendar = { addBusinessMinutes50h: add, businessMinutesBetween3w: between };
  const target = (x: number) => (x >= 100_000 ? '≥100k ✓' : '≥100k ✗');
  rows.push({ section: 'calendar', figure: 'addBusinessMinutes(50 h) ops/s', value: String(add), target: target(add) });
  rows.push({
    section: 'calendar',
    figure: 'businessMinutesBetween(3 weeks) ops/s',
    value: String(between),
    target: target(between),
  });
}

/**
 * Triage suggestions per second over the evaluation set's requests (the engine is pure and single-threaded): the
 * rules alone, then the rules with the desk's learned model beside them (trained on the tuning parts, as
 * `eval:triage -- --learn` does).
 */
function triageBench() {
  const policy = loadPolicy();
  const rules = createTriage(policy);
  const read = (file: string) => parseSet(fs.readFileSync(path.join(__dirname, '..', 'eval', 'triage', file), 'utf8'));
  const texts = read('tuning.txt').map((i) => i.text);
  suggestRate(rules, texts, 'suggest() suggestions/s');
  const learned = createLearningTriage(rules, policy);
  const examples = [...read('independent/tuning.txt'), ...read('tuning.txt')].map(asCorrected);
  const trained = trainWithGate(examples, rules, policy, { trainedAt: new Date() });
  learned.load(
    {
      ...trained,
      use: { category: { sure: 0, unsure: 0 }, severity: { sure: 0, unsure: 0 }, notSupported: { sure: 0, unsure: 0 } },
    },
    1,
  );
  suggestRate(learned, texts, "suggest() with the desk's model (every head on) suggestions/s", 'triageLearned');
}

function suggestRate(triage: Triage, texts: string[], figure: string, key: 'triage' | 'triageLearned' = 'triage') {
  for (const t of texts) triage.suggest(t); // warm up
  const ms = QUICK ? 500 : 2000;
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (const t of texts.slice(0, 50)) {
      triage.suggest(t);
      n++;
    }
  }
  const perSecond = Math.round(n / ((performance.now() - started) / 1000));
  results[key] = { suggestionsPerSecond: perSecond };
  rows.push({
    section: 'triage',
    figure,
    value: String(perSecond),
    target: perSecond >= 2000 ? '≥2000 ✓' : '≥2000 ✗',
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const policy = loadPolicy();
  results.machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
  };

  if (wanted('calendar')) {
    log('business calendar');
    calendarBench();
  }
  if (wanted('triage')) {
    log('triage suggestions');
    triageBench();
  }

  // A dedicated database: MONGODB_URI if set, else the local memory-backend server.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-bench-'));
  const local = process.env.MONGODB_URI ? null : await startLocalMongo({ dataDir, backend: 'memory', log });
  dbPid = local?.pid;
  const server = process.env.MONGODB_URI?.replace(/\/[^/]*$/, '/') ?? (local?.uri as string);
  const dbName = `helpline_bench_${Date.now().toString(36)}`;
  const uri = `${server}${dbName}`;
  results.database = { kind: local ? local.kind : 'MONGODB_URI', uri: server.replace(/\/\/[^@]*@/, '//') };
  const slack = await new BenchSlackApi().start();
  const connector = await new BenchConnector().start();
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    LOG_LEVEL: 'silent',
    // Not production: there, Teams without a MicrosoftAppId is not mounted (auth off is refused).
    NODE_ENV: 'test',
    // Teams without MicrosoftAppId beside Slack: unauthenticated /api/messages only in playground mode.
    HELPLINE_PLAYGROUND: '1',
    SCHEDULER_ENABLED: '0',
    // The load comes from one address, far past any per-address limit: off, as the figures measure the bot.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    // The minimal raise's writes: on the same server, in a database of their own.
    BENCH_MINIMAL_URI: `${uri}_minimal`,
  };

  // Triage cards as they reach the fake Slack (for the click benchmark).
  const cards: Array<{ ts: string; button: Button }> = [];
  slack.observers.push((c: Call) => {
    if (c.method !== 'chat.postMessage' || c.body.channel !== 'C0TRIAGE' || cards.length > 2000) return;
    const button = buttonIn(c.body.blocks, 'ticket.assign_me');
    if (button) cards.push({ ts: String(c.body.ts), button });
  });

  let app: Bot | undefined;
  try {
    if (wanted('trips')) {
      log('round trips of one raise and one click');
      await tripsBench({
        env,
        slack,
        connector,
        policy: loadPolicy(),
        startBot,
        teamsRaise: (bot) => teamsSubmit(bot, connector),
        messageIm,
        blockActions,
        sendSigned,
        buttonIn,
        slackTs,
        rows,
        results,
      });
      cards.length = 0; // its triage cards live in its own database: the click benchmark cannot use them
    }
    // The ceilings first (issue 29), one process at a time: the bare framework, then the minimal raise.
    const runs: Record<'slack' | 'teams', Runs> = { slack: {}, teams: {} };
    const unitFor = (platform: 'slack' | 'teams', bot: Bot): Unit =>
      platform === 'slack' ? slackRaise(bot, slack) : teamsRaise(bot, connector);
    const measure = async (kind: Kind, platform: 'slack' | 'teams', bot: Bot) => {
      const out: LoadResult[] = [];
      runs[platform][kind] = out;
      for (const c of CONCURRENCY) {
        log(`${kind} ${platform} raise c=${c}`);
        const cpu0 = [cpuSeconds(process.pid), cpuSeconds(bot.child.pid), cpuSeconds(dbPid)];
        const r = await closedLoop(c, RUN_S, 2, unitFor(platform, bot));
        const cpu = [cpuSeconds(process.pid), cpuSeconds(bot.child.pid), cpuSeconds(dbPid)].map((x, i) =>
          r1(x - (cpu0[i] ?? 0)),
        );
        out.push(Object.assign(r, { cpuSeconds: { loadGenerator: cpu[0], bot: cpu[1], database: cpu[2] } }));
        // Helpline's notifier backlog (triage cards) is delivered before the next run.
        await Promise.all([slack.idle(), connector.idle()]);
      }
    };
    for (const platform of ['slack', 'teams'] as const) {
      if (!wanted(platform)) continue;
      for (const kind of ['bare', 'minimal'] as const) {
        const ceiling = await startBot(`${kind}-${platform}`, env);
        await measure(kind, platform, ceiling);
        await ceiling.stop();
      }
    }

    app = await startBot('app', env);
    const rss0 = app.vmRssMB();
    for (const platform of ['slack', 'teams'] as const) {
      if (!wanted(platform)) continue;
      await measure('app', platform, app);
      const r = raiseRows(platform, runs[platform]);
      rows.push(...r.rows);
      results[`raise_${platform}`] = { ...runs[platform], ratios: r.ratios };
    }

    if (wanted('click')) {
      await slack.idle();
      const url = `${app.base}/slack/events`;
      if (cards.length === 0) {
        log('no triage cards yet: raising a few tickets for the click benchmark');
        await closedLoop(4, QUICK ? 2 : 4, 0, slackRaise(app, slack));
        await slack.idle();
      }
      const n = Math.min(cards.length, QUICK ? 20 : 30);
      log(`triage click x${n}`);
      const total: number[] = [];
      const acks: number[] = [];
      let errors = 0;
      for (const card of cards.slice(0, n)) {
        const updated = slack.waitFor(
          (c) => c.method === 'chat.update' && c.body.channel === 'C0TRIAGE' && c.body.ts === card.ts,
          60_000,
        );
        const started = performance.now();
        try {
          acks.push(
            await sendSigned(
              url,
              blockActions({ id: 'U0LEVEL1', name: 'Lee Lewis' }, 'C0TRIAGE', card.ts, card.button),
              true,
            ),
          );
          await updated;
          total.push(performance.now() - started);
        } catch (err) {
          errors++;
          log(`click failed: ${(err as Error).message}`);
          updated.catch(() => undefined);
        }
      }
      const p = percentiles(total);
      const a = percentiles(acks);
      results.click = { clickToCardUpdate: p, ack: a, errors };
      rows.push({
        section: 'triage click',
        figure: 'block_actions → chat.update p50/p99 ms (ack p50/p99)',
        value: `${p.p50}/${p.p99} (${a.p50}/${a.p99})${errors ? ` ${errors} errors` : ''}`,
      });
    }

    if (wanted('slack') || wanted('teams') || wanted('click')) {
      const m = await app.ask<{ rssMB: number; heapUsedMB: number } & Record<string, unknown>>('mem');
      const rss = app.vmRssMB();
      results.memoryAfterRaise = { vmRssMB: r1(rss), heapUsedMB: r1(m.heapUsedMB), rssAtStartMB: r1(rss0), detail: m };
      rows.push({
        section: 'memory',
        figure: 'bot after the raise runs: RSS / heap used MB',
        value: `${r1(rss)} / ${r1(m.heapUsedMB)} (RSS at start ${r1(rss0)})`,
        target: rss < 250 ? '<250 MB ✓' : '<250 MB ✗',
      });
    }

    if (wanted('sweep')) await sweepBench(app, uri, policy);
    if (wanted('h2') && !process.env.MONGODB_URI) await h2Bench(policy);
    if (wanted('search')) {
      const size = SIZES[SIZES.length - 1] ?? 100_000;
      log(`search: ${size} tickets`);
      const r = await searchBench(`${server}${dbName}_search`, policy, size, log);
      results.search = { size, ...r };
      rows.push({
        section: 'search',
        figure: `seed ${size} tickets (with terms)`,
        value: `${Math.round(r.seedMs)} ms`,
      });
      for (const row of r.rows)
        rows.push({
          section: 'search',
          figure: `${size} tickets: ${row.search}: use case ms (matches)`,
          value: `${row.useCaseMs} (${row.matches})`,
          ceiling: `${row.rawQueryMs} raw find, ${row.candidates} read`,
        });
      rows.push({ section: 'search', figure: 'explain', value: r.explain });
    }
  } finally {
    await app?.stop().catch(() => undefined);
    await slack.stop();
    await connector.stop();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  results.totalSeconds = Math.round((Date.now() - t0) / 1000);
  results.table = rows;
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable();
}

/**
 * The H2 backend (what `npm start` uses) at each sweep size: the same bench tickets inserted into a server of its
 * own; its resident memory, its file on disk, the due-range query and a version-checked save by `_id`.
 */
async function h2Bench(policy: ReturnType<typeof loadPolicy>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-bench-h2-'));
  const h2 = await startJavaServer({ dataDir, backend: 'h2', log });
  const client = await MongoClient.connect(`${h2.uri}helpline_bench_h2`, { maxPoolSize: 1 });
  const tickets = client.db().collection('tickets');
  const factory = ticketFactory(policy);
  const out: Array<Record<string, unknown>> = [];
  let inserted = 0;
  try {
    await tickets.insertMany(factory.due(100) as never[]);
    for (const size of SIZES) {
      if (remainingS() < 30) {
        out.push({ size, skipped: 'out of time' });
        continue;
      }
      log(`h2 ${size}: inserting ${size - 100 - inserted}`);
      for (let i = inserted; i < size - 100; i += 1000)
        await tickets.insertMany(factory.notDue(i, Math.min(size - 100, i + 1000)) as never[], { ordered: false });
      inserted = Math.max(inserted, size - 100);
      let t = performance.now();
      const due = await tickets
        .find({ nextCheckAt: { $lte: SWEEP_NOW } })
        .limit(500)
        .toArray();
      const rawQueryMs = performance.now() - t;
      const first = due[0] as { _id: string; version: number } | undefined;
      t = performance.now();
      for (let i = 0; i < 20; i++)
        await tickets.findOneAndUpdate({ _id: first?._id, version: first?.version } as never, { $set: { bench: i } });
      const saveMs = (performance.now() - t) / 20;
      await new Promise((r) => setTimeout(r, 1500)); // H2 commits in the background about every second
      const diskMB =
        fs.readdirSync(dataDir).reduce((sum, f) => sum + fs.statSync(path.join(dataDir, f)).size, 0) / 2 ** 20;
      const row = {
        size,
        rssMB: r1(vmRssMB(h2.pid)),
        diskMB: r1(diskMB),
        rawQueryMs: r1(rawQueryMs),
        saveMs: r1(saveMs),
      };
      out.push(row);
      rows.push({
        section: 'local database',
        figure: `H2 backend with ${size} tickets: RSS / disk MB; due query / save ms`,
        value: `${row.rssMB} / ${row.diskMB}; ${row.rawQueryMs} / ${row.saveMs}`,
      });
    }
    results.h2 = out;
  } finally {
    await client.close();
    await h2.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sweepBench(app: Bot, uri: string, policy: ReturnType<typeof loadPolicy>): Promise<void> {
  const client = await MongoClient.connect(uri, { maxPoolSize: 1 });
  const db = client.db();
  const tickets = db.collection('tickets');
  const factory = ticketFactory(policy);
  const dueDocs = factory.due(100);
  const dueIds = dueDocs.map((d) => d._id);
  const out: Array<Record<string, unknown>> = [];
  let inserted = 0;
  let insertMs = 0;
  let lastRawMsPerDoc = 0;
  let sweepable = true;
  let memoryDone = false;
  try {
    for (const size of SIZES) {
      // Grow the collection to `size` bench tickets (100 of them due), keeping what is there.
      const target = size - 100;
      const projectedInsert = inserted > 0 ? (insertMs / inserted) * (target - inserted) : 0;
      const projectedQuery = lastRawMsPerDoc * size;
      if (out.length > 0 && (projectedInsert + 2 * projectedQuery) / 1000 > remainingS()) {
        log(`sweep ${size}: skipped (projected ${Math.round((projectedInsert + 2 * projectedQuery) / 1000)} s)`);
        out.push({ size, skipped: `projected ${Math.round((projectedInsert + 2 * projectedQuery) / 1000)} s` });
        continue;
      }
      log(`sweep ${size}: inserting ${target - inserted}`);
      let t = performance.now();
      for (let i = inserted; i < target; i += 1000) {
        await tickets.insertMany(factory.notDue(i, Math.min(target, i + 1000)) as never[], { ordered: false });
      }
      insertMs += performance.now() - t;
      inserted = Math.max(inserted, target);

      // Exactly 100 due: fresh copies of the same due tickets (what an earlier sweep changed is put back).
      for (const id of dueIds) await tickets.deleteOne({ _id: id as never });
      await db.collection('outbox').deleteMany({ ticket: { $in: dueIds } });
      await db.collection('ticket_events').deleteMany({ ticket: { $in: dueIds } });
      await tickets.insertMany(structuredClone(dueDocs) as never[]);
      const count = await tickets.countDocuments({});

      t = performance.now();
      const raw = await tickets
        .find({ nextCheckAt: { $lte: SWEEP_NOW } })
        .limit(500)
        .toArray();
      const rawMs = performance.now() - t;
      lastRawMsPerDoc = rawMs / count;
      if (raw.length !== 100) throw new Error(`expected 100 due tickets, the raw query found ${raw.length}`);

      if (wanted('reports')) {
        const rep = await reportsBench(uri, policy, SWEEP_NOW);
        const perPipeline = rep.reportMs / rep.pipelines;
        out.push({
          size,
          reportMs: r1(rep.reportMs),
          reportPipelines: rep.pipelines,
          reportRawAggregationMs: r1(rep.rawMs),
        });
        rows.push({
          section: 'reports',
          figure: `${size} tickets: whole dashboard ms (${rep.pipelines} pipelines; per pipeline)`,
          value: `${r1(rep.reportMs)} (${r1(perPipeline)})`,
          ceiling: `${r1(rep.rawMs)} raw aggregation`,
          ratio: `${(perPipeline / rep.rawMs).toFixed(2)}x per pipeline`,
        });
      }

      // Each save in the sweep repeats what the query costs on a server without the index (see README).
      const projectedSweep = rawMs * 3;
      if (!sweepable) {
        out.push({ size, ticketsInCollection: count, rawQueryMs: r1(rawMs) });
        rows.push({
          section: 'sla sweep',
          figure: `${size} tickets (100 due): raw query only`,
          value: '-',
          ceiling: `${r1(rawMs)} raw query`,
        });
        continue;
      }
      const timeoutMs = Math.min(SWEEP_CAP_S * 1000, Math.max(10_000, (remainingS() - 5) * 1000));
      log(`sweep ${size}: raw query ${Math.round(rawMs)} ms; sweeping (allowing ${Math.round(timeoutMs / 1000)} s)`);
      let sweep: { sweepMs: number; findDueMs: number; found: number; report: Record<string, number> } | null = null;
      let sweepError: string | undefined;
      try {
        sweep = await app.ask('sweep', timeoutMs);
      } catch (err) {
        sweepError = (err as Error).message;
      }
      const dbRssMB = r1(vmRssMB(dbPid));
      rows.push({
        section: 'local database',
        figure: `memory backend RSS with ${size} tickets`,
        value: `${dbRssMB} MB`,
      });
      const row = {
        size,
        ticketsInCollection: count,
        dbRssMB,
        rawQueryMs: r1(rawMs),
        ...(sweep
          ? { sweepMs: r1(sweep.sweepMs), findDueMs: r1(sweep.findDueMs), report: sweep.report }
          : { sweepError, projectedSweepMs: projectedSweep }),
      };
      out.push(row);
      rows.push({
        section: 'sla sweep',
        figure: `${size} tickets (100 due): one sweepSla ms`,
        value: sweep ? `${r1(sweep.sweepMs)} (findDue ${r1(sweep.findDueMs)})` : `not finished: ${sweepError}`,
        ceiling: `${r1(rawMs)} raw query`,
        ...(sweep
          ? { ratio: `${(sweep.sweepMs / rawMs).toFixed(2)}x`, target: sweep.sweepMs <= 2 * rawMs ? '≤2x ✓' : '≤2x ✗' }
          : {}),
      });
      if (!sweep) {
        // The sweep goes on in the bot and would slow every later query: measure memory now, then end the bot.
        await measureMemory(app, out);
        memoryDone = true;
        app.child.kill('SIGKILL');
        sweepable = false;
      }
    }
    const measured = out.filter((o) => typeof o.sweepMs === 'number') as Array<{ size: number; sweepMs: number }>;
    if (measured.length >= 2) {
      const first = measured[0] as { size: number; sweepMs: number };
      const last = measured[measured.length - 1] as { size: number; sweepMs: number };
      const growth = last.sweepMs / first.sweepMs - 1;
      rows.push({
        section: 'sla sweep',
        figure: `flatness ${first.size} → ${last.size}`,
        value: `${growth >= 0 ? '+' : ''}${Math.round(growth * 100)} %`,
        target: Math.abs(growth) <= 0.3 ? '±30 % ✓' : '±30 % ✗',
      });
    }
    const insertRate = inserted > 0 ? Math.round(inserted / (insertMs / 1000)) : 0;
    results.sweep = { sizes: out, insertedBenchTickets: inserted, insertPerSecond: insertRate };
    if (!memoryDone) await measureMemory(app, out);
    rows.push({ section: 'sla sweep', figure: 'raw insertMany tickets/s (setup)', value: String(insertRate) });
  } finally {
    await client.close();
  }
}

async function measureMemory(app: Bot, out: Array<Record<string, unknown>>): Promise<void> {
  const m = await app.ask<{ heapUsedMB: number }>('mem', 30_000).catch(() => null);
  const rss = app.vmRssMB();
  const biggest = Math.max(
    ...out.filter((o) => 'ticketsInCollection' in o).map((o) => o.ticketsInCollection as number),
  );
  results.memoryWithTickets = { tickets: biggest, vmRssMB: r1(rss), heapUsedMB: m ? r1(m.heapUsedMB) : null };
  rows.push({
    section: 'memory',
    figure: `bot with ${biggest} tickets in the db, during/after the sweep: RSS / heap used MB`,
    value: `${r1(rss)} / ${m ? r1(m.heapUsedMB) : '?'}`,
    target: rss < 250 ? '<250 MB ✓' : '<250 MB ✗',
  });
}

function printTable(): void {
  const head: Row = {
    section: 'section',
    figure: 'figure',
    value: 'value',
    ceiling: 'ceiling',
    ratio: 'ratio',
    target: 'target',
  };
  const cols = ['section', 'figure', 'value', 'ceiling', 'ratio', 'target'] as const;
  const all = [head, ...rows];
  const width = cols.map((c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: Row) => `| ${cols.map((c, i) => (r[c] ?? '').padEnd(width[i] ?? 0)).join(' | ')} |`;
  const m = results.machine as { cpus: number; cpuModel: string; node: string; date: string; mode: string };
  console.log(`\nHelpline benchmark (${m.mode}) — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.date}`);
  console.log(`database: ${JSON.stringify(results.database)}; total ${results.totalSeconds} s\n`);
  console.log(line(head));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`\nJSON: ${path.relative(process.cwd(), path.join(RESULTS, 'latest.json'))}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
