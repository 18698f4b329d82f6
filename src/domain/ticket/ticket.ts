import type {
  DevelopmentRoute,
  DevelopmentStatus,
  Platform,
  Priority,
  RequestType,
  Role,
  Severity,
  SupportStatus,
  TeamId,
} from '../../config/policy.schema';
import type { ServiceLevel } from '../sla/service';
import type { ClockKind, SlaClock } from '../sla/sla-clock';
import type { DevTargets } from './development-targets';

/** A person as a platform knows them. */
export interface Actor {
  platform: Platform;
  userId: string;
  name: string;
  email?: string;
}

/** Who did something, with the role they acted in. */
export interface ActingAs extends Actor {
  role: Role;
}

export interface TicketMessage {
  at: Date;
  author: Actor;
  /** True when an agent wrote it (the requester sees it). */
  fromAgent: boolean;
  text: string;
  /** An internal note between agents: never shown or sent to the requester. */
  internal?: boolean;
}

/** What triage suggested when the ticket was raised, with its reasons in words (kept to measure triage in the field). */
export interface TriageRecord {
  severity: Severity;
  severityReason: string;
  categoryId: string | null;
  team: TeamId;
  categoryReason: string;
  /** Set when triage was unsure: why, said on the triage card, which asks Level 1 to choose. */
  unsure?: string;
}

export interface Evidence {
  kind: 'link' | 'file' | 'error';
  value: string;
  /** A file's name, when the platform gave one (the value is then its permalink / content URL). */
  name?: string;
}

/** A card or message the bot posted about this ticket, so it can be updated in place. */
export interface PostedCard {
  kind: 'triage' | 'teamTicketing' | 'requester' | 'alert';
  platform: Platform;
  channel: string;
  messageId: string;
  /** The line the card was posted with (an alert's text), kept so an update in place still shows it. */
  headline?: string;
  /** Whom the card @mentioned (an alert's ladder contact), kept so an update in place still mentions them. */
  mention?: { userId: string; name: string };
}

