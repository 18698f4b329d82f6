import { INCIDENT_WINDOW_MS, mayJoinAnIncident, suggestIncident } from '../domain/ticket/incident-match';
import type { Ticket } from '../domain/ticket/ticket';
import type { AppDeps } from './context';

/** How many open incidents (the newest within the window) a new request is compared with. */
const CANDIDATES = 50;

/** The open incidents a request raised now may be part of: one indexed read (shared by a drain's cards). */
export type IncidentCandidates = (now: Date) => Promise<Ticket[]>;

export const readIncidentCandidates =
  (deps: Pick<AppDeps, 'tickets'>): IncidentCandidates =>
  (now) =>
    deps.tickets.listIncidentCandidates(new Date(now.getTime() - INCIDENT_WINDOW_MS), CANDIDATES);

/**
 * The open incident a request on the triage card looks like part of ("part of SR-n?"), or null. Only a request
 * still in triage is looked at (one indexed read of the open incidents raised within the window).
 */
export async function incidentSuggestionFor(
  deps: Pick<AppDeps, 'tickets' | 'clock'>,
  ticket: Ticket,
  /** The candidates read once for several cards (the notifier's drain); read here when absent. */
  candidates: IncidentCandidates = readIncidentCandidates(deps),
): Promise<{ number: string; title: string } | null> {
  if (!mayJoinAnIncident(ticket)) return null;
  const now = deps.clock.now();
  return suggestIncident(ticket, await candidates(now), now);
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
  const candidates = await readIncidentCandidates(deps)(now);
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
