import { nextPageHint, searchSummary, searchTickets } from '../../app/search-tickets';
import type { App } from '../../bootstrap';
import { searchMessage } from '../../cards/slack';
import type { Actor } from '../../domain/ticket/ticket';
import { lineOf } from './render';

/** `search <words> …` (DM, @mention, `/ticket search`): a page of results, agents' lines with Open and Take. */
export async function searchReply(app: App, actor: Actor, input: string) {
  const r = await searchTickets(app, actor, input);
  const agent = r.scope === 'all';
  const summary =
    r.total === 0 && !agent
      ? `${searchSummary(r)} To report a problem instead, tell me about it in other words or use /ticket new.`
      : searchSummary(r);
  return searchMessage({
    summary,
    lines: r.tickets.map((t) => lineOf(app, t, agent)),
    withActions: agent,
    next: nextPageHint(r),
  });
}
