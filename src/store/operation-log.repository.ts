/**
 * OperationLog on processed_events: `{ _id: key, state: 'pending' | 'done', result, createdAt, claimedAt, owner,
 * token, bound }`, and process_heartbeats: `{ _id: process id, beatAt }`.
 *
 * - `begin` claims a key with insertOne; the unique `_id` decides between racing replicas. A duplicate key
 *   means someone claimed it before: a 'done' entry answers with its stored result, a 'pending' one means
 *   the work is in progress elsewhere, unless its holder has stopped.
 * - A claim names its holder (`owner`, this process's random id). While a process holds claims it writes its
 *   heartbeat every HEARTBEAT_MS (1 s). A 'pending' claim whose holder has shown no sign of life (neither its
 *   heartbeat nor the claim itself) for HEARTBEAT_STALE_MS (5 s) is taken over by the next `begin`, at once: a
 *   compare-and-set on the claim's `token`, so only one of several retries gets it, and the old holder's later
 *   `bind` and `abandon` (fenced by that token) match nothing. Claims written without an owner keep the older
 *   rule (free STALE_CLAIM_MS after their last renewal); a claim older than MAX_CLAIM_RENEW_MS is free whatever
 *   its holder (work that never completes must not hold its key forever).
 * - `bind` records on a claim still held what the work will be done under (a raise: its ticket number, taken
 *   before the ticket is inserted), so a takeover does the same work under the same number and the ticket's
 *   unique `_id` lets only one of the two inserts land.
 * - Claims age in the repository's own clock (real time), not in the `now` the app passes (its business clock,
 *   which a test or demo may move, and which replicas may have moved at slightly different moments). `now` dates
 *   the entry (`createdAt`, purge).
 * - `result` is stored as BSON: plain data (objects, arrays, strings, numbers, booleans, Dates, null);
 *   `undefined` is stored as null.
 * - No TTL index: the scheduler calls `purgeOlderThan` (index on createdAt).
 */
import { randomUUID } from 'node:crypto';
import type { OperationLog } from '../app/ports';
import { systemClock } from '../clock';
import type { Clock } from '../domain/clock';
import { guard, isDuplicateKeyError } from './errors';
import { HEARTBEAT_MS, HEARTBEAT_STALE_MS, MAX_CLAIM_RENEW_MS, STALE_CLAIM_MS } from './limits';
import { collectionOf, type Models, type ProcessedEventDoc } from './models';

export { HEARTBEAT_STALE_MS, STALE_CLAIM_MS };

export class MongoOperationLog implements OperationLog {
  private readonly ops;
  private readonly beats;
  private readonly clock: Clock;
  private readonly heartbeatMs: number;
  /** This process, as the holder of its claims. */
  readonly processId: string;
  /** The claims this process holds (key → token), while it holds any its heartbeat runs. */
  private readonly held = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(models: Models, opts: { clock?: Clock; heartbeatMs?: number; processId?: string } = {}) {
    this.ops = collectionOf(models.ProcessedEvent);
    this.beats = collectionOf(models.ProcessHeartbeat);
    this.clock = opts.clock ?? systemClock;
    this.heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    this.processId = opts.processId ?? randomUUID();
  }

  /** Best effort: a failed beat is tried again next time (a claim stays ours while its own `claimedAt` is fresh). */
  private beat(): void {
    this.beats
      .updateOne({ _id: this.processId }, { $set: { beatAt: this.clock.now() } }, { upsert: true })
      .catch(() => undefined);
  }

  private hold(key: string, token: string): void {
    this.held.set(key, token);
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private release(key: string): void {
    this.held.delete(key);
    if (this.held.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /** Has the holder of this pending claim stopped (died, or the claim is older than any work may take)? */
  private async holderStopped(doc: ProcessedEventDoc, now: number): Promise<boolean> {
    if (doc.claimedAt.getTime() <= now - MAX_CLAIM_RENEW_MS) return true;
    if (!doc.owner) return doc.claimedAt.getTime() <= now - STALE_CLAIM_MS;
    const beat = await this.beats.findOne({ _id: doc.owner });
    const lastSign = Math.max(doc.claimedAt.getTime(), beat?.beatAt.getTime() ?? 0);
    return lastSign <= now - HEARTBEAT_STALE_MS;
  }

  begin(key: string, now: Date): ReturnType<OperationLog['begin']> {
    return guard(async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const claimedAt = this.clock.now();
        const token = randomUUID();
        try {
          await this.ops.insertOne({
            _id: key,
            state: 'pending',
            result: null,
            createdAt: now,
            claimedAt,
            completedAt: null,
            owner: this.processId,
            token,
            bound: null,
          });
          this.hold(key, token);
          return { state: 'new' as const };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
        const doc = await this.ops.findOne({ _id: key });
        if (doc === null) continue; // abandoned or purged in between: claim it again
        if (doc.state === 'done') return { state: 'done' as const, result: doc.result ?? null };
        if (await this.holderStopped(doc, claimedAt.getTime())) {
          const taken = await this.ops.updateOne(
            { _id: key, state: 'pending', claimedAt: doc.claimedAt, token: doc.token ?? null },
            { $set: { claimedAt, owner: this.processId, token } },
          );
          if (taken.modifiedCount === 1) {
            this.hold(key, token);
            const bound = doc.bound ?? null;
            return { state: 'new' as const, takenOver: true as const, ...(bound !== null ? { bound } : {}) };
          }
          continue; // someone else took it over or finished it: look again
        }
        return { state: 'pending' as const };
      }
      return { state: 'pending' as const };
    });
  }

  bind(key: string, value: unknown): Promise<boolean> {
    return guard(async () => {
      const token = this.held.get(key);
      if (!token) return false;
      const r = await this.ops.updateOne({ _id: key, state: 'pending', token }, { $set: { bound: value ?? null } });
      return r.matchedCount === 1;
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
              $set: { state: 'done', result: result ?? null, completedAt: now, owner: null, token: null },
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
    const token = this.held.get(key);
    this.release(key);
    return guard(async () => {
      // Only our own holding: a claim taken over meanwhile is someone else's work in progress.
      await this.ops.deleteOne({ _id: key, state: 'pending', ...(token ? { token } : { owner: this.processId }) });
    });
  }

  purgeOlderThan(before: Date): Promise<number> {
    return guard(async () => {
      // index createdAt
      const res = await this.ops.deleteMany({ createdAt: { $lt: before } });
      // index beatAt: heartbeats of processes long gone
      await this.beats.deleteMany({ beatAt: { $lt: before } });
      return res.deletedCount;
    });
  }

  /** Stops the heartbeat (the process is shutting down; its claims are left to be taken over). */
  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
