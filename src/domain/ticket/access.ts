/**
 * Who may see and do what on a ticket: the one authorisation point. Every use case asks it, from who the actor
 * is (their roles from the policy, and whether the ticket is theirs), never from what a card or payload claims.
 * The answer is allowed or not, and which view of the ticket the actor gets; adapters render that view only.
 */
import type { Policy, Role } from '../../config/policy.schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { AGENT_ROLES } from './roles';
import { type Actor, sameActor, type Ticket } from './ticket';

/** How a person stands to one ticket. */
export type Relation = 'requester' | 'owningAgent' | 'otherAgent' | 'manager' | 'other';

export const RELATIONS: readonly Relation[] = ['requester', 'owningAgent', 'otherAgent', 'manager', 'other'];

export const RELATION_NAMES: Record<Relation, string> = {
  requester: 'requester of the ticket',
  owningAgent: 'agent of the owning team',
  otherAgent: 'other agent',
  manager: 'manager',
  other: 'anyone else (incl. requesters of other tickets)',
};

/** What can be asked of a ticket, from any platform: every card action, form and look-up command maps to one. */
export const TICKET_ACTIONS = {
  view: 'see the ticket (card, `status`, refresh, open from the queue)',
  history: 'read its history (`history SR-n`)',
  message: 'write on it (requester reply, "Message requester")',
  internalNote: 'add an internal note',
  reply: 'send a canned reply (previewed; its status move within the transitions)',
  assign: 'assign to me / take',
  assignTo: 'assign to someone, reassign or unassign (as the policy `assignment` allows)',
  triage: 'change severity, priority, category or team',
  requestInfo: 'request information (Waiting for Customer)',
  resolve: 'resolve (On Customer Test)',
  escalateTeamTicketing: 'escalate to Team Ticketing',
  changeStatus: 'change the support status',
  close: 'close with a reason (duplicate, withdrawn, spam, resolved elsewhere)',
  link: 'link to another ticket (related to, part of an incident) or unlink from its incident',
  escalateDevelopment: 'escalate to Development',
  advanceDevelopment: 'move the development status',
  confirmFixed: '"Yes, fixed" / "No, still broken"',
  csat: 'rate the support (CSAT)',
  followUp: 'follow up a low rating ("Called them", a note, "you said, we did")',
  customerEscalation: 'customer escalation',
  acknowledge: 'acknowledge an SLA alert',
  clientRecord: 'read the client record (`client SR-n`)',
  setClient: 'set the client (`client SR-n NAME`)',
  completeClientRecord: 'complete the client record (write-back)',
} as const;
export type TicketAction = keyof typeof TICKET_ACTIONS;

const AGENTS: readonly Relation[] = ['owningAgent', 'otherAgent', 'manager'];
const REQUESTER_AND_AGENTS: readonly Relation[] = ['requester', ...AGENTS];

/**
 * The table: which relations may take each action. Status moves are further limited by the policy's
 * `transitions` (which roles may move a ticket from where to where); this table is checked first.
 */
export const ACCESS: Record<TicketAction, readonly Relation[]> = {
  view: REQUESTER_AND_AGENTS,
  history: REQUESTER_AND_AGENTS,
  message: REQUESTER_AND_AGENTS,
  internalNote: AGENTS,
  // A canned reply speaks for the team that owns the ticket: its agents only.
  reply: ['owningAgent'],
  assign: AGENTS,
  assignTo: AGENTS,
  triage: AGENTS,
  requestInfo: AGENTS,
  resolve: AGENTS,
  escalateTeamTicketing: AGENTS,
  changeStatus: AGENTS,
  close: AGENTS,
  link: AGENTS,
  escalateDevelopment: AGENTS,
  advanceDevelopment: AGENTS,
  confirmFixed: ['requester'],
  csat: ['requester'],
  followUp: AGENTS,
  customerEscalation: ['requester', ...AGENTS],
  acknowledge: AGENTS,
  clientRecord: AGENTS,
  setClient: AGENTS,
  completeClientRecord: AGENTS,
};

