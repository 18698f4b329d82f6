/**
 * OperationLog on processed_events: `{ _id: key, state: 'pending' | 'done', result, createdAt, claimedAt }`.
 *
 * - `begin` claims a key with insertOne; the unique `_id` decides between racing replicas. A duplicate key
 *   means someone claimed it before: a 'done' entry answers with its stored result, a 'pending' one means
 *   the work is in progress elsewhere.
 * - The process holding a claim renews its `claimedAt` every CLAIM_RENEW_MS (5 s) until it completes or
 *   abandons it. A 'pending' claim not renewed for STALE_CLAIM_MS (45 s) is taken to be abandoned (its process
 *   died mid-way) and may be taken over: the takeover is a compare-and-set on the `claimedAt` that was read, so
 *   only one of several retries gets it. A platform's first retry (seconds later) still sees 'pending'; Slack's
 *   second (a minute later) finds a dead replica's claim free and does the work.
 * - Claims age in the repository's own clock (real time), not in the `now` the app passes (its business clock,
 *   which a test or demo may move, and which replicas may have moved at slightly different moments): a claim
 *   is stale only when its process has really been gone that long. `now` dates the entry (`createdAt`, purge).
 * - `result` is stored as BSON: plain data (objects, arrays, strings, numbers, booleans, Dates, null);
 *   `undefined` is stored as null.
 * - No TTL index: the scheduler calls `purgeOlderThan` (index on createdAt).
 */
import type { OperationLog } from '../app/ports';
import { systemClock } from '../clock';
import type { Clock } from '../domain/clock';
import { guard, isDuplicateKeyError } from './errors';
import { CLAIM_RENEW_MS, MAX_CLAIM_RENEW_MS, STALE_CLAIM_MS } from './limits';
import { collectionOf, type Models } from './models';

export { STALE_CLAIM_MS };

export class MongoOperationLog implements OperationLog {
  private readonly ops;
  private readonly clock: Clock;
  private readonly renewMs: number;
  /** The claims this process holds, renewed until completed or abandoned. */
  private readonly held = new Map<string, NodeJS.Timeout>();

  constructor(models: Models, opts: { clock?: Clock; renewMs?: number } = {}) {
    this.ops = collectionOf(models.ProcessedEvent);
    this.clock = opts.clock ?? systemClock;
    this.renewMs = opts.renewMs ?? CLAIM_RENEW_MS;
  }

  /** Keep renewing a claim while its work runs (best effort: a failed renewal is tried again next time). */
  private hold(key: string, claimedAt: Date): void {
    this.release(key);
    let last = claimedAt;
    const until = claimedAt.getTime() + MAX_CLAIM_RENEW_MS;
    const timer = setInterval(() => {
      const next = this.clock.now();
      if (next.getTime() > until) return this.release(key);
      this.ops
        .updateOne({ _id: key, state: 'pending', claimedAt: last }, { $set: { claimedAt: next } })
        .then((r) => {
          if (r.modifiedCount === 1) last = next;
          else if (r.matchedCount === 0) this.release(key); // done, abandoned or taken over: nothing to hold
        })
        .catch(() => undefined);
    }, this.renewMs);
    timer.unref();
    this.held.set(key, timer);
  }

  private release(key: string): void {
    const timer = this.held.get(key);
    if (timer) clearInterval(timer);
    this.held.delete(key);
  }

  begin(key: string, now: Date): ReturnType<OperationLog['begin']> {
    return guard(async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const claimedAt = this.clock.now();
        try {
          await this.ops.insertOne({
            _id: key,
            state: 'pending',
            result: null,
            createdAt: now,
            claimedAt,
            completedAt: null,
          });
          this.hold(key, claimedAt);
          return { state: 'new' as const };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
        const doc = await this.ops.findOne({ _id: key });
        if (doc === null) continue; // abandoned or purged in between: claim it again
        if (doc.state === 'done') return { state: 'done' as const, result: doc.result ?? null };
        if (doc.claimedAt.getTime() <= claimedAt.getTime() - STALE_CLAIM_MS) {
          const taken = await this.ops.updateOne(
            { _id: key, state: 'pending', claimedAt: doc.claimedAt },
            { $set: { claimedAt } },
          );
          if (taken.modifiedCount === 1) {
            this.hold(key, claimedAt);
            return { state: 'new' as const };
          }
          continue; // someone else took it over or finished it: look again
        }
        return { state: 'pending' as const };
      }
      return { state: 'pending' as const };
    });
  }

  complete(key: string, result: unknown): Promise<void> {
    this.release(key);
    return guard(async () => {
      const now = this.clock.now();
      for (let attempt = 1; ; attempt++) {
        try {
          await this.ops.updateOne(
            { _id: key },
            {
              $set: { state: 'done', result: result ?? null, completedAt: now },
              $setOnInsert: { createdAt: now, claimedAt: now },
            },
            { upsert: true },
          );
          return;
        } catch (err) {
          if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        }
      }
    });
  }

  abandon(key: string): Promise<void> {
    this.release(key);
    return guard(async () => {
      await this.ops.deleteOne({ _id: key, state: 'pending' });
    });
  }

  purgeOlderThan(before: Date): Promise<number> {
    return guard(async () => {
      // index createdAt
      const res = await this.ops.deleteMany({ createdAt: { $lt: before } });
      return res.deletedCount;
    });
  }
}
