/**
 * Collections, schemas and indexes. The repositories read and write through each model's native collection
 * (`Model.collection`) with documents built by the mappers, so what is stored is exactly what the mappers
 * produce; the schemas name the collections, document the shapes and declare the indexes, which
 * `syncModelIndexes` builds at start-up.
 *
 * Only portable index features are used (plain single-field and compound ascending/descending indexes and
 * the `_id` index): no TTL, partial, sparse or text indexes, no collation.
 */
import { type Connection, type Model, type mongo, Schema } from 'mongoose';
import type { Platform } from '../config/policy.schema';
import { type OutboxDoc, type OutboxQueueDoc, outboxModel, outboxQueueModel } from './outbox.model';
import type { TicketDoc, TicketEventDoc } from './ticket.mapper';

const common = { versionKey: false, minimize: false, id: false, autoIndex: false, autoCreate: false } as const;
const Mixed = Schema.Types.Mixed;

// ---------------------------------------------------------------------------------------------------------------
// tickets

const actorShape = { platform: String, userId: String, name: String, email: String };

export const ticketSchema = new Schema<TicketDoc>(
  {
    _id: { type: String, required: true }, // 'SR-<n>'
    seq: { type: Number, required: true },
    title: String,
    description: String,
    requester: actorShape,
    client: String,
    clientId: { type: String, default: null },
    service: { type: Mixed, default: null },
    requestType: String,
    categoryId: { type: String, default: null },
    team: String,
    severity: Number,
    priority: Number,
    status: String,
    statusChangedAt: Date,
    assignee: { type: Mixed, default: null },
    escalationLevel: Number,
    businessImpact: String,
    evidence: [Mixed],
    conversation: [Mixed],
    watchers: [Mixed],
    inTeamTicketing: Boolean,
    development: { type: Mixed, default: null },
    csat: { type: Mixed, default: null },
    csatAskedAt: { type: Date },
    csatFollowUps: { type: [Mixed], default: undefined },
    customerEscalatedAt: { type: Date },
    sourceLink: { type: String, default: null },
    triage: { type: Mixed },
    requesterSeverity: { type: Number },
    closeReason: { type: String },
    links: { type: [Mixed], default: undefined },
    sla: Mixed,
    alerting: Mixed,
    nextCheckAt: { type: Date, default: null },
    pendingQuestion: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    posts: [Mixed],
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    raiseKey: { type: String, default: null }, // the raise's operation key (findByRaiseKey)
    // derived, for queries
    open: Boolean,
    queueAt: Date,
    breachAt: Date,
    riskAt: Date,
    terms: [String], // search terms (ticket.mapper searchFields)
    // parked changes, moved to ticket_events / outbox by the flush
    hasPending: Boolean,
    pendingEvents: [Mixed],
    pendingNotices: [Mixed],
  },
  { ...common, collection: 'tickets' },
);
// findDue (SLA sweep): { nextCheckAt: { $lte: now } } sorted by nextCheckAt.
ticketSchema.index({ nextCheckAt: 1 }, { name: 'nextCheckAt' });
// TicketRepository.findByRaiseKey: a raise taken over from a dead process looks for the ticket it may have saved.
ticketSchema.index({ raiseKey: 1 }, { name: 'raiseKey' });
// findInStatusSince (auto-close, reminders, CSAT): { status, statusChangedAt: { $lte: before } }.
ticketSchema.index({ status: 1, statusChangedAt: 1 }, { name: 'status_statusChangedAt' });
// listByRequester ("my tickets"): requester equality, newest first; openOnly filters `open` on the way.
ticketSchema.index({ 'requester.platform': 1, 'requester.userId': 1, updatedAt: -1 }, { name: 'requester_updatedAt' });
// countOpenBy: { open: true } (a prefix of this index).
ticketSchema.index({ open: 1, queueAt: 1, createdAt: 1 }, { name: 'open_queueAt_createdAt' });
// listQueue, one read per group: breached { open, breachAt: { $lte: now } } sorted by breachAt; at risk
// { open, riskAt: { $lte: now }, breachAt: { $gt: now } } sorted by riskAt; the rest { open, riskAt: { $gt: now } }
// sorted by { severity, priority, createdAt }. Team and assignee filters narrow each read.
ticketSchema.index({ open: 1, breachAt: 1 }, { name: 'open_breachAt' });
ticketSchema.index({ open: 1, riskAt: 1 }, { name: 'open_riskAt' });
ticketSchema.index({ open: 1, severity: 1, priority: 1, createdAt: 1 }, { name: 'open_severity_priority_createdAt' });
// findInRelease (moving a release): { 'development.release': day }; sparse, as most tickets never have one.
ticketSchema.index({ 'development.release': 1 }, { name: 'developmentRelease', sparse: true });
// findResolvedBetween (digest): { resolvedAt: { $gte: from, $lt: to } }.
ticketSchema.index({ resolvedAt: 1 }, { name: 'resolvedAt' });
// reports (store/reports.repository.ts): CSAT given in a week, { 'csat.at': { $gte: from, $lt: to } }.
ticketSchema.index({ 'csat.at': 1 }, { name: 'csatAt' });
// reports: low-CSAT follow-ups opened in the range, { 'csatFollowUps.openedAt': { $gte, $lt } } (multikey, sparse).
ticketSchema.index({ 'csatFollowUps.openedAt': 1 }, { name: 'csatFollowUpsOpenedAt', sparse: true });
// reports (store/development-reports.repository.ts): quotes sent in the range, { 'quote.sentAt': { $gte, $lt } }.
ticketSchema.index({ 'quote.sentAt': 1 }, { name: 'quoteSentAt', sparse: true });
// reports by client: { clientId } over a period of createdAt.
ticketSchema.index({ clientId: 1, createdAt: 1 }, { name: 'clientId_createdAt' });
// search (ticket-search.repository.ts): { terms: { $all: [...] } } newest first; multikey on terms. The same index
// finds the tickets the start-up backfill has not reached ({ terms: { $exists: false } } is the null key).
ticketSchema.index({ terms: 1, updatedAt: -1 }, { name: 'terms_updatedAt' });
// flushPending: { hasPending: true } (a plain index; few tickets are ever true).
ticketSchema.index({ hasPending: 1 }, { name: 'hasPending' });
// listIncidentCandidates: the incidents with parts (the Severity 1-2 branch walks open_severity_priority_createdAt).
ticketSchema.index({ open: 1, 'links.kind': 1, createdAt: -1 }, { name: 'open_linksKind_createdAt' });
// Least-loaded assignment: open tickets of some assignees ({ open: true, 'assignee.userId': { $in } }).
ticketSchema.index({ open: 1, 'assignee.userId': 1 }, { name: 'open_assignee' });

