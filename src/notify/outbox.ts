import type { Notice } from '../domain/ticket/notice';

/** A notification waiting in the outbox (its `key` is the document id). */
export interface OutboxItem extends Notice {
  attempts: number;
  createdAt: Date;
}

/**
 * The outbox: notices created idempotently by key, claimed by delivery workers with a lease.
 * A claim moves `nextAttemptAt` to the lease's end, so an item whose worker died is claimable
 * again once the lease runs out: one index on (status, nextAttemptAt) serves every claim.
 */
export interface OutboxStore {
  /** Create notices; a key that exists already is left as it is. Returns how many were new. */
  enqueue(notices: Notice[], now: Date): Promise<number>;
  claim(now: Date, owner: string, leaseMs: number): Promise<OutboxItem | null>;
  delivered(key: string, owner: string, now: Date): Promise<void>;
  /** Extends a lease still held by `owner` to `until` (a delivery that takes long); false when it was lost. */
  renew(key: string, owner: string, until: Date): Promise<boolean>;
  retry(key: string, owner: string, at: Date, error: string): Promise<void>;
  dead(key: string, owner: string, error: string, now: Date): Promise<void>;
  countDead(): Promise<number>;
  countPending(): Promise<number>;
  purgeDelivered(before: Date): Promise<number>;
}
