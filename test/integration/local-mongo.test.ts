import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import mongoose from 'mongoose';
import {
  ensureFerretdbBinary,
  ferretdbBinaryPath,
  findOnPath,
  type LocalMongo,
  projectRoot,
  startLocalMongo,
} from '../../src/store/local-mongo';

// This file tests the local server itself, so it starts its own instances even when MONGODB_URI is set.
// The FerretDB-specific checks only make sense where startLocalMongo picks FerretDB (no mongod on the PATH).
const hasMongod = findOnPath('mongod') !== undefined;
const ferretOnly = hasMongod ? it.skip : it;
const withFerretBinary = findOnPath('go') !== undefined || fs.existsSync(ferretdbBinaryPath()) ? it : it.skip;

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

let server: LocalMongo;

beforeAll(async () => {
  // Normally built by test/global-setup.ts already; building from scratch takes a few minutes.
  server = await startLocalMongo({ dataDir: tempDir('helpline-localmongo-a-') });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('startLocalMongo', () => {
  it('serves a URI without a database name and round-trips a document through mongoose', async () => {
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.kind).toBe(hasMongod ? 'mongod' : 'ferretdb');

    const conn = await mongoose.createConnection(`${server.uri}helpline_localmongo_test`).asPromise();
    try {
      const Item = conn.model('Item', itemSchema);
      await Item.init();
      await new Item({ key: 'round-trip', n: 42 }).save();
      const found = await Item.findOne({ key: 'round-trip' }).lean();
      expect(found).toMatchObject({ key: 'round-trip', n: 42 });

      // unique index
      await expect(Item.create({ key: 'round-trip', n: 1 })).rejects.toMatchObject({ code: 11000 });
      expect(await Item.countDocuments({ key: 'round-trip' })).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('runs a second instance in parallel on another port, and stop() leaves no process behind', async () => {
    const second = await startLocalMongo({ dataDir: tempDir('helpline-localmongo-b-') });
    try {
      expect(second.uri).not.toBe(server.uri);
      expect(second.pid).not.toBe(server.pid);

      const db = 'helpline_localmongo_parallel';
      const [c1, c2] = await Promise.all([
        mongoose.createConnection(`${server.uri}${db}`).asPromise(),
        mongoose.createConnection(`${second.uri}${db}`).asPromise(),
      ]);
      try {
        await c2.model('Item', itemSchema).create({ key: 'only-in-second' });
        expect(await c2.model('Item', itemSchema).countDocuments()).toBe(1);
        expect(await c1.model('Item', itemSchema).countDocuments({ key: 'only-in-second' })).toBe(0);
      } finally {
        await Promise.all([c1.close(), c2.close()]);
      }
    } finally {
      await second.stop();
    }
    expectNoSuchProcess(second.pid);
    await second.stop(); // idempotent
    expect(isRunning(server.pid)).toBe(true);
  });

  ferretOnly('FerretDB exits when the Node process that started it is SIGKILLed (stdin EOF)', async () => {
    // A plain-JS copy of local-mongo.ts for a child `node`, placed under the project so projectRoot() still works.
    const compiledDir = path.join(projectRoot(), '.cache', `test-local-mongo-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(compiledDir, { recursive: true });
    tempDirs.push(compiledDir);
    const compiled = path.join(compiledDir, 'local-mongo.js');
    const { code } = transformFileSync(path.join(projectRoot(), 'src', 'store', 'local-mongo.ts'), {
      swcrc: false,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    fs.writeFileSync(compiled, code);

    const script = `
      const { startLocalMongo } = require(process.argv[1]);
      startLocalMongo({ dataDir: process.argv[2] }).then(
        (s) => { console.log('PID ' + s.pid + ' ' + s.kind); setInterval(() => {}, 60000); },
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
        const m = /PID (\d+) ferretdb/.exec(stdout);
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

    const gone = await waitUntilGone(pid, 5_000);
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  });

  it('explains what to install when neither mongod nor go is on the PATH', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = tempDir('helpline-empty-path-');
    try {
      await expect(
        startLocalMongo({ dataDir: tempDir('helpline-localmongo-e-'), cacheDir: tempDir('helpline-no-cache-') }),
      ).rejects.toThrow(/install MongoDB \(mongod\) or Go 1\.24\+.*or set MONGODB_URI/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  (findOnPath('go') === undefined ? it.skip : it)(
    'builds once when two callers ask for the binary at the same time, without leftovers',
    async () => {
      const cacheDir = tempDir('helpline-ferretdb-cache-');
      const logs: string[] = [];
      const log = (msg: string): void => {
        logs.push(msg);
      };
      const [a, b] = await Promise.all([
        ensureFerretdbBinary({ cacheDir, log }),
        ensureFerretdbBinary({ cacheDir, log }),
      ]);
      expect(a).toBe(b);
      expect(logs.filter((l) => l.startsWith('Building the local database')).length).toBe(1);
      expect(fs.readdirSync(cacheDir).sort()).toEqual(['ferretdb-v1.24.2', 'ferretdb-v1.24.2.sources-sha256']);
      fs.accessSync(a, fs.constants.X_OK);
    },
    300_000,
  );

  withFerretBinary('uses a mongod found on the PATH, passing --dbpath, --bind_ip and --port', async () => {
    // A fake `mongod` that runs FerretDB with the same arguments and the same "accepts connections" readiness.
    const binary = await ensureFerretdbBinary();
    const binDir = tempDir('helpline-fake-mongod-');
    const fake = path.join(binDir, 'mongod');
    fs.writeFileSync(
      fake,
      [
        '#!/bin/sh',
        'while [ $# -gt 0 ]; do',
        '  case "$1" in',
        '    --dbpath) d=$2; shift 2;;',
        '    --bind_ip) h=$2; shift 2;;',
        '    --port) p=$2; shift 2;;',
        '    *) echo "unexpected argument $1" >&2; exit 2;;',
        '  esac',
        'done',
        `exec '${binary}' -data "$d" -listen "$h:$p" -exit-on-stdin-eof=false`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );

    const savedPath = process.env.PATH;
    process.env.PATH = `${binDir}${path.delimiter}${savedPath ?? ''}`;
    let fakeMongod: LocalMongo;
    try {
      fakeMongod = await startLocalMongo({ dataDir: tempDir('helpline-localmongo-d-') });
    } finally {
      process.env.PATH = savedPath;
    }
    try {
      expect(fakeMongod.kind).toBe('mongod');
      expect(fakeMongod.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
      const conn = await mongoose.createConnection(`${fakeMongod.uri}helpline_localmongo_fake`).asPromise();
      try {
        const ping = await conn.db?.admin().ping();
        expect(ping).toMatchObject({ ok: 1 });
      } finally {
        await conn.close();
      }
    } finally {
      await fakeMongod.stop();
    }
    expectNoSuchProcess(fakeMongod.pid);
  });
});