/** Which view of a ticket a person gets: the agents' (internal notes, client record, triage), the requester's, or none. */
export type TicketViewLevel = 'agent' | 'requester' | 'none';

interface Who {
  platform: Actor['platform'];
  userId: string;
  /** The person's roles from the policy (team membership, escalation contact); never from a payload. */
  roles: readonly Role[];
}

/** Every relation the person has to the ticket (an agent may also be its requester). */
export function relationsTo(
  policy: Pick<Policy, 'teams'>,
  ticket: Pick<Ticket, 'requester' | 'team'>,
  who: Who,
): Relation[] {
  const out: Relation[] = [];
  if (sameActor(ticket.requester, who)) out.push('requester');
  const owningRole = policy.teams[ticket.team]?.role;
  const teamRoles = who.roles.filter((r) => r !== 'manager' && AGENT_ROLES.includes(r));
  if (owningRole && teamRoles.includes(owningRole)) out.push('owningAgent');
  else if (teamRoles.length > 0) out.push('otherAgent');
  if (who.roles.includes('manager')) out.push('manager');
  if (out.length === 0) out.push('other');
  return out;
}

export function mayDo(relations: readonly Relation[], action: TicketAction): boolean {
  return relations.some((r) => ACCESS[action].includes(r));
}

export function viewLevel(relations: readonly Relation[]): TicketViewLevel {
  if (relations.some((r) => AGENTS.includes(r))) return 'agent';
  return relations.includes('requester') ? 'requester' : 'none';
}

/**
 * Decide one action: the view the actor gets when allowed. Someone with no business with the ticket is told it
 * does not exist (the same answer as a missing number, so numbers cannot be probed); a requester asking for an
 * agent's action is told who may do it.
 */
export function authorize(
  policy: Pick<Policy, 'teams'>,
  ticket: Pick<Ticket, 'number' | 'requester' | 'team'>,
  who: Who,
  action: TicketAction,
): Exclude<TicketViewLevel, 'none'> {
  const relations = relationsTo(policy, ticket, who);
  const view = viewLevel(relations);
  if (view === 'none') throw new NotFoundError(ticket.number);
  if (!mayDo(relations, action)) {
    const allowed = ACCESS[action];
    const what = TICKET_ACTIONS[action].replace(/\s*\(.*\)$/, '');
    const only = allowed.length === 1 ? allowed[0] : undefined;
    throw new ForbiddenError(
      only === 'requester'
        ? `That is for the requester of ${ticket.number}: only they can ${what}.`
        : only === 'owningAgent'
          ? `That is for support agents of the team that owns ${ticket.number}: only they can ${what}.`
          : `That is for support agents: only they can ${what} on ${ticket.number}.`,
    );
  }
  return view;
}

/** The card kinds a platform renders for a ticket. */
export type CardKind = 'triage' | 'teamTicketing' | 'requester' | 'alert' | 'view';

/** A requested card kind is a hint: clamped to what the viewer may see (a requester always gets a requester's card). */
export function clampCardKind(requested: CardKind, view: TicketViewLevel): CardKind {
  if (view === 'agent') return requested;
  return requested === 'view' ? 'view' : 'requester';
}

/** The README's role table (`npm run docs:access` writes it; a test checks README.md holds it). */
export function accessTableMarkdown(): string {
  const head = `| action | ${RELATIONS.map((r) => RELATION_NAMES[r]).join(' | ')} |`;
  const rule = `| --- | ${RELATIONS.map(() => ':---:').join(' | ')} |`;
  const rows = (Object.keys(TICKET_ACTIONS) as TicketAction[]).map(
    (a) => `| ${TICKET_ACTIONS[a]} | ${RELATIONS.map((r) => (ACCESS[a].includes(r) ? 'yes' : 'no')).join(' | ')} |`,
  );
  return [head, rule, ...rows].join('\n');
}
