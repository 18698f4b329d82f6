/**
 * The outbox on MongoDB, in two collections:
 *
 * - `outbox`: every notification by its deterministic key (`_id`), with its delivery state. It keeps delivered
 *   items for 30 days (purgeDelivered), so the same notice produced again is stored, and delivered, once.
 * - `outbox_queue`: `{ _id: key, nextAttemptAt }` for the items still to deliver, and only those. Claims range
 *   over this small collection, never over the whole outbox (a server that cannot use an index for a range,
 *   such as the local mongo-java-server, would otherwise scan every delivered item on every claim).
 *
 * Writers insert the outbox item, then its queue entry, each ignoring a duplicate key; the ticket flush does the
 * same before it clears the parked notices, so a crash between the two is repeated by flushPending. A queue entry
 * whose item is already delivered or dead (the same key produced again) is dropped when claimed. A claim leases
 * the queue entry (its nextAttemptAt moves to the lease's end) and then the item, so an item whose worker died is
 * claimable again once the lease runs out. start-up re-queues any undelivered item that has no entry.
 */
import type { Connection } from 'mongoose';
import type { DeadFilter, DeadItem, DeliveryHealth, OutboxItem, OutboxStore } from '../notify/outbox';
import { onlyDuplicateKeys } from './errors';
import {
  OUTBOX_QUEUE_COLLECTION,
  type OutboxDoc,
  type OutboxQueueDoc,
  type OutboxStatus,
  queueEntryOf,
} from './outbox.model';
import { createCircuitStore } from './outbox-circuits.repository';

const LIVE: OutboxStatus[] = ['pending', 'delivering'];
/** An item due this soon is waiting for its turn in a lane (notifier: at most LANE_RECHECK_MS + LANE_WAIT_MS). */
const LANE_TURN_MS = 1_000;
/** Queue entries of delivered items dropped in one claim before it gives up (they are rare). */
const MAX_STALE_PER_CLAIM = 20;

/** Inserts every document not there yet; answers how many were new. */
export async function insertNew<T extends { _id: string }>(
  coll: { insertMany(docs: T[], opts: { ordered: boolean }): Promise<{ insertedCount: number }> },
  docs: T[],
): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await coll.insertMany(docs, { ordered: false })).insertedCount;
  } catch (err) {
    if (!onlyDuplicateKeys(err)) throw err;
    // Counted from the errors: mongo-java-server 1.47 reports the refused documents as inserted too.
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const refused = Array.isArray(writeErrors) ? writeErrors.length : 1;
    return Math.max(0, docs.length - refused);
  }
}

/** Stores outbox items and queues them (see the module comment); answers how many items were new. */
export async function storeOutboxItems(connection: Connection, docs: OutboxDoc[]): Promise<number> {
  const inserted = await insertNew(connection.collection<OutboxDoc>('outbox'), docs);
  await insertNew(connection.collection<OutboxQueueDoc>(OUTBOX_QUEUE_COLLECTION), docs.map(queueEntryOf));
  return inserted;
}

