/** What a delivery renders for an outbox item: the ticket's current view (read once per version per drain) and whom to mention. */
import { clientContextOf } from '../app/client-context';
import { incidentSuggestionFor } from '../app/incident-suggestion';
import type { App } from '../bootstrap';
import { type TicketView, ticketView } from '../cards/ticket-view';
import type { Platform } from '../config/policy.schema';
import type { Ticket } from '../domain/ticket/ticket';
import { weeklyChartImage } from './chart-image';
import type { DeliveryContent } from './delivery';
import type { OutboxItem } from './outbox';

type ContentDeps = Pick<
  App,
  'policy' | 'clock' | 'calendar' | 'directory' | 'events' | 'clients' | 'assignments' | 'tickets'
>;

/** A ticket's view as every card shows it: its history, client record, who is away and a likely incident, read now. */
export async function viewOf(app: ContentDeps, ticket: Ticket): Promise<TicketView> {
  const now = app.clock.now();
  const [history, clientContext, away, incidentSuggestion] = await Promise.all([
    app.events.listFor(ticket.number),
    clientContextOf(app, ticket),
    app.assignments?.awayAt(now),
    incidentSuggestionFor(app, ticket),
  ]);
  const view = ticketView(ticket, history, {
    policy: app.policy,
    calendar: app.calendar,
    now,
    ...(away ? { away } : {}),
  });
  return { ...view, clientContext, incidentSuggestion };
}

/**
 * Tickets' views for one drain: a ticket's history is read once per version, however many items and targets
 * of the drain show it (a change often queues a card update and a message).
 */
export function viewsForDrain(app: ContentDeps): (ticket: Ticket | null) => Promise<DeliveryContent['view']> {
  const loaded = new Map<string, Promise<DeliveryContent['view']>>();
  return (ticket) => {
    if (!ticket) return Promise.resolve(null);
    const key = `${ticket.number}@${ticket.version}`;
    let view = loaded.get(key);
    if (!view) {
      view = viewOf(app, ticket);
      loaded.set(key, view);
    }
    return view;
  };
}

/** The content of one delivery of `item` on `platform`: the notice, the view, the person to mention there. */
export async function contentOf(
  app: ContentDeps,
  item: OutboxItem,
  view: DeliveryContent['view'],
  platform: Platform,
): Promise<DeliveryContent> {
  let mention: DeliveryContent['mention'] = null;
  if (item.mention) {
    const acc = app.directory.accountOf(item.mention, platform);
    const person = app.directory.person(item.mention);
    if (acc && person) mention = { userId: acc.userId, name: person.name };
  }
  return {
    notice: item,
    view,
    mention,
    attempt: { number: item.attempts, since: item.createdAt },
    ...(item.chart ? { image: weeklyChartImage(item.chart) } : {}),
  };
}
