import type {
  DevelopmentRoute,
  DevelopmentStatus,
  Priority,
  Severity,
  SupportStatus,
  TeamId,
} from '../config/policy.schema';
import { InvalidInputError } from '../domain/errors';
import type { TicketAction } from '../domain/ticket/access';
import * as op from '../domain/ticket/operations';
import type { Actor, CloseReason, Evidence } from '../domain/ticket/ticket';
import { assigneeOf, assignOnArrival } from './assignment';
import { type AppDeps, changeTicket, loadFor, opContext, type UseCaseResult } from './context';
import { followIncident, leaveClosedIncident } from './ticket-links';

/** Who acts on which ticket, with the platform's operation key (event / activity / click id). */
export interface TicketCommand {
  number: string;
  actor: Actor;
  opKey?: string | undefined;
}

type Run = (deps: AppDeps, cmd: TicketCommand) => Promise<UseCaseResult>;
type Operation = Parameters<typeof changeTicket>[2];

/** A card action (button or form) authorised as `action` and counted against the person's action limit. */
const cardAction = (deps: AppDeps, cmd: TicketCommand, action: TicketAction, operation: Operation) =>
  changeTicket(deps, { ...cmd, action, counted: 'action' }, operation);
type RunWith<A> = (deps: AppDeps, cmd: TicketCommand, arg: A) => Promise<UseCaseResult>;

/**
 * A chat message on the ticket (requester reply or agent note to the requester), with any files attached (links):
 * by the requester or an agent only, counted against the person's message limit.
 */
export const addMessage = (deps: AppDeps, cmd: TicketCommand, text: string, files: Evidence[] = []) =>
  changeTicket(deps, { ...cmd, action: 'message', counted: 'message' }, (t, c) => op.addMessage(t, text, c, files));

/** An agent's internal note: on the agents' cards only, never shown or sent to the requester. */
export const addInternalNote: RunWith<string> = (deps, cmd, text) =>
  cardAction(deps, cmd, 'internalNote', (t, c) => op.addInternalNote(t, text, c));

/** Assign to me (Level 1 on the triage card) / take it (Team Ticketing). */
export const assignToMe: Run = (deps, cmd) =>
  cardAction(deps, cmd, 'assign', (t, c) =>
    op.assign(t, { platform: cmd.actor.platform, userId: cmd.actor.userId, name: cmd.actor.name }, c),
  );

/**
 * Assign to a person of the owning team (a policy person id), reassign, or unassign (null). Who may is the policy's
 * `assignment` (managers and team leads anyone in the team; other agents themselves, or hand over their own).
 */
export const assignTo: RunWith<string | null> = async (deps, cmd, personId) => {
  const to = personId === null ? null : assigneeOf(deps, personId, cmd.actor);
  if (personId !== null && !to) throw new InvalidInputError('Choose someone from the list');
  return cardAction(deps, cmd, 'assignTo', (t, c) => op.assignTo(t, to, c));
};

/** After a change that may have moved the ticket to another team: that team's assignment rule applies. */
async function arrived(deps: AppDeps, r: UseCaseResult, teamBefore: string | null): Promise<UseCaseResult> {
  if (r.duplicate || (teamBefore !== null && r.ticket.team === teamBefore)) return r;
  return { ...r, ticket: await assignOnArrival(deps, r.ticket) };
}
const teamOf = async (deps: AppDeps, number: string) => (await deps.tickets.get(number))?.team ?? null;

export const setSeverity: RunWith<Severity> = (deps, cmd, severity) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setSeverity(t, severity, c));

/** The impact on the customer; the clocks take the targets it gives. */
export const setPriority: RunWith<Priority> = (deps, cmd, priority) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setPriority(t, priority, c));

export const setCategory: RunWith<{ categoryId: string; team?: TeamId }> = async (deps, cmd, a) => {
  const before = await teamOf(deps, cmd.number);
  const r = await cardAction(deps, cmd, 'triage', (t, c) => op.setCategory(t, a.categoryId, c, a.team));
  return arrived(deps, r, before);
};

export const setTeam: RunWith<TeamId> = async (deps, cmd, team) => {
  const before = await teamOf(deps, cmd.number);
  return arrived(deps, await cardAction(deps, cmd, 'triage', (t, c) => op.setTeam(t, team, c)), before);
};

/** Ask the requester for information: Waiting for Customer, clocks paused, requester asked. */
export const requestInfo: RunWith<string> = (deps, cmd, question) =>
  cardAction(deps, cmd, 'requestInfo', (t, c) => op.requestInfo(t, question, c));

/** On Customer Test: the requester is asked whether it is fixed. */
export const resolve: RunWith<string> = async (deps, cmd, note) =>
  followIncident(deps, await cardAction(deps, cmd, 'resolve', (t, c) => op.resolve(t, note, c)), cmd.actor, note);

export const confirmFixed: Run = (deps, cmd) => cardAction(deps, cmd, 'confirmFixed', (t, c) => op.confirmFixed(t, c));

export const reopen: RunWith<string> = async (deps, cmd, reason) =>
  leaveClosedIncident(deps, await cardAction(deps, cmd, 'confirmFixed', (t, c) => op.reopen(t, reason, c)), cmd.actor);

