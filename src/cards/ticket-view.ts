import type { ClientContext } from '../app/client-context';
import type { DevelopmentRoute, DevelopmentStatus, Policy, Role, SupportStatus } from '../config/policy.schema';
import type { BusinessCalendar } from '../domain/sla/business-calendar';
import { describeService } from '../domain/sla/service';
import { type ClockCondition, formatBusinessInstant } from '../domain/sla/sla-clock';
import { readClocks } from '../domain/ticket/clocks';
import { plainMoves, rolesFor } from '../domain/ticket/lifecycle';
import { repliesFor } from '../domain/ticket/replies';
import { requesterSeverityNote } from '../domain/ticket/requester-severity';
import { CLOSE_REASON_WORDS, mayRate } from '../domain/ticket/resolution';
import { personIdOf } from '../domain/ticket/roles';
import type { CloseReason, LinkKind, Ticket, TicketEvent } from '../domain/ticket/ticket';
import { clockLine, type DevelopmentView, developmentView, quoteLine } from './development-view';

/** What every card about a ticket shows, platform-neutral: Block Kit and Adaptive Cards render this. */
export interface TicketView {
  number: string;
  /** The stored version: changes with every saved change (double-click keys, stale cards). */
  version: number;
  title: string;
  description: string;
  client: string;
  businessImpact: string;
  severity: { value: number; name: string; description: string };
  /** Impact on the customer, beside severity. */
  priority: { value: number; name: string };
  status: { id: SupportStatus; name: string };
  team: { id: string; name: string };
  category: { id: string; name: string } | null;
  requester: { name: string; platform: string; userId: string };
  assignee: { name: string; platform: string; userId: string; personId?: string | null } | null;
  /** The owning team's people, whom an agent may assign it to (`away` says until when someone is away). */
  teamPeople: Array<{ id: string; name: string; away: string | null }>;
  /** Why an agent closed it with a reason, when they did. */
  closeReason: { id: CloseReason; name: string } | null;
  /** Links to other tickets: duplicates, related tickets, the incident it is part of or the incident's parts. */
  links: Array<{ kind: LinkKind; ticket: string }>;
  /** The requester may rate the support now (Pending Closure, or closed with a reason that asks for a rating). */
  rateable: boolean;
  escalation: { level: number; name: string };
  requestType: string;
  condition: ClockCondition;
  /** One line per clock, in words. */
  sla: string[];
  evidence: string[];
  /** The latest messages, oldest first; `internal` ones are agents' notes (see `forRequester`). */
  conversation: Array<{ at: string; author: string; text: string; internal: boolean }>;
  history: string[];
  /** The latest thing that happened, for "who did what". */
  lastAction: string | null;
  /** The same two without internal notes: what a requester may read. */
  publicHistory: string[];
  publicLastAction: string | null;
  development: DevelopmentView | null;
  /** The quote for chargeable work, in words; null before one is sent. */
  quote?: string | null;
  inTeamTicketing: boolean;
  closed: boolean;
  sourceLink: string | null;
  /** The breach alert: when, who acknowledged it and when; `settled` once acknowledged or resolved (no button). */
  alert: { breachedAt: string | null; acknowledgedBy: string | null; acknowledgedAt: string | null; settled: boolean };
  /** Support statuses an agent may move it to with a plain status move (the status select), with names. */
  nextStatuses: Array<{ id: SupportStatus; name: string }>;
  /** The canned replies an agent may send now (policy `replies:` and the Not Supported answers), by id and label. */
  replies: Array<{ id: string; label: string }>;
  /**
   * The latest low-CSAT follow-up (agents only): open until someone called the requester or told them what was done;
   * `lines` say what was done, oldest first.
   */
  followUp: { open: boolean; score: number; comment: string; lead: string | null; lines: string[] } | null;
  /** Development statuses reachable from the current one. */
  nextDevelopmentStatuses: Array<{ id: DevelopmentStatus; name: string }>;
  /** Why triage suggested the severity and the category / team, shown beside them; null when triage recorded nothing. */
  triage: { severity: string; category: string } | null;
  /** An open incident this request looks like part of (the triage card offers "part of SR-n?"); absent when none. */
  incidentSuggestion?: { number: string; title: string } | null;
  /** The client's record from the directory (shown by each platform's client-section.ts); absent when not looked up. */
  clientContext?: ClientContext | null;
}

