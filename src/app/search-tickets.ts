import { SUPPORT_STATUSES, type SupportStatus } from '../config/policy.schema';
import { InvalidInputError } from '../domain/errors';
import { parseSearch, requiredTerms, type SearchRequest } from '../domain/search/query';
import { rankTickets } from '../domain/search/rank';
import { plainWords } from '../domain/search/terms';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import { type AppDeps, viewerFor } from './context';
import type { TicketSearchStore } from './ports';

/** Tickets a page shows (Slack: two blocks each, within a message's 50). */
export const SEARCH_PAGE_SIZE = 10;
/** The most candidates read from the index per search (most recently updated first), then ranked here. */
export const SEARCH_CANDIDATES = 500;
/** Closed tickets are searched while updated within this many days; open ones always. */
export const RECENT_DAYS = 90;

export type SearchDeps = AppDeps & { ticketSearch: TicketSearchStore };

export interface SearchResult {
  request: SearchRequest;
  /** This page's tickets, best first. */
  tickets: Ticket[];
  /** Matches found (at most SEARCH_CANDIDATES), and the pages they make. */
  total: number;
  pages: number;
  /** The candidate bound was reached: older matches may exist (narrow the search). */
  truncated: boolean;
  /** `all`: an agent's search; `own`: a requester's, over their own tickets only. */
  scope: 'all' | 'own';
}

/** The support statuses a typed status names: its id, its name, or the start of its name (`waiting`). */
export function statusesNamed(policy: AppDeps['policy'], typed: string): SupportStatus[] {
  const want = plainWords(typed).join(' ');
  const named = (id: SupportStatus) => plainWords(policy.statuses[id]?.name ?? id).join(' ');
  const exact = SUPPORT_STATUSES.filter((id) => plainWords(id).join(' ') === want || named(id) === want);
  if (exact.length > 0 || want === '') return exact;
  return SUPPORT_STATUSES.filter((id) => named(id).startsWith(want));
}

/**
 * Searches tickets for `who` (`search <words> [client:] [requester:] [status:] [open] [since:] [page N]`): agents over
 * every open ticket and every one updated in the last {@link RECENT_DAYS} days, a requester over their own only.
 * Counted as a look-up. Every ticket shown passes the one authorisation point (`viewerFor`).
 */
export async function searchTickets(deps: SearchDeps, who: Actor, input: string): Promise<SearchResult> {
  await deps.limiter?.check('lookup', who);
  const now = deps.clock.now();
  const request = parseSearch(input, now);
  const terms = requiredTerms(request);
  if (terms.length === 0)
    throw new InvalidInputError(
      'Tell me what to look for: a few words, client:NAME or requester:NAME; open, status:NAME and since:7d narrow it.',
    );
  const statuses = request.status ? statusesNamed(deps.policy, request.status) : undefined;
  if (statuses?.length === 0)
    throw new InvalidInputError(`I know no status "${request.status}": try status:waiting or status:"in progress".`);
  const agent = deps.directory.isAgent(who);
  const candidates = await deps.ticketSearch.search({
    terms,
    ...(agent ? {} : { requester: { platform: who.platform, userId: who.userId } }),
    ...(statuses ? { statuses } : {}),
    openOnly: request.open,
    recentSince: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
    ...(request.since ? { createdSince: request.since } : {}),
    limit: SEARCH_CANDIDATES,
  });
  const visible = candidates.filter((t) => viewerFor(deps, t, who) !== 'other');
  const ranked = rankTickets(visible, request.terms, now);
  const pages = Math.max(1, Math.ceil(ranked.length / SEARCH_PAGE_SIZE));
  const start = (request.page - 1) * SEARCH_PAGE_SIZE;
  return {
    request,
    tickets: ranked.slice(start, start + SEARCH_PAGE_SIZE),
    total: ranked.length,
    pages,
    truncated: candidates.length >= SEARCH_CANDIDATES,
    scope: agent ? 'all' : 'own',
  };
}

/** One line saying what was found, for every platform: "12 tickets match "export acme" (page 1 of 2)". */
export function searchSummary(r: SearchResult): string {
  const what = r.request.text || r.request.words.join(' ');
  const mine = r.scope === 'own' ? ' of yours' : '';
  if (r.total === 0) return `No tickets${mine} match "${what}".`;
  const count = `${r.total}${r.truncated ? '+' : ''} ticket${r.total === 1 ? '' : 's'}${mine}`;
  const page = r.pages > 1 ? ` (page ${r.request.page} of ${r.pages})` : '';
  return `${count} match "${what}"${page}.`;
}

/** How to ask for the next page, when there is one. */
export function nextPageHint(r: SearchResult): string | null {
  if (r.request.page >= r.pages) return null;
  return `More: search ${r.request.text} page ${r.request.page + 1}`;
}

/**
 * Gives every ticket saved before search existed its terms, `batch` at a time, until none is left; answers how many.
 * Idempotent (a ticket with terms is never touched) and safe beside saves (a save writes the terms itself). Run at
 * start-up, in the background: until it ends, older tickets are simply not found.
 */
export async function backfillSearchTerms(deps: { ticketSearch: TicketSearchStore }, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deps.ticketSearch.backfillTerms(batch);
    total += n;
    if (n < batch) return total;
  }
}
