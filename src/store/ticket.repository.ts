/**
 * TicketRepository on MongoDB (tickets, counters; moves parked changes to ticket_events and outbox).
 *
 * Optimistic concurrency is by hand (no mongoose `__v`): every write of a ticket's fields is one
 * `findOneAndUpdate({ _id, version: expectedVersion }, { $set: { ..., version: expectedVersion + 1 } })`.
 *
 * A change's audit events and notices are parked on the ticket in that same single-document update
 * (`$push` onto `pendingEvents` / `pendingNotices`, `hasPending: true`), so the ticket, its history and its
 * notifications commit together without a transaction. The flush then moves them, after the request that saved
 * them has its answer (store/parked-mover.ts: the moves of concurrent saves are batched):
 *
 *   1. insert the parked events into ticket_events (`_id` = `${number}:v${version}:${i}`) and the notices
 *      into outbox (`_id` = notice key) and its queue (store/outbox.repository.ts), unordered, ignoring
 *      duplicate keys: a copy already there is the
 *      same item from an earlier, interrupted flush (or, for a notice key, the same notification produced
 *      again, which must be stored once);
 *   2. `$pullAll` exactly the items read in step 1 from the ticket. Items parked meanwhile by a newer save
 *      are different array elements (other `_id`s / keys), so they stay;
 *   3. clear `hasPending` only with a filter that the arrays are empty *at that moment*
 *      (`{ pendingEvents: { $size: 0 }, pendingNotices: { $size: 0 } }`). A save that parks new items after
 *      this sets `hasPending: true` again in its own update, so the flag can never be false while items wait.
 *   Steps 2 and 3 are one update in the usual case: when the arrays still equal exactly what step 1 read, they
 *   are emptied and the flag cleared together; only when a newer save parked more meanwhile are they separate.
 *
 * A crash (or an outage) anywhere after the save leaves the items on the ticket with `hasPending: true`;
 * `flushPending` (the scheduler) repeats the same steps, and steps 1-3 are idempotent, so running them
 * twice or concurrently is harmless.
 *
 * `posts` are written only by `addPost` (`$addToSet`, no version bump), never by `save`, so a card posted
 * between a read and a save is not overwritten by the saved copy of the ticket.
 */
import { randomUUID } from 'node:crypto';
import type { QueueQuery, TicketChange, TicketRepository } from '../app/ports';
import type { TeamId } from '../config/policy.schema';
import { crashPoint } from '../crash-switch';
import type { Clock } from '../domain/clock';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Actor, PostedCard, Ticket } from '../domain/ticket/ticket';
import type { StoreLogger } from './connection';
import { guard, isDuplicateKeyError } from './errors';
import { collectionOf, type Models } from './models';
import { moveParked, type Parked, type ParkedCollections } from './parked-items';
import { ParkedMover } from './parked-mover';
import { incidentCandidates, queueReads } from './queue-reads';
import {
  derivedFields,
  docToTicket,
  eventToDoc,
  noticeToOutboxDoc,
  postDoc,
  searchFields,
  type TicketDoc,
  ticketFields,
  ticketToDoc,
} from './ticket.mapper';
import { SKIPPED_REASONS, TicketNumbers } from './ticket-numbers';

export interface RepositoryOptions {
  /** Operation-log completion times. Default: system time. (Outbox items take the change's `ticket.updatedAt`.) */
  clock?: Clock;
  /** Told about a flush that failed after its save had committed (flushPending finishes it later). */
  log?: Pick<StoreLogger, 'warn'>;
  /** How often the operation log's heartbeat runs while this process holds claims (default HEARTBEAT_MS). */
  heartbeatMs?: number;
}

/** The counters document holding the ticket sequence. */
export const TICKET_COUNTER_ID = 'ticket';

/** Pending arrays are never read back by the queries. */
const WITHOUT_PENDING = { pendingEvents: 0, pendingNotices: 0 } as const;

export class MongoTicketRepository implements TicketRepository {
  private readonly tickets;
  private readonly counters;
  private readonly events;
  private readonly collections: ParkedCollections;
  private readonly log: Pick<StoreLogger, 'warn'> | undefined;
  private readonly numbers: TicketNumbers;
  private readonly mover: ParkedMover;