// ---------------------------------------------------------------------------------------------------------------
// ticket_events (append-only audit log)

export const ticketEventSchema = new Schema<TicketEventDoc>(
  {
    _id: { type: String, required: true }, // `${ticket}:v${version}:${index}`
    ticket: { type: String, required: true },
    version: Number,
    index: Number,
    at: Date,
    actor: Mixed,
    type: String,
    from: Mixed,
    to: Mixed,
    note: String,
  },
  { ...common, collection: 'ticket_events' },
);
// TicketEventRepository.listFor: { ticket } sorted by at (then version, index).
ticketEventSchema.index({ ticket: 1, at: 1 }, { name: 'ticket_at' });
// Reports: events of a type in a period (tickets raised, triage corrections).
ticketEventSchema.index({ type: 1, at: 1 }, { name: 'type_at' });

// ---------------------------------------------------------------------------------------------------------------
// counters

export interface CounterDoc {
  _id: string; // 'ticket'
  seq: number;
}
export const counterSchema = new Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { ...common, collection: 'counters' },
);

// ---------------------------------------------------------------------------------------------------------------
// skipped_numbers (ticket-numbers.ts): ticket numbers handed out that no ticket took, with the reason

export interface SkippedNumberDoc {
  _id: number; // the sequence number
  number: string; // 'SR-<n>'
  reason: string;
  recordedAt: Date;
}
export const skippedNumberSchema = new Schema<SkippedNumberDoc>(
  { _id: { type: Number, required: true }, number: String, reason: String, recordedAt: Date },
  { ...common, collection: 'skipped_numbers' },
);

// ---------------------------------------------------------------------------------------------------------------
// processed_events (OperationLog)

export interface ProcessedEventDoc {
  _id: string; // the platform event id / operation key
  state: 'pending' | 'done';
  result: unknown;
  /** First claimed; purge cutoff. */
  createdAt: Date;
  /** Last claimed (a stale pending claim may be taken over). */
  claimedAt: Date;
  completedAt: Date | null;
  /** The process holding a pending claim (its heartbeat in process_heartbeats says whether it still lives). */
  owner?: string | null;
  /** This holding of the claim: a takeover gives a new one, so the old holder's late writes match nothing. */
  token?: string | null;
  /** What the holder bound to the claim before doing the work (a raise: its ticket number), for a takeover. */
  bound?: unknown;
}
export const processedEventSchema = new Schema<ProcessedEventDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    result: { type: Mixed, default: null },
    createdAt: { type: Date, required: true },
    claimedAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    owner: { type: String, default: null },
    token: { type: String, default: null },
    bound: { type: Mixed, default: null },
  },
  { ...common, collection: 'processed_events' },
);
// OperationLog.purgeOlderThan (the scheduler's clean-up; no TTL index): { createdAt: { $lt: before } }.
processedEventSchema.index({ createdAt: 1 }, { name: 'createdAt' });

