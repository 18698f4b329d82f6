/**
 * The local MongoDB-compatible server used when MONGODB_URI is unset (trying Helpline, development and tests).
 * Production runs on MongoDB 6+ (a replica set or Atlas) through MONGODB_URI.
 *
 * - A `mongod` on the PATH is preferred: it is the real thing.
 * - Otherwise mongo-java-server, built once with Maven from tools/mongo-server (see java-build.ts): the memory
 *   backend for tests and benchmarks, the H2 backend on `<dataDir>/helpline.mv.db` for `npm start` (data
 *   survives restarts). It listens on 127.0.0.1 only, on a free port, and exits when its standard input reaches
 *   end of file, so it goes away with the Node process that started it, even when that process is SIGKILLed.
 *
 * `npm run db:build` builds the server ahead of time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type BuildOptions, ensureJavaServer } from './java-build';
import { canConnect, findOnPath, forEachLine, freePort, OutputTail, sleep } from './processes';

export { ensureJavaServer, findJava, NO_LOCAL_DATABASE, parseJavaVersion, projectRoot } from './java-build';
export { findOnPath } from './processes';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** `memory`: fast, gone when stopped (tests, benchmarks). `h2`: one file under dataDir, kept (npm start). */
export type LocalBackend = 'memory' | 'h2';

export interface LocalMongoOptions extends BuildOptions {
  /** Database files go here (the H2 file, or mongod's dbpath); created if missing. */
  dataDir: string;
  backend: LocalBackend;
  /** A fixed port (default: a free one). Used to restart a server where clients expect it. */
  port?: number;
}

export interface LocalMongo {
  /** `mongodb://127.0.0.1:<port>/`, without a database name. */
  uri: string;
  kind: 'mongod' | 'mongo-java-server';
  /** The mongo-java-server backend (mongod keeps its data in dataDir). */
  backend?: LocalBackend;
  /** Process id of the server. */
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a local server; see the module comment for which one. */
export async function startLocalMongo(opts: LocalMongoOptions): Promise<LocalMongo> {
  const log = opts.log ?? (() => {});
  fs.mkdirSync(opts.dataDir, { recursive: true });

  const mongod = findOnPath('mongod');
  if (mongod !== undefined) return startMongod(mongod, opts.dataDir, log, opts.port);
  return startJavaServer(opts);
}

/** Starts mongo-java-server even when a mongod is on the PATH (tests that cover both backends). */
export async function startJavaServer(opts: LocalMongoOptions): Promise<LocalMongo> {
  const log = opts.log ?? (() => {});
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const { java, classpath } = await ensureJavaServer(opts);
  const storage = opts.backend === 'h2' ? ['--h2', path.resolve(opts.dataDir, 'helpline.mv.db')] : ['--memory'];
  const args = ['-XX:+ExitOnOutOfMemoryError', '-cp', classpath, 'helpline.localdb.LocalMongoServer'];
  const child = spawn(java, [...args, '--port', String(opts.port ?? 0), ...storage], {
    // stdin stays an open pipe: the server exits when it reaches EOF, i.e. when this process goes away.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const tail = new OutputTail();
  forEachLine(child.stderr, (line) => tail.push(line));

  const uri = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (msg: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`local mongo-java-server: ${msg}\n${tail}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    forEachLine(child.stdout, (line) => {
      const m = /^READY (mongodb:\/\/\S+)$/.exec(line.trim());
      if (m?.[1] === undefined || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(m[1]);
    });
    child.once('error', (err) => fail(`cannot start ${java}: ${err.message}`));
    // 'close' rather than 'exit': by then stderr has been read to the end.
    child.once('close', (code, signal) => fail(`exited before it was ready (${signal ?? `exit code ${code}`})`));
  });

  const where = opts.backend === 'h2' ? `data in ${storage[1]}` : 'in memory';
  log(`Local database: mongo-java-server at ${uri} (${where})`);
  return supervise(child, 'mongo-java-server', uri, tail, log, opts.backend);
}

async function startMongod(
  mongod: string,
  dataDir: string,
  log: (msg: string) => void,
  fixedPort?: number,
): Promise<LocalMongo> {
  let lastError: Error | undefined;
  // The free port is found before mongod binds it, so another process may take it in between: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = fixedPort ?? (await freePort());
    const child = spawn(mongod, ['--dbpath', path.resolve(dataDir), '--bind_ip', '127.0.0.1', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = new OutputTail();
    tail.follow(child);
    let exited: string | undefined;
    child.once('error', (err) => {
      exited = `cannot start: ${err.message}`;
    });
    child.once('exit', (code, signal) => {
      exited ??= `exited before it was ready (${signal ?? `exit code ${code}`})`;
    });

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (exited === undefined && Date.now() < deadline && !(await canConnect(port))) await sleep(200);

    const uri = `mongodb://127.0.0.1:${port}/`;
    if (exited === undefined && Date.now() < deadline) {
      log(`Local database: mongod at ${uri} (data in ${dataDir})`);
      return supervise(child, 'mongod', uri, tail, log);
    }
    if (exited === undefined) {
      exited = `not accepting connections after ${READY_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }
    lastError = new Error(`local mongod (${mongod}): ${exited}\noutput:\n${tail}`);
    if (!/address already in use/i.test(String(tail))) break;
  }
  throw lastError ?? new Error('local mongod did not start');
}

/** Wraps a ready server process: reports unexpected exits, provides stop(), and stops pinning the event loop. */
function supervise(
  child: ChildProcess,
  kind: LocalMongo['kind'],
  uri: string,
  tail: OutputTail,
  log: (msg: string) => void,
  backend?: LocalBackend,
): LocalMongo {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind} has no pid`);
  let stopping = false;
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', (code, signal) => {
      exited = true;
      if (!stopping) log(`${kind} at ${uri} exited unexpectedly (${signal ?? `exit code ${code}`}):\n${tail}`);
      resolve();
    });
  });

  // Neither the child nor its pipes keep this process alive; if it exits without stop(), the server sees EOF.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream instanceof net.Socket) stream.unref();
  }

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true;
      if (exited) return;
      child.ref();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exitPromise.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        log(`${kind} (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM; sending SIGKILL`);
        child.kill('SIGKILL');
        await exitPromise;
      }
      child.stdin?.destroy();
    })();
    return stopPromise;
  };

  return { uri, kind, pid, stop, ...(backend ? { backend } : {}) };
}

// `node dist/store/local-mongo/index.js --build` builds (or confirms) the cached server.
if (require.main === module) {
  if (process.argv.includes('--build')) {
    ensureJavaServer({ log: (msg) => console.error(msg) }).then(
      (build) => console.log(build.classpath.split(path.delimiter)[0]),
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 1;
      },
    );
  } else {
    console.error('usage: node dist/store/local-mongo/index.js --build');
    process.exitCode = 2;
  }
}
