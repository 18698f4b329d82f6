/**
 * A bot process for the benchmark, started by main.ts with IPC (`node --expose-gc bench/run.js --child bot.ts <mode>`):
 *
 * - `app`: the real Helpline (startHelpline), configuration from the environment main.ts passes;
 * - `bare-slack`, `bare-teams`, `minimal-slack`, `minimal-teams`: the ceilings of a raise (bench/ceilings.ts).
 *
 * Messages from the parent: `mem` (resident and heap after gc), `sweep` (time one sweepSla at the benchmark's
 * instant, and the store's findDue alone), `stop`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import v8 from 'node:v8';
import mongoose from 'mongoose';
import pino from 'pino';
import { sweepSla } from '../src/app/scheduled-jobs';
import { type Helpline, startHelpline } from '../src/bootstrap';
import { isCeiling, startCeiling } from './ceilings';
import { SWEEP_NOW } from './tickets';

type Msg = { cmd: 'mem' | 'sweep' | 'breach' | 'trips' | 'stop'; id: number };

/**
 * BENCH_COUNT_TRIPS=1: every database command the app sends is counted by name and collection (`trips` answers
 * the counts since the last `trips` and starts again). Only this bot does it: it slows the driver down.
 * Each command is filed under who sent it, from the async stack of the store call that sent it: `delivery` (the
 * notifier: outbox claims, card rendering, App Home) or `request` (the handling of the platform's request itself).
 * `sequence` keeps them in order, each with the Helpline functions that sent it (BENCH_TRIPS_TRACE=1 prints it).
 */
const trips = new Map<string, number>();
const sequence: string[] = [];
const caller = new AsyncLocalStorage<string>();
/** Set for everything a notifier drain does (its reads shared between cards lose the notifier from their stack). */
const inDelivery = new AsyncLocalStorage<boolean>();
function callerOf(stack: string): string {
  return stack
    .split('\n')
    .filter((l) => /[/\\]src[/\\]/.test(l) && !l.includes('node_modules') && !l.includes('store/errors.ts'))
    .slice(0, 6)
    .map((l) =>
      l
        .trim()
        .replace(/^at (async )?/, '')
        .replace(/\(.*[/\\]src[/\\]/, '(')
        .replace(/:\d+\)$/, ')'),
    )
    .join(' < ');
}
function countDatabaseTrips(): void {
  Error.stackTraceLimit = 50;
  const m = mongoose.mongo;
  const protos = [m.Collection, m.FindCursor, m.AggregationCursor, Object.getPrototypeOf(m.FindCursor.prototype)];
  for (const proto of protos.map((p) => ('prototype' in p ? p.prototype : p)) as Array<Record<string, unknown>>)
    for (const name of Object.getOwnPropertyNames(proto)) {
      const original = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (name === 'constructor' || typeof original !== 'function') continue;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        const stack = caller.getStore() ?? new Error().stack ?? '';
        return caller.run(stack, () => (original as (...a: unknown[]) => unknown).apply(this, args));
      };
    }
  const create = mongoose.createConnection.bind(mongoose);
  mongoose.createConnection = ((uri: string, options: mongoose.ConnectOptions = {}) => {
    const conn = create(uri, { ...options, monitorCommands: true });
    conn.getClient().on('commandStarted', (e) => {
      const target = e.command[e.commandName];
      const stack = caller.getStore() ?? '';
      // After the answer: the notifier, and the move of what a save parked (store/parked-mover.ts, not awaited).
      const after = /[/\\]src[/\\](notify[/\\]|store[/\\]parked-mover)/.test(stack);
      const phase = inDelivery.getStore() || after ? 'delivery' : 'request';
      const key = `${phase}|${e.commandName}${typeof target === 'string' ? ` ${target}` : ''}`;
      trips.set(key, (trips.get(key) ?? 0) + 1);
      sequence.push(`${key.replace('|', ': ')} <- ${callerOf(stack)}`);
    });
    return conn;
  }) as typeof mongoose.createConnection;
}

const mode = process.argv[process.argv.length - 1];
const reply = (m: object) => process.send?.(m);

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  // What the resident memory is made of: V8's spaces as committed (what the heap holds on to after gc), the memory
  // outside the heap that V8 knows of (buffers), and the rest (code, the allocator's arenas, native modules).
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((s) => [s.space_name, { committedMB: mb(s.physical_space_size), usedMB: mb(s.space_used_size) }]),
  );
  return {
    rssMB: m.rss / 2 ** 20,
    heapUsedMB: m.heapUsed / 2 ** 20,
    heapTotalMB: m.heapTotal / 2 ** 20,
    externalMB: mb(m.external),
    arrayBuffersMB: mb(m.arrayBuffers),
    spaces,
  };
}

async function main(): Promise<void> {
  let helpline: Helpline | undefined;
  let stop: () => Promise<void>;
  let port: number;
  if (mode === 'app') {
    if (process.env.BENCH_COUNT_TRIPS === '1') countDatabaseTrips();
    helpline = await startHelpline({ logger: pino({ level: 'silent' }) });
    if (process.env.BENCH_COUNT_TRIPS === '1') {
      const notifier = helpline.notifier;
      const drain = notifier.drain.bind(notifier);
      notifier.drain = () => inDelivery.run(true, drain);
    }
    port = helpline.port;
    stop = () => (helpline as Helpline).stop();
  } else if (isCeiling(mode)) ({ port, stop } = await startCeiling(mode));
  else throw new Error(`unknown mode ${mode}`);

  process.on('message', async (m: Msg) => {
    try {
      if (m.cmd === 'mem') reply({ id: m.id, ...memory() });
      else if (m.cmd === 'trips') {
        reply({ id: m.id, trips: Object.fromEntries(trips), sequence: [...sequence] });
        trips.clear();
        sequence.length = 0;
      } else if (m.cmd === 'breach') {
        // One sweep at the benchmark's instant with the notifier left running (trips: the breach's notices too).
        if (!helpline) throw new Error('breach needs the app');
        const report = await sweepSla({ ...helpline.app, clock: { now: () => new Date(SWEEP_NOW) } });
        helpline.app.kick();
        reply({ id: m.id, report });
      } else if (m.cmd === 'sweep') {
        if (!helpline) throw new Error('sweep needs the app');
        const app = helpline.app;
        // The sweep is timed alone: the notifier's deliveries (measured by the triage click) would
        // otherwise share the database connection with it.
        await helpline.notifier.stop();
        const deps = { ...app, clock: { now: () => new Date(SWEEP_NOW) } };
        let t = performance.now();
        const due = await app.tickets.findDue(SWEEP_NOW, 500);
        const findDueMs = performance.now() - t;
        t = performance.now();
        const report = await sweepSla(deps);
        const sweepMs = performance.now() - t;
        reply({ id: m.id, sweepMs, findDueMs, found: due.length, report });
      } else if (m.cmd === 'stop') {
        await stop();
        reply({ id: m.id });
        process.exit(0);
      }
    } catch (err) {
      reply({ id: m.id, error: (err as Error).stack ?? String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ ready: true, port });
}

main().catch((err: Error) => {
  reply({ ready: false, error: err.stack ?? err.message });
  process.exit(1);
});