  constructor(models: Models, opts: RepositoryOptions = {}) {
    this.numbers = new TicketNumbers(models);
    this.tickets = collectionOf(models.Ticket);
    this.counters = collectionOf(models.Counter);
    this.events = collectionOf(models.TicketEvent);
    this.collections = {
      tickets: this.tickets,
      events: this.events,
      outbox: collectionOf(models.Outbox),
      outboxQueue: collectionOf(models.OutboxQueue),
    };
    this.log = opts.log;
    this.mover = new ParkedMover(this.collections, opts.log);
  }

  moveSaved(): Promise<void> {
    return this.mover.settle();
  }

  nextSeq(): Promise<number> {
    return guard(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const doc = await this.counters.findOneAndUpdate(
            { _id: TICKET_COUNTER_ID },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          );
          if (doc === null) throw new Error('the ticket counter upsert returned no document');
          return doc.seq;
        } catch (err) {
          // Two first-ever upserts can race to insert the counter; the loser just increments it.
          if (!isDuplicateKeyError(err) || attempt >= 5) throw err;
        }
      }
    });
  }

  create(change: TicketChange, raiseKey?: string): Promise<Ticket> {
    return guard(async () => {
      const number = change.ticket.number;
      const doc = ticketToDoc({ ...change.ticket, version: 1 });
      if (raiseKey) doc.raiseKey = raiseKey;
      Object.assign(doc, this.park(change, number, 1));
      try {
        await this.tickets.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // The same raise, taken over from a process that died after binding this number, inserted by both: one ticket.
        const same = raiseKey ? await this.tickets.findOne({ _id: number, raiseKey }) : null;
        if (same) {
          this.afterSave(same);
          return docToTicket(same);
        }
        // The raise takes the next number (app/raise-ticket): this one stays skipped, on record.
        await this.numbers
          .record([change.ticket.seq], SKIPPED_REASONS.taken, change.ticket.createdAt)
          .catch(() => undefined);
        throw new ConflictError(number);
      }
      this.afterSave(doc);
      return docToTicket(doc);
    });
  }

  findByRaiseKey(raiseKey: string): Promise<Ticket | null> {
    return guard(async () => {
      // index raiseKey
      const doc = await this.tickets.findOne({ raiseKey }, { projection: WITHOUT_PENDING });
      return doc ? docToTicket(doc) : null;
    });
  }

  auditNumbers(now: Date): Promise<number> {
    return guard(() => this.numbers.auditNumbers(now));
  }

  get(number: string): Promise<Ticket | null> {
    return guard(async () => {
      const doc = await this.tickets.findOne({ _id: number }, { projection: WITHOUT_PENDING });
      return doc ? docToTicket(doc) : null;
    });
  }

  save(change: TicketChange, expectedVersion: number): Promise<Ticket> {
    return guard(async () => {
      const number = change.ticket.number;
      const { filter, update } = this.versionedUpdate(change, expectedVersion);
      const after = await this.tickets.findOneAndUpdate(filter, update, { returnDocument: 'after' });
      if (after === null) {
        const exists = await this.tickets.countDocuments({ _id: number }, { limit: 1 });
        throw exists > 0 ? new ConflictError(number) : new NotFoundError(number);
      }
      this.afterSave(after);
      return docToTicket(after);
    });
  }

  /** The version-checked update of one save: the new fields, and the change's events and notices parked. */
  private versionedUpdate(change: TicketChange, expectedVersion: number) {
    const number = change.ticket.number;
    const version = expectedVersion + 1;
    const { posts: _posts, ...fields } = ticketFields({ ...change.ticket, version });
    const parked = this.park(change, number, version);
    const hasItems = parked.pendingEvents.length > 0 || parked.pendingNotices.length > 0;
    return {
      parked: { ...parked, version },
      filter: { _id: number, version: expectedVersion },
      update: {
        $set: {
          ...fields,
          ...derivedFields(change.ticket),
          ...searchFields(change.ticket),
          ...(hasItems ? { hasPending: true } : {}),
        },
        ...(hasItems
          ? {
              $push: {
                pendingEvents: { $each: parked.pendingEvents },
                pendingNotices: { $each: parked.pendingNotices },
              },
            }
          : {}),
      },
    };
  }

  /**
   * Saves several changes in one round trip whatever their number (the SLA sweep): one bulk of version-checked
   * updates, each stamped with this call's id. When every one matched (the usual case) they are all saved; otherwise
   * one read of the tickets tells which carry the id (a save of ours that a later save overwrote reads as lost, which
   * is harmless: its parked items move all the same). What they parked is moved after, as for `save`. Answers, per
   * change, 'saved' or 'conflict' (save's ConflictError).
   */
  saveMany(items: Array<{ change: TicketChange; expectedVersion: number }>): Promise<Array<'saved' | 'conflict'>> {
    return guard(async () => {
      if (items.length === 0) return [];
      const saveId = randomUUID();
      const updates = items.map(({ change, expectedVersion }) => this.versionedUpdate(change, expectedVersion));
      const written = await this.tickets.bulkWrite(
        updates.map(({ filter, update }) => ({
          updateOne: { filter, update: { ...update, $set: { ...update.$set, saveId } } },
        })),
        { ordered: false },
      );
      crashPoint('sweep:saved');
      if (written.matchedCount === items.length) {
        // Each parked exactly what `park` made (items an earlier save left are the mover's or recovery's).
        for (const { parked } of updates) this.mover.add(parked);
        return items.map(() => 'saved' as const);
      }
      const numbers = items.map((i) => i.change.ticket.number);
      // the _id index ({ _id: { $in } })
      const docs = await this.tickets
        .find(
          { _id: { $in: numbers } },
          { projection: { _id: 1, saveId: 1, version: 1, hasPending: 1, pendingEvents: 1, pendingNotices: 1 } },
        )
        .toArray();
      const ours = new Set(docs.filter((d) => d.saveId === saveId).map((d) => d._id));
      for (const doc of docs) if (doc.hasPending) this.mover.add(doc);
      return numbers.map((n) => (ours.has(n) ? 'saved' : 'conflict'));
    });
  }

  addPost(number: string, post: PostedCard): Promise<number> {
    return guard(async () => {
      const after = await this.tickets.findOneAndUpdate(
        { _id: number },
        { $addToSet: { posts: postDoc(post) } },
        { returnDocument: 'after', projection: { version: 1 } },
      );
      if (after === null) throw new NotFoundError(number);
      return after.version;
    });
  }

  listByRequester(
    who: Pick<Actor, 'platform' | 'userId'>,
    opts: { openOnly: boolean; limit: number },
  ): Promise<Ticket[]> {
    // index requester_updatedAt
    return this.list(
      {
        'requester.platform': who.platform,
        'requester.userId': who.userId,
        ...(opts.openOnly ? { open: true } : {}),
      },
      { updatedAt: -1, _id: 1 },
      opts.limit,
    );
  }

  /**
   * Three reads, one per queue group, never the whole collection, each in severity, priority and age
   * order with the limit applied by the server: breached (`breachAt <= now`: index open_breachAt, the
   * few breached tickets sorted), at risk (`riskAt <= now < breachAt`: index open_riskAt), then the rest
   * (`riskAt > now`: index open_severity_priority_createdAt walked in order).
   */
  async listQueue(opts: QueueQuery): Promise<Ticket[]> {
    const { limit } = opts;
    const { scope, order, groups } = queueReads(opts);
    const out: Ticket[] = [];
    for (const group of groups) {
      if (out.length >= limit) break;
      out.push(...(await this.list({ ...scope, ...group }, order, limit - out.length)));
    }
    return out;
  }

  listIncidentCandidates(since: Date, limit: number): Promise<Ticket[]> {
    return this.list(incidentCandidates(since), { createdAt: -1, _id: -1 }, limit);
  }

  findDue(now: Date, limit: number): Promise<Ticket[]> {
    // index nextCheckAt (a null nextCheckAt never matches $lte)
    return this.list({ nextCheckAt: { $lte: now } }, { nextCheckAt: 1, _id: 1 }, limit);
  }

  findInStatusSince(
    status: Ticket['status'],
    before: Date,
    limit: number,
    after?: Pick<Ticket, 'number' | 'statusChangedAt'>,
  ): Promise<Ticket[]> {
    // index status_statusChangedAt (keyset paging on statusChangedAt, then _id)
    const page = after
      ? {
          $or: [
            { statusChangedAt: { $gt: after.statusChangedAt, $lte: before } },
            { statusChangedAt: after.statusChangedAt, _id: { $gt: after.number } },
          ],
        }
      : { statusChangedAt: { $lte: before } };
    return this.list({ status, ...page }, { statusChangedAt: 1, _id: 1 }, limit);
  }

  findWithoutClientSince(since: Date, limit: number): Promise<Ticket[]> {
    // index clientId_createdAt ({ clientId: null } also matches tickets stored before the field existed)
    return this.list({ clientId: null, createdAt: { $gte: since }, open: true }, { createdAt: 1, _id: 1 }, limit);
  }

  findInRelease(day: string, limit: number): Promise<Ticket[]> {
    // index developmentRelease
    return this.list({ 'development.release': day }, { _id: 1 }, limit);
  }

  findResolvedBetween(from: Date, to: Date, limit: number): Promise<Ticket[]> {
    // index resolvedAt
    return this.list({ resolvedAt: { $gte: from, $lt: to } }, { resolvedAt: 1, _id: 1 }, limit);
  }

  countOpenBy(): Promise<Array<{ severity: number; team: TeamId; count: number }>> {
    return guard(async () => {
      // index open_queueAt_createdAt (prefix { open })
      const rows = await this.tickets
        .aggregate<{ _id: { severity: number; team: TeamId }; count: number }>([
          { $match: { open: true } },
          { $group: { _id: { severity: '$severity', team: '$team' }, count: { $sum: 1 } } },
        ])
        .toArray();
      return rows
        .map((r) => ({ severity: r._id.severity, team: r._id.team, count: r.count }))
        .sort((a, b) => a.severity - b.severity || a.team.localeCompare(b.team));
    });
  }

  /** Finishes the move of up to `limit` tickets' parked items; returns how many tickets it flushed. */
  flushPending(limit: number): Promise<number> {
    return guard(async () => {
      if (limit <= 0) return 0;
      // index hasPending
      const docs = await this.tickets
        .find({ hasPending: true }, { projection: { _id: 1, pendingEvents: 1, pendingNotices: 1 } })
        .limit(limit)
        .toArray();
      await moveParked(this.collections, docs);
      return docs.length;
    });
  }

  // -------------------------------------------------------------------------------------------------------------

  private list(filter: object, sort: Record<string, 1 | -1>, limit: number): Promise<Ticket[]> {
    return guard(async () => {
      if (limit <= 0) return [];
      const docs = await this.tickets.find(filter, { projection: WITHOUT_PENDING }).sort(sort).limit(limit).toArray();
      return docs.map(docToTicket);
    });
  }

  /**
   * The change's events and notices as they are parked on the ticket. Outbox items are created and due at
   * the instant of the change (`ticket.updatedAt`, set by the domain from the app's Clock), so a test or demo
   * clock and the notifier agree on when they are due.
   */
  private park(change: TicketChange, number: string, version: number): Parked & { hasPending: boolean } {
    const now = change.ticket.updatedAt;
    const pendingEvents = change.events.map((e, i) => eventToDoc(e, number, version, i));
    const pendingNotices = change.notices.map((n) => noticeToOutboxDoc(n, now));
    return {
      _id: number,
      pendingEvents,
      pendingNotices,
      hasPending: pendingEvents.length > 0 || pendingNotices.length > 0,
    };
  }

  /**
   * The save has committed, with its events and notices parked on the ticket: they are moved after the caller has
   * its answer (store/parked-mover.ts; a failed or lost move is finished by flushPending).
   */
  private afterSave(doc: Parked & Pick<TicketDoc, 'version'>): void {
    crashPoint('ticket:saved');
    this.mover.add(doc);
  }
}
