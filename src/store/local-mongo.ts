/**
 * The local MongoDB-compatible server used when MONGODB_URI is unset (development and tests).
 *
 * - A `mongod` on the PATH is preferred: it is the real thing.
 * - Otherwise FerretDB v1.24.2 (SQLite backend) is built once from tools/ferretdb with the Go toolchain and
 *   cached at `<project>/.cache/ferretdb/ferretdb-v1.24.2`. The FerretDB process exits when its stdin reaches
 *   EOF, so it goes away with the Node process that started it, even when that process is SIGKILLed.
 *
 * Run `node dist/store/local-mongo.js --build` (npm run db:build) to build the FerretDB binary ahead of time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** A build lock older than this is considered abandoned even if its owner pid is alive (pid reuse). */
const BUILD_LOCK_STALE_MS = 30 * 60_000;
const TAIL_LINES = 30;

export interface LocalMongoOptions {
  /** Database files go here; created if missing. */
  dataDir: string;
  /** Where the FerretDB binary is cached; default `<project>/.cache/ferretdb`. */
  cacheDir?: string;
  /** Progress messages (building, starting). */
  log?: (msg: string) => void;
  /** A fixed port (default: a free one). Used to restart a server where clients expect it. */
  port?: number;
}

export interface LocalMongo {
  /** `mongodb://127.0.0.1:<port>/`, without a database name. */
  uri: string;
  kind: 'mongod' | 'ferretdb';
  /** Process id of the server. */
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

let cachedRoot: string | undefined;

/** The directory holding package.json, found by walking up from this file (works from src/ and dist/). */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json found above ${__dirname}`);
    dir = parent;
  }
}

export function ferretdbSourceDir(): string {
  return path.join(projectRoot(), 'tools', 'ferretdb');
}

export function ferretdbBinaryPath(cacheDir?: string): string {
  return path.join(cacheDir ?? path.join(projectRoot(), '.cache', 'ferretdb'), `ferretdb-${FERRETDB_VERSION}`);
}

/** Absolute path of an executable found on the PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not there, or not executable
    }
  }
  return undefined;
}

/** Starts a local server; see the module comment for which one. */
export async function startLocalMongo(opts: LocalMongoOptions): Promise<LocalMongo> {
  const log = opts.log ?? (() => {});
  fs.mkdirSync(opts.dataDir, { recursive: true });

  const mongod = findOnPath('mongod');
  if (mongod !== undefined) return startMongod(mongod, opts.dataDir, log, opts.port);

  const binary = await ensureFerretdbBinary({ cacheDir: opts.cacheDir, log });
  return startFerretdb(binary, opts.dataDir, log, opts.port ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Building FerretDB

/** Hash of the Go sources, stored next to the binary so that edits to tools/ferretdb trigger a rebuild. */
function sourceHash(sourceDir: string): string | undefined {
  const hash = createHash('sha256');
  for (const name of ['go.mod', 'go.sum', 'main.go']) {
    try {
      hash
        .update(name)
        .update('\0')
        .update(fs.readFileSync(path.join(sourceDir, name)))
        .update('\0');
    } catch {
      return undefined; // sources not shipped (e.g. a deployed dist/): trust the cached binary
    }
  }
  return hash.digest('hex');
}

function isUpToDate(binary: string, stampFile: string, wanted: string | undefined): boolean {
  if (!fs.existsSync(binary)) return false;
  if (wanted === undefined) return true;
  try {
    return fs.readFileSync(stampFile, 'utf8').trim() === wanted;
  } catch {
    return false;
  }
}

/**
 * Returns the path of the FerretDB binary, building it with `go build` first if it is missing or out of date.
 * Builds write to a temporary file that is renamed into place, so concurrent builds cannot corrupt the cache;
 * a lock file makes a second process wait for the first build instead of duplicating it.
 */
export async function ensureFerretdbBinary(
  opts: { cacheDir?: string; log?: (msg: string) => void } = {},
): Promise<string> {
  const log = opts.log ?? (() => {});
  const binary = ferretdbBinaryPath(opts.cacheDir);
  const stampFile = `${binary}.sources-sha256`;
  const sourceDir = ferretdbSourceDir();
  const wanted = sourceHash(sourceDir);

  if (isUpToDate(binary, stampFile, wanted)) return binary;

  const go = findOnPath('go');
  if (go === undefined) {
    if (wanted !== undefined && fs.existsSync(binary)) {
      log(`tools/ferretdb changed but Go is not on the PATH; using the existing ${binary}`);
      return binary;
    }
    throw new Error(
      'No local database available: install MongoDB (mongod) or Go 1.24+ (to build the local FerretDB), ' +
        'or set MONGODB_URI to a MongoDB server.',
    );
  }
  if (wanted === undefined) throw new Error(`cannot build FerretDB: ${sourceDir} (go.mod, go.sum, main.go) is missing`);

  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const release = await acquireBuildLock(`${binary}.lock`, () => isUpToDate(binary, stampFile, wanted), log);
  if (release === undefined) return binary; // another process built it while we waited
  try {
    if (isUpToDate(binary, stampFile, wanted)) return binary;
    const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmpBinary = binary + suffix;
    const tmpStamp = stampFile + suffix;
    log(
      `Building the local database (FerretDB ${FERRETDB_VERSION}) from the Go module proxy; the first time takes a few minutes…`,
    );
    const started = Date.now();
    try {
      await runGoBuild(go, sourceDir, tmpBinary, log);
      fs.writeFileSync(tmpStamp, `${wanted}\n`);
      fs.renameSync(tmpBinary, binary);
      fs.renameSync(tmpStamp, stampFile);
    } finally {
      fs.rmSync(tmpBinary, { force: true });
      fs.rmSync(tmpStamp, { force: true });
    }
    log(`Built ${binary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return binary;
  } finally {
    release();
  }
}

