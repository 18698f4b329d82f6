/**
 * rate_counters: `{ _id: '<kind>:<platform>:<user>:<window start>', count, expiresAt }`, one per person, kind and
 * fixed window. `hit` is one atomic `$inc` upsert, so replicas racing on one person each get their own count.
 * The `expiresAt` index is a TTL index on MongoDB; the local server accepts it but never expires, so the
 * scheduler's housekeeping also deletes ended windows.
 */
import type { Connection, mongo } from 'mongoose';
import type { RateCounter } from '../app/ports';
import { guard, isDuplicateKeyError } from './errors';

interface RateCounterDoc {
  _id: string;
  count: number;
  expiresAt: Date;
}

const COLLECTION = 'rate_counters';

export class MongoRateCounter implements RateCounter {
  private readonly counters: mongo.Collection<RateCounterDoc>;

  constructor(connection: Connection) {
    this.counters = connection.collection<RateCounterDoc>(COLLECTION) as unknown as mongo.Collection<RateCounterDoc>;
  }

  hit(key: string, expiresAt: Date): Promise<number> {
    return guard(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const doc = await this.counters.findOneAndUpdate(
            { _id: key },
            { $inc: { count: 1 }, $setOnInsert: { expiresAt } },
            { upsert: true, returnDocument: 'after' },
          );
          if (doc === null) throw new Error('the rate counter upsert returned no document');
          return doc.count;
        } catch (err) {
          // Two first upserts of one window can race to insert it; the loser just increments it.
          if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        }
      }
    });
  }

  purgeExpired(now: Date): Promise<number> {
    return guard(async () => {
      // the expiresAt index
      const r = await this.counters.deleteMany({ expiresAt: { $lt: now } });
      return r.deletedCount;
    });
  }
}

/** The expiry index: TTL on MongoDB (expireAfterSeconds 0: gone once `expiresAt` passes), a plain index locally. */
export async function ensureRateCounterIndexes(connection: Connection): Promise<void> {
  await connection
    .collection(COLLECTION)
    .createIndex({ expiresAt: 1 }, { name: 'rate_counters_expiresAt', expireAfterSeconds: 0 });
}
