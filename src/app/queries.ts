import { NotFoundError } from '../domain/errors';
import type { Actor, Ticket, TicketEvent } from '../domain/ticket/ticket';
import { type AppDeps, loadTicket } from './context';

/** The requester's tickets, newest first (open ones only unless asked). */
export function listMyTickets(
  deps: AppDeps,
  who: Actor,
  opts: { openOnly?: boolean; limit?: number } = {},
): Promise<Ticket[]> {
  return deps.tickets.listByRequester(who, { openOnly: opts.openOnly ?? true, limit: opts.limit ?? 20 });
}

/** The agents' queue, most urgent SLA first; requesters see nothing here. */
export async function listQueue(deps: AppDeps, who: Actor, limit = 20): Promise<Ticket[]> {
  if (!deps.directory.isAgent(who)) return [];
  return deps.tickets.listQueue({ limit });
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