/** The card's lines for a ticket's links, label and value (both platforms show the same words). */
export function linkLines(links: TicketView['links']): Array<[string, string]> {
  const of = (kind: LinkKind) => links.filter((l) => l.kind === kind).map((l) => l.ticket);
  const list = (xs: string[]) => (xs.length > 20 ? `${xs.slice(0, 20).join(', ')}, …` : xs.join(', '));
  const out: Array<[string, string]> = [];
  const parent = of('part_of')[0];
  if (parent) out.push(['Part of incident', `${parent} (its clocks and alerts apply; this one's are paused)`]);
  const parts = of('has_part');
  if (parts.length > 0) out.push(['Incident', `${parts.length} linked: ${list(parts)}`]);
  if (of('duplicate_of').length > 0) out.push(['Duplicate of', of('duplicate_of').join(', ')]);
  if (of('duplicated_by').length > 0) out.push(['Duplicates', list(of('duplicated_by'))]);
  if (of('related_to').length > 0) out.push(['Related to', list(of('related_to'))]);
  return out;
}

const AGENTS: Role[] = ['level1', 'level2', 'admin', 'development', 'manager'];

const EVENT_WORDS: Record<string, (e: TicketEvent, name: (s: unknown) => string) => string> = {
  raised: (e) => `${e.actor.name} raised it${e.note ? ` (${e.note})` : ''}`,
  knowledge_not_solved: (e) => `Answered first with the article "${e.note}": ${e.actor.name} said it did not solve it`,
  knowledge_sent: (e) => `${e.actor.name} sent the requester the article "${e.note}"`,
  status: (e, n) => `${e.actor.name} moved it from ${n(e.from)} to ${n(e.to)}`,
  assigned: (e) =>
    `${e.actor.name} assigned it to ${e.to}${e.from ? ` (was ${e.from})` : ''}${e.note ? ` by ${e.note}` : ''}`,
  unassigned: (e) => `${e.actor.name} unassigned ${e.from}`,
  linked: (e) => `${e.actor.name} linked it: ${e.to}`,
  unlinked: (e) => `${e.actor.name} unlinked it: no longer ${e.from}${e.note ? ` (${e.note})` : ''}`,
  incident_part_added: (e) => `${e.actor.name} linked ${e.to} as part of this incident${e.note ? ` (${e.note})` : ''}`,
  incident_part_removed: (e) => `${e.actor.name} unlinked ${e.from} from this incident${e.note ? ` (${e.note})` : ''}`,
  duplicate_linked: (e) => `${e.actor.name} linked ${e.to} as a duplicate of it${e.note ? `; ${e.note}` : ''}`,
  severity: (e) => `${e.actor.name} changed severity ${e.from} → ${e.to}`,
  priority: (e) => `${e.actor.name} changed priority ${e.from} → ${e.to}${e.note ? ` (${e.note})` : ''}`,
  'sla.ladder_held': (e) => `Escalation held: ${e.note}`,
  category: (e) => `${e.actor.name} set the category to ${e.to}`,
  team: (e) => `${e.actor.name} moved it to team ${e.to}`,
  info_requested: (e) => `${e.actor.name} asked the requester: ${e.note}`,
  resolved: (e) => `${e.actor.name} resolved it${e.note ? `: ${e.note}` : ''}`,
  confirmed_fixed: (e) => `${e.actor.name} confirmed it is fixed`,
  reopened: (e) => `${e.actor.name} said it is not fixed${e.note ? `: ${e.note}` : ''}`,
  escalated_team_ticketing: (e) => `${e.actor.name} escalated it to Team Ticketing`,
  escalated_dev: (e, n) => `${e.actor.name} escalated it to Development (${n(e.to)})`,
  development: (e, n) => `${e.actor.name} moved development to ${n(e.to)}`,
  quote_sent: (e) => `${e.actor.name} recorded the quote: ${e.to} ${e.note ?? ''}`.trim(),
  quote_outcome: (e) => `${e.actor.name} recorded the quote's outcome: ${e.to}${e.note ? ` (${e.note})` : ''}`,
  release_planned: (e) => `${e.actor.name} planned it for the release of ${e.to}${e.from ? ` (was ${e.from})` : ''}`,
  roadmap_decision: (e) =>
    `${e.actor.name} recorded Product's roadmap decision: ${e.to}${e.note ? ` (${e.note})` : ''}`,
  route_changed: (e, n) => `${e.actor.name} switched the route from ${n(e.from)} to ${n(e.to)}: ${e.note}`,
  customer_escalation: (e) => `${e.actor.name} escalated to level ${e.to}: ${e.note}`,
  alert_acknowledged: (e) => `${e.actor.name} acknowledged the SLA alert`,
  csat: (e) => `${e.actor.name} rated the support ${e.to}/5`,
  csat_follow_up: (e) =>
    e.to === 'open' && e.from === null
      ? `Low CSAT follow-up opened${e.note ? ` ${e.note}` : ''}`
      : `${e.actor.name} followed up the low rating: ${e.note ?? e.to}`,
  closed: (e) =>
    `${e.actor.name} closed it${typeof e.to === 'string' && e.to in CLOSE_REASON_WORDS ? `: ${CLOSE_REASON_WORDS[e.to as CloseReason].name.toLowerCase()}` : ''}${e.note ? ` (${e.note})` : ''}`,
  client: (e) => `${e.actor.name} set the client to ${e.to ?? 'none'}${e.note ? ` (${e.note})` : ''}`,
  triage_corrected: (e) => `${e.actor.name} corrected triage's ${e.note}: ${e.from ?? 'none'} → ${e.to ?? 'none'}`,
  message: (e) => `${e.actor.name} wrote: ${e.note}`,
  reply: (e) => `${e.actor.name} sent the canned reply "${e.note}"`,
  evidence: (e) => `${e.actor.name} attached ${e.note}`,
  internal_note: (e) => `${e.actor.name} added an internal note: ${e.note}`,
  'sla.first_response': () => 'First response given',
  'sla.warning': (e) => `SLA warning: ${e.note}`,
  'sla.breach': (e) => `SLA breach: ${e.note}`,
  'sla.ladder': (e) => `Escalation: ${e.note}`,
};