/** Why an agent closed a ticket that was not resolved through the support process (Close with a reason). */
export const CLOSE_REASONS = ['duplicate', 'withdrawn', 'spam', 'resolved_elsewhere'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * A link to another ticket, recorded on both: a duplicate points at its original (`duplicate_of`) and the original
 * at it (`duplicated_by`); related tickets point at each other (`related_to`); a child of an incident points at its
 * parent (`part_of`) and the parent at each child (`has_part`, with the child's requester, who hears the parent's
 * updates).
 */
export const LINK_KINDS = ['duplicate_of', 'duplicated_by', 'related_to', 'part_of', 'has_part'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface TicketLink {
  kind: LinkKind;
  ticket: string;
  /** On `has_part`: the child's requester (the parent's updates reach them on their own platform). */
  requester?: Pick<Actor, 'platform' | 'userId' | 'name'>;
}

/**
 * The quote for chargeable work (Quote Required): the amount and currency, to whom and when it was sent, by whom,
 * and the requester's answer with its reason once known.
 */
export interface Quote {
  amount: number;
  currency: string;
  sentTo: string;
  sentAt: Date;
  sentBy: Actor;
  outcome: { decision: 'accepted' | 'declined'; reason: string; by: Actor; at: Date } | null;
}

/** A route switch (performance → code change, …): when, by whom and why. */
export interface RouteChange {
  from: DevelopmentRoute;
  to: DevelopmentRoute;
  reason: string;
  by: Actor;
  at: Date;
}

/** Development's work on a ticket escalated to it: its route, development status and who signed what off. */
export interface DevelopmentWork {
  route: DevelopmentRoute;
  status: DevelopmentStatus;
  releaseNote: string | null;
  /**
   * Who moved it to Dev Done / Waiting for Review (the change's author: its Dev Lead sign-off is someone else's),
   * who signed it off as Dev Lead, and who approved it as QA; absent until each happened.
   */
  doneBy?: Actor | null;
  reviewedBy?: Actor | null;
  qaBy?: Actor | null;
  /** Route switches, oldest first; absent when the route never changed. */
  routeChanges?: RouteChange[];
  /** The release it is planned into (a local release day, "2026-03-19"); absent or null until planned. */
  release?: string | null;
  /** Product's roadmap decision on a change request; absent until it is made. */
  roadmap?: RoadmapDecision | null;
  /** Development's own targets (accept, allocate to a release): src/domain/ticket/development-targets.ts. */
  targets?: DevTargets | null;
}

/**
 * Product's decision on a change request, reviewed against the roadmap: accepted for a release (its local date) or
 * for the roadmap (`target` null), or declined; with the reason, who and when.
 */
export interface RoadmapDecision {
  decision: 'accepted' | 'declined';
  target: string | null;
  reason: string;
  by: Actor;
  at: Date;
}

/** Breach alerting up the escalation ladder for the ticket's SLA clocks. */
export interface Alerting {
  /** Ladder level notified last (1 = Team Lead); 0 before any breach. */
  notifiedLevel: number;
  /** When the next ladder step is due (business time), unless acknowledged. */
  nextStepAt: Date | null;
  breachedAt: Date | null;
  /** The clock whose breach started the ladder: it climbs only while that breach stands. */
  clock: ClockKind | null;
  acknowledgedBy: Actor | null;
  acknowledgedAt: Date | null;
}

export interface Ticket {
  /** SR-<n> */
  number: string;
  seq: number;
  title: string;
  description: string;
  requester: Actor;
  /** The client's name as given or as the directory had it at raise time (a snapshot). */
  client: string;
  /** The client's id in the client directory, when it was recognised; absent on tickets raised before. */
  clientId?: string | null;
  /**
   * The client's SLA tier and support calendar as they applied when the client was set (a snapshot: a later
   * policy edit does not move the clocks); null or absent for the standard SLA on the policy's calendar.
   */
  service?: ServiceLevel | null;
  requestType: RequestType;
  categoryId: string | null;
  team: TeamId;
  severity: Severity;
  /** Impact on the customer (seed 000), beside severity: together they choose the SLA targets. */
  priority: Priority;
  status: SupportStatus;
  statusChangedAt: Date;
  assignee: Actor | null;
  /** Customer escalation level on the ladder (0 = Customer). */
  escalationLevel: number;
  businessImpact: string;
  evidence: Evidence[];
  conversation: TicketMessage[];
  watchers: Actor[];
  /** True once Level 1 escalated it to the Team Ticketing channel. */
  inTeamTicketing: boolean;
  development: DevelopmentWork | null;
  csat: {
    score: 1 | 2 | 3 | 4 | 5;
    comment: string;
    at: Date;
    /** When management was last alerted of a low score or complaint on it (at most once a day per ticket). */
    alertedAt?: Date;
  } | null;
  /**
   * Low CSAT follow-ups for the Team Lead, one per low rating (a rating changed while one is open updates it), oldest
   * first. Absent on tickets from before follow-ups were kept.
   */
  csatFollowUps?: CsatFollowUp[];
  /**
   * When the requester was asked to rate the support for this resolution (the prompt is sent once: at "Yes, fixed",
   * by the CSAT prompt job, or at the close); reset by a reopen. Absent on tickets from before it was recorded.
   */
  csatAskedAt?: Date | null;
  /**
   * When the requester last asked for a step up the ladder (themselves or by phone or email through an agent): the
   * policy's `customerEscalation.cooldown` counts from it. Absent on tickets from before it was recorded.
   */
  customerEscalatedAt?: Date | null;
  /** Where the request came from (e.g. a Slack permalink), when known. */
  sourceLink: string | null;
  sla: { response: SlaClock; resolution: SlaClock };
  alerting: Alerting;
  /** The next instant the scheduler has something to do for this ticket; null when nothing is pending. */
  nextCheckAt: Date | null;
  /** Information requested from the requester, while Waiting for Customer. */
  pendingQuestion: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  posts: PostedCard[];
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic concurrency: incremented on every saved change. */
  version: number;
  /** Triage's suggestion at raise time; absent on tickets raised before triage recorded it. */
  triage?: TriageRecord | null;
  /** The requester's own "How bad is it?" at raise time (a claim, shown to Level 1); absent when they gave none. */
  requesterSeverity?: Severity | null;
  /** Why an agent closed it with a reason (duplicate, withdrawn, spam, resolved elsewhere); absent or null otherwise. */
  closeReason?: CloseReason | null;
  /** Links to other tickets (duplicate of / duplicated by); absent on tickets that never had one. */
  links?: TicketLink[];
  /** The quote for chargeable work; absent until one is sent. */
  quote?: Quote | null;
}

/** One audit-log entry: who did what, from what to what, when, from which platform. */
export interface TicketEvent {
  ticket: string;
  at: Date;
  actor: ActingAs | { platform: 'system'; userId: 'scheduler'; name: 'Helpline'; role: 'system' };
  type: string;
  from?: string | number | null;
  to?: string | number | null;
  note?: string;
}

export const SYSTEM_ACTOR = { platform: 'system', userId: 'scheduler', name: 'Helpline', role: 'system' } as const;

export function ticketNumber(seq: number): string {
  return `SR-${seq}`;
}

export function isOpen(t: Pick<Ticket, 'status'>): boolean {
  return t.status !== 'closed';
}

/** The incident a ticket is part of (its parent's number), or null. */
export function parentOf(t: Pick<Ticket, 'links'>): string | null {
  return t.links?.find((l) => l.kind === 'part_of')?.ticket ?? null;
}

/** The children of an incident (has_part links). */
export function partsOf(t: Pick<Ticket, 'links'>): TicketLink[] {
  return (t.links ?? []).filter((l) => l.kind === 'has_part');
}

export function sameActor(
  a: Pick<Actor, 'platform' | 'userId'> | null | undefined,
  b: Pick<Actor, 'platform' | 'userId'>,
) {
  return !!a && a.platform === b.platform && a.userId === b.userId;
}

/** A low score's follow-up by the owning team's Team Lead: open until someone called the requester or told them. */
export interface CsatFollowUp {
  score: number;
  comment: string;
  /** The rating it follows (a changed rating while it is open moves this on). */
  ratedAt: Date;
  openedAt: Date;
  /** The Team Lead it is for (a policy person id), or null when the policy names none. */
  lead: string | null;
  state: 'open' | 'done';
  /** What was done: "Called them", notes, and "you said, we did" notes the requester was told (`toRequester`). */
  notes: Array<{ at: Date; by: string; text: string; toRequester: boolean }>;
  doneAt: Date | null;
  doneBy: string | null;
}
