/**
 * In-memory implementations of the store ports for fast unit tests, with the same semantics as the MongoDB
 * repositories (and checked by the same contract suite, test/integration/store/ticket-repository.contract.test.ts):
 * documents are built by the same mappers (src/store/ticket.mapper.ts), `save` throws ConflictError on a
 * version mismatch and NotFoundError for an unknown ticket, events and notices are parked on the ticket and
 * then moved, notice keys are idempotent in the outbox, `posts` are only changed by `addPost`, and every
 * read and write copies (so callers never share objects with the store).
 *
 * Extras for tests: `outboxItems()` / `notices()` (what the notifier would deliver), `ticketDoc()` and
 * `insertTicketDoc()` (raw documents, e.g. a crashed save), and `autoFlush = false` to leave saved changes
 * parked as if the process had died right after the save.
 */
import type {
  Draft,
  DraftRepository,
  OperationLog,
  QueueQuery,
  TicketChange,
  TicketEventRepository,
  TicketRepository,
} from '../../src/app/ports';
import { systemClock } from '../../src/clock';
import type { TeamId } from '../../src/config/policy.schema';
import type { Clock } from '../../src/domain/clock';
import { ConflictError, NotFoundError } from '../../src/domain/errors';
import type { Notice } from '../../src/domain/ticket/notice';
import { compareQueue, queueKey } from '../../src/domain/ticket/queue';
import type { Actor, PostedCard, Ticket, TicketEvent } from '../../src/domain/ticket/ticket';
import { HEARTBEAT_STALE_MS } from '../../src/store/limits';
import type { ProcessedEventDoc } from '../../src/store/models';
import type { OutboxDoc } from '../../src/store/outbox.model';
import {
  derivedFields,
  docToEvent,
  docToTicket,
  eventToDoc,
  noticeToOutboxDoc,
  outboxDocToNotice,
  postDoc,
  searchFields,
  type TicketDoc,
  type TicketEventDoc,
  ticketFields,
  ticketToDoc,
} from '../../src/store/ticket.mapper';

/**
 * Deep copy of plain data (objects, arrays, Dates, primitives). Not structuredClone: under jest that makes
 * Dates of another realm, which fail `instanceof Date` in the code under test.
 */
function copy<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x);
    return out as T;
  }
  return v;
}

/** Sort keys compared like MongoDB does for our fields (Dates, numbers, strings; no nulls in sort keys). */
function compare(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}
function sortBy<T>(items: T[], keys: Array<[(t: T) => unknown, 1 | -1]>): T[] {
  return items.sort((a, b) => {
    for (const [key, dir] of keys) {
      const c = compare(key(a), key(b));
      if (c !== 0) return c * dir;
    }
    return 0;
  });
}

class State {
  seq = 0;
  readonly tickets = new Map<string, TicketDoc>();
  readonly events = new Map<string, TicketEventDoc>();
  readonly outbox = new Map<string, OutboxDoc>();
  readonly processed = new Map<string, ProcessedEventDoc>();
  readonly drafts = new Map<string, Draft>();
  autoFlush = true;
  constructor(readonly clock: Clock) {}
}

export class MemoryTicketRepository implements TicketRepository {
  constructor(private readonly s: State) {}

  async nextSeq(): Promise<number> {
    this.s.seq += 1;
    return this.s.seq;
  }

  async create(change: TicketChange, raiseKey?: string): Promise<Ticket> {
    const number = change.ticket.number;
    if (this.s.tickets.has(number)) throw new ConflictError(number);
    const doc = ticketToDoc({ ...change.ticket, version: 1 });
    if (raiseKey) doc.raiseKey = raiseKey;
    this.park(doc, change, 1);
    this.s.tickets.set(number, copy(doc));
    if (this.s.autoFlush) this.flush(number);
    return docToTicket(copy(doc));
  }

  async findByRaiseKey(raiseKey: string): Promise<Ticket | null> {
    const doc = [...this.s.tickets.values()].find((d) => d.raiseKey === raiseKey);
    return doc ? docToTicket(copy(doc)) : null;
  }

  async get(number: string): Promise<Ticket | null> {
    const doc = this.s.tickets.get(number);
    return doc ? docToTicket(copy(doc)) : null;
  }

