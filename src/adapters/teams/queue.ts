import { awayLine } from '../../app/availability';
import { listQueue } from '../../app/queries';
import { nextPageHint, searchSummary, searchTickets } from '../../app/search-tickets';
import type { App } from '../../bootstrap';
import { type Json, messageCard, type QueueLine, queueCard, searchCard } from '../../cards/teams';
import { readClocks } from '../../domain/ticket/clocks';
import { QUEUE_SCOPES, type QueueScope } from '../../domain/ticket/queue';
import { type Actor, partsOf, type Ticket } from '../../domain/ticket/ticket';

export function parseScope(raw: unknown): QueueScope | null {
  return typeof raw === 'string' && (QUEUE_SCOPES as readonly string[]).includes(raw) ? (raw as QueueScope) : null;
}

/** A ticket as a queue line (the queue's and the search's). */
export function lineOf(app: App, t: Ticket): QueueLine {
  const { condition } = readClocks(t, app.clock.now(), app.policy, app.calendar);
  return {
    number: t.number,
    title: t.title,
    severity: t.severity,
    priority: t.priority,
    status: app.policy.statuses[t.status]?.name ?? t.status,
    condition,
    team: app.policy.teams[t.team]?.name ?? t.team,
    ...(partsOf(t).length > 0 ? { linked: partsOf(t).length } : {}),
    assignee: t.assignee?.name ?? null,
  };
}

/** The queue card for an agent (a requester is told the queue is for agents). */
export async function queueCardFor(app: App, actor: Actor, scope: QueueScope): Promise<Json> {
  if (!app.directory.isAgent(actor))
    return messageCard({ plainText: 'The queue is for support agents. Say "mine" to see your own tickets.' });
  const tickets = await listQueue(app, actor, { scope, limit: 15, lookup: true });
  return queueCard(
    tickets.map((t) => lineOf(app, t)),
    scope,
    await awayLine(app),
  );
}

/** `search <words> …` in a chat: a page of results, agents' lines with Open and Take. */
export async function searchCardFor(app: App, actor: Actor, input: string): Promise<Json> {
  const r = await searchTickets(app, actor, input);
  const agent = r.scope === 'all';
  const summary =
    r.total === 0 && !agent
      ? `${searchSummary(r)} To report a problem instead, tell me about it in other words or say "new".`
      : searchSummary(r);
  return searchCard({
    summary,
    lines: r.tickets.map((t) => lineOf(app, t)),
    withActions: agent,
    next: nextPageHint(r),
  });
}