export function describeEvent(
  e: TicketEvent,
  policy: Pick<Policy, 'statuses'> & { developmentRoutes?: Policy['developmentRoutes'] },
): string {
  const name = (s: unknown) =>
    typeof s === 'string'
      ? (policy.statuses[s as SupportStatus]?.name ?? policy.developmentRoutes?.[s as DevelopmentRoute]?.name ?? s)
      : String(s);
  return (EVENT_WORDS[e.type] ?? ((x: TicketEvent) => `${x.actor.name}: ${x.type}`))(e, name);
}

/** Build the view of a ticket at `now`, with its latest history. */
export function ticketView(
  t: Ticket,
  history: TicketEvent[],
  deps: {
    policy: Policy;
    calendar: BusinessCalendar;
    now: Date;
    /** Who is away and until when (person id → instant), when known. */
    away?: ReadonlyMap<string, Date>;
  },
): TicketView {
  const { policy, now } = deps;
  const tz = policy.calendar.timeZone;
  const clocks = readClocks(t, now, policy, deps.calendar);
  const sev = policy.severities[t.severity];
  const service = describeService(t.service);
  const statusName = (s: string) => policy.statuses[s as SupportStatus]?.name ?? s;
  const category = t.categoryId ? policy.coverage.categories[t.categoryId] : undefined;
  // "First response given" is bookkeeping that follows the action that gave it: show the action.
  const last = history.findLast((e) => e.type !== 'sla.first_response');
  const publicEvents = history.filter((e) => !INTERNAL_EVENTS.has(e.type));
  const lastPublic = publicEvents.findLast((e) => e.type !== 'sla.first_response');
  const line = (e: TicketEvent) => `${formatBusinessInstant(e.at, tz, now)} ${describeEvent(e, policy)}`;
  // Only plain moves: a status that needs a route, a question or a reason has its own control.
  const nextStatuses = plainMoves(policy, t, AGENTS).map((id) => ({ id, name: statusName(id) }));
  const devFrom = t.development?.status;
  const nextDevelopmentStatuses =
    devFrom && t.status === 'escalated_to_dev'
      ? (Object.keys(policy.statuses) as DevelopmentStatus[])
          .filter(
            (s) =>
              policy.statuses[s]?.kind === 'development' && s !== devFrom && rolesFor(policy, devFrom, s).length > 0,
          )
          .map((id) => ({ id, name: statusName(id) }))
      : [];
  return {
    number: t.number,
    version: t.version,
    title: t.title,
    description: t.description,
    client: t.client,
    businessImpact: t.businessImpact,
    severity: { value: t.severity, name: sev.name, description: sev.description },
    priority: { value: t.priority, name: policy.priorities[t.priority]?.name ?? `Priority ${t.priority}` },
    status: { id: t.status, name: statusName(t.status) },
    team: { id: t.team, name: policy.teams[t.team]?.name ?? t.team },
    category: category && t.categoryId ? { id: t.categoryId, name: category.name } : null,
    requester: { name: t.requester.name, platform: t.requester.platform, userId: t.requester.userId },
    assignee: t.assignee
      ? {
          name: t.assignee.name,
          platform: t.assignee.platform,
          userId: t.assignee.userId,
          personId: personIdOf(policy, t.assignee) ?? null,
        }
      : null,
    teamPeople: (policy.teams[t.team]?.members ?? []).flatMap((id) => {
      const p = policy.people[id];
      if (!p) return [];
      const until = deps.away?.get(id);
      return [{ id, name: p.name, away: until && until > now ? formatBusinessInstant(until, tz, now) : null }];
    }),
    closeReason: t.closeReason ? { id: t.closeReason, name: CLOSE_REASON_WORDS[t.closeReason].name } : null,
    links: (t.links ?? []).map((l) => ({ kind: l.kind, ticket: l.ticket })),
    rateable: mayRate(t, now, policy),
    escalation: { level: t.escalationLevel, name: policy.escalation.ladder[t.escalationLevel]?.name ?? '' },
    requestType: policy.requestTypes[t.requestType] ?? t.requestType,
    condition: clocks.condition,
    sla:
      t.status === 'closed'
        ? []
        : [
            clockLine(t, clocks.response, policy, now),
            clockLine(t, clocks.resolution, policy, now),
            // The client's tier and calendar, when they are not the standard ones.
            ...(service ? [service] : []),
          ],
    evidence: t.evidence.map((e) => (e.name ? `${e.name}: ${e.value}` : e.value)),
    conversation: t.conversation.slice(-CONVERSATION_SHOWN).map((m) => ({
      at: formatBusinessInstant(m.at, tz, now),
      author: m.author.name,
      text: m.text,
      internal: !!m.internal,
    })),
    history: history.slice(-8).map(line),
    lastAction: last ? describeEvent(last, policy) : null,
    publicHistory: publicEvents.slice(-8).map(line),
    publicLastAction: lastPublic ? describeEvent(lastPublic, policy) : null,
    development: developmentView(t, policy, now),
    quote: quoteLine(t, policy, now),
    inTeamTicketing: t.inTeamTicketing,
    closed: t.status === 'closed',
    sourceLink: t.sourceLink,
    alert: {
      breachedAt: t.alerting.breachedAt ? formatBusinessInstant(t.alerting.breachedAt, tz, now) : null,
      acknowledgedBy: t.alerting.acknowledgedBy?.name ?? null,
      acknowledgedAt: t.alerting.acknowledgedAt ? formatBusinessInstant(t.alerting.acknowledgedAt, tz, now) : null,
      settled: !!t.alerting.acknowledgedAt || !!t.resolvedAt || t.status === 'closed',
    },
    nextStatuses,
    replies: repliesFor(policy, t, AGENTS).map((r) => ({ id: r.id, label: r.label })),
    nextDevelopmentStatuses,
    followUp: followUpView(t, policy, now),
    triage: triageReasons(t, policy),
  };
}