  async save(change: TicketChange, expectedVersion: number): Promise<Ticket> {
    const number = change.ticket.number;
    const doc = this.s.tickets.get(number);
    if (!doc) throw new NotFoundError(number);
    if (doc.version !== expectedVersion) throw new ConflictError(number);
    const version = expectedVersion + 1;
    const { posts: _posts, ...fields } = ticketFields({ ...change.ticket, version });
    Object.assign(doc, copy(fields), derivedFields(change.ticket), searchFields(change.ticket));
    this.park(doc, change, version);
    if (this.s.autoFlush) this.flush(number);
    return docToTicket(copy(doc));
  }

  async saveMany(
    items: Array<{ change: TicketChange; expectedVersion: number }>,
  ): Promise<Array<'saved' | 'conflict'>> {
    const out: Array<'saved' | 'conflict'> = [];
    for (const { change, expectedVersion } of items) {
      try {
        await this.save(change, expectedVersion);
        out.push('saved');
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        out.push('conflict');
      }
    }
    return out;
  }

  async addPost(number: string, post: PostedCard): Promise<number> {
    const doc = this.s.tickets.get(number);
    if (!doc) throw new NotFoundError(number);
    const p = postDoc(post);
    const same = (q: PostedCard) =>
      q.kind === p.kind && q.platform === p.platform && q.channel === p.channel && q.messageId === p.messageId;
    if (!doc.posts.some(same)) doc.posts.push(p);
    return doc.version;
  }

  async listByRequester(
    who: Pick<Actor, 'platform' | 'userId'>,
    opts: { openOnly: boolean; limit: number },
  ): Promise<Ticket[]> {
    return this.list(
      (d) => d.requester.platform === who.platform && d.requester.userId === who.userId && (!opts.openOnly || d.open),
      [
        [(d) => d.updatedAt, -1],
        [(d) => d._id, 1],
      ],
      opts.limit,
    );
  }

  async listIncidentCandidates(since: Date, limit: number): Promise<Ticket[]> {
    const kinds = (d: TicketDoc) => (d.links ?? []).map((l) => l.kind);
    return this.list(
      (d) =>
        d.open &&
        d.createdAt >= since &&
        (kinds(d).includes('has_part') || (d.severity <= 2 && !kinds(d).includes('part_of'))),
      [
        [(d) => d.createdAt.getTime(), -1],
        [(d) => d._id, -1],
      ],
      limit,
    );
  }

  async listQueue(opts: QueueQuery): Promise<Ticket[]> {
    const mine = (d: TicketDoc) =>
      opts.assignee === undefined ||
      (opts.assignee === null
        ? d.assignee === null
        : d.assignee?.platform === opts.assignee.platform && d.assignee?.userId === opts.assignee.userId);
    const all = await this.list(
      (d) =>
        d.open &&
        !(d.links ?? []).some((l) => l.kind === 'part_of') &&
        (!opts.teams || opts.teams.includes(d.team)) &&
        mine(d),
      [[(d) => d._id, 1]],
      Number.MAX_SAFE_INTEGER,
    );
    const order = compareQueue(opts.now);
    return all.sort((a, b) => order(queueKey(a), queueKey(b))).slice(0, opts.limit);
  }

  async findDue(now: Date, limit: number): Promise<Ticket[]> {
    return this.list(
      (d) => d.nextCheckAt !== null && d.nextCheckAt.getTime() <= now.getTime(),
      [
        [(d) => d.nextCheckAt, 1],
        [(d) => d._id, 1],
      ],
      limit,
    );
  }

  async findInStatusSince(
    status: Ticket['status'],
    before: Date,
    limit: number,
    after?: Pick<Ticket, 'number' | 'statusChangedAt'>,
  ): Promise<Ticket[]> {
    const past = (d: { statusChangedAt: Date; _id: string }) =>
      !after ||
      d.statusChangedAt.getTime() > after.statusChangedAt.getTime() ||
      (d.statusChangedAt.getTime() === after.statusChangedAt.getTime() && d._id > after.number);
    return this.list(
      (d) => d.status === status && d.statusChangedAt.getTime() <= before.getTime() && past(d),
      [
        [(d) => d.statusChangedAt, 1],
        [(d) => d._id, 1],
      ],
      limit,
    );
  }

  async findWithoutClientSince(since: Date, limit: number): Promise<Ticket[]> {
    return this.list(
      (d) => d.open && (d.clientId ?? null) === null && d.createdAt.getTime() >= since.getTime(),
      [
        [(d) => d.createdAt, 1],
        [(d) => d._id, 1],
      ],
      limit,
    );
  }

