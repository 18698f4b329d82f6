import type { Platform } from '../config/policy.schema';
import type { Notice } from '../domain/ticket/notice';

/** A notification waiting in the outbox (its `key` is the document id). */
export interface OutboxItem extends Notice {
  attempts: number;
  createdAt: Date;
}

/** Why an item went dead, as stored on it: `reason` is a short code such as `channel_not_found`. */
export interface DeadInfo {
  reason: string;
  /** The platform that refused it; null when it failed before reaching one (a channel the policy lacks). */
  platform: Platform | null;
}

/** A dead item as `npm run outbox -- list-dead` shows it. */
export interface DeadItem extends DeadInfo {
  key: string;
  type: string;
  ticket: string | null;
  attempts: number;
  createdAt: Date;
  diedAt: Date | null;
  error: string | null;
}

/** Which dead items to list or re-drive; an absent field matches all. */
export interface DeadFilter {
  platform?: Platform;
  reason?: string;
}

/**
 * A platform's delivery circuit, shared by every replica. `failures` counts transient failures in a row; while it
 * is above zero the platform's deliveries pause until `pausedUntil`, then one item probes it. `troubleSince` is
 * set once the platform has failed `troubleAfter` times in a row (the managers are told once per opening,
 * `openings` numbering them).
 */
export interface PlatformCircuit {
  platform: Platform;
  failures: number;
  pausedUntil: Date | null;
  /** When the current run of failures began. */
  failingSince: Date | null;
  troubleSince: Date | null;
  openings: number;
  lastError: string | null;
}

/** Circuit state as the health endpoints show it. */
export type CircuitState = 'closed' | 'retrying' | 'open';

/** What /healthz and /readyz show of delivery: counts and each platform's circuit. */
export interface DeliveryHealth {
  pending: number;
  dead: number;
  deadByPlatform: Partial<Record<Platform | 'none', number>>;
  circuits: Partial<
    Record<
      Platform,
      {
        state: CircuitState;
        failures: number;
        pausedUntil: string | null;
        failingSince: string | null;
        lastError: string | null;
      }
    >
  >;
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
  /** Back to pending until `at` (a transient failure); with `pausedFor`, releasePaused makes it due at once. */
  retry(key: string, owner: string, at: Date, error: string, pausedFor?: Platform): Promise<void>;
  /**
   * Puts a claimed item back untried (its attempt is not counted) until `at`: its platform is paused, or an older
   * item to the same target is still waiting. With `pausedFor`, releasePaused makes it due at once.
   */
  defer(key: string, owner: string, at: Date, pausedFor?: Platform): Promise<void>;
  /**
   * `defer` for an item behind an older one in its lane: it and every later item of the lane waiting in the queue are
   * due no sooner than `at`. When an item of a lane is delivered or dead, the next one waiting for its turn is due at once.
   */
  deferBehind(item: Pick<OutboxItem, 'key' | 'createdAt'>, owner: string, at: Date, lane: string): Promise<void>;
  /** The paused items of a platform that answers again are due now; answers how many. */
  releasePaused(platform: Platform, now: Date): Promise<number>;
  /**
   * Records the item's lane (its platform and target) and answers when the oldest older item still undelivered in
   * that lane is next due, or null when there is none: an item never overtakes an older one to the same target.
   */
  laneAhead(item: Pick<OutboxItem, 'key' | 'createdAt'>, lane: string): Promise<Date | null>;
  dead(key: string, owner: string, error: string, now: Date, info?: DeadInfo): Promise<void>;
  countDead(): Promise<number>;
  countPending(): Promise<number>;
  /** Whether any item still to deliver is due at or before `at` (an item in flight: at its lease's end). */
  dueBy(at: Date): Promise<boolean>;
  listDead(filter: DeadFilter, limit?: number): Promise<DeadItem[]>;
  /** Dead items matching `filter` become pending again (attempts from zero), due now; answers how many. */
  retryDead(filter: DeadFilter, now: Date): Promise<number>;
  purgeDelivered(before: Date): Promise<number>;
  circuits: CircuitStore;
  /** Counts and circuits for the health endpoints (see DeliveryHealth). */
  health(): Promise<DeliveryHealth>;
}

/** The per-platform circuits (see PlatformCircuit), in the database so every replica sees the same. */
export interface CircuitStore {
  all(): Promise<PlatformCircuit[]>;
  get(platform: Platform): Promise<PlatformCircuit | null>;
  /**
   * A transient failure: one more in a row, and the platform paused until `now + waitMs(failures)`. `opened` is the
   * opening's number when this failure made the platform "in trouble" (exactly one caller, on any replica, gets it).
   */
  failed(
    platform: Platform,
    error: string,
    now: Date,
    waitMs: (failures: number) => number,
    troubleAfter: number,
  ): Promise<{ pausedUntil: Date; failures: number; opened: number | null }>;
  /** The platform answered: its failures are cleared. Answers the circuit as it was, when it had failures. */
  succeeded(platform: Platform): Promise<PlatformCircuit | null>;
  /** One replica's item may probe a paused platform whose wait is over: true for the one that gets it. */
  takeProbe(platform: Platform, now: Date, holdUntil: Date): Promise<boolean>;
}
