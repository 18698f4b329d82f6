import type { TicketEventRepository } from '../app/ports';
import type { TicketEvent } from '../domain/ticket/ticket';
import { guard } from './errors';
import { collectionOf, type Models } from './models';
import { docToEvent, type TicketEventDoc } from './ticket.mapper';

const inOrder = (a: TicketEventDoc, b: TicketEventDoc) =>
  a.at.getTime() - b.at.getTime() || a.version - b.version || a.index - b.index;

/**
 * The audit log (ticket_events), written only by the ticket repository's move of what a save parked. A save answers
 * before that move, so a history read at once (by this replica or another) also reads what is still parked on the
 * ticket: the same events, by the same `_id`, whichever side holds them.
 */
export class MongoTicketEventRepository implements TicketEventRepository {
  private readonly events;
  private readonly tickets;

  constructor(models: Models) {
    this.events = collectionOf(models.TicketEvent);
    this.tickets = collectionOf(models.Ticket);
  }

  /** Oldest first; events of one change keep their order. `parked: false` skips the ticket's read (the notifier). */
  listFor(number: string, opts: { parked?: boolean } = {}): Promise<TicketEvent[]> {
    return guard(async () => {
      const [moved, ticket] = await Promise.all([
        // index ticket_at
        this.events.find({ ticket: number }).sort({ at: 1, version: 1, index: 1 }).toArray(),
        opts.parked === false ? null : this.tickets.findOne({ _id: number }, { projection: { pendingEvents: 1 } }),
      ]);
      const seen = new Set(moved.map((d) => d._id));
      const parked = (ticket?.pendingEvents ?? []).filter((d) => !seen.has(d._id));
      const docs = parked.length > 0 ? [...moved, ...parked].sort(inOrder) : moved;
      return docs.map(docToEvent);
    });
  }
}