function followUpView(t: Ticket, policy: Policy, now: Date): TicketView['followUp'] {
  const f = t.csatFollowUps?.at(-1);
  if (!f) return null;
  const tz = policy.calendar.timeZone;
  return {
    open: f.state === 'open',
    score: f.score,
    comment: f.comment,
    lead: f.lead ? (policy.people[f.lead]?.name ?? f.lead) : null,
    lines: f.notes.map(
      (n) =>
        `${formatBusinessInstant(n.at, tz, now)} ${n.by}: ${n.text}${n.toRequester ? ' (you said, we did: the requester was told)' : ''}`,
    ),
  };
}

/** Events a requester never sees (their notes are agents' only). */
const INTERNAL_EVENTS = new Set(['internal_note', 'csat_follow_up']);

/** Messages a card shows: the latest exchange, not the whole conversation. */
const CONVERSATION_SHOWN = 5;

/**
 * The view as a requester may see it: no internal notes in the conversation, the history or the
 * last action, no client record and no triage reasons. Every card a requester (or anyone not an agent) sees is rendered from this.
 */
export function forRequester(v: TicketView): TicketView {
  // The client's record (contacts, ERP, customisations) and triage's reasoning are for agents: the name stays.
  const { clientContext: _record, ...rest } = v;
  return {
    ...rest,
    conversation: v.conversation.filter((m) => !m.internal),
    history: v.publicHistory,
    lastAction: v.publicLastAction,
    triage: null,
    teamPeople: [],
    replies: [],
    followUp: null,
  };
}

/** Triage's reasons, said as a suggestion the agent has since changed when the ticket no longer carries it. */
function triageReasons(t: Ticket, policy: Policy): TicketView['triage'] {
  const tr = t.triage;
  if (!tr) return null;
  const categoryName = tr.categoryId ? (policy.coverage.categories[tr.categoryId]?.name ?? tr.categoryId) : 'none';
  const unsure = tr.unsure ? `Triage is unsure (${tr.unsure}): Level 1, please choose. ` : '';
  const claim = requesterSeverityNote(t.requesterSeverity, tr.severity);
  return {
    severity:
      unsure +
      (claim ? `${claim}: Level 1, please choose. ` : '') +
      (t.severity === tr.severity ? tr.severityReason : `triage suggested ${tr.severity}: ${tr.severityReason}`),
    category:
      t.categoryId === tr.categoryId && t.team === tr.team
        ? tr.categoryReason
        : `triage suggested ${categoryName} (${policy.teams[tr.team]?.name ?? tr.team}): ${tr.categoryReason}`,
  };
}
