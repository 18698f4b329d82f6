/**
 * connectStore against the local test server: health, indexes, start-up retries, and an outage in the
 * middle (a TCP proxy in front of the server is stopped and started again) that the driver recovers from
 * by itself.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mongoose from 'mongoose';
import { StoreUnavailableError } from '../../../src/domain/errors';
import { connectStore, describeHost, type Store, type StoreLogger } from '../../../src/store/connection';
import { translateError } from '../../../src/store/errors';
import { createRepositories } from '../../../src/store/index';
import { type Models, syncModelIndexes } from '../../../src/store/models';
import { makeTicket } from './fixtures';

const serverUri = (): string => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set (the jest global setup starts the database)');
  return uri;
};
const dbName = () => `helpline_store_conn_${randomBytes(4).toString('hex')}`;

interface Logged {
  level: 'info' | 'warn' | 'error';
  msg: string;
  obj: object;
}
function recordingLog(): StoreLogger & { lines: Logged[] } {
  const lines: Logged[] = [];
  const at =
    (level: Logged['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg: msg ?? '' });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A TCP proxy to the test server that can be stopped (port dead, connections cut) and started again. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = this.port): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function target(): { host: string; port: number } {
  const m = /^mongodb:\/\/([^/:]+):(\d+)\//.exec(serverUri());
  if (!m?.[1] || !m[2]) throw new Error(`unexpected MONGODB_URI ${serverUri()}`);
  return { host: m[1], port: Number(m[2]) };
}

/** A port nobody listens on. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const address = s.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${what} did not happen within ${ms} ms${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
  );
}

describe('connectStore', () => {
  it('connects, syncs the indexes, reports isUp/ping, and closes', async () => {
    const log = recordingLog();
    const store = await connectStore(`${serverUri()}${dbName()}`, { log });
    try {
      expect(store.isUp()).toBe(true);
      const ping = await store.ping();
      expect(ping.ok).toBe(true);
      expect(ping.latencyMs).toEqual(expect.any(Number));
      expect(store.connection).not.toBe(mongoose.connection); // a dedicated connection, not the default one

      const db = store.connection.db;
      if (!db) throw new Error('no db');
      const collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
      expect(collections).toEqual(
        [
          'conversations',
          'counters',
          'drafts',
          'outbox',
          'outbox_queue',
          'process_heartbeats',
          'processed_events',
          'skipped_numbers',
          'ticket_events',
          'tickets',
        ].sort(),
      );
      const indexes = async (name: string) =>
        (await db.collection(name).listIndexes().toArray()).map((i) => [i.name, i.key]);
      expect(await indexes('tickets')).toEqual(
        expect.arrayContaining([
          ['nextCheckAt', { nextCheckAt: 1 }],
          ['status_statusChangedAt', { status: 1, statusChangedAt: 1 }],
          ['requester_updatedAt', { 'requester.platform': 1, 'requester.userId': 1, updatedAt: -1 }],
          ['open_queueAt_createdAt', { open: 1, queueAt: 1, createdAt: 1 }],
          ['resolvedAt', { resolvedAt: 1 }],
          ['hasPending', { hasPending: 1 }],
          ['clientId_createdAt', { clientId: 1, createdAt: 1 }],
          ['developmentRelease', { 'development.release': 1 }],
        ]),
      );
      expect(await indexes('outbox')).toEqual(
        expect.arrayContaining([['outbox_status_next', { status: 1, nextAttemptAt: 1 }]]),
      );
      expect(await indexes('outbox_queue')).toEqual(
        expect.arrayContaining([['outbox_queue_next', { nextAttemptAt: 1 }]]),
      );
      expect(await indexes('processed_events')).toEqual(expect.arrayContaining([['createdAt', { createdAt: 1 }]]));
      expect(await indexes('ticket_events')).toEqual(expect.arrayContaining([['ticket_at', { ticket: 1, at: 1 }]]));

      expect(store.connection.getClient().options.maxPoolSize).toBe(20);
      expect(log.lines.some((l) => l.level === 'info' && /database connected at 127\.0\.0\.1:\d+/.test(l.msg))).toBe(
        true,
      );

      // a second start-up on the same database finds the indexes in place
      const again = await connectStore(`${serverUri()}${store.connection.name}`, { log: recordingLog() });
      await again.close();
    } finally {
      await store.connection.dropDatabase();
      await store.close();
    }
    expect(store.isUp()).toBe(false);
    expect((await store.ping()).ok).toBe(false);
  });

  it('an index the server refuses fails start-up loudly, naming the collection and index', async () => {
    const store = await connectStore(`${serverUri()}${dbName()}`, { log: recordingLog() });
    try {
      const schema = new mongoose.Schema(
        { a: String },
        { collection: 'bad_things', autoIndex: false, autoCreate: false },
      );
      // A unique index over values that are already duplicated: every MongoDB-compatible server refuses it.
      schema.index({ a: 1 }, { name: 'bad_a', unique: true });
      const Bad = store.connection.model('BadThing', schema);
      await Bad.collection.insertMany([{ a: 'twice' }, { a: 'twice' }]);
      await expect(syncModelIndexes({ ...store.models, Bad } as unknown as Models)).rejects.toThrow(
        /cannot create the indexes of the "bad_things" collection \(bad_a \{"a":1\}\)/,
      );
    } finally {
      await store.connection.dropDatabase();
      await store.close();
    }
  });

  it('retries at start-up with a clear message until the signal aborts', async () => {
    const port = await deadPort();
    const log = recordingLog();
    const abort = new AbortController();
    const started = Date.now();
    const connecting = connectStore(`mongodb://127.0.0.1:${port}/helpline_dead`, {
      log,
      serverSelectionTimeoutMS: 300,
      retryDelayMs: 100,
      maxRetryDelayMs: 200,
      signal: abort.signal,
    });
    await eventually('two retry messages', async () => (log.lines.length >= 2 ? true : undefined), 5_000);
    abort.abort();
    await expect(connecting).rejects.toThrow(`stopped waiting for the database at 127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(log.lines[0]).toMatchObject({
      level: 'warn',
      msg: `database not reachable at 127.0.0.1:${port}, retrying in 0.1s`,
    });
    expect(log.lines[1]?.msg).toBe(`database not reachable at 127.0.0.1:${port}, retrying in 0.2s`);
  });

  it('waits for a database that comes up after start-up began', async () => {
    const { host, port } = target();
    const proxy = new TcpProxy(host, port);
    const proxyPort = await deadPort();
    const log = recordingLog();
    const connecting = connectStore(`mongodb://127.0.0.1:${proxyPort}/${dbName()}`, {
      log,
      serverSelectionTimeoutMS: 300,
      retryDelayMs: 100,
      maxRetryDelayMs: 100,
    });
    await eventually('a retry message', async () => (log.lines.length >= 1 ? true : undefined), 5_000);
    await proxy.start(proxyPort);
    const store = await connecting;
    try {
      expect(store.isUp()).toBe(true);
      expect(log.lines[0]?.msg).toMatch(/^database not reachable at 127\.0\.0\.1:\d+, retrying in 0\.1s$/);
    } finally {
      await store.connection.dropDatabase();
      await store.close();
      await proxy.stop();
    }
  });

  it('an outage gives StoreUnavailableError within seconds, and the driver reconnects by itself', async () => {
    const { host, port } = target();
    const proxy = new TcpProxy(host, port);
    await proxy.start();
    const log = recordingLog();
    let store: Store | undefined;
    try {
      store = await connectStore(`mongodb://127.0.0.1:${proxy.port}/${dbName()}`, {
        log,
        serverSelectionTimeoutMS: 1_000,
        heartbeatFrequencyMS: 500,
        pingTimeoutMS: 500,
      });
      const s = store;
      const repos = createRepositories(s);
      await repos.tickets.create({ ticket: makeTicket(1), events: [], notices: [] });

      await proxy.stop(); // the port is dead and every open connection is cut
      for (const call of [
        () => repos.tickets.get('SR-1'),
        () => repos.tickets.nextSeq(),
        () => repos.events.listFor('SR-1'),
      ]) {
        const started = Date.now();
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(6_000);
      }
      const down = await s.ping();
      expect(down.ok).toBe(false);
      expect(down.error).toEqual(expect.any(String));
      await eventually('isUp() false', async () => (s.isUp() ? undefined : true), 5_000);
      expect(log.lines.some((l) => l.level === 'warn' && /connection to 127\.0\.0\.1:\d+ lost/.test(l.msg))).toBe(true);

      await proxy.start(proxy.port); // the database is back, on the same address
      const t = await eventually('a read after the database came back', () => repos.tickets.get('SR-1'), 15_000);
      expect(t?.number).toBe('SR-1');
      await eventually('isUp() true', async () => (s.isUp() ? true : undefined), 5_000);
      expect((await s.ping()).ok).toBe(true);
      expect(log.lines.some((l) => l.level === 'info' && /restored/.test(l.msg))).toBe(true);
    } finally {
      if (store) {
        await store.connection.dropDatabase().catch(() => {});
        await store.close();
      }
      await proxy.stop();
    }
  }, 40_000);

  it('a connection that never reached its server gives StoreUnavailableError from a repository call', async () => {
    const port = await deadPort();
    const conn = mongoose.createConnection(`mongodb://127.0.0.1:${port}/helpline_dead`, {
      serverSelectionTimeoutMS: 500,
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
    });
    conn.on('error', () => {});
    const opening = conn.asPromise().catch(() => undefined);
    try {
      const repos = createRepositories(conn);
      const started = Date.now();
      await expect(repos.tickets.get('SR-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(repos.operations.begin('k', new Date())).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      await opening;
      await conn.close(true);
    }
  });
});

describe('translateError / describeHost', () => {
  it('maps unreachable-database errors to StoreUnavailableError and passes the rest through', () => {
    const selection = Object.assign(new Error('Server selection timed out after 5000 ms'), {
      name: 'MongoServerSelectionError',
    });
    expect(translateError(selection)).toBeInstanceOf(StoreUnavailableError);
    expect((translateError(selection) as Error & { cause?: unknown }).cause).toBe(selection);
    expect(translateError(Object.assign(new Error('x'), { name: 'MongoNetworkError' }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(translateError(Object.assign(new Error('x'), { name: 'MongoPoolClearedError' }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(translateError(Object.assign(new Error('shutting down'), { code: 91 }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    const dup = Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError', code: 11000 });
    expect(translateError(dup)).toBe(dup);
    const plain = new Error('boom');
    expect(translateError(plain)).toBe(plain);
  });

  it('describes the host list without credentials', () => {
    expect(describeHost('mongodb://user:secret@db1:27017,db2:27018/helpline?replicaSet=rs0')).toBe(
      'db1:27017,db2:27018',
    );
    expect(describeHost('mongodb+srv://u:p@cluster0.example.net/helpline')).toBe('cluster0.example.net');
    expect(describeHost('mongodb://127.0.0.1:27017/')).toBe('127.0.0.1:27017');
  });
});
