import type { App } from '../../bootstrap';
import { type SlackCardKind, type SlackMessage, slackChoices, type TicketLine, ticketCard } from '../../cards/slack';
import type { TicketView } from '../../cards/ticket-view';
import { readClocks } from '../../domain/ticket/clocks';
import { partsOf, type Ticket } from '../../domain/ticket/ticket';
import { viewOf } from '../../notify/content';

export { viewOf };

export function cardOf(
  app: App,
  view: TicketView,
  kind: SlackCardKind,
  extra: { headline?: string; viewer?: 'agent' | 'requester' | 'other'; mentionUserId?: string | null } = {},
): SlackMessage {
  return ticketCard(view, {
    kind,
    choices: slackChoices(app.policy),
    ...(extra.headline ? { headline: extra.headline } : {}),
    ...(extra.viewer ? { viewer: extra.viewer } : {}),
    ...(extra.mentionUserId ? { mentionUserId: extra.mentionUserId } : {}),
  });
}

/** A ticket as one line of a list; `withAssignee` adds who has it (queue lines). */
export function lineOf(app: App, t: Ticket, withAssignee = false): TicketLine {
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
    ...(withAssignee ? { assignee: t.assignee?.name ?? null } : {}),
  };
}
