/**
 * The database connection: one dedicated mongoose connection (never mongoose's global default), opened with
 * start-up retries, models registered and indexes synced before anything uses it.
 *
 * After start-up the MongoDB driver reconnects by itself when the server comes back: nothing here restarts
 * anything. While the server is away, commands are not buffered (`bufferCommands: false`): each one waits at
 * most `serverSelectionTimeoutMS` for a server and then fails, and the repositories turn that into
 * StoreUnavailableError, so a user hears "try again in a minute" within seconds rather than waiting.
 */
import mongoose, { type Connection } from 'mongoose';
import { isUnavailableError } from './errors';
import { type Models, registerModels, syncModelIndexes } from './models';

/** A pino-like logger: `log.warn({ ...context }, 'message')`. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ConnectOptions {
  log: StoreLogger;
  /** How long one command waits for a reachable server before failing (default 5000). */
  serverSelectionTimeoutMS?: number;
  /** Default 5000. */
  connectTimeoutMS?: number;
  /** Default 30000. */
  socketTimeoutMS?: number;
  /** Default 20. */
  maxPoolSize?: number;
  /** How often the driver checks the server (driver default 10000); lower it to notice an outage sooner. */
  heartbeatFrequencyMS?: number;
  /** Start-up retries stop when this aborts (connectStore then rejects). */
  signal?: AbortSignal;
  /** First start-up retry delay, doubled after each failure up to maxRetryDelayMs (defaults 1000 and 30000). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** ping() gives up after this long (default 2000). */
  pingTimeoutMS?: number;
  /** Sync the indexes at start-up (default true). */
  syncIndexes?: boolean;
}

export interface PingResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

export interface Store {
  connection: Connection;
  models: Models;
  /** host[:port] list of the URI, without credentials (for messages). */
  host: string;
  /** The logger given to connectStore (createRepositories reports late flush failures to it). */
  log: StoreLogger;
  /** Whether the driver currently sees the server (connected / disconnected events). */
  isUp(): boolean;
  /** An active round trip, for /healthz; never throws. */
  ping(): Promise<PingResult>;
  close(): Promise<void>;
}

const DEFAULTS = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 30_000,
  maxPoolSize: 20,
  retryDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  pingTimeoutMS: 2_000,
};

/** The host list of a MongoDB URI, without scheme, credentials, database or options. */
export function describeHost(uri: string): string {
  const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const hosts = afterScheme.split(/[/?]/, 1)[0] ?? '';
  const at = hosts.lastIndexOf('@');
  return (at >= 0 ? hosts.slice(at + 1) : hosts) || uri;
}

function formatDelay(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function abortError(signal: AbortSignal, host: string): Error {
  const reason: unknown = signal.reason;
  const err = new Error(
    `stopped waiting for the database at ${host}${reason instanceof Error ? `: ${reason.message}` : ''}`,
  );
  err.name = 'AbortError';
  return err;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves with `p`, or with `onTimeout()` after `ms` (p's later rejection is swallowed). */
function within<T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Opens one connection; rejects with the driver's error (the connection is closed again). */
async function openOnce(uri: string, options: mongoose.ConnectOptions, signal?: AbortSignal): Promise<Connection> {
  const conn = mongoose.createConnection(uri, options);
  // Errors surface through asPromise() and through each command; an 'error' event without a listener
  // would crash the process.
  conn.on('error', () => {});
  try {
    if (signal === undefined) return await conn.asPromise();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason ?? new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([conn.asPromise(), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  } catch (err) {
    await conn.close(true).catch(() => {});
    throw err;
  }
}

/**
 * Connects to `uri` (a full MongoDB URI including the database name), retrying at start-up until the server
 * answers or `opts.signal` aborts; then registers the models and syncs their indexes. Errors that retrying
 * cannot fix (a malformed URI, bad credentials, an index the server refuses) are thrown at once.
 */
export async function connectStore(uri: string, opts: ConnectOptions): Promise<Store> {
  const { log, signal } = opts;
  const host = describeHost(uri);
  const retryDelayMs = opts.retryDelayMs ?? DEFAULTS.retryDelayMs;
  const maxRetryDelayMs = opts.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs;
  const options: mongoose.ConnectOptions = {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? DEFAULTS.serverSelectionTimeoutMS,
    connectTimeoutMS: opts.connectTimeoutMS ?? DEFAULTS.connectTimeoutMS,
    socketTimeoutMS: opts.socketTimeoutMS ?? DEFAULTS.socketTimeoutMS,
    maxPoolSize: opts.maxPoolSize ?? DEFAULTS.maxPoolSize,
    ...(opts.heartbeatFrequencyMS !== undefined ? { heartbeatFrequencyMS: opts.heartbeatFrequencyMS } : {}),
    appName: 'helpline',
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  };

  let failures = 0;
  /** After a failed attempt: rethrow what retrying cannot fix, else say so and wait. */
  const waitBeforeRetry = async (err: unknown): Promise<void> => {
    if (signal?.aborted) throw abortError(signal, host);
    if (!isUnavailableError(err)) throw err;
    const delay = Math.min(retryDelayMs * 2 ** failures, maxRetryDelayMs);
    failures++;
    log.warn(
      { host, attempt: failures, err: message(err) },
      `database not reachable at ${host}, retrying in ${formatDelay(delay)}`,
    );
    await sleep(delay, signal);
  };

  let conn: Connection | undefined;
  while (conn === undefined) {
    if (signal?.aborted) throw abortError(signal, host);
    try {
      conn = await openOnce(uri, options, signal);
    } catch (err) {
      await waitBeforeRetry(err);
    }
  }

  const connection = conn;
  let up = connection.readyState === mongoose.ConnectionStates.connected;
  let closing = false;
  connection.on('connected', () => {
    up = true;
  });
  connection.on('reconnected', () => {
    up = true;
    log.info({ host }, `database connection to ${host} restored`);
  });
  connection.on('disconnected', () => {
    if (up && !closing) log.warn({ host }, `database connection to ${host} lost; the driver reconnects by itself`);
    up = false;
  });
  connection.on('close', () => {
    up = false;
  });

  const models = registerModels(connection);
  if (opts.syncIndexes !== false) {
    try {
      const dropped = await syncModelIndexes(models);
      if (dropped.length > 0) log.warn({ host, dropped }, `dropped indexes no schema declares: ${dropped.join(', ')}`);
    } catch (err) {
      log.error({ host, err: message(err) }, `database at ${host}: ${message(err)}`);
      closing = true;
      await connection.close(true).catch(() => {});
      throw err;
    }
  }
  log.info({ host }, `database connected at ${host}`);

  const pingTimeoutMS = opts.pingTimeoutMS ?? DEFAULTS.pingTimeoutMS;
  return {
    connection,
    models,
    host,
    log,
    isUp: () => up,
    async ping(): Promise<PingResult> {
      const db = connection.db;
      if (db === undefined) return { ok: false, error: 'not connected' };
      const started = performance.now();
      try {
        return await within(
          db
            .admin()
            .command({ ping: 1 })
            .then((): PingResult => ({ ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 })),
          pingTimeoutMS,
          (): PingResult => ({ ok: false, error: `no answer within ${pingTimeoutMS} ms` }),
        );
      } catch (err) {
        return { ok: false, error: message(err) };
      }
    },
    async close(): Promise<void> {
      closing = true;
      await connection.close();
    },
  };
}
