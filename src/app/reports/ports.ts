import type { Priority, Severity } from '../../config/policy.schema';
import type { ServiceLevel } from '../../domain/sla/service';
import type { SlaClock } from '../../domain/sla/sla-clock';
import type { Actor } from '../../domain/ticket/ticket';

/** One group of tickets resolved in a period, as the database sums them (never one row per ticket). */
export interface SlaGroup {
  severity: number;
  /** Impact on the customer (1-4); tickets stored before priorities existed count as their severity. */
  priority: number;
  team: string;
  client: string;
  requestType: string;
  resolved: number;
  /** Tickets whose first-response clock stopped (answered), of which within target. */
  responded: number;
  responseMet: number;
  responseMinutes: number;
  resolutionMet: number;
  resolutionMinutes: number;
  /** Customer escalations (escalationLevel > 0) and breach alerts that climbed the ladder (notifiedLevel > 0). */
  escalated: number;
  laddered: number;
}

export interface CsatGroup {
  team: string;
  client: string;
  score: number;
  count: number;
}

export interface OpenGroup {
  status: string;
  count: number;
  /** Counts by age bucket: index i counts tickets created at or after `cutoffs[i]` but before `cutoffs[i-1]`. */
  byAge: number[];
}

export interface LadderGroup {
  escalationLevel: number;
  notifiedLevel: number;
  count: number;
}

/** A ticket in a short list (at risk, breached, low CSAT): only what the page shows. */
export interface TicketLine {
  number: string;
  title: string;
  severity: Severity;
  /** Impact on the customer; a ticket stored before priorities counts as its severity. */
  priority: Priority;
  /** The client's tier and calendar, as on the ticket: the clocks are read with them. */
  service: ServiceLevel | null;
  team: string;
  client: string;
  status: string;
  createdAt: Date;
  csat: { score: number; comment: string; at: Date } | null;
  /** The clocks whole, so a line is read with the same function as the ticket's cards (`readClocks`). */
  sla: { response: SlaClock; resolution: SlaClock };
  alerting: { notifiedLevel: number; breachedAt: Date | null; acknowledgedAt: Date | null };
}

/** A low rating's follow-up by the Team Lead (see src/domain/ticket/follow-up.ts), for the report's list. */
export interface FollowUpLine {
  number: string;
  title: string;
  team: string;
  client: string;
  score: number;
  comment: string;
  /** The Team Lead's person id, or null. */
  lead: string | null;
  state: 'open' | 'done';
  openedAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
  /** The last thing recorded on it ("Called them", a note), with "(told the requester)" for "you said, we did". */
  lastNote: string | null;
}

/** Development's decisions and targets in a period, as the database sums them (a few rows each). */
export interface DevelopmentFigures {
  /** Roadmap decisions recorded, by decision and reason (most frequent first, at most 50). */
  roadmap: Array<{ decision: 'accepted' | 'declined'; reason: string; count: number }>;
  /** Route switches, by from and to route. */
  routeSwitches: Array<{ from: string; to: string; count: number }>;
  /** Quotes sent, by currency: how many and their amounts, and of those, accepted and declined so far. */
  quotes: Array<{
    currency: string;
    sent: number;
    accepted: number;
    declined: number;
    sentAmount: number;
    acceptedAmount: number;
    declinedAmount: number;
  }>;
  /** Development targets missed, by route and target (accept, allocate). */
  missedTargets: Array<{ route: string; target: string; count: number }>;
}

/** The report's reads: each a database aggregation or a bounded, indexed query. */
export interface ReportStore {
  /** Tickets resolved in [from, to), grouped by severity, team, client and request type. */
  slaGroups(from: Date, to: Date): Promise<SlaGroup[]>;
  /** CSAT given in [from, to), grouped by team, client and score. */
  csatGroups(from: Date, to: Date): Promise<CsatGroup[]>;
  /** Low scores (≤ maxScore) given in [from, to), newest first. */
  lowCsat(from: Date, to: Date, maxScore: number, limit: number): Promise<TicketLine[]>;
  /** Low-CSAT follow-ups opened in [from, to), open ones first, then newest first. */
  csatFollowUps(from: Date, to: Date, limit: number): Promise<FollowUpLine[]>;
  /** Open tickets by status, with age buckets (`cutoffs` newest first). */
  openByStatus(cutoffs: Date[]): Promise<OpenGroup[]>;
  /** Open tickets by customer escalation level and ladder level notified. */
  openLadder(): Promise<LadderGroup[]>;
  /** Open tickets whose clocks are at risk or breached at `now` (a candidate list; the app decides). */
  openAtRisk(now: Date, limit: number): Promise<TicketLine[]>;
  /** Average and count of (acknowledgedAt − breachedAt) in ms, over tickets resolved in [from, to). */
  acknowledgements(from: Date, to: Date): Promise<{ count: number; avgMs: number | null }>;
  /** Tickets raised in [from, to), and agents' corrections of triage's suggestion (severity, category) then. */
  triageCorrections(from: Date, to: Date): Promise<{ raised: number; severity: number; category: number }>;
  /** Tickets closed in [from, to), by the reason they were closed with (null: closed after resolution). */
  closures(from: Date, to: Date): Promise<Array<{ reason: string | null; count: number }>>;
  /**
   * Knowledge answers in [from, to), per article id: requests it answered ("Did this solve it?" → Yes) and tickets
   * raised after it did not (`knowledge_not_solved`).
   */
  knowledge(from: Date, to: Date): Promise<Array<{ article: string; deflected: number; followedByTicket: number }>>;
  /** Roadmap decisions, route switches and missed development targets recorded, and quotes sent, in [from, to). */
  development(from: Date, to: Date): Promise<DevelopmentFigures>;
}

/** Single-use link tokens and report sessions, shared by every replica through the database. */
export interface ReportAccessStore {
  /**
   * Marks the token id used; true only for the first caller (a unique key, so one replica wins). The record is
   * kept until the token itself expires (`expiresAt`): after that the token is refused by its signature's expiry.
   */
  consumeToken(tokenId: string, personId: string, at: Date, expiresAt: Date): Promise<boolean>;
  /** Whether the token id was consumed already (a read only: looking at a link never spends it). */
  tokenUsed(tokenId: string): Promise<boolean>;
  createSession(session: ReportSession): Promise<void>;
  getSession(id: string): Promise<ReportSession | null>;
  /** Deletes used-token records and sessions that expired before `now`; answers how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** The instant the last digest covered up to, so the next one covers exactly the time since. */
export interface DigestMarkStore {
  lastDigestAt(): Promise<Date | null>;
  /** Moves the mark from `previous` to `at`; false when another replica moved it first. */
  moveMark(previous: Date | null, at: Date): Promise<boolean>;
}

export interface ReportSession {
  /** A random id (the cookie value); the cookie also carries an HMAC so a guessed id is refused. */
  id: string;
  personId: string;
  who: Pick<Actor, 'platform' | 'userId' | 'name'>;
  createdAt: Date;
  expiresAt: Date;
}