  async findInRelease(day: string, limit: number): Promise<Ticket[]> {
    return this.list((d) => d.development?.release === day, [[(d) => d._id, 1]], limit);
  }

  async findResolvedBetween(from: Date, to: Date, limit: number): Promise<Ticket[]> {
    return this.list(
      (d) => d.resolvedAt !== null && d.resolvedAt.getTime() >= from.getTime() && d.resolvedAt.getTime() < to.getTime(),
      [
        [(d) => d.resolvedAt, 1],
        [(d) => d._id, 1],
      ],
      limit,
    );
  }

  async countOpenBy(): Promise<Array<{ severity: number; team: TeamId; count: number }>> {
    const counts = new Map<string, { severity: number; team: TeamId; count: number }>();
    for (const d of this.s.tickets.values()) {
      if (!d.open) continue;
      const k = `${d.severity}|${d.team}`;
      const row = counts.get(k) ?? { severity: d.severity, team: d.team, count: 0 };
      row.count += 1;
      counts.set(k, row);
    }
    return [...counts.values()].sort((a, b) => a.severity - b.severity || a.team.localeCompare(b.team));
  }

  /** Nothing to audit: this fake never hands out a number without saving its ticket. */
  async auditNumbers(_now: Date): Promise<number> {
    return 0;
  }

  /** Saves move at once here (unless `autoFlush` is off, which leaves them to flushPending). */
  async moveSaved(): Promise<void> {}

  async flushPending(limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const due = [...this.s.tickets.values()].filter((d) => d.hasPending).slice(0, limit);
    for (const d of due) this.flush(d._id);
    return due.length;
  }

  /** Parks the change's events and notices on the ticket document (as the MongoDB save does). */
  private park(doc: TicketDoc, change: TicketChange, version: number): void {
    const now = change.ticket.updatedAt;
    const events = change.events.map((e, i) => eventToDoc(e, doc._id, version, i));
    const notices = change.notices.map((n) => noticeToOutboxDoc(n, now));
    if (events.length === 0 && notices.length === 0) return;
    doc.pendingEvents.push(...copy(events));
    doc.pendingNotices.push(...copy(notices));
    doc.hasPending = true;
  }

  /** Moves parked items: insert where absent (by `_id` / notice key), remove them, clear the flag if empty. */
  private flush(number: string): void {
    const doc = this.s.tickets.get(number);
    if (!doc) return;
    for (const e of doc.pendingEvents) if (!this.s.events.has(e._id)) this.s.events.set(e._id, copy(e));
    for (const n of doc.pendingNotices) if (!this.s.outbox.has(n._id)) this.s.outbox.set(n._id, copy(n));
    doc.pendingEvents = [];
    doc.pendingNotices = [];
    doc.hasPending = false;
  }

  private list(
    match: (d: TicketDoc) => boolean,
    sort: Array<[(d: TicketDoc) => unknown, 1 | -1]>,
    limit: number,
  ): Ticket[] {
    if (limit <= 0) return [];
    return sortBy([...this.s.tickets.values()].filter(match), sort)
      .slice(0, limit)
      .map((d) => docToTicket(copy(d)));
  }
}

export class MemoryTicketEventRepository implements TicketEventRepository {
  constructor(private readonly s: State) {}

  async listFor(number: string): Promise<TicketEvent[]> {
    const docs = [...this.s.events.values()].filter((e) => e.ticket === number);
    return sortBy(docs, [
      [(e) => e.at, 1],
      [(e) => e.version, 1],
      [(e) => e.index, 1],
    ]).map((e) => docToEvent(copy(e)));
  }
}

export class MemoryOperationLog implements OperationLog {
  constructor(private readonly s: State) {}

  async begin(key: string, now: Date): ReturnType<OperationLog['begin']> {
    const doc = this.s.processed.get(key);
    const claimedAt = this.s.clock.now(); // claims age in the store's clock, as in MongoOperationLog
    if (!doc) {
      this.s.processed.set(key, {
        _id: key,
        state: 'pending',
        result: null,
        createdAt: now,
        claimedAt,
        completedAt: null,
      });
      return { state: 'new' };
    }
    if (doc.state === 'done') return { state: 'done', result: copy(doc.result) };
    // One process, whose heartbeat is its claims: a claim is its holder's last sign of life.
    if (doc.claimedAt.getTime() <= claimedAt.getTime() - HEARTBEAT_STALE_MS) {
      doc.claimedAt = claimedAt;
      const bound = doc.bound ?? null;
      return { state: 'new', takenOver: true, ...(bound !== null ? { bound: copy(bound) } : {}) };
    }
    return { state: 'pending' };
  }

