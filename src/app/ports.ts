import type { Platform, SupportStatus, TeamId } from '../config/policy.schema';
import type { Notice } from '../domain/ticket/notice';
import type { Actor, PostedCard, Ticket, TicketEvent } from '../domain/ticket/ticket';

/** A ticket change to persist atomically: the ticket, its audit events and its notices. */
export interface TicketChange {
  ticket: Ticket;
  events: TicketEvent[];
  notices: Notice[];
}

/**
 * Tickets, with optimistic concurrency. `save` writes the ticket only if its stored version is
 * still `expectedVersion` and, in the same single-document update, parks the change's events and
 * notices on it; they are then moved to ticket_events and outbox (idempotently, by key) so a crash
 * between the two steps loses nothing (`flushPending` finishes the move).
 */
export interface TicketRepository {
  /** Atomic counter: the next ticket sequence number. */
  nextSeq(): Promise<number>;
  /**
   * Insert a new ticket (version 0 → stored as 1) with its events and notices. `raiseKey`, the raise's
   * operation key, is kept with it so a raise retried after its process died finds it (`findByRaiseKey`).
   */
  create(change: TicketChange, raiseKey?: string): Promise<Ticket>;
  findByRaiseKey(raiseKey: string): Promise<Ticket | null>;
  get(number: string): Promise<Ticket | null>;
  /** Throws ConflictError when someone else saved first. Returns the stored ticket (version + 1). */
  save(change: TicketChange, expectedVersion: number): Promise<Ticket>;
  /** Many saves at once (the sweep): per change, 'saved', or 'conflict' where save would throw ConflictError. */
  saveMany(items: Array<{ change: TicketChange; expectedVersion: number }>): Promise<Array<'saved' | 'conflict'>>;
  /** Remember a card posted about the ticket (no version bump: it is not a ticket change); answers its version. */
  addPost(number: string, post: PostedCard): Promise<number>;
  listByRequester(
    who: Pick<Actor, 'platform' | 'userId'>,
    opts: { openOnly: boolean; limit: number },
  ): Promise<Ticket[]>;
  /**
   * Open tickets in queue order at `now` (domain/ticket/queue `compareQueue`): breached first, then at
   * risk, then severity, priority and age. `teams` keeps those teams' tickets; `assignee` keeps that
   * person's (null: nobody's).
   */
  listQueue(opts: QueueQuery): Promise<Ticket[]>;
  /**
   * The open tickets raised at or after `since` that others may join as an incident (Severity 1 or 2, or already with
   * parts; never one that is itself part of one), newest first, at most `limit`: one indexed read.
   */
  listIncidentCandidates(since: Date, limit: number): Promise<Ticket[]>;
  /** Tickets whose next SLA check is at or before `now` (the sweep). */
  findDue(now: Date, limit: number): Promise<Ticket[]>;
  /**
   * Tickets in a status since at or before `before` (auto-close, reminders, CSAT prompts), oldest
   * first; `after` continues from the last ticket of the previous page.
   */
  findInStatusSince(
    status: Ticket['status'],
    before: Date,
    limit: number,
    after?: Pick<Ticket, 'number' | 'statusChangedAt'>,
  ): Promise<Ticket[]>;
  /** Open tickets raised at or after `since` with no client id (the client backfill), oldest first. */
  findWithoutClientSince(since: Date, limit: number): Promise<Ticket[]>;
  /** Tickets planned into the release of `day` (a local date, "2026-03-19"), in number order. */
  findInRelease(day: string, limit: number): Promise<Ticket[]>;
  /** Tickets resolved (reached On Customer Test) in [from, to), for the digest. */
  findResolvedBetween(from: Date, to: Date, limit: number): Promise<Ticket[]>;
  /** Open-ticket counts by severity and team, for the digest. */
  countOpenBy(): Promise<Array<{ severity: number; team: TeamId; count: number }>>;
  /**
   * Resolves once the events and notices this process's saves parked have been moved (saves move them shortly
   * after they answer, in batches; the notifier waits for this before it claims deliveries).
   */
  moveSaved(): Promise<void>;
  /** Move parked events and notices of any ticket that still has some (after a crash). */
  flushPending(limit: number): Promise<number>;
  /**
   * Puts on record (`skipped_numbers`, with the reason) every ticket number the counter handed out a while ago
   * that no ticket took: a raise that failed after taking its number. Answers how many it recorded.
   */
  auditNumbers(now: Date): Promise<number>;
}

export interface QueueQuery {
  now: Date;
  limit: number;
  teams?: TeamId[];
  assignee?: Pick<Actor, 'platform' | 'userId'> | null;
}

/** A search as the store runs it: every term held, the filters on indexed fields, newest first, bounded. */
export interface TicketSearchQuery {
  /** Every match holds all of these (the first is the one the index is walked by: put the rarest first). */
  terms: string[];
  /** Only this person's tickets (a requester's search). */
  requester?: Pick<Actor, 'platform' | 'userId'>;
  /** Only tickets in one of these statuses. */
  statuses?: SupportStatus[];
  /** Only open tickets; otherwise open ones and those updated at or after `recentSince`. */
  openOnly: boolean;
  recentSince: Date;
  /** Only tickets raised at or after this instant. */
  createdSince?: Date;
  /** The most candidates read (most recently updated first). */
  limit: number;
}

