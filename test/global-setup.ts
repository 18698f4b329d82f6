import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalMongo, startLocalMongo } from '../src/store/local-mongo';

/** Shared with test/global-teardown.ts (jest runs both in its parent process). */
export interface LocalMongoGlobal {
  __helplineLocalMongo?: { server: LocalMongo; dataDir: string };
}

/**
 * Uses MONGODB_URI when it is set. Otherwise starts a local server (mongod, or mongo-java-server's memory backend,
 * built with Maven the first time) on a throwaway data folder and exports its URI (`mongodb://127.0.0.1:<port>/`, no database name)
 * as MONGODB_URI, which the test workers inherit. Each test file picks its own database name.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.HELPLINE_TEST_SERVER = 'MONGODB_URI';
    return;
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-test-db-'));
  try {
    const server = await startLocalMongo({
      dataDir,
      backend: 'memory',
      log: (msg) => process.stderr.write(`[local db] ${msg}\n`),
    });
    (globalThis as LocalMongoGlobal).__helplineLocalMongo = { server, dataDir };
    process.env.MONGODB_URI = server.uri;
    process.env.HELPLINE_TEST_SERVER = server.backend ?? server.kind;
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
