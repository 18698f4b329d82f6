import type { TeamId } from '../config/policy.schema';
import type { TicketViewLevel } from '../domain/ticket/access';
import type { QueueScope } from '../domain/ticket/queue';
import type { Actor, Ticket, TicketEvent } from '../domain/ticket/ticket';
import { type AppDeps, loadFor } from './context';
import type { QueueQuery } from './ports';

/** The requester's tickets, newest first (open ones only unless asked). */
export async function listMyTickets(
  deps: AppDeps,
  who: Actor,
  /** `lookup`: the person asked ("my tickets"): counted against their look-up limit. */
  opts: { openOnly?: boolean; limit?: number; lookup?: boolean } = {},
): Promise<Ticket[]> {
  if (opts.lookup) await deps.limiter?.check('lookup', who);
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
  opts: { scope?: QueueScope; limit?: number; lookup?: boolean } = {},
): Promise<Ticket[]> {
  if (!deps.directory.isAgent(who)) return [];
  if (opts.lookup) await deps.limiter?.check('lookup', who);
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

/**
 * A ticket with its history (audit log) and the view `who` may have of it: agents the agents' view, its requester
 * the requester's; anyone else is told it does not exist (the same answer as a missing ticket).
 */
export async function getTicket(
  deps: AppDeps,
  number: unknown,
  who: Actor,
  /** A look-up the person asked for (`status SR-n`, Open): counted against their look-up limit. */
  opts: { lookup?: boolean } = {},
): Promise<{ ticket: Ticket; history: TicketEvent[]; view: Exclude<TicketViewLevel, 'none'> }> {
  if (opts.lookup) await deps.limiter?.check('lookup', who);
  const { ticket, view } = await loadFor(deps, number, who, 'view');
  return { ticket, view, history: await deps.events.listFor(ticket.number) };
}
