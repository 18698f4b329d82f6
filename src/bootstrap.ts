import { ensureAssignmentIndexes, MongoAssignmentStore } from './store/assignment.repository';
import './quiet-deprecations';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type restify from 'restify';
import { mountPlayground } from './adapters/playground/index';
import { mountSlack } from './adapters/slack/index';
import { mountTeams } from './adapters/teams/index';
import type { ClientDirectory } from './app/clients';
import type { AppDeps } from './app/context';
import type { DeflectionStore, DraftRepository, RateCounter, TicketSearchStore } from './app/ports';
import { createRateLimiter } from './app/rate-limit';
import type { DigestMarkStore, ReportAccessStore, ReportStore } from './app/reports/ports';
import { backfillSearchTerms } from './app/search-tickets';
import { reloadTriageModel, type TriageModelStore } from './app/triage-learning';
import { createClientDirectory } from './clients/index';
import { MovableClock, systemClock } from './clock';
import { loadClientsFile } from './config/clients';
import { type Env, parseEnv, playgroundOn, startupWarnings } from './config/env';
import { DEFAULT_POLICY_FILE, loadPolicy } from './config/policy';
import type { Policy } from './config/policy.schema';
import { loadSeedModel } from './config/triage-seed-model';
import { armCrashSwitch } from './crash-switch';
import type { Clock } from './domain/clock';
import { createKnowledge, type Knowledge } from './domain/knowledge/match';
import { createLearningTriage, type LearningTriage } from './domain/routing/learned-triage';
import { createTriage } from './domain/routing/triage';
import { createBusinessCalendar } from './domain/sla/business-calendar';
import { createDirectory } from './domain/ticket/roles';
import { Inflight } from './inflight';
import { createLogger, type Logger } from './logger';
import { createNotifier, type Notifier } from './notify/notifier';
import type { OutboxStore } from './notify/outbox';
import { helplineJobs } from './scheduler/jobs';
import { createScheduler, type Scheduler } from './scheduler/registry';
import { connectStore } from './store/connection';
import { ensureDeflectionIndexes, MongoDeflectionStore } from './store/deflection.repository';
import { createRepositories } from './store/index';
import { type LocalMongo, projectRoot, startLocalMongo } from './store/local-mongo';
import type { Models } from './store/models';
import { createOutboxStore, ensureOutboxIndexes } from './store/outbox.repository';
import { ensureRateCounterIndexes, MongoRateCounter } from './store/rate-counter.repository';
import {
  ensureReportAccessIndexes,
  MongoDigestMarkStore,
  MongoReportAccessStore,
} from './store/report-access.repository';
import { MongoReportStore } from './store/reports.repository';
import { shareClock } from './store/shared-clock';
import { ensureTriageModelIndexes, MongoTriageModelStore } from './store/triage-model.repository';
import { mountReports } from './web/reports/routes';
import { closeServer, createServer, listen } from './web/server';
import { mountTestRoutes } from './web/test-routes';

/** Everything the adapters and jobs are given. */
export interface App extends AppDeps {
  env: Env;
  log: Logger;
  /** The rules, and beside them the desk's learned model once one is active (see app/triage-learning.ts). */
  triage: LearningTriage;
  /** The learned triage model's versions. */
  triageModels: TriageModelStore;
  /** The policy's knowledge articles, compiled (answers before tickets). */
  knowledge: Knowledge;
  /** Requests a knowledge article answered ("Did this solve it?" → Yes). */
  deflections: DeflectionStore;
  outbox: OutboxStore;
  /** Intake drafts per user, so a multi-turn intake survives a restart. */
  drafts: DraftRepository;
  /** The tickets' search index (`search <words>`). */
  ticketSearch: TicketSearchStore;
  /** The store's mongoose models (adapters keep their own collections, e.g. Teams conversation references). */
  models: Models;
  /** Work that outlives its request (Slack listeners, scheduled jobs), finished before shutdown closes the database. */
  inflight: Inflight;
  /** Wake the notifier: a change was saved and its notices should go out now. */
  kick(): void;
  /** The dashboard's aggregations, its link tokens and sessions, and the digest's mark. */
  reports: ReportStore;
  reportAccess: ReportAccessStore;
  digestMarks: DigestMarkStore;
  /** REPORTS_SECRET, or a random one for this process. */
  reportsSecret: string;
  /** This bot's public base URL (PUBLIC_URL, else http://localhost:<bound port>), for links in chat. */
  publicUrl(): string;
  /** The client directory: the policy's YAML (or CLIENTS_FILE), or HubSpot. */
  clients: ClientDirectory;
  /** Per-person rate counters (housekeeping purges ended windows). */
  rateCounter: RateCounter;
  /** Whether the database connection is up right now (the driver's view; no round trip). */
  storeUp(): boolean;
}

