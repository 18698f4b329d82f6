import { awayLine } from '../../app/availability';
import { helpFor } from '../../app/help';
import { listMyTickets, listQueue } from '../../app/queries';
import type { App } from '../../bootstrap';
import { homeView, queueMessage } from '../../cards/slack';
import { QUEUE_SCOPES, type QueueScope } from '../../domain/ticket/queue';
import type { Ticket } from '../../domain/ticket/ticket';
import { lineOf } from './render';

/** The part of the Web API the App Home needs. */
export interface HomeClient {
  views: { publish(args: { user_id: string; view: never }): Promise<unknown> };
}

/** Who has opened App Home, and the queue filter they chose: a draft record (kept in MongoDB, not in memory). */
const homeKey = (userId: string) => `slack:home:${userId}`;

export function parseScope(raw: unknown): QueueScope | null {
  return typeof raw === 'string' && (QUEUE_SCOPES as readonly string[]).includes(raw) ? (raw as QueueScope) : null;
}

/** Publish a user's App Home: their open tickets and, for agents, the queue in their chosen scope. */
export async function publishHome(
  app: App,
  client: HomeClient,
  userId: string,
  opts: { scope?: QueueScope; name?: string; remembered?: QueueScope } = {},
): Promise<void> {
  let scope = opts.remembered;
  if (scope === undefined) {
    // Opened (or its filter changed) by the person: remember that they use App Home, and their filter.
    const record = await app.drafts.get(homeKey(userId));
    scope = opts.scope ?? parseScope(record?.data.scope) ?? 'all';
    await app.drafts.save({ userKey: homeKey(userId), platform: 'slack', data: { scope }, updatedAt: app.clock.now() });
  }
  const actor = { platform: 'slack' as const, userId, name: opts.name ?? userId };
  const mine = (await listMyTickets(app, actor)).map((t) => lineOf(app, t));
  const queue = app.directory.isAgent(actor)
    ? (await listQueue(app, actor, { scope, limit: 30 })).map((t) => lineOf(app, t, true))
    : null;
  await client.views.publish({
    user_id: userId,
    view: homeView({ mine, queue, scope, help: helpFor(app, actor) }) as never,
  });
}

/**
 * A ticket changed: republish the App Home of everyone it may appear for who has opened theirs (the
 * requester, and every agent with a Slack account), so the queue is never stale.
 */
export async function refreshHomes(app: App, client: HomeClient, ticket: Ticket): Promise<void> {
  const users = new Set<string>();
  if (ticket.requester.platform === 'slack') users.add(ticket.requester.userId);
  for (const team of Object.values(app.policy.teams))
    for (const m of team.members) {
      const id = app.policy.people[m]?.accounts.slack;
      if (id) users.add(id);
    }
  for (const level of app.policy.escalation.ladder) {
    const id = level.contact ? app.policy.people[level.contact]?.accounts.slack : undefined;
    if (id) users.add(id);
  }
  // Only those who ever opened App Home, read in one round trip with the filter each chose.
  const opened = await app.drafts.getMany([...users].map(homeKey));
  for (const record of opened) {
    const userId = record.userKey.slice(homeKey('').length);
    await publishHome(app, client, userId, { remembered: parseScope(record.data.scope) ?? 'all' });
  }
}

/** The `/ticket queue [mine|team|unassigned]` message for an agent. */
export async function queueReply(app: App, userId: string, scope: QueueScope, name?: string) {
  const actor = { platform: 'slack' as const, userId, name: name ?? userId };
  const tickets = await listQueue(app, actor, { scope, limit: 20, lookup: true });
  return queueMessage(
    tickets.map((t) => lineOf(app, t, true)),
    scope,
    await awayLine(app),
  );
}
