/**
 * Does a new request look like an open incident? The triage card then suggests "part of SR-n?" with one button.
 * A candidate is an open incident (a ticket with linked parts, or of Severity 1 or 2) raised before it and within
 * the window before now, not yet resolved and not itself part of one; it matches when both are in the same category or both
 * use words of a platform-wide outage.
 */
import { normaliseForMatching } from '../routing/normalise';
import { parentOf, partsOf, type Ticket } from './ticket';

/** How far back an incident is still "the outage we are working on" for a new request. */
export const INCIDENT_WINDOW_MS = 24 * 3_600_000;

/** Words that say the whole platform is affected (matched on normalised text). */
export const OUTAGE_WORDS = [
  'outage',
  'is down',
  'are down',
  'platform down',
  'site down',
  'not loading',
  'nothing loads',
  'cannot log in',
  'can not log in',
  "can't log in",
  'unable to log in',
  'nobody can',
  'no one can',
  'everyone',
  'whole platform',
  'all users',
] as const;

type Facts = Pick<Ticket, 'number' | 'seq' | 'title' | 'description' | 'categoryId' | 'status' | 'links' | 'createdAt'>;
type Candidate = Facts & Pick<Ticket, 'severity'>;

const WORKING: readonly string[] = ['on_customer_test', 'pending_closure', 'closed'];

function outage(t: Pick<Ticket, 'title' | 'description'>): boolean {
  const text = ` ${normaliseForMatching(`${t.title} ${t.description}`)} `;
  return OUTAGE_WORDS.some((w) => text.includes(` ${w} `));
}

/** Whether a new request may be offered as part of an incident at all (the triage card's, not yet linked). */
export function mayJoinAnIncident(t: Pick<Ticket, 'status' | 'links' | 'inTeamTicketing'>): boolean {
  return (t.status === 'new' || t.status === 'triage') && !t.inTeamTicketing && !parentOf(t) && !partsOf(t).length;
}

/** The open incident `t` most likely belongs to among `candidates` (the most recent match), or null. */
export function suggestIncident(
  t: Facts & Pick<Ticket, 'inTeamTicketing'>,
  candidates: readonly Candidate[],
  now: Date,
): { number: string; title: string } | null {
  if (!mayJoinAnIncident(t)) return null;
  const since = now.getTime() - INCIDENT_WINDOW_MS;
  const isOutage = outage(t);
  const matches = candidates.filter(
    (c) =>
      c.seq < t.seq && // raised before it
      !WORKING.includes(c.status) &&
      !parentOf(c) &&
      (partsOf(c).length > 0 || c.severity <= 2) &&
      c.createdAt.getTime() >= since &&
      ((!!c.categoryId && c.categoryId === t.categoryId) || (isOutage && outage(c))),
  );
  // An incident already run as one first, then the most recent.
  const best = [...matches].sort(
    (a, b) => partsOf(b).length - partsOf(a).length || b.createdAt.getTime() - a.createdAt.getTime(),
  )[0];
  return best ? { number: best.number, title: best.title } : null;
}
