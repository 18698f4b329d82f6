import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { type Helpline, startHelpline } from '../../src/bootstrap';
import { MovableClock } from '../../src/clock';
import type { Policy } from '../../src/config/policy.schema';

export interface TestHelpline extends Helpline {
  clock: MovableClock;
  dbName: string;
  base: string;
}

/** A unique database on the test server (MONGODB_URI from the jest global setup). */
export function testDatabaseUri(prefix = 'test'): { uri: string; dbName: string } {
  const server = process.env.MONGODB_URI;
  if (!server)
    throw new Error('MONGODB_URI is not set: run the tests through jest (its global setup starts the database)');
  const dbName = `helpline_${prefix}_${randomBytes(4).toString('hex')}`;
  return { uri: `${server.replace(/\/[^/]*$/, '/')}${dbName}`, dbName };
}

/**
 * Start the real Helpline in this process on a free port, with its own database, a movable clock (set
 * to `now`) and playground mode on. Extra env (fake Slack URL, tokens...) is passed through `env`; a
 * production start passes HELPLINE_TEST_CLOCK and HELPLINE_PLAYGROUND as 0 and what production requires.
 */
export async function startTestHelpline(
  opts: { env?: Record<string, string>; policy?: Policy; now?: Date; prefix?: string; deliveryLeaseMs?: number } = {},
): Promise<TestHelpline> {
  const { uri, dbName } = testDatabaseUri(opts.prefix);
  const clock = new MovableClock();
  if (opts.now) clock.set(opts.now);
  const helpline = await startHelpline({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: uri,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      HELPLINE_TEST_CLOCK: '1',
      // Opted in explicitly (Slack credentials alone would turn it off): the playground and unauthenticated
      // /api/messages, through which the Teams tests post their activities.
      HELPLINE_PLAYGROUND: '1',
      SCHEDULER_ENABLED: '0',
      ...opts.env,
    },
    ...(opts.policy ? { policy: opts.policy } : {}),
    clock,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(opts.deliveryLeaseMs ? { deliveryLeaseMs: opts.deliveryLeaseMs } : {}),
  });
  return { ...helpline, clock, dbName, base: `http://127.0.0.1:${helpline.port}` };
}

/** Poll until `check` returns a truthy value (or throw after `timeoutMs`). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