export interface Helpline {
  app: App;
  server: restify.Server;
  port: number;
  url: string;
  scheduler: Scheduler;
  notifier: Notifier;
  /** Stop accepting, finish in-flight work, close the database, stop the local server. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** A policy object instead of POLICY_FILE (tests). */
  policy?: Policy;
  clock?: Clock;
  logger?: Logger;
  /** The notifier's delivery lease (default 60 s; tests shorten it). */
  deliveryLeaseMs?: number;
}

/**
 * No Slack and no Teams app configured, in development, playground on: the local playground is the only
 * platform, so the policy's channels and direct messages are shown there. (Tests run with NODE_ENV=test and
 * keep the policy as written unless they ask for development.)
 */
export function playgroundOnly(env: Env): boolean {
  return playgroundOn(env) && !env.SLACK_BOT_TOKEN && !env.MicrosoftAppId && env.NODE_ENV === 'development';
}

/** The policy with every channel and direct message pointed at the playground. */
export function onPlayground(policy: Policy): Policy {
  const channels = Object.fromEntries(
    Object.entries(policy.channels).map(([k, c]) => [k, { ...c, platform: 'playground' as const }]),
  ) as Policy['channels'];
  const people = Object.fromEntries(
    Object.entries(policy.people).map(([id, p]) => [
      id,
      p.accounts.playground ? { ...p, notify: 'playground' as const } : p,
    ]),
  );
  return { ...policy, channels, people };
}

