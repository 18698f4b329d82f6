import { mayJoinAnIncident, suggestIncident } from '../domain/ticket/incident-match';
import type { Ticket } from '../domain/ticket/ticket';
import type { AppDeps } from './context';

/** How many of the queue's most urgent open tickets are looked at for an incident a new request may belong to. */
const CANDIDATES = 50;

/**
 * The open incident a request on the triage card looks like part of ("part of SR-n?"), or null. Only a request
 * still in triage is looked at (one indexed queue read of the most urgent open tickets, where incidents are).
 */
export async function incidentSuggestionFor(
  deps: Pick<AppDeps, 'tickets' | 'clock'>,
  ticket: Ticket,
  /** The open queue's head read once for several cards (the notifier's drain); read here when absent. */
  queueHead?: (now: Date, limit: number) => Promise<Ticket[]>,
): Promise<{ number: string; title: string } | null> {
  if (!mayJoinAnIncident(ticket)) return null;
  const now = deps.clock.now();
  const candidates = await (queueHead
    ? queueHead(now, CANDIDATES)
    : deps.tickets.listQueue({ now, limit: CANDIDATES }));
  return suggestIncident(ticket, candidates, now);
}

/**
 * The open incident a request not yet raised looks like part of (guided intake's "add me to it?"), or null. The
 * request is compared as a new ticket raised now would be, with its triage category.
 */
export async function incidentForRequest(
  deps: Pick<AppDeps, 'tickets' | 'clock'>,
  request: { title: string; description: string; categoryId: string | null },
): Promise<{ number: string; title: string } | null> {
  const now = deps.clock.now();
  const candidates = await deps.tickets.listQueue({ now, limit: CANDIDATES });
  return suggestIncident(
    {
      number: '',
      seq: Number.MAX_SAFE_INTEGER, // raised after every candidate
      ...request,
      status: 'new',
      links: [],
      createdAt: now,
      inTeamTicketing: false,
    },
    candidates,
    now,
  );
}
