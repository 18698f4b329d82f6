/**
 * Ticket documents ↔ domain objects. Pure (no database access), shared by the MongoDB repositories and the
 * in-memory fake so both store exactly the same shape.
 *
 * - `_id` is the ticket number ('SR-<n>'); Dates stay Dates (BSON dates); nulls stay nulls.
 * - Optional properties that are `undefined` are left out (the driver would otherwise store them as null).
 * - Actors are reduced to { platform, userId, name, email? } so nothing else a caller carries is stored.
 * - Derived fields used only by queries: `open` (status ≠ closed), `queueAt` (nextCheckAt, or a far
 *   future instant when there is nothing to check, so that a plain ascending sort puts those last on every
 *   server; MongoDB sorts nulls first), `breachAt` and `riskAt` (when the ticket is or will be breached /
 *   at risk, the same far future when never: the queue's first two groups are range queries on them).
 * - `terms`: the ticket's search terms (domain/search/terms), so a search is one look-up in a multikey index.
 * - `hasPending`, `pendingEvents`, `pendingNotices`: a saved change's audit events and notices parked on the
 *   ticket until they are moved to ticket_events and outbox (see ticket.repository.ts).
 */
import { ticketTerms } from '../domain/search/terms';
import type { SlaClock } from '../domain/sla/sla-clock';
import { queueInstants } from '../domain/ticket/queue';
import type { Alerting, CsatFollowUp, PostedCard, Ticket, TicketMessage } from '../domain/ticket/ticket';
import { developmentDoc, quoteDoc } from './development.mapper';
import { actor, actorOrNull, defined } from './doc-values';
import type { TicketEventDoc } from './event.mapper';
import type { OutboxDoc } from './outbox.model';

export {
  docToEvent,
  eventToDoc,
  noticeToOutboxDoc,
  outboxDocToNotice,
  type TicketEventDoc,
} from './event.mapper';

/** nextCheckAt stand-in for "nothing to check" in `queueAt`. */
export const NEVER = new Date('9999-12-31T23:59:59.999Z');

type TicketFields = Omit<Ticket, 'number'>;

export interface TicketDoc extends TicketFields {
  _id: string;
  /** The raise's operation key (set at insert only; TicketRepository.findByRaiseKey). */
  raiseKey?: string | null;
  open: boolean;
  queueAt: Date;
  /** When the ticket is or will be breached (an open clock's due instant), NEVER when none will. */
  breachAt: Date;
  /** When it is or will be at risk (an open clock's warning instant), NEVER when none will. */
  riskAt: Date;
  hasPending: boolean;
  pendingEvents: TicketEventDoc[];
  pendingNotices: OutboxDoc[];
  /** The id of the last saveMany that wrote this ticket (how it tells its own saves from lost races). */
  saveId?: string;
  /**
   * Search terms (domain/search/terms `ticketTerms`), rewritten on every save; absent on tickets last saved before
   * search existed until the start-up backfill (store/ticket-search.repository.ts) gives them theirs.
   */
  terms?: string[];
}

/**
 * A clock as stored and as loaded. Clocks stored before exact counts and calendars were kept load without
 * `usedMs`, `calendars`, `cal` and the runs' `ms`: the domain reads them as counted on the ticket's calendar
 * (`adoptClock`) and stores them in the new shape at their next change.
 */
export function clockDoc(c: SlaClock): SlaClock {
  return defined({
    kind: c.kind,
    targetMinutes: c.targetMinutes,
    usedMinutes: c.usedMinutes,
    usedMs: c.usedMs,
    state: c.state,
    since: c.since,
    pausedBy: c.pausedBy ?? null,
    warnAt: c.warnAt ?? null,
    dueAt: c.dueAt ?? null,
    warned: c.warned,
    breached: c.breached,
    breachedAt: c.breachedAt ?? null,
    firstBreachedAt: c.firstBreachedAt,
    runs: (c.runs ?? []).map((r) => defined({ from: r.from, to: r.to, ms: r.ms, cal: r.cal })),
    calendars: c.calendars?.map((k) => ({ timeZone: k.timeZone, hours: { ...k.hours }, holidays: [...k.holidays] })),
    cal: c.cal,
  });
}

function alerting(a: Alerting): Alerting {
  return {
    notifiedLevel: a.notifiedLevel,
    nextStepAt: a.nextStepAt ?? null,
    breachedAt: a.breachedAt ?? null,
    clock: a.clock ?? null,
    acknowledgedBy: actorOrNull(a.acknowledgedBy),
    acknowledgedAt: a.acknowledgedAt ?? null,
  };
}

function message(m: TicketMessage): TicketMessage {
  return defined({
    at: m.at,
    author: actor(m.author),
    fromAgent: m.fromAgent,
    text: m.text,
    internal: m.internal ? true : undefined,
  });
}

export function postDoc(p: PostedCard): PostedCard {
  return defined({
    kind: p.kind,
    platform: p.platform,
    channel: p.channel,
    messageId: p.messageId,
    headline: p.headline,
    mention: p.mention ? { userId: p.mention.userId, name: p.mention.name } : undefined,
  });
}

function followUpDoc(f: CsatFollowUp): CsatFollowUp {
  return {
    score: f.score,
    comment: f.comment,
    ratedAt: f.ratedAt,
    openedAt: f.openedAt,
    lead: f.lead ?? null,
    state: f.state === 'done' ? 'done' : 'open',
    notes: (f.notes ?? []).map((n) => ({ at: n.at, by: n.by, text: n.text, toRequester: !!n.toRequester })),
    doneAt: f.doneAt ?? null,
    doneBy: f.doneBy ?? null,
  };
}

