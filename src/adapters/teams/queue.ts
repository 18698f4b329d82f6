import { awayLine } from '../../app/availability';
import { listQueue } from '../../app/queries';
import type { App } from '../../bootstrap';
import { type Json, messageCard, type QueueLine, queueCard } from '../../cards/teams';
import { clockCondition } from '../../domain/sla/sla-clock';
import { clocksForSeverity } from '../../domain/sla/targets';
import { QUEUE_SCOPES, type QueueScope } from '../../domain/ticket/queue';
import type { Actor, Ticket } from '../../domain/ticket/ticket';

export function parseScope(raw: unknown): QueueScope | null {
  return typeof raw === 'string' && (QUEUE_SCOPES as readonly string[]).includes(raw) ? (raw as QueueScope) : null;
}

function lineOf(app: App, t: Ticket): QueueLine {
  const ctx = clocksForSeverity(
    { calendar: app.calendar, warnAt: app.policy.sla.warnAt },
    app.policy,
    t.severity,
    t.service,
  );
  const now = app.clock.now();
  const conds = [clockCondition(t.sla.response, now, ctx), clockCondition(t.sla.resolution, now, ctx)];
  return {
    number: t.number,
    title: t.title,
    severity: t.severity,
    priority: t.priority,
    status: app.policy.statuses[t.status]?.name ?? t.status,
    condition: conds.includes('breached') ? 'breached' : conds.includes('at_risk') ? 'at_risk' : 'on_track',
    team: app.policy.teams[t.team]?.name ?? t.team,
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
