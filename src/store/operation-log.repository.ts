/**
 * OperationLog on processed_events: `{ _id: key, state: 'pending' | 'done', result, createdAt, claimedAt }`.
 *
 * - `begin` claims a key with insertOne; the unique `_id` decides between racing replicas. A duplicate key
 *   means someone claimed it before: a 'done' entry answers with its stored result, a 'pending' one means
 *   the work is in progress elsewhere.
 * - A 'pending' claim whose `claimedAt` is more than STALE_CLAIM_MS (2 minutes) old is taken to be
 *   abandoned (its process died mid-way) and may be taken over: the takeover is a compare-and-set on the
 *   `claimedAt` that was read, so only one of several retries gets it. Work guarded by a claim should take
 *   well under 2 minutes; platform retries arrive within seconds, so they still see 'pending'.
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
import { STALE_CLAIM_MS } from './limits';
import { collectionOf, type Models } from './models';

export { STALE_CLAIM_MS };

export class MongoOperationLog implements OperationLog {
  private readonly ops;
  private readonly clock: Clock;

  constructor(models: Models, opts: { clock?: Clock } = {}) {
    this.ops = collectionOf(models.ProcessedEvent);
    this.clock = opts.clock ?? systemClock;
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
          if (taken.modifiedCount === 1) return { state: 'new' as const };
          continue; // someone else took it over or finished it: look again
        }
        return { state: 'pending' as const };
      }
      return { state: 'pending' as const };
    });
  }

  complete(key: string, result: unknown): Promise<void> {
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
