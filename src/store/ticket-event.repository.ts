import type { TicketEventRepository } from '../app/ports';
import type { TicketEvent } from '../domain/ticket/ticket';
import { guard } from './errors';
import { collectionOf, type Models } from './models';
import { docToEvent } from './ticket.mapper';

/** The audit log (ticket_events), written only by the ticket repository's flush. */
export class MongoTicketEventRepository implements TicketEventRepository {
  private readonly events;

  constructor(models: Models) {
    this.events = collectionOf(models.TicketEvent);
  }

  /** Oldest first; events of one change keep their order. */
  listFor(number: string): Promise<TicketEvent[]> {
    return guard(async () => {
      // index ticket_at
      const docs = await this.events.find({ ticket: number }).sort({ at: 1, version: 1, index: 1 }).toArray();
      return docs.map(docToEvent);
    });
  }
}
