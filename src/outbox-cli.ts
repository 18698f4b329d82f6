import './quiet-deprecations';
import { config as loadDotenv } from 'dotenv';
import { createLogger } from './logger';
import { OUTBOX_USAGE, parseOutboxCommand, runOutboxCommand } from './notify/outbox-command';
import { connectStore } from './store/connection';
import { createOutboxStore, ensureOutboxIndexes } from './store/outbox.repository';

/**
 * `npm run outbox -- list-dead | retry-dead | status`: the operator's view of undeliverable notifications, and the
 * way to re-drive them once the cause (a channel, a removed bot, a payload bug) is fixed. Connects to MONGODB_URI.
 */
async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  let cmd: ReturnType<typeof parseOutboxCommand>;
  try {
    cmd = parseOutboxCommand(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 64; // EX_USAGE
  }
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    process.stderr.write(`MONGODB_URI is not set: point it at the bot's database.\n\n${OUTBOX_USAGE}\n`);
    return 78; // EX_CONFIG
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', { destination: process.stderr });
  const store = await connectStore(uri, { log });
  try {
    await ensureOutboxIndexes(store.connection);
    for (const line of await runOutboxCommand(cmd, createOutboxStore(store.connection), new Date()))
      process.stdout.write(`${line}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