/** Wiring only: config → store → server → adapters → scheduler. */
export async function startHelpline(opts: StartOptions = {}): Promise<Helpline> {
  const env = parseEnv(opts.env ?? process.env);
  if (env.HELPLINE_CRASH_AT) armCrashSwitch(env.HELPLINE_CRASH_AT); // test builds only: refused in production
  const log =
    opts.logger ??
    createLogger(env.LOG_LEVEL, {
      secrets: [
        env.SLACK_BOT_TOKEN,
        env.SLACK_APP_TOKEN,
        env.SLACK_SIGNING_SECRET,
        env.MicrosoftAppPassword,
        env.HUBSPOT_TOKEN,
        env.REPORTS_SECRET,
        env.HEALTH_DETAIL_TOKEN,
      ],
    });
  const fromFile = opts.policy ?? loadPolicy(env.POLICY_FILE ?? DEFAULT_POLICY_FILE);
  const loaded = env.CLIENTS_FILE ? { ...fromFile, clients: loadClientsFile(env.CLIENTS_FILE, fromFile) } : fromFile;
  const policy = playgroundOnly(env) ? onPlayground(loaded) : loaded;
  const clock = opts.clock ?? (env.HELPLINE_TEST_CLOCK ? new MovableClock() : systemClock);

  let local: LocalMongo | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    const dataDir = path.resolve(projectRoot(), env.DATA_DIR);
    local = await startLocalMongo({ dataDir, backend: 'h2', log: (msg) => log.info(msg) });
    uri = `${local.uri}helpline`;
    log.info({ kind: local.kind, dataDir }, 'local database started');
  }
  const abort = new AbortController();
  let store: Awaited<ReturnType<typeof connectStore>>;
  try {
    store = await connectStore(uri, { log, signal: abort.signal });
  } catch (err) {
    await local?.stop();
    throw err;
  }
  // A test clock of this process's own (opts.env) is shared with the other replicas through the database.
  const shared =
    opts.clock === undefined && clock instanceof MovableClock
      ? shareClock(clock, store.connection, (err) =>
          log.warn({ err: err.message }, 'reading the shared test clock failed'),
        )
      : undefined;
  await shared?.load();
  const repos = createRepositories(store);
  await ensureOutboxIndexes(store.connection);
  await ensureReportAccessIndexes(store.connection);
  const outbox = createOutboxStore(store.connection);
  await ensureRateCounterIndexes(store.connection);
  const rateCounter = new MongoRateCounter(store.connection);
  await ensureAssignmentIndexes(store.connection);
  await ensureDeflectionIndexes(store.connection);
  await ensureTriageModelIndexes(store.connection);
  const app: App = {
    env,
    log,
    policy,
    clock,
    calendar: createBusinessCalendar(policy.calendar),
    directory: createDirectory(policy),
    triage: createLearningTriage(createTriage(policy), policy, loadSeedModel(policy)),
    triageModels: new MongoTriageModelStore(store.connection),
    knowledge: createKnowledge(policy.knowledge),
    deflections: new MongoDeflectionStore(store.connection),
    ...repos,
    outbox,
    rateCounter,
    storeUp: () => store.isUp(),
    limiter: createRateLimiter({ counter: rateCounter, policy, clock, warn: (fields, msg) => log.warn(fields, msg) }),
    assignments: new MongoAssignmentStore(store.connection, repos.models),
    inflight: new Inflight(),
    kick: () => notifier?.kick(),
    reports: new MongoReportStore(repos.models),
    reportAccess: new MongoReportAccessStore(store.connection),
    digestMarks: new MongoDigestMarkStore(store.connection),
    reportsSecret: env.REPORTS_SECRET ?? randomBytes(32).toString('hex'),
    publicUrl: () => env.PUBLIC_URL ?? `http://localhost:${boundPort ?? env.PORT}`,
    clients: createClientDirectory(env, policy.clients, {
      now: () => clock.now().getTime(),
      warn: (fields, msg) => log.warn(fields, msg),
    }),
  };
  let boundPort: number | undefined;
  for (const line of startupWarnings(env)) log.warn(line);
  // Tickets saved before search existed get their terms in the background (idempotent, batched).
  void app.inflight.track(
    backfillSearchTerms(app).then(
      (n) => n > 0 && log.info({ tickets: n }, 'search terms backfilled'),
      (err: Error) => log.warn({ err: err.message }, 'search terms backfill stopped; it runs again at the next start'),
    ),
  );
  // The desk's learned triage model, when one is active: loaded in the background (the rules serve meanwhile).
  void app.inflight.track(
    reloadTriageModel(app).catch((err: Error) =>
      log.warn(
        { err: err.message },
        'loading the learned triage model failed; the rules serve alone until its reload job',
      ),
    ),
  );
  let notifier: Notifier | undefined;

  let draining = false;
  const server = createServer({
    log,
    limits: { perMinute: env.RATE_LIMIT_PER_MINUTE, webhooksPerMinute: env.RATE_LIMIT_WEBHOOKS_PER_MINUTE },
    now: () => clock.now().getTime(),
    ...(env.HEALTH_DETAIL_TOKEN ? { healthDetailToken: env.HEALTH_DETAIL_TOKEN } : {}),
    health: async () => {
      const db = await store.ping();
      // pending, dead (and by platform), and each platform's delivery circuit (closed / retrying / open)
      const outboxState = db.ok ? await outbox.health() : { pending: null, dead: null };
      return { ok: db.ok, database: db, outbox: outboxState, time: clock.now().toISOString() };
    },
    // Slack's Socket Mode state is shown but does not decide readiness: no Slack traffic comes through
    // the load balancer in Socket Mode, and Teams and the playground still work without it.
    ready: async () => {
      const db = await store.ping();
      const slack = slackAdapter?.socketState?.();
      return { ok: db.ok && !draining, draining, database: db, ...(slack ? { slack } : {}) };
    },
  });

  mountReports(server, app);
  const slackAdapter = await mountSlack(server, app);
  const adapters = [slackAdapter, await mountTeams(server, app), await mountPlayground(server, app)].filter(
    (a) => a !== null,
  );
  notifier = createNotifier({
    app,
    outbox,
    deliveries: adapters.map((a) => a.delivery),
    ...(opts.deliveryLeaseMs ? { leaseMs: opts.deliveryLeaseMs } : {}),
  });
  notifier.start();
  const activeNotifier = notifier;
  const scheduler: Scheduler = createScheduler(
    helplineJobs(app, outbox, () => activeNotifier.drain()),
    { timeZone: policy.calendar.timeZone, log, track: (work) => app.inflight.track(work) },
  );
  if (env.SCHEDULER_ENABLED) scheduler.start();
  if (env.HELPLINE_TEST_CLOCK && clock instanceof MovableClock) {
    mountTestRoutes(server, {
      clock,
      scheduler,
      drain: () => drainSettled(activeNotifier, outbox, clock),
      ...(shared ? { shared } : {}),
    });
  }

  const port = await listen(server, env.PORT, env.HOST);
  boundPort = port;
  const url = env.PUBLIC_URL ?? `http://localhost:${port}`;
  log.info({ port, url }, 'Helpline is listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      draining = true; // /readyz turns 503 first, so a load balancer stops sending new work here
      abort.abort();
      shared?.stop();
      await scheduler.stop();
      // Each step is bounded, so a stop ends well inside main.ts's 20 s even while a platform keeps failing (the Web
      // API client retrying a reply, a delivery in flight): what is left is safe, as after a crash (claims are taken
      // over, outbox leases run out, Slack sends unanswered requests again).
      await within(3_000, Promise.all([closeServer(server), slackAdapter?.stopReceiving?.()]), 'closing the server');
      // Slack listeners acked before their work finished, and a job may be mid-run: let them end.
      if (!(await app.inflight.idle(6_000))) log.warn({ left: app.inflight.size }, 'stopping with work still running');
      await within(3_000, notifier?.stop(), 'stopping the notifier');
      // What the last saves parked is moved now rather than by another replica's recovery.
      await within(2_000, app.tickets.moveSaved(), 'moving what the last saves parked');
      for (const a of adapters)
        await within(
          2_000,
          a.stop().catch((err: Error) => log.warn({ err: err.message }, 'adapter stop failed')),
          'stopping an adapter',
        );
      await within(
        2_000,
        store.close().catch((err: Error) => log.warn({ err: err.message }, 'closing the database failed')),
        'closing the database',
      );
      await local?.stop();
      log.info('Helpline stopped');
    })();
    return stopping;
  };
  return { app, server, port, url, stop, scheduler, notifier: activeNotifier };

  /** Waits for `work` at most `ms`, then goes on (logged): a stop must end even when a step does not. */
  async function within(ms: number, work: Promise<unknown> | undefined, what: string): Promise<void> {
    if (!work) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, ms, 'late');
    });
    try {
      if ((await Promise.race([work.then(() => 'done' as const), late])) === 'late')
        log.warn({ ms }, `stopping: ${what} took longer than allowed; going on`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * For the test routes: deliver what is due, and keep at it while anything is due within a second (an item waiting
 * behind an older one to the same target, in flight on another replica), for at most 15 s in all: a run of the
 * notifier that keeps finding work (a platform failing, a long backlog) goes on in the background, and the route
 * answers with what was delivered by then rather than holding its request (and a graceful stop) open.
 */
async function drainSettled(notifier: Notifier, outbox: OutboxStore, clock: Clock): Promise<number> {
  const SOON_MS = 1_000;
  const deadline = Date.now() + 15_000;
  let total = 0;
  const drainUntilDeadline = async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<number>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), 0);
    });
    try {
      total += await Promise.race([notifier.drain(), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  await drainUntilDeadline();
  while (Date.now() < deadline && (await outbox.dueBy(new Date(clock.now().getTime() + SOON_MS)))) {
    await new Promise((r) => setTimeout(r, 100));
    await drainUntilDeadline();
  }
  return total;
}
