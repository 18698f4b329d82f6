import type { TeamId } from '../config/policy.schema';
import { NotFoundError } from '../domain/errors';
import type { QueueScope } from '../domain/ticket/queue';
import type { Actor, Ticket, TicketEvent } from '../domain/ticket/ticket';
import { type AppDeps, loadTicket } from './context';
import type { QueueQuery } from './ports';

/** The requester's tickets, newest first (open ones only unless asked). */
export function listMyTickets(
  deps: AppDeps,
  who: Actor,
  opts: { openOnly?: boolean; limit?: number } = {},
): Promise<Ticket[]> {
  return deps.tickets.listByRequester(who, { openOnly: opts.openOnly ?? true, limit: opts.limit ?? 20 });
}

/**
 * The agents' queue at the clock's now: breached first, then at risk, then severity, priority and age.
 * `mine`: assigned to them; `team`: their teams' tickets (every team for a manager outside them);
 * `unassigned`: nobody's. Requesters see nothing here.
 */
export async function listQueue(
  deps: AppDeps,
  who: Actor,
  opts: { scope?: QueueScope; limit?: number } = {},
): Promise<Ticket[]> {
  if (!deps.directory.isAgent(who)) return [];
  const query: QueueQuery = { now: deps.clock.now(), limit: opts.limit ?? 20 };
  const scope = opts.scope ?? 'all';
  if (scope === 'mine') query.assignee = { platform: who.platform, userId: who.userId };
  if (scope === 'unassigned') query.assignee = null;
  if (scope === 'team') {
    const id = deps.directory.personOf(who)?.id;
    const teams = (Object.entries(deps.policy.teams) as Array<[TeamId, { members: string[] }]>)
      .filter(([, t]) => !!id && t.members.includes(id))
      .map(([teamId]) => teamId);
    if (teams.length > 0) query.teams = teams;
  }
  return deps.tickets.listQueue(query);
}

/** A ticket with its history (audit log). Requesters only see their own tickets. */
export async function getTicket(
  deps: AppDeps,
  number: unknown,
  who: Actor,
): Promise<{ ticket: Ticket; history: TicketEvent[] }> {
  const ticket = await loadTicket(deps, number);
  const mine = ticket.requester.platform === who.platform && ticket.requester.userId === who.userId;
  if (!mine && !deps.directory.isAgent(who)) throw new NotFoundError(ticket.number); // same answer as a missing ticket
  return { ticket, history: await deps.events.listFor(ticket.number) };
}