function runGoBuild(go: string, sourceDir: string, output: string, log: (msg: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tail: string[] = [];
    const onLine = (line: string): void => {
      if (line.trim() === '') return;
      pushTail(tail, line);
      log(line);
    };
    const child = spawn(go, ['build', '-trimpath', '-buildvcs=false', '-o', output, '.'], {
      cwd: sourceDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    child.once('error', (err) => reject(new Error(`cannot run ${go}: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `go build of the local FerretDB failed (${signal ?? `exit code ${code}`}) in ${sourceDir}:\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

/**
 * Takes `lockFile` (created exclusively, holding our pid). While another live process holds it, polls until
 * `done()` says the binary is there (returns undefined) or the lock goes away. Returns the release function.
 */
async function acquireBuildLock(
  lockFile: string,
  done: () => boolean,
  log: (msg: string) => void,
): Promise<(() => void) | undefined> {
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    if (done()) return undefined;
    if (lockIsStale(lockFile)) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      log(`Waiting for another process to finish building FerretDB (lock ${lockFile})…`);
      announced = true;
    }
    await sleep(500);
  }
}

function lockIsStale(lockFile: string): boolean {
  try {
    const { mtimeMs } = fs.statSync(lockFile);
    if (Date.now() - mtimeMs > BUILD_LOCK_STALE_MS) return true;
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    // An empty lock file is being written right now.
    return Number.isInteger(pid) && pid > 0 && !processExists(pid);
  } catch (err) {
    return errorCode(err) !== 'ENOENT';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running the servers

async function startFerretdb(
  binary: string,
  dataDir: string,
  log: (msg: string) => void,
  port: number,
): Promise<LocalMongo> {
  const child = spawn(binary, ['-data', path.resolve(dataDir), '-listen', `127.0.0.1:${port}`], {
    // stdin stays an open pipe: FerretDB exits when it reaches EOF, i.e. when this process goes away.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrTail: string[] = [];
  forEachLine(child.stderr, (line) => pushTail(stderrTail, line));

  const uri = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (msg: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      const tail = stderrTail.length > 0 ? `\nstderr:\n${stderrTail.join('\n')}` : '';
      reject(new Error(`local FerretDB (${binary}): ${msg}${tail}`));
    };
    const timer = setTimeout(
      () => fail(`not ready after ${READY_TIMEOUT_MS / 1000} s (no READY line on stdout)`),
      READY_TIMEOUT_MS,
    );
    forEachLine(child.stdout, (line) => {
      const m = /^READY (mongodb:\/\/\S+)$/.exec(line.trim());
      if (m?.[1] === undefined || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(m[1].endsWith('/') ? m[1] : `${m[1]}/`);
    });
    child.once('error', (err) => fail(`cannot start: ${err.message}`));
    // 'close' rather than 'exit': by then stderr has been read to the end.
    child.once('close', (code, signal) => fail(`exited before it was ready (${signal ?? `exit code ${code}`})`));
  });

  log(`Local database: FerretDB ${FERRETDB_VERSION} at ${uri} (data in ${dataDir})`);
  return supervise(child, 'ferretdb', uri, stderrTail, log);
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
    const outputTail: string[] = [];
    forEachLine(child.stdout, (line) => pushTail(outputTail, line));
    forEachLine(child.stderr, (line) => pushTail(outputTail, line));
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
      return supervise(child, 'mongod', uri, outputTail, log);
    }
    if (exited === undefined) {
      exited = `not accepting connections after ${READY_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }
    lastError = new Error(`local mongod (${mongod}): ${exited}\noutput:\n${outputTail.join('\n')}`);
    if (!outputTail.some((l) => /address already in use/i.test(l))) break;
  }
  throw lastError ?? new Error('local mongod did not start');
}

/** Wraps a ready server process: reports unexpected exits, provides stop(), and stops pinning the event loop. */
function supervise(
  child: ChildProcess,
  kind: LocalMongo['kind'],
  uri: string,
  tail: string[],
  log: (msg: string) => void,
): LocalMongo {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind} has no pid`);
  let stopping = false;
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', (code, signal) => {
      exited = true;
      if (!stopping)
        log(`${kind} at ${uri} exited unexpectedly (${signal ?? `exit code ${code}`}):\n${tail.join('\n')}`);
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

  return { uri, kind, pid, stop };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
    buffered = '';
  });
}

function pushTail(tail: string[], line: string): void {
  tail.push(line);
  if (tail.length > TAIL_LINES) tail.shift();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// `node dist/store/local-mongo.js --build` builds (or confirms) the cached FerretDB binary.
if (require.main === module) {
  if (process.argv.includes('--build')) {
    ensureFerretdbBinary({ log: (msg) => console.error(msg) }).then(
      (binary) => console.log(binary),
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 1;
      },
    );
  } else {
    console.error('usage: node dist/store/local-mongo.js --build');
    process.exitCode = 2;
  }
}