export function createOutboxStore(connection: Connection): OutboxStore {
  const items = () => connection.collection<OutboxDoc>('outbox');
  const queue = () => connection.collection<OutboxQueueDoc>(OUTBOX_QUEUE_COLLECTION);
  const toItem = (d: OutboxDoc): OutboxItem => {
    const {
      _id,
      status: _s,
      nextAttemptAt: _n,
      owner: _o,
      deliveredAt: _d,
      lastError: _l,
      lane: _la,
      deadReason: _dr,
      deadPlatform: _dp,
      ...rest
    } = d;
    return { ...rest, key: _id };
  };
  const deadQuery = (f: DeadFilter) => ({
    status: 'dead' as const,
    ...(f.platform ? { deadPlatform: f.platform } : {}),
    ...(f.reason ? { deadReason: f.reason } : {}),
  });
  const circuits = createCircuitStore(connection);
  /**
   * An item left the queue (delivered or dead): the next one in its lane, if it is only waiting for its turn (due
   * within a lane's recheck, not paused, not in flight on a lease), is due now instead of at its next recheck.
   */
  const queueLeft = async (key: string, now: Date) => {
    const gone = await queue().findOneAndDelete({ _id: key });
    if (!gone?.lane) return;
    // index outbox_queue_lane
    const [next] = await queue().find({ lane: gone.lane }).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
    if (!next || next.pausedFor || next.nextAttemptAt <= now) return;
    if (next.nextAttemptAt.getTime() > now.getTime() + LANE_TURN_MS) return;
    await queue().updateOne({ _id: next._id, nextAttemptAt: next.nextAttemptAt }, { $set: { nextAttemptAt: now } });
  };
  const defer: OutboxStore['defer'] = async (key, owner, at, pausedFor) => {
    // Not an attempt: the claim counted one, this takes it back.
    const r = await items().updateOne(
      { _id: key, owner },
      { $set: { status: 'pending', nextAttemptAt: at, owner: null }, $inc: { attempts: -1 } },
    );
    if (r.matchedCount === 1)
      await queue().updateOne({ _id: key }, { $set: { nextAttemptAt: at, ...(pausedFor ? { pausedFor } : {}) } });
  };
  return {
    enqueue(notices, now) {
      const docs: OutboxDoc[] = notices.map(({ key, ...n }) => ({
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
      return storeOutboxItems(connection, docs);
    },
    async claim(now, owner, leaseMs) {
      const leaseEnd = new Date(now.getTime() + leaseMs);
      for (let stale = 0; stale <= MAX_STALE_PER_CLAIM; stale++) {
        // index outbox_queue_next { nextAttemptAt: 1 }
        const entry = await queue().findOneAndUpdate(
          { nextAttemptAt: { $lte: now } },
          { $set: { nextAttemptAt: leaseEnd }, $unset: { pausedFor: '' } },
          { sort: { nextAttemptAt: 1 } },
        );
        if (!entry) return null;
        const doc = await items().findOneAndUpdate(
          { _id: entry._id, status: { $in: LIVE } },
          { $set: { status: 'delivering', owner, nextAttemptAt: leaseEnd }, $inc: { attempts: 1 } },
          { returnDocument: 'after' },
        );
        if (doc) return toItem(doc);
        await queue().deleteOne({ _id: entry._id }); // delivered or dead already: the notice came again
      }
      return null;
    },
    async delivered(key, owner, now) {
      const r = await items().updateOne(
        { _id: key, owner },
        { $set: { status: 'delivered', deliveredAt: now, lastError: null } },
      );
      if (r.matchedCount === 1) await queueLeft(key, now);
    },
    async renew(key, owner, until) {
      const r = await items().updateOne({ _id: key, owner, status: 'delivering' }, { $set: { nextAttemptAt: until } });
      if (r.matchedCount === 0) return false;
      await queue().updateOne({ _id: key }, { $set: { nextAttemptAt: until } });
      return true;
    },
    async retry(key, owner, at, error, pausedFor) {
      const r = await items().updateOne(
        { _id: key, owner },
        { $set: { status: 'pending', nextAttemptAt: at, owner: null, lastError: error } },
      );
      if (r.matchedCount === 1)
        await queue().updateOne({ _id: key }, { $set: { nextAttemptAt: at, ...(pausedFor ? { pausedFor } : {}) } });
    },
    defer,
    async deferBehind(item, owner, at, lane) {
      await defer(item.key, owner, at);
      // The rest of the lane waits as long (one update, not one claim each): none of them can go before this one.
      // index outbox_queue_lane
      await queue().updateMany(
        {
          lane,
          nextAttemptAt: { $lt: at },
          $or: [{ createdAt: { $gt: item.createdAt } }, { createdAt: item.createdAt, _id: { $gt: item.key } }],
        },
        { $set: { nextAttemptAt: at } },
      );
    },
    async releasePaused(platform, now) {
      // index outbox_queue_paused
      const r = await queue().updateMany(
        { pausedFor: platform },
        { $set: { nextAttemptAt: now }, $unset: { pausedFor: '' } },
      );
      return r.modifiedCount;
    },
    async laneAhead(item, lane) {
      await items().updateOne({ _id: item.key }, { $set: { lane } });
      // Asked of the queue (the undelivered items only), which the claim keeps small.
      await queue().updateOne({ _id: item.key }, { $set: { lane, createdAt: item.createdAt } });
      // index outbox_queue_lane
      const ahead = await queue()
        .find({
          lane,
          _id: { $ne: item.key },
          $or: [{ createdAt: { $lt: item.createdAt } }, { createdAt: item.createdAt, _id: { $lt: item.key } }],
        })
        .sort({ createdAt: 1, _id: 1 })
        .limit(1)
        .toArray();
      if (!ahead[0]) return null;
      // A stale entry (its item delivered or dead, the notice produced again) holds nothing back.
      const live = await items().countDocuments({ _id: ahead[0]._id, status: { $in: LIVE } });
      return live > 0 ? ahead[0].nextAttemptAt : null;
    },
    async dead(key, owner, error, now, info) {
      const r = await items().updateOne(
        { _id: key, owner },
        {
          $set: {
            status: 'dead',
            lastError: error,
            deliveredAt: now,
            deadReason: info?.reason ?? 'error',
            deadPlatform: info?.platform ?? null,
          },
        },
      );
      if (r.matchedCount === 1) await queueLeft(key, now);
    },
    async listDead(filter, limit = 100) {
      // index outbox_status_next (prefix { status })
      const docs = await items().find(deadQuery(filter)).sort({ deliveredAt: -1 }).limit(limit).toArray();
      return docs.map((d) => ({
        key: d._id,
        type: d.type,
        ticket: d.ticket ?? null,
        attempts: d.attempts,
        createdAt: d.createdAt,
        diedAt: d.deliveredAt,
        error: d.lastError,
        reason: d.deadReason ?? 'error',
        platform: (d.deadPlatform ?? null) as DeadItem['platform'],
      }));
    },
    async retryDead(filter, now) {
      const ids = (
        await items()
          .find(deadQuery(filter), { projection: { _id: 1 } })
          .toArray()
      ).map((d) => d._id);
      if (ids.length === 0) return 0;
      const r = await items().updateMany(
        { _id: { $in: ids }, status: 'dead' },
        {
          $set: {
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            owner: null,
            deliveredAt: null,
            deadReason: null,
            deadPlatform: null,
          },
        },
      );
      await insertNew(
        queue(),
        ids.map((_id) => ({ _id, nextAttemptAt: now })),
      );
      return r.modifiedCount;
    },
    circuits,
    async health() {
      const byPlatform = await items()
        .aggregate<{ _id: string | null; n: number }>([
          { $match: { status: 'dead' } },
          { $group: { _id: '$deadPlatform', n: { $sum: 1 } } },
        ])
        .toArray();
      const deadByPlatform: DeliveryHealth['deadByPlatform'] = {};
      let dead = 0;
      for (const g of byPlatform) {
        deadByPlatform[(g._id ?? 'none') as keyof DeliveryHealth['deadByPlatform']] = g.n;
        dead += g.n;
      }
      const state: DeliveryHealth['circuits'] = {};
      for (const c of await circuits.all())
        state[c.platform] = {
          state: c.failures === 0 ? 'closed' : c.troubleSince ? 'open' : 'retrying',
          failures: c.failures,
          pausedUntil: c.pausedUntil?.toISOString() ?? null,
          failingSince: c.failingSince?.toISOString() ?? null,
          lastError: c.lastError,
        };
      return { pending: await queue().countDocuments(), dead, deadByPlatform, circuits: state };
    },
    // index outbox_status_next (prefix { status })
    countDead: () => items().countDocuments({ status: 'dead' }),
    // the queue holds the undelivered items (and, briefly, an entry of a notice produced again)
    countPending: () => queue().countDocuments(),
    async dueBy(at) {
      // index outbox_queue_next { nextAttemptAt: 1 }
      return (await queue().countDocuments({ nextAttemptAt: { $lte: at } }, { limit: 1 })) > 0;
    },
    async purgeDelivered(before) {
      // index outbox_status_delivered
      const r = await items().deleteMany({ status: 'delivered', deliveredAt: { $lt: before } });
      return r.deletedCount;
    },
  };
}

/**
 * Indexes the outbox needs, and a queue entry for every undelivered item that has none (items written before
 * the queue existed, or by a writer that stopped between the two inserts); run at start-up.
 */
export async function ensureOutboxIndexes(connection: Connection): Promise<void> {
  const items = connection.collection<OutboxDoc>('outbox');
  await items.createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'outbox_status_next' });
  await items.createIndex({ status: 1, deliveredAt: 1 }, { name: 'outbox_status_delivered' });
  const queue = connection.collection<OutboxQueueDoc>(OUTBOX_QUEUE_COLLECTION);
  await queue.createIndex({ nextAttemptAt: 1 }, { name: 'outbox_queue_next' });
  await queue.createIndex({ pausedFor: 1 }, { name: 'outbox_queue_paused' });
  await queue.createIndex({ lane: 1, createdAt: 1 }, { name: 'outbox_queue_lane' });
  const live = await items.find({ status: { $in: LIVE } }, { projection: { _id: 1, nextAttemptAt: 1 } }).toArray();
  await insertNew(queue, live.map(queueEntryOf));
}