  /** One process: a pending claim is always its own. */
  async bind(key: string, value: unknown): Promise<boolean> {
    const doc = this.s.processed.get(key);
    if (doc?.state !== 'pending') return false;
    doc.bound = copy(value ?? null);
    return true;
  }

  async complete(key: string, result: unknown): Promise<void> {
    const now = this.s.clock.now();
    const doc = this.s.processed.get(key);
    const stored = copy(result ?? null);
    if (doc) Object.assign(doc, { state: 'done', result: stored, completedAt: now });
    else
      this.s.processed.set(key, {
        _id: key,
        state: 'done',
        result: stored,
        createdAt: now,
        claimedAt: now,
        completedAt: now,
      });
  }

  async abandon(key: string): Promise<void> {
    if (this.s.processed.get(key)?.state === 'pending') this.s.processed.delete(key);
  }

  async purgeOlderThan(before: Date): Promise<number> {
    let n = 0;
    for (const [key, doc] of this.s.processed) {
      if (doc.createdAt.getTime() < before.getTime()) {
        this.s.processed.delete(key);
        n++;
      }
    }
    return n;
  }
}

export class MemoryDraftRepository implements DraftRepository {
  constructor(private readonly s: State) {}

  async get(userKey: string): Promise<Draft | null> {
    const d = this.s.drafts.get(userKey);
    return d ? copy(d) : null;
  }

  async getMany(userKeys: string[]): Promise<Draft[]> {
    return userKeys.flatMap((k) => {
      const d = this.s.drafts.get(k);
      return d ? [copy(d)] : [];
    });
  }

  async save(draft: Draft): Promise<void> {
    this.s.drafts.set(draft.userKey, copy(draft));
  }

  async delete(userKey: string): Promise<void> {
    this.s.drafts.delete(userKey);
  }

  async purgeOlderThan(before: Date): Promise<number> {
    let n = 0;
    for (const [k, d] of this.s.drafts) {
      if (d.updatedAt < before) {
        this.s.drafts.delete(k);
        n++;
      }
    }
    return n;
  }
}

/** All the in-memory repositories over one shared state. */
export class MemoryStore {
  private readonly s: State;
  readonly tickets: MemoryTicketRepository;
  readonly events: MemoryTicketEventRepository;
  readonly operations: MemoryOperationLog;
  readonly drafts: MemoryDraftRepository;

  constructor(opts: { clock?: Clock } = {}) {
    this.s = new State(opts.clock ?? systemClock);
    this.tickets = new MemoryTicketRepository(this.s);
    this.events = new MemoryTicketEventRepository(this.s);
    this.operations = new MemoryOperationLog(this.s);
    this.drafts = new MemoryDraftRepository(this.s);
  }

  /** false: saved changes stay parked on the ticket (as after a crash) until `tickets.flushPending`. */
  set autoFlush(on: boolean) {
    this.s.autoFlush = on;
  }
  get autoFlush(): boolean {
    return this.s.autoFlush;
  }

  /** Outbox items in the order they were stored. */
  outboxItems(): OutboxDoc[] {
    return [...this.s.outbox.values()].map(copy);
  }

  /** The notices in the outbox, as the domain produced them. */
  notices(): Notice[] {
    return this.outboxItems().map(outboxDocToNotice);
  }

  /** Forget what is in the outbox (e.g. between the steps of a test). */
  clearOutbox(): void {
    this.s.outbox.clear();
  }

  /** The stored ticket document, pending arrays included. */
  ticketDoc(number: string): TicketDoc | null {
    const d = this.s.tickets.get(number);
    return d ? copy(d) : null;
  }

  /** Stores a raw ticket document as it is (e.g. one with parked items, as a crashed save leaves it). */
  insertTicketDoc(doc: TicketDoc): void {
    if (this.s.tickets.has(doc._id)) throw new ConflictError(doc._id);
    this.s.tickets.set(doc._id, copy(doc));
  }

  /** Forget everything. */
  reset(): void {
    this.s.seq = 0;
    this.s.tickets.clear();
    this.s.events.clear();
    this.s.outbox.clear();
    this.s.processed.clear();
    this.s.drafts.clear();
    this.s.autoFlush = true;
  }
}
