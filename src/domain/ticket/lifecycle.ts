import type { DevelopmentStatus, Policy, Role, Status, SupportStatus } from '../../config/policy.schema';
import { ClosedError, ForbiddenError, TransitionNotAllowedError } from '../errors';
import { ROLE_NAMES } from './roles';
import type { Ticket } from './ticket';

/** Roles allowed to move a ticket (or its development work) from one status to another; empty when never allowed. */
export function rolesFor(policy: Pick<Policy, 'transitions'>, from: Status, to: Status): Role[] {
  const roles = new Set<Role>();
  for (const t of policy.transitions) if (t.to === to && t.from.includes(from)) for (const r of t.roles) roles.add(r);
  return [...roles];
}

function describeRoles(roles: Role[]): string {
  const names = roles.filter((r) => r !== 'system').map((r) => ROLE_NAMES[r]);
  if (names.length <= 1) return names[0] ?? 'nobody';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Statuses a plain status move never reaches: each needs more than the move, and is reached only through its own
 * control (Escalate to Development with a route, Request info with a question, Close with a reason).
 */
export const NEEDS_OWN_CONTROL: Partial<Record<SupportStatus, string>> = {
  escalated_to_dev: 'with a development route (Escalate to Development)',
  waiting_for_customer: 'with a question for the requester (Request info)',
  closed: 'with a reason (Close)',
};

/**
 * The support statuses a plain status move may take the ticket to, by the transition table, for any of `roles`
 * (agents' roles when not given): the status select offers these and nothing else.
 */
export function plainMoves(
  policy: Pick<Policy, 'transitions' | 'statuses'>,
  ticket: Pick<Ticket, 'status'>,
  roles: readonly Role[],
): SupportStatus[] {
  if (ticket.status === 'closed') return [];
  return (Object.keys(policy.statuses) as SupportStatus[]).filter(
    (s) =>
      policy.statuses[s]?.kind === 'support' &&
      s !== ticket.status &&
      !NEEDS_OWN_CONTROL[s] &&
      rolesFor(policy, ticket.status, s).some((r) => roles.includes(r)),
  );
}

/** A plain move to a status that needs more is refused with what it needs. */
export function assertPlainMove(
  policy: Pick<Policy, 'statuses'>,
  ticket: Pick<Ticket, 'number'>,
  to: SupportStatus,
): void {
  const needs = NEEDS_OWN_CONTROL[to];
  if (needs)
    throw new TransitionNotAllowedError(
      `${ticket.number} moves to ${policy.statuses[to]?.name ?? to} only ${needs}, not from the status select`,
    );
}

/** Nothing updates a closed ticket. */
export function assertOpen(ticket: Pick<Ticket, 'number' | 'status'>): void {
  if (ticket.status === 'closed') throw new ClosedError(ticket.number);
}

/** Throws a message a person understands when `actorRoles` may not move the ticket to `to`. */
export function assertTransition(
  policy: Pick<Policy, 'transitions' | 'statuses'>,
  ticket: Pick<Ticket, 'number' | 'status'>,
  to: SupportStatus,
  actorRoles: Role[],
): void {
  assertOpen(ticket);
  const name = (s: Status) => policy.statuses[s]?.name ?? s;
  const allowed = rolesFor(policy, ticket.status, to);
  if (allowed.length === 0) {
    throw new TransitionNotAllowedError(`${ticket.number} cannot move from ${name(ticket.status)} to ${name(to)}`);
  }
  if (!actorRoles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(
      `Only ${describeRoles(allowed)} can move ${ticket.number} from ${name(ticket.status)} to ${name(to)}`,
    );
  }
}

/** The same check for the development status chain. */
export function assertDevelopmentTransition(
  policy: Pick<Policy, 'transitions' | 'statuses'>,
  ticket: Pick<Ticket, 'number' | 'status' | 'development'>,
  to: DevelopmentStatus,
  actorRoles: Role[],
): void {
  assertOpen(ticket);
  const from = ticket.development?.status;
  if (!from || ticket.status !== 'escalated_to_dev') {
    throw new TransitionNotAllowedError(`${ticket.number} is not escalated to Development`);
  }
  const name = (s: Status) => policy.statuses[s]?.name ?? s;
  const allowed = rolesFor(policy, from, to);
  if (allowed.length === 0) {
    throw new TransitionNotAllowedError(
      `${ticket.number}'s development work cannot move from ${name(from)} to ${name(to)}`,
    );
  }
  if (!actorRoles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`Only ${describeRoles(allowed)} can move development of ${ticket.number} to ${name(to)}`);
  }
}

/** Throws unless the actor holds one of the roles. */
export function assertRole(actorRoles: Role[], allowed: Role[], action: string): void {
  if (!actorRoles.some((r) => allowed.includes(r)))
    throw new ForbiddenError(`Only ${describeRoles(allowed)} can ${action}`);
}
