import type { Policy, RateLimit } from '../config/policy.schema';
import type { Clock } from '../domain/clock';
import { RateLimitedError } from '../domain/errors';
import type { Actor } from '../domain/ticket/ticket';
import type { RateCounter } from './ports';

/** What is counted: tickets raised, card actions on tickets, messages written on tickets, look-ups. */
export type RateKind = 'raise' | 'action' | 'message' | 'lookup';

const LIMIT_OF: Record<RateKind, keyof Policy['limits']> = {
  raise: 'raisesPerPerson',
  action: 'actionsPerPerson',
  message: 'messagesPerPerson',
  lookup: 'lookupsPerPerson',
};

/** Counts one raise or card action by a person and refuses it (RateLimitedError) when over the policy's limit. */
export interface RateLimiter {
  check(kind: RateKind, who: Pick<Actor, 'platform' | 'userId'>): Promise<void>;
}

export interface RateLimiterDeps {
  counter: RateCounter;
  policy: Pick<Policy, 'limits' | 'channels'>;
  clock: Clock;
  /** Told of every refusal (person and kind, never what they wrote). */
  warn(fields: { platform: string; userId: string; kind: RateKind; count: number; limit: number }, msg: string): void;
}

/** "hour", "2 hours", "minute", "90 minutes", "day". */
export function windowWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'hour' : `${minutes / 60} hours`;
  return minutes === 1 ? 'minute' : `${minutes} minutes`;
}

/** "45 seconds", "1 minute", "12 minutes" (rounded up). */
export function waitWords(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.ceil(ms / 1000))} seconds`;
  const m = Math.ceil(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** The fixed window holding `now`: windows of `per` minutes counted from the epoch, so every replica agrees. */
export function fixedWindow(now: Date, perMinutes: number): { start: Date; end: Date } {
  const size = perMinutes * 60_000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), end: new Date(start + size) };
}

function refusal(kind: RateKind, limit: RateLimit, waitMs: number, askIn: string): string {
  const wait = waitWords(waitMs);
  if (kind === 'raise')
    return `You have raised ${limit.count} tickets in the last ${windowWords(limit.per)}, the most Helpline takes from one person. Please wait ${wait} and raise this one again: what you wrote is kept. If it cannot wait, ask in ${askIn}.`;
  if (kind === 'message')
    return `You have written ${limit.count} messages on tickets in the last ${windowWords(limit.per)}, the most Helpline takes from one person. Please wait ${wait} and send this one again: it was not added.`;
  if (kind === 'lookup')
    return `You have made ${limit.count} look-ups in the last ${windowWords(limit.per)}, the most Helpline answers for one person. Please wait ${wait} and ask again.`;
  return `You have made ${limit.count} changes to tickets in the last ${windowWords(limit.per)}, the most Helpline takes from one person. Please wait ${wait} and try again; nothing was changed this time.`;
}

/**
 * A fixed-window counter per person, kind and window in the database (one atomic `$inc` upsert per check), so
 * the limit holds however many replicas serve the person. Windows come from the app's clock.
 */
export function createRateLimiter(deps: RateLimiterDeps): RateLimiter {
  return {
    async check(kind, who) {
      const limit = deps.policy.limits[LIMIT_OF[kind]];
      const now = deps.clock.now();
      const window = fixedWindow(now, limit.per);
      const key = `${kind}:${who.platform}:${who.userId}:${window.start.toISOString()}`;
      const count = await deps.counter.hit(key, window.end);
      if (count <= limit.count) return;
      deps.warn(
        { platform: who.platform, userId: who.userId, kind, count, limit: limit.count },
        'rate limit: refused a person over the limit',
      );
      const waitMs = window.end.getTime() - now.getTime();
      const triage = deps.policy.channels.triage;
      const askIn = triage.platform === 'slack' ? `#${triage.name}` : `the ${triage.name} channel`;
      throw new RateLimitedError(refusal(kind, limit, waitMs, askIn), waitMs);
    },
  };
}