// ---------------------------------------------------------------------------------------------------------------
// process_heartbeats (OperationLog: whether a claim's holder still lives)

export interface ProcessHeartbeatDoc {
  _id: string; // the process id (random per start)
  beatAt: Date;
}
export const processHeartbeatSchema = new Schema<ProcessHeartbeatDoc>(
  { _id: { type: String, required: true }, beatAt: { type: Date, required: true } },
  { ...common, collection: 'process_heartbeats' },
);
// Read only by _id; the housekeeping job deletes old ones: { beatAt: { $lt: before } }.
processHeartbeatSchema.index({ beatAt: 1 }, { name: 'beatAt' });

// ---------------------------------------------------------------------------------------------------------------
// conversations (for proactive messages; written by the adapters, read by the notifier)

export interface ConversationDoc {
  /** e.g. `teams:user:<aadObjectId>`, `teams:channel:<id>`, `slack:user:<id>`. */
  _id: string;
  platform: Platform;
  /** Teams ConversationReference, or `{ channel }` for Slack. */
  ref: Record<string, unknown>;
  updatedAt: Date;
}
export const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true },
    ref: { type: Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...common, collection: 'conversations' },
);

// ---------------------------------------------------------------------------------------------------------------
// drafts (intake in progress per user)

export interface DraftDoc {
  _id: string; // userKey
  platform: Platform;
  data: Record<string, string>;
  updatedAt: Date;
}
export const draftSchema = new Schema<DraftDoc>(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true },
    data: { type: Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { ...common, collection: 'drafts' },
);
// Abandoned-draft clean-up: { updatedAt: { $lt: before } }.
draftSchema.index({ updatedAt: 1 }, { name: 'updatedAt' });

// ---------------------------------------------------------------------------------------------------------------

export interface Models {
  Ticket: Model<TicketDoc>;
  TicketEvent: Model<TicketEventDoc>;
  Counter: Model<CounterDoc>;
  SkippedNumber: Model<SkippedNumberDoc>;
  Outbox: Model<OutboxDoc>;
  OutboxQueue: Model<OutboxQueueDoc>;
  ProcessedEvent: Model<ProcessedEventDoc>;
  ProcessHeartbeat: Model<ProcessHeartbeatDoc>;
  Conversation: Model<ConversationDoc>;
  Draft: Model<DraftDoc>;
}

function model<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}

/** Registers every model on `conn` (idempotent). */
export function registerModels(conn: Connection): Models {
  return {
    Ticket: model(conn, 'Ticket', ticketSchema),
    TicketEvent: model(conn, 'TicketEvent', ticketEventSchema),
    Counter: model(conn, 'Counter', counterSchema),
    SkippedNumber: model(conn, 'SkippedNumber', skippedNumberSchema),
    Outbox: outboxModel(conn),
    OutboxQueue: outboxQueueModel(conn),
    ProcessedEvent: model(conn, 'ProcessedEvent', processedEventSchema),
    ProcessHeartbeat: model(conn, 'ProcessHeartbeat', processHeartbeatSchema),
    Conversation: model(conn, 'Conversation', conversationSchema),
    Draft: model(conn, 'Draft', draftSchema),
  };
}

/**
 * Creates every collection and brings its indexes in line with the schemas (creating missing ones,
 * dropping ones no schema declares). A server that refuses an index fails here, at start-up, naming it.
 * Returns the indexes it dropped, as `collection.indexName`.
 */
export async function syncModelIndexes(models: Models): Promise<string[]> {
  const dropped: string[] = [];
  for (const m of Object.values(models) as Model<unknown>[]) {
    const collection = m.collection.collectionName;
    try {
      await m.createCollection().catch((err: unknown) => {
        if ((err as { code?: unknown }).code !== 48) throw err; // 48 NamespaceExists
      });
      for (const name of await m.syncIndexes()) dropped.push(`${collection}.${name}`);
    } catch (err) {
      const wanted = m.schema
        .indexes()
        .map(([key, opts]) => `${String(opts.name ?? '?')} ${JSON.stringify(key)}`)
        .join(', ');
      const reason = err instanceof Error ? err.message : String(err);
      const wrapped = new Error(
        `cannot create the indexes of the "${collection}" collection (${wanted || 'none'}): ${reason}`,
      );
      (wrapped as Error & { cause?: unknown }).cause = err;
      throw wrapped;
    }
  }
  return dropped;
}

/** The model's native driver collection, typed by its document. */
export function collectionOf<T extends mongo.Document>(m: Model<T>): mongo.Collection<T> {
  return m.collection as unknown as mongo.Collection<T>;
}
