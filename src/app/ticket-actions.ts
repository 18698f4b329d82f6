import type {
  DevelopmentRoute,
  DevelopmentStatus,
  Priority,
  Severity,
  SupportStatus,
  TeamId,
} from '../config/policy.schema';
import type { TicketAction } from '../domain/ticket/access';
import * as op from '../domain/ticket/operations';
import type { Actor, Evidence } from '../domain/ticket/ticket';
import { type AppDeps, changeTicket, type UseCaseResult } from './context';

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

export const setSeverity: RunWith<Severity> = (deps, cmd, severity) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setSeverity(t, severity, c));

/** The impact on the customer; the clocks take the targets it gives. */
export const setPriority: RunWith<Priority> = (deps, cmd, priority) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setPriority(t, priority, c));

export const setCategory: RunWith<{ categoryId: string; team?: TeamId }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setCategory(t, a.categoryId, c, a.team));

export const setTeam: RunWith<TeamId> = (deps, cmd, team) =>
  cardAction(deps, cmd, 'triage', (t, c) => op.setTeam(t, team, c));

/** Ask the requester for information: Waiting for Customer, clocks paused, requester asked. */
export const requestInfo: RunWith<string> = (deps, cmd, question) =>
  cardAction(deps, cmd, 'requestInfo', (t, c) => op.requestInfo(t, question, c));

/** On Customer Test: the requester is asked whether it is fixed. */
export const resolve: RunWith<string> = (deps, cmd, note) =>
  cardAction(deps, cmd, 'resolve', (t, c) => op.resolve(t, note, c));

export const confirmFixed: Run = (deps, cmd) => cardAction(deps, cmd, 'confirmFixed', (t, c) => op.confirmFixed(t, c));

export const reopen: RunWith<string> = (deps, cmd, reason) =>
  cardAction(deps, cmd, 'confirmFixed', (t, c) => op.reopen(t, reason, c));

/** Level 1's one button: the full ticket to the Team Ticketing channel. */
export const escalateToTeamTicketing: RunWith<string> = (deps, cmd, note) =>
  cardAction(deps, cmd, 'escalateTeamTicketing', (t, c) => op.escalateToTeamTicketing(t, note, c));

export const escalateToDevelopment: RunWith<DevelopmentRoute> = (deps, cmd, route) =>
  cardAction(deps, cmd, 'escalateDevelopment', (t, c) => op.escalateToDevelopment(t, route, c));

export const advanceDevelopmentStatus: RunWith<{ to: DevelopmentStatus; releaseNote?: string }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'advanceDevelopment', (t, c) => op.advanceDevelopment(t, a.to, a.releaseNote ?? '', c));

export const changeStatus: RunWith<SupportStatus> = (deps, cmd, to) =>
  cardAction(deps, cmd, 'changeStatus', (t, c) => op.changeStatus(t, to, c));

export const customerEscalation: RunWith<{
  reason: string;
  businessImpact?: string;
  toLevel?: number;
  /** "The impact has increased": a higher priority (never lowers it). */
  priority?: Priority;
}> = (deps, cmd, a) => cardAction(deps, cmd, 'customerEscalation', (t, c) => op.customerEscalation(t, a, c));

export const acknowledgeAlert: Run = (deps, cmd) =>
  cardAction(deps, cmd, 'acknowledge', (t, c) => op.acknowledgeAlert(t, c));

export const recordCsat: RunWith<{ score: number; comment?: string }> = (deps, cmd, a) =>
  cardAction(deps, cmd, 'csat', (t, c) => op.recordCsat(t, a.score, a.comment ?? '', c));

export const close: RunWith<string> = (deps, cmd, note) =>
  cardAction(deps, cmd, 'changeStatus', (t, c) => op.close(t, note, c));
