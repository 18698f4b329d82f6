/** What a delivery renders for an outbox item: the ticket's current view (read once per version per drain) and whom to mention. */
import { clientContextOf } from '../app/client-context';
import { type IncidentCandidates, incidentSuggestionFor, readIncidentCandidates } from '../app/incident-suggestion';
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
export async function viewOf(app: ContentDeps, ticket: Ticket, shared?: SharedReads): Promise<TicketView> {
  const now = app.clock.now();
  const [history, clientContext, away, incidentSuggestion] = await Promise.all([
    // The drain moved this process's saves first, and a notice is moved after its change's events.
    app.events.listFor(ticket.number, { parked: false }),
    clientContextOf(app, ticket),
    shared ? shared.away(now) : app.assignments?.awayAt(now),
    incidentSuggestionFor(app, ticket, shared?.incidents),
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
  const shared = sharedReads(app);
  return (ticket) => {
    if (!ticket) return Promise.resolve(null);
    const key = `${ticket.number}@${ticket.version}`;
    let view = loaded.get(key);
    if (!view) {
      view = viewOf(app, ticket, shared);
      loaded.set(key, view);
    }
    return view;
  };
}

/** How long a drain's cards share one read of who is away and of the open queue's head (real time). */
export const SHARED_READ_MS = 1_000;

/** Reads that are the same for every card of a drain: who is away, the open incidents (incident suggestions). */
interface SharedReads {
  away(now: Date): Promise<Map<string, Date> | undefined>;
  incidents: IncidentCandidates;
}

/**
 * Each read once for the cards of a drain rendered within SHARED_READ_MS of it (a busy drain renders a card every
 * few milliseconds, and each read is a query returning up to 50 tickets): a card may show who is away
 * or a likely incident as they were up to a second before, as any card does once posted.
 */
function sharedReads(app: ContentDeps): SharedReads {
  const kept = new Map<string, { at: number; value: Promise<unknown> }>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const hit = kept.get(key);
    if (hit && Date.now() - hit.at < SHARED_READ_MS) return hit.value as Promise<T>;
    const value = read();
    kept.set(key, { at: Date.now(), value });
    // A failed read is not kept: the next card reads again.
    value.catch(() => kept.delete(key));
    return value;
  };
  return {
    away: (now) => once('away', async () => app.assignments?.awayAt(now)),
    incidents: (now) => once('incidents', () => readIncidentCandidates(app)(now)),
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