/** The stored fields of a ticket, normalised (every Ticket property except `number`, which becomes `_id`). */
export function ticketFields(t: Ticket): TicketFields {
  const {
    number: _number,
    seq,
    title,
    description,
    requester,
    client,
    clientId,
    service,
    requestType,
    categoryId,
    team,
    severity,
    priority,
    status,
    statusChangedAt,
    assignee,
    escalationLevel,
    businessImpact,
    evidence,
    conversation,
    watchers,
    inTeamTicketing,
    development,
    csat,
    csatAskedAt,
    csatFollowUps,
    customerEscalatedAt,
    sourceLink,
    sla,
    alerting: alert,
    nextCheckAt,
    pendingQuestion,
    resolvedAt,
    closedAt,
    posts,
    createdAt,
    updatedAt,
    version,
    triage,
    requesterSeverity,
    closeReason,
    links,
    quote,
    ...rest
  } = t;
  // Compile-time check: a property added to Ticket must be mapped here too.
  const unmapped: Record<string, never> = rest;
  void unmapped;
  return {
    seq,
    title,
    description,
    requester: actor(requester),
    client,
    // Tickets raised before the client directory have none.
    ...(clientId === undefined ? {} : { clientId: clientId ?? null }),
    // Tickets raised before per-client service have none (the standard SLA).
    ...(service === undefined ? {} : { service: service ?? null }),
    requestType,
    categoryId: categoryId ?? null,
    team,
    severity,
    // Tickets stored before priority existed take their severity's number.
    priority: priority ?? severity,
    status,
    statusChangedAt,
    assignee: actorOrNull(assignee),
    escalationLevel,
    businessImpact,
    evidence: evidence.map((e) => defined({ kind: e.kind, value: e.value, name: e.name })),
    conversation: conversation.map(message),
    watchers: watchers.map(actor),
    inTeamTicketing,
    development: developmentDoc(development),
    csat: csat
      ? {
          score: csat.score,
          comment: csat.comment,
          at: csat.at,
          ...(csat.alertedAt ? { alertedAt: csat.alertedAt } : {}),
        }
      : null,
    // Tickets from before the prompt was recorded have none.
    ...(csatAskedAt === undefined ? {} : { csatAskedAt: csatAskedAt ?? null }),
    ...(customerEscalatedAt === undefined ? {} : { customerEscalatedAt: customerEscalatedAt ?? null }),
    ...(csatFollowUps === undefined ? {} : { csatFollowUps: csatFollowUps.map(followUpDoc) }),
    sourceLink: sourceLink ?? null,
    sla: { response: clockDoc(sla.response), resolution: clockDoc(sla.resolution) },
    alerting: alerting(alert),
    nextCheckAt: nextCheckAt ?? null,
    pendingQuestion: pendingQuestion ?? null,
    resolvedAt: resolvedAt ?? null,
    closedAt: closedAt ?? null,
    posts: posts.map(postDoc),
    createdAt,
    updatedAt,
    version,
    ...(triage === undefined
      ? {}
      : {
          triage: triage
            ? {
                severity: triage.severity,
                severityReason: triage.severityReason,
                categoryId: triage.categoryId ?? null,
                team: triage.team,
                categoryReason: triage.categoryReason,
                ...(triage.unsure ? { unsure: triage.unsure } : {}),
              }
            : null,
        }),
    // Only when the requester said how bad it is (and never on tickets from before the form asked).
    ...(requesterSeverity ? { requesterSeverity } : {}),
    // Tickets from before close reasons and links have neither.
    ...(closeReason === undefined ? {} : { closeReason: closeReason ?? null }),
    ...(links === undefined
      ? {}
      : {
          links: links.map((l) =>
            l.requester
              ? {
                  kind: l.kind,
                  ticket: l.ticket,
                  requester: { platform: l.requester.platform, userId: l.requester.userId, name: l.requester.name },
                }
              : { kind: l.kind, ticket: l.ticket },
          ),
        }),
    // Only once a quote was sent.
    ...(quote ? { quote: quoteDoc(quote) } : {}),
  };
}

/** Fields derived from the ticket for queries (kept in step on every write of the ticket). */
export function derivedFields(
  t: Pick<Ticket, 'status' | 'nextCheckAt' | 'sla' | 'links'>,
): Pick<TicketDoc, 'open' | 'queueAt' | 'breachAt' | 'riskAt'> {
  const { breachAt, riskAt } = queueInstants(t);
  return {
    open: t.status !== 'closed',
    queueAt: t.nextCheckAt ?? NEVER,
    breachAt: breachAt ?? NEVER,
    riskAt: riskAt ?? NEVER,
  };
}

/** The search terms of a ticket, kept in step on every write of its text (multikey index terms_updatedAt). */
export function searchFields(t: Ticket): Required<Pick<TicketDoc, 'terms'>> {
  return { terms: ticketTerms(t) };
}

/** A whole new ticket document (no pending items yet). */
export function ticketToDoc(t: Ticket): TicketDoc {
  return {
    _id: t.number,
    ...ticketFields(t),
    ...derivedFields(t),
    ...searchFields(t),
    hasPending: false,
    pendingEvents: [],
    pendingNotices: [],
  };
}

export function docToTicket(d: TicketDoc): Ticket {
  const f = ticketFields({ ...d, number: d._id } as Ticket & Partial<TicketDoc>);
  return { number: d._id, ...f };
}