/** The tickets' search index (stored terms, a multikey index). */
export interface TicketSearchStore {
  search(q: TicketSearchQuery): Promise<Ticket[]>;
  /** Gives up to `limit` tickets saved before search existed their terms; answers how many it gave. Idempotent. */
  backfillTerms(limit: number): Promise<number>;
}

export interface TicketEventRepository {
  /** A ticket's history, oldest first, with what its latest saves parked (`parked: false`: moved events only). */
  listFor(number: string, opts?: { parked?: boolean }): Promise<TicketEvent[]>;
}

/**
 * processed_events: platform event / activity ids and operation keys already handled. `begin`
 * claims a key; a key already done returns its stored result so a retry answers the same. A pending key is
 * held by a process: while that process lives (its heartbeat), the key is 'pending'; once it has stopped
 * renewing, the next `begin` takes it over at once.
 */
export interface OperationLog {
  /**
   * 'new' with `takenOver` when the key was claimed by a process that died mid-way: its work may be half done, and
   * `bound` is what it bound to the claim before doing it (see `bind`).
   */
  begin(
    key: string,
    now: Date,
  ): Promise<
    { state: 'new'; takenOver?: true; bound?: unknown } | { state: 'done'; result: unknown } | { state: 'pending' }
  >;
  /**
   * Records `value` on a claim this process still holds (a raise: the ticket number it took), so whoever takes the
   * claim over does the work under the same value. False when the claim was taken over meanwhile.
   */
  bind(key: string, value: unknown): Promise<boolean>;
  complete(key: string, result: unknown): Promise<void>;
  /** Forget a claim whose work failed (only while this process still holds it), so a retry can run it. */
  abandon(key: string): Promise<void>;
  purgeOlderThan(before: Date): Promise<number>;
}

/** Intake in progress per user, so a multi-turn intake survives a restart. */
export interface Draft {
  userKey: string;
  platform: Platform;
  data: Record<string, string>;
  updatedAt: Date;
}
export interface DraftRepository {
  get(userKey: string): Promise<Draft | null>;
  /** The drafts of these keys that exist, in one round trip. */
  getMany(userKeys: string[]): Promise<Draft[]>;
  save(draft: Draft): Promise<void>;
  delete(userKey: string): Promise<void>;
  /** Forget drafts nobody touched since `before`; returns how many. */
  purgeOlderThan(before: Date): Promise<number>;
}

/**
 * Fixed-window rate counters (rate_counters), one per person, kind and window: shared by every replica.
 * `hit` adds one to the counter `key` (created on first use, kept until `expiresAt`) and answers its new count.
 */
export interface RateCounter {
  hit(key: string, expiresAt: Date): Promise<number>;
  /** Forget counters whose window ended before `now` (the local server keeps TTL indexes but never runs them). */
  purgeExpired(now: Date): Promise<number>;
}

/** The least-loaded guard of a team: how many picks it has recorded, and the last one (who, for which ticket). */
export interface LeastLoadedGuard {
  seq: number;
  last: string | null;
  lastTicket: string | null;
}

/** What automatic assignment shares across replicas: turns, the least-loaded guard, loads and who is away. */
export interface AssignmentStore {
  /** Round robin: the team's next turn (1, 2, 3, …), one atomic increment, never the same number twice. */
  nextTurn(team: TeamId): Promise<number>;
  leastLoadedGuard(team: TeamId): Promise<LeastLoadedGuard>;
  /** Records a least-loaded pick if the guard is still at `seq`; false when another pick got there first. */
  recordPick(team: TeamId, seq: number, personId: string, ticket: string): Promise<boolean>;
  /** Open tickets per assignee account and severity, for these accounts. */
  openLoads(
    accounts: Array<Pick<Actor, 'platform' | 'userId'>>,
  ): Promise<Array<{ platform: string; userId: string; severity: number; count: number }>>;
  /** Mark a person away until `until` (null: back now). */
  setAway(personId: string, until: Date | null, by: string, now: Date): Promise<void>;
  /** Who is away at `now`, until when. */
  awayAt(now: Date): Promise<Map<string, Date>>;
}

/** A request a knowledge article answered: "Did this solve it?" → Yes. */
export interface Deflection {
  /** The request's key (its draft or card, and the person): the same request is counted once. */
  key: string;
  article: string;
  at: Date;
  who: Pick<Actor, 'platform' | 'userId'>;
}

/** Deflections, counted once per request and reported per article. */
export interface DeflectionStore {
  /** True when recorded now; false when this key was recorded before (a double click, a retry). */
  record(d: Deflection): Promise<boolean>;
  /** Deflections in [from, to), per article. */
  countByArticle(from: Date, to: Date): Promise<Array<{ article: string; count: number }>>;
}
