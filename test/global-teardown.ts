import fs from 'node:fs';
import type { LocalMongoGlobal } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as LocalMongoGlobal;
  const local = g.__helplineLocalMongo;
  if (local === undefined) return;
  g.__helplineLocalMongo = undefined;
  try {
    await local.server.stop();
  } finally {
    fs.rmSync(local.dataDir, { recursive: true, force: true });
    delete process.env.MONGODB_URI;
    delete process.env.HELPLINE_TEST_SERVER;
  }
}