/** Level 1's one button: the full ticket to the Team Ticketing channel. */
export const escalateToTeamTicketing: RunWith<string> = async (deps, cmd, note) =>
  arrived(
    deps,
    await cardAction(deps, cmd, 'escalateTeamTicketing', (t, c) => op.escalateToTeamTicketing(t, note, c)),
    null,
  );

export const escalateToDevelopment: RunWith<DevelopmentRoute> = async (deps, cmd, route) => {
  const before = await teamOf(deps, cmd.number);
  const r = await cardAction(deps, cmd, 'escalateDevelopment', (t, c) => op.escalateToDevelopment(t, route, c));
  return arrived(deps, r, before);
};

export const advanceDevelopmentStatus: RunWith<{ to: DevelopmentStatus; releaseNote?: string }> = async (
  deps,
  cmd,
  a,
) => {
  const r = await cardAction(deps, cmd, 'advanceDevelopment', (t, c) =>
    op.advanceDevelopment(t, a.to, a.releaseNote ?? '', c),
  );
  return followIncident(deps, r, cmd.actor, r.ticket.development?.releaseNote ?? '');
};

/** Switch the development route with a reason (as the policy's `development.routes` allows). */
export const switchRoute: RunWith<{ to: DevelopmentRoute; reason: string }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'escalateDevelopment', (t, c) => op.switchRoute(t, a.to, a.reason, c));

/** Product's roadmap decision on a change request (accepted for a release or the roadmap, or declined). */
export const decideRoadmap: RunWith<op.RoadmapInput> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'advanceDevelopment', (t, c) => op.decideRoadmap(t, a, c));

/** The quote for chargeable work was sent (amount, currency, to whom). */
export const recordQuoteSent: RunWith<op.QuoteSentInput> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'changeStatus', (t, c) => op.recordQuoteSent(t, a, c));

/** The quote's outcome: accepted → Work in Progress, declined → closed, with the reason. */
export const recordQuoteOutcome: RunWith<{ decision: 'accepted' | 'declined'; reason: string }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'changeStatus', (t, c) => op.recordQuoteOutcome(t, a, c));

/** Plan a fix waiting for a release into a coming release day (or move it). */
export const planRelease: RunWith<string> = (deps, cmd, day) =>
  cardAction(deps, cmd, 'advanceDevelopment', (t, c) => op.planRelease(t, day, c));

/** A plain status move; an incident moved to On Customer Test takes its open children with it. */
export const changeStatus: RunWith<SupportStatus> = async (deps, cmd, to) =>
  followIncident(deps, await cardAction(deps, cmd, 'changeStatus', (t, c) => op.changeStatus(t, to, c)), cmd.actor);

/** A customer escalation by the requester, or recorded by an agent for them (`via` phone or email). */
export const customerEscalation: RunWith<op.CustomerEscalationInput> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'customerEscalation', (t, c) => op.customerEscalation(t, a, c));

export const acknowledgeAlert: Run = (deps, cmd) =>
  cardAction(deps, cmd, 'acknowledge', (t, c) => op.acknowledgeAlert(t, c));

export const recordCsat: RunWith<{ score: number; comment?: string }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'csat', (t, c) => op.recordCsat(t, a.score, a.comment ?? '', c));

export const close: RunWith<string> = async (deps, cmd, note) =>
  followIncident(deps, await cardAction(deps, cmd, 'changeStatus', (t, c) => op.close(t, note, c)), cmd.actor);

const SR = /^\s*(?:sr)?[\s#-]*([1-9]\d{0,9})\s*$/i;

/**
 * Close with a reason, from any open status. A duplicate names its original (SR-n, which the agent may see): the
 * original is linked to it and its requester follows the original; then the duplicate is closed, linked back.
 * Everything is checked before anything is saved.
 */
export async function closeWithReason(
  deps: AppDeps,
  cmd: TicketCommand,
  a: { reason: CloseReason; note?: string; duplicateOf?: string },
): Promise<UseCaseResult> {
  if (a.reason !== 'duplicate') {
    const r = await cardAction(deps, cmd, 'close', (t, c) =>
      op.closeWithReason(t, { reason: a.reason, note: a.note ?? '' }, c),
    );
    return followIncident(deps, r, cmd.actor);
  }
  const m = SR.exec(a.duplicateOf ?? '');
  if (!m) throw new InvalidInputError('Say which ticket it duplicates, e.g. SR-12');
  const { ticket } = await loadFor(deps, cmd.number, cmd.actor, 'close');
  const original = (await loadFor(deps, `SR-${m[1]}`, cmd.actor, 'view')).ticket;
  const input = { reason: a.reason, note: a.note ?? '', duplicateOf: original };
  if (ticket.status !== 'closed') {
    // A dry run: a refusal (closed original, itself) ends here with nothing saved.
    op.closeWithReason(ticket, input, opContext(deps, cmd.actor));
    const linked = op.linkDuplicate(original, ticket, opContext(deps, cmd.actor));
    if (linked.events.length > 0) await deps.tickets.save(linked, original.version);
  }
  return followIncident(
    deps,
    await cardAction(deps, cmd, 'close', (t, c) => op.closeWithReason(t, input, c)),
    cmd.actor,
  );
}
