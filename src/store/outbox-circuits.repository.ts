/**
 * The per-platform delivery circuits on MongoDB (`outbox_circuits`, one small document per platform that ever
 * failed). Every replica reads and writes the same documents with single-document atomic updates, so a platform
 * paused by one replica is paused for all, one replica wins each probe, and one announces each opening.
 */
import type { Connection } from 'mongoose';
import type { Platform } from '../config/policy.schema';
import type { CircuitStore, PlatformCircuit } from '../notify/outbox';
import { OUTBOX_CIRCUITS_COLLECTION, type OutboxCircuitDoc } from './outbox.model';

const toCircuit = (d: OutboxCircuitDoc): PlatformCircuit => ({
  platform: d._id as Platform,
  failures: d.failures ?? 0,
  pausedUntil: d.pausedUntil ?? null,
  failingSince: d.failingSince ?? null,
  troubleSince: d.troubleSince ?? null,
  openings: d.openings ?? 0,
  lastError: d.lastError ?? null,
});

export function createCircuitStore(connection: Connection): CircuitStore {
  const circuits = () => connection.collection<OutboxCircuitDoc>(OUTBOX_CIRCUITS_COLLECTION);
  return {
    async all() {
      return (await circuits().find({}).toArray()).map(toCircuit);
    },
    async get(platform) {
      const d = await circuits().findOne({ _id: platform });
      return d ? toCircuit(d) : null;
    },
    async failed(platform, error, now, waitMs, troubleAfter) {
      const after = await circuits().findOneAndUpdate(
        { _id: platform },
        {
          $inc: { failures: 1 },
          $set: { lastError: error },
          $setOnInsert: { openings: 0, troubleSince: null, failingSince: null, pausedUntil: null },
        },
        { upsert: true, returnDocument: 'after' },
      );
      const failures = after?.failures ?? 1;
      const pausedUntil = new Date(now.getTime() + waitMs(failures));
      // $set, not $max: a failed probe's hold (a lease long) gives way to the shorter back-off.
      await circuits().updateOne({ _id: platform }, { $set: { pausedUntil } });
      if (!after?.failingSince)
        await circuits().updateOne({ _id: platform, failingSince: null }, { $set: { failingSince: now } });
      let opened: number | null = null;
      if (failures >= troubleAfter && !after?.troubleSince) {
        const won = await circuits().findOneAndUpdate(
          { _id: platform, troubleSince: null },
          { $set: { troubleSince: now }, $inc: { openings: 1 } },
          { returnDocument: 'after' },
        );
        opened = won ? won.openings : null;
      }
      return { pausedUntil, failures, opened };
    },
    async succeeded(platform) {
      const before = await circuits().findOneAndUpdate(
        { _id: platform, failures: { $gt: 0 } },
        { $set: { failures: 0, pausedUntil: null, failingSince: null, troubleSince: null } },
        { returnDocument: 'before' },
      );
      return before ? toCircuit(before) : null;
    },
    async takeProbe(platform, now, holdUntil) {
      const won = await circuits().findOneAndUpdate(
        { _id: platform, failures: { $gt: 0 }, $or: [{ pausedUntil: null }, { pausedUntil: { $lte: now } }] },
        { $set: { pausedUntil: holdUntil } },
      );
      return won !== null;
    },
  };
}
