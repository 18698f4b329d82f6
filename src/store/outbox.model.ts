import { type Connection, type Model, Schema } from 'mongoose';
import type { ClockKind } from '../domain/sla/sla-clock';
import type { Audience, NoticeType } from '../domain/ticket/notice';

export const OUTBOX_COLLECTION = 'outbox';

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/**
 * One notification to deliver: a domain Notice plus delivery bookkeeping. `_id` is the notice's
 * deterministic key, so the same notice written twice (a retried save, a sweep on three replicas) is
 * stored once; the store ignores the duplicate-key error of the second insert.
 *
 * Written only by the ticket repository's flush (status 'pending', attempts 0, nextAttemptAt = createdAt).
 * The notifier owns everything after that. A claim that works on MongoDB and on FerretDB is one
 * `findOneAndUpdate({ status: 'pending', nextAttemptAt: { $lte: now } }, { $set: { leaseUntil: now + lease,
 * nextAttemptAt: now + lease }, $inc: { attempts: 1 } }, { sort: { nextAttemptAt: 1 } })`: moving
 * nextAttemptAt past the lease keeps the claim inside the `{status, nextAttemptAt}` index and makes an
 * abandoned claim due again when its lease runs out. (FerretDB 1.24 runs findAndModify as read-then-write,
 * so it is only atomic there because connectStore uses a single connection to FerretDB.)
 */
export interface OutboxDoc {
  _id: string;
  type: NoticeType;
  ticket: string | null;
  audience: Audience;
  text: string;
  clock?: ClockKind;
  level?: number;
  mention?: string;
  at?: Date;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
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
    status: { type: String, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { collection: OUTBOX_COLLECTION, versionKey: false, minimize: false, id: false, autoIndex: false, autoCreate: false },
);
// Delivery claims: the oldest due pending notification first (see the claim above).
outboxSchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'status_nextAttemptAt' });
// Uniqueness of the notice key is the `_id` index.

export type OutboxModel = Model<OutboxDoc>;

/** The outbox model on `conn` (registered once per connection). */
export function outboxModel(conn: Connection): OutboxModel {
  return (conn.models.Outbox as OutboxModel | undefined) ?? conn.model<OutboxDoc>('Outbox', outboxSchema);
}
