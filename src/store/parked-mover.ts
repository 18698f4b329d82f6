/**
 * Moves what saves parked on their tickets, after the request that saved them has its answer: a raise or a click
 * waits for its ticket's single-document write (which holds the change's events and notices, so nothing can be
 * lost from then on), not for the four commands that copy them to ticket_events, outbox and outbox_queue.
 *
 * Every save of this process hands its stored document here; a move runs on the next turn of the event loop and
 * takes every ticket handed over by then in one `moveParked` (three inserts and one bulk update whatever their
 * number, so concurrent raises share it). The notifier calls `settle()` before it claims deliveries, so the notices
 * of a change are in the outbox before the run that was kicked for them looks there.
 *
 * Safe to lose: the documents here are only copies of what is on the tickets with `hasPending: true`. A process
 * that dies (or a database that fails) before its move leaves them there, and `flushPending` (the scheduler's
 * recovery, any replica) moves them; both moves are idempotent, so running them twice or at once is harmless.
 */
import { crashPoint } from '../crash-switch';
import type { StoreLogger } from './connection';
import { moveParked, type Parked, type ParkedCollections } from './parked-items';

/** More tickets than this waiting for a move (a database that does not answer): the rest is left to recovery. */
export const MOVER_BOUND = 2_000;

type Saved = Parked & { version?: number };

/** The later save's document, with any item only the earlier one held (by `_id`). */
function merged(a: Saved, b: Saved): Saved {
  const [older, newer] = (a.version ?? 0) > (b.version ?? 0) ? [b, a] : [a, b];
  const union = <T extends { _id: string }>(x: T[] = [], y: T[] = []) => {
    const ids = new Set(y.map((d) => d._id));
    return [...x.filter((d) => !ids.has(d._id)), ...y];
  };
  return {
    ...newer,
    pendingEvents: union(older.pendingEvents, newer.pendingEvents),
    pendingNotices: union(older.pendingNotices, newer.pendingNotices),
  };
}

export class ParkedMover {
  private waiting = new Map<string, Saved>();
  private running: Promise<void> | null = null;
  private scheduled = false;

  constructor(
    private readonly collections: ParkedCollections,
    private readonly log?: Pick<StoreLogger, 'warn'>,
  ) {}

  /** A save's stored document (as the save answered it): its parked items are moved shortly. */
  add(doc: Saved): void {
    if (!(doc.pendingEvents?.length || doc.pendingNotices?.length)) return;
    const held = this.waiting.get(doc._id);
    if (!held && this.waiting.size >= MOVER_BOUND) return; // still parked on the ticket: recovery moves it
    // Two saves of one ticket before a move: both documents' items (a sweep's save hands over its own only).
    this.waiting.set(doc._id, held ? merged(held, doc) : doc);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.settle();
    });
  }

  /** Resolves when everything handed over so far has been moved (or left to recovery after a failure). */
  async settle(): Promise<void> {
    while (this.running || this.waiting.size > 0) {
      if (!this.running) this.running = this.moveWaiting().finally(() => (this.running = null));
      await this.running;
    }
  }

  private async moveWaiting(): Promise<void> {
    const docs = [...this.waiting.values()];
    this.waiting = new Map();
    try {
      await moveParked(this.collections, docs);
      crashPoint('ticket:queued');
    } catch (err) {
      this.log?.warn(
        { tickets: docs.map((d) => d._id).slice(0, 20), err: err instanceof Error ? err.message : String(err) },
        'saved, but their events and notices were not moved yet; flushPending will move them',
      );
    }
  }
}
