import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import {
  ensureJavaServer,
  findOnPath,
  type LocalMongo,
  NO_LOCAL_DATABASE,
  parseJavaVersion,
  projectRoot,
  startJavaServer,
  startLocalMongo,
} from '../../src/store/local-mongo';

// This file tests the local server itself, so it starts its own instances even when MONGODB_URI is set.
const hasMongod = findOnPath('mongod') !== undefined;

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** True while the process exists and is not a zombie (an orphan may wait a while to be reaped). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // gone between the two checks
  }
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid);
}

function expectNoSuchProcess(pid: number): void {
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
}

const itemSchema = new mongoose.Schema({ key: { type: String, required: true, unique: true }, n: Number });

async function withConnection<T>(uri: string, work: (conn: mongoose.Connection) => Promise<T>): Promise<T> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    return await work(conn);
  } finally {
    await conn.close();
  }
}

let server: LocalMongo;

beforeAll(async () => {
  server = await startLocalMongo({ dataDir: tempDir('helpline-localmongo-a-'), backend: 'memory' });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('startLocalMongo', () => {
  it('serves a URI without a database name and round-trips a document through mongoose', async () => {
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.kind).toBe(hasMongod ? 'mongod' : 'mongo-java-server');

    await withConnection(`${server.uri}helpline_localmongo_test`, async (conn) => {
      const Item = conn.model('Item', itemSchema);
      await Item.init();
      await new Item({ key: 'round-trip', n: 42 }).save();
      expect(await Item.findOne({ key: 'round-trip' }).lean()).toMatchObject({ key: 'round-trip', n: 42 });
      await expect(Item.create({ key: 'round-trip', n: 1 })).rejects.toMatchObject({ code: 11000 });
      expect(await Item.countDocuments({ key: 'round-trip' })).toBe(1);
    });
  });

  it('runs a second instance in parallel on another port, and stop() leaves no process behind', async () => {
    const second = await startLocalMongo({ dataDir: tempDir('helpline-localmongo-b-'), backend: 'memory' });
    try {
      expect(second.uri).not.toBe(server.uri);
      expect(second.pid).not.toBe(server.pid);
      const db = 'helpline_localmongo_parallel';
      await withConnection(`${second.uri}${db}`, async (c2) => {
        const Item = c2.model('Item', itemSchema);
        await Item.init(); // the unique index first: this server can fail an insert racing its creation
        await Item.create({ key: 'only-in-second' });
      });
      await withConnection(`${server.uri}${db}`, async (c1) =>
        expect(await c1.model('Item', itemSchema).countDocuments({ key: 'only-in-second' })).toBe(0),
      );
    } finally {
      await second.stop();
    }
    expectNoSuchProcess(second.pid);
    await second.stop(); // idempotent
    expect(isRunning(server.pid)).toBe(true);
  });

  it('the H2 backend keeps its data in the data folder across a restart; the memory backend does not', async () => {
    const dataDir = tempDir('helpline-localmongo-h2-');
    const first = await startJavaServer({ dataDir, backend: 'h2' });
    expect(first.backend).toBe('h2');
    // init() first: the collection and its unique index exist before the insert (as connectStore does at start-up;
    // this server can fail an insert racing the first creation of its collection's index)
    await withConnection(`${first.uri}helpline_h2`, async (c) => {
      const Item = c.model('Item', itemSchema);
      await Item.init();
      await Item.create({ key: 'kept', n: 7 });
    });
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'helpline.mv.db'))).toBe(true);

    const again = await startJavaServer({ dataDir, backend: 'h2' });
    try {
      await withConnection(`${again.uri}helpline_h2`, async (c) =>
        expect(await c.model('Item', itemSchema).findOne({ key: 'kept' }).lean()).toMatchObject({ n: 7 }),
      );
    } finally {
      await again.stop();
    }

    const memory = await startJavaServer({ dataDir, backend: 'memory' });
    try {
      // find, not countDocuments: this server's aggregate fails on a collection that does not exist yet
      await withConnection(`${memory.uri}helpline_h2`, async (c) =>
        expect(await c.model('Item', itemSchema).find({}).lean()).toEqual([]),
      );
    } finally {
      await memory.stop();
    }
  }, 60_000);

  it('exits when the Node process that started it is SIGKILLed (its stdin reaches end of file)', async () => {
    const compiled = path.join(projectRoot(), 'dist', 'store', 'local-mongo', 'index.js');
    if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: npm test builds it first (npm run build)`);
    const script = `
      const { startJavaServer } = require(process.argv[1]);
      startJavaServer({ dataDir: process.argv[2], backend: 'memory' }).then(
        (s) => { console.log('PID ' + s.pid); setInterval(() => {}, 60000); },
        (e) => { console.error(e); process.exit(1); },
      );`;
    const parent = spawn(process.execPath, ['-e', script, compiled, tempDir('helpline-localmongo-c-')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    parent.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const pid = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`child did not report a pid: ${stdout} ${stderr}`)), 30_000);
      parent.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /PID (\d+)/.exec(stdout);
        if (m?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      parent.once('exit', (c) => reject(new Error(`child exited (${c}): ${stderr}`)));
    });

    expect(isRunning(pid)).toBe(true);
    const parentExited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await parentExited;

    const gone = await waitUntilGone(pid, 10_000);
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  }, 60_000);

  it('says what to install when neither Java 17+ nor mongod is on the PATH', async () => {
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    process.env.PATH = tempDir('helpline-empty-path-');
    delete process.env.JAVA_HOME;
    try {
      await expect(
        startLocalMongo({ dataDir: tempDir('helpline-localmongo-e-'), backend: 'memory', cacheDir: tempDir('c-') }),
      ).rejects.toThrow(NO_LOCAL_DATABASE);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
    }
    expect(NO_LOCAL_DATABASE).toMatch(/Java 17\+ and Maven.*mongod.*MONGODB_URI/);
  });

  it('reads the major version of java -version output', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaVersion('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaVersion('no java here')).toBeUndefined();
  });

  it('builds once into the cache when two callers ask at the same time, leaving no half-built folder', async () => {
    const cacheDir = tempDir('helpline-mongo-server-cache-');
    const logs: string[] = [];
    const log = (msg: string): void => {
      logs.push(msg);
    };
    const [a, b] = await Promise.all([ensureJavaServer({ cacheDir, log }), ensureJavaServer({ cacheDir, log })]);
    expect(a.classpath).toBe(b.classpath);
    const builds = fs.readdirSync(cacheDir);
    expect(builds).toHaveLength(1);
    expect(builds[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(a.classpath.split(path.delimiter)[0]).toBe(path.join(cacheDir, builds[0] ?? '', 'helpline-local-mongo.jar'));
    expect(a.classpath).toMatch(/mongo-java-server-core-1\.47\.0\.jar/);
    // a third caller finds the build and does not run Maven again
    const before = logs.length;
    await ensureJavaServer({ cacheDir, log });
    expect(logs.length).toBe(before);
  }, 300_000);

  it('uses a mongod found on the PATH, passing --dbpath, --bind_ip and --port', async () => {
    // A fake `mongod` that runs mongo-java-server on the port it is given.
    const { java, classpath } = await ensureJavaServer();
    const binDir = tempDir('helpline-fake-mongod-');
    const fake = path.join(binDir, 'mongod');
    const argsFile = path.join(binDir, 'args');
    fs.writeFileSync(
      fake,
      [
        '#!/bin/sh',
        `echo "$@" > '${argsFile}'`,
        'while [ $# -gt 0 ]; do',
        '  case "$1" in',
        '    --dbpath|--bind_ip) shift 2;;',
        '    --port) p=$2; shift 2;;',
        '    *) echo "unexpected argument $1" >&2; exit 2;;',
        '  esac',
        'done',
        `exec '${java}' -cp '${classpath}' helpline.localdb.LocalMongoServer --ignore-stdin --memory --port "$p"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );

    const savedPath = process.env.PATH;
    process.env.PATH = `${binDir}${path.delimiter}${savedPath ?? ''}`;
    const dataDir = tempDir('helpline-localmongo-d-');
    let fakeMongod: LocalMongo;
    try {
      fakeMongod = await startLocalMongo({ dataDir, backend: 'memory' });
    } finally {
      process.env.PATH = savedPath;
    }
    try {
      expect(fakeMongod.kind).toBe('mongod');
      const port = new URL(fakeMongod.uri).port;
      expect(fs.readFileSync(argsFile, 'utf8').trim()).toBe(`--dbpath ${dataDir} --bind_ip 127.0.0.1 --port ${port}`);
      await withConnection(`${fakeMongod.uri}helpline_localmongo_fake`, async (conn) =>
        expect(await conn.db?.admin().ping()).toMatchObject({ ok: 1 }),
      );
    } finally {
      await fakeMongod.stop();
    }
    expectNoSuchProcess(fakeMongod.pid);
  }, 60_000);
});
