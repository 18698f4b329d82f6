import type { Connection } from 'mongoose';
import type { OutboxDoc } from '../store/outbox.model';
import type { OutboxItem, OutboxStore } from './outbox';

type OutboxDocument = OutboxDoc;

const DUPLICATE_KEY = 11000;

function isDuplicateBulk(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e.code === DUPLICATE_KEY && !e.writeErrors) return true;
  return !!e.writeErrors?.length && e.writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
}

/** The outbox on MongoDB: `_id` is the notice key, so creating one twice stores one. */
export function createOutboxStore(connection: Connection): OutboxStore {
  const col = () => connection.collection<OutboxDocument>('outbox');
  const toItem = (d: OutboxDocument): OutboxItem => {
    const { _id, status: _s, nextAttemptAt: _n, owner: _o, deliveredAt: _d, lastError: _l, ...rest } = d;
    return { ...rest, key: _id };
  };
  return {
    async enqueue(notices, now) {
      if (notices.length === 0) return 0;
      const docs: OutboxDocument[] = notices.map(({ key, ...n }) => ({
        ...n,
        _id: key,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        owner: null,
        createdAt: now,
        deliveredAt: null,
        lastError: null,
      }));
      try {
        const r = await col().insertMany(docs, { ordered: false });
        return r.insertedCount;
      } catch (err) {
        if (isDuplicateBulk(err))
          return (err as { insertedCount?: number; result?: { insertedCount?: number } }).insertedCount ?? 0;
        throw err;
      }
    },
    // Serves the claim: index outbox_status_next { status: 1, nextAttemptAt: 1 }.
    async claim(now, owner, leaseMs) {
      const doc = await col().findOneAndUpdate(
        { status: { $in: ['pending', 'delivering'] }, nextAttemptAt: { $lte: now } },
        {
          $set: { status: 'delivering', owner, nextAttemptAt: new Date(now.getTime() + leaseMs) },
          $inc: { attempts: 1 },
        },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      );
      return doc ? toItem(doc as OutboxDocument) : null;
    },
    async delivered(key, owner, now) {
      await col().updateOne({ _id: key, owner }, { $set: { status: 'delivered', deliveredAt: now, lastError: null } });
    },
    async retry(key, owner, at, error) {
      await col().updateOne(
        { _id: key, owner },
        { $set: { status: 'pending', nextAttemptAt: at, owner: null, lastError: error } },
      );
    },
    async dead(key, owner, error, now) {
      await col().updateOne({ _id: key, owner }, { $set: { status: 'dead', lastError: error, deliveredAt: now } });
    },
    countDead: () => col().countDocuments({ status: 'dead' }),
    countPending: () => col().countDocuments({ status: { $in: ['pending', 'delivering'] } }),
    async purgeDelivered(before) {
      const r = await col().deleteMany({ status: 'delivered', deliveredAt: { $lt: before } });
      return r.deletedCount;
    },
  };
}

/** Indexes the outbox needs; created at start-up. */
export async function ensureOutboxIndexes(connection: Connection): Promise<void> {
  await connection.collection('outbox').createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'outbox_status_next' });
  await connection.collection('outbox').createIndex({ status: 1, deliveredAt: 1 }, { name: 'outbox_status_delivered' });
}
