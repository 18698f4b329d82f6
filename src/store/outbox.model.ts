import { type Connection, type Model, Schema } from 'mongoose';
import type { Notice } from '../domain/ticket/notice';

export const OUTBOX_COLLECTION = 'outbox';

/** 'delivering' while a notifier holds a lease on it; 'dead' when it gave up. */
export type OutboxStatus = 'pending' | 'delivering' | 'delivered' | 'dead';

/**
 * One notification to deliver: a domain Notice plus delivery bookkeeping. `_id` is the notice's
 * deterministic key, so the same notice written twice (a retried save, a sweep on three replicas) is
 * stored once; the writer ignores the duplicate-key error of the second insert.
 *
 * The ticket repository's flush writes new items (status 'pending', attempts 0, nextAttemptAt = createdAt =
 * the instant of the change, owner null) and their outbox_queue entries; src/store/outbox.repository.ts (used by
 * the notifier) owns everything after that: claims lease the queue entry, then the item (status 'delivering',
 * owner, nextAttemptAt = the lease's end), so an abandoned claim becomes due again when its lease runs out.
 */
export interface OutboxDoc extends Omit<Notice, 'key'> {
  _id: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** The notifier instance holding the lease, while 'delivering'. */
  owner: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
  /** `platform:target` of its first delivery target, set when first claimed: items in a lane go in order. */
  lane?: string | null;
  /** Why it is dead (a short code such as `channel_not_found`) and on which platform, when dead. */
  deadReason?: string | null;
  deadPlatform?: string | null;
}

export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    ticket: { type: String, default: null },
    audience: { type: Schema.Types.Mixed, required: true },
    text: { type: String, default: '' },
    clock: { type: String },
    level: { type: Number },
    mention: { type: String },
    at: { type: Date },
    // A weekly digest's chart figures (a few numbers a week): the image is drawn at delivery.
    chart: { type: Schema.Types.Mixed },
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    owner: { type: String, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    lane: { type: String, default: null },
    deadReason: { type: String, default: null },
    deadPlatform: { type: String, default: null },
  },
  { collection: OUTBOX_COLLECTION, versionKey: false, minimize: false, id: false, autoIndex: false, autoCreate: false },
);
// Counting by status (dead items for /healthz). Same name and key as
// src/store/outbox.repository.ts ensureOutboxIndexes, so both declare one index.
outboxSchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'outbox_status_next' });
// The notifier's purgeDelivered: { status: 'delivered', deliveredAt: { $lt: before } }.
outboxSchema.index({ status: 1, deliveredAt: 1 }, { name: 'outbox_status_delivered' });
// Uniqueness of the notice key is the `_id` index.

export type OutboxModel = Model<OutboxDoc>;

export const OUTBOX_QUEUE_COLLECTION = 'outbox_queue';

/** An outbox item still to deliver (see store/outbox.repository.ts): claims range over these only. */
export interface OutboxQueueDoc {
  _id: string;
  nextAttemptAt: Date;
  /** Set while the item waits for this platform's circuit (releasePaused makes it due when the platform answers). */
  pausedFor?: string;
  /** The item's lane and creation instant, set when first claimed (laneAhead: items in a lane go in order). */
  lane?: string;
  createdAt?: Date;
}

export const outboxQueueSchema = new Schema<OutboxQueueDoc>(
  {
    _id: { type: String, required: true },
    nextAttemptAt: { type: Date, required: true },
    pausedFor: { type: String },
    lane: { type: String },
    createdAt: { type: Date },
  },
  { collection: OUTBOX_QUEUE_COLLECTION, versionKey: false, id: false, autoIndex: false, autoCreate: false },
);
// The claim: { nextAttemptAt: { $lte: now } } sorted by nextAttemptAt.
outboxQueueSchema.index({ nextAttemptAt: 1 }, { name: 'outbox_queue_next' });
// releasePaused: { pausedFor: platform }.
outboxQueueSchema.index({ pausedFor: 1 }, { name: 'outbox_queue_paused' });
// laneAhead: { lane, createdAt: { $lt } } sorted by createdAt.
outboxQueueSchema.index({ lane: 1, createdAt: 1 }, { name: 'outbox_queue_lane' });

export const OUTBOX_CIRCUITS_COLLECTION = 'outbox_circuits';

/** A platform's delivery circuit (notify/outbox.ts PlatformCircuit), `_id` the platform. */
export interface OutboxCircuitDoc {
  _id: string;
  failures: number;
  pausedUntil: Date | null;
  failingSince: Date | null;
  troubleSince: Date | null;
  openings: number;
  lastError: string | null;
}

export function queueEntryOf(doc: Pick<OutboxDoc, '_id' | 'nextAttemptAt'>): OutboxQueueDoc {
  return { _id: doc._id, nextAttemptAt: doc.nextAttemptAt };
}

/** The outbox model on `conn` (registered once per connection). */
export function outboxModel(conn: Connection): OutboxModel {
  return (conn.models.Outbox as OutboxModel | undefined) ?? conn.model<OutboxDoc>('Outbox', outboxSchema);
}

export function outboxQueueModel(conn: Connection): Model<OutboxQueueDoc> {
  return (
    (conn.models.OutboxQueue as Model<OutboxQueueDoc> | undefined) ??
    conn.model<OutboxQueueDoc>('OutboxQueue', outboxQueueSchema)
  );
}
