import './quiet-deprecations';
import { config as loadDotenv } from 'dotenv';
import { startHelpline } from './bootstrap';
import { ConfigError } from './config/env';
import { PolicyError } from './config/policy';

/** Entry point: read .env when present, start, stop cleanly on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let helpline: Awaited<ReturnType<typeof startHelpline>>;
  try {
    helpline = await startHelpline();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PolicyError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  process.stdout.write(
    `\nHelpline is running. Open ${helpline.url}/ in your browser (health: ${helpline.url}/healthz)\n\n`,
  );
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    helpline.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    helpline.stop().then(
      () => process.exit(0),
      (err: Error) => {
        helpline.app.log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: Error) => {
  process.stderr.write(`Helpline failed to start: ${err.message}\n`);
  process.exit(1);
});
