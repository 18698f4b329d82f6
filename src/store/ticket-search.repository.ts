/**
 * The search index on MongoDB: each ticket stores its search terms (`terms`, ticket.mapper `searchFields`, rewritten
 * by every save) under the multikey index `terms_updatedAt`. A search is one `find` with `terms: { $all }` (MongoDB
 * walks the index by the first term, so callers put the rarest first), filters on stored fields, newest first, with
 * a limit: a bounded candidate set the app ranks. No `$text`: the local server (mongo-java-server) has none, and it
 * keeps secondary indexes without using them (it evaluates the same filter over the collection; see bench/README.md).
 */
import type { TicketSearchQuery, TicketSearchStore } from '../app/ports';
import type { Ticket } from '../domain/ticket/ticket';
import { guard } from './errors';
import { collectionOf, type Models } from './models';
import { docToTicket, searchFields, type TicketDoc } from './ticket.mapper';

const WITHOUT_PENDING = { pendingEvents: 0, pendingNotices: 0 } as const;

/** The filter and sort of a search: exported so the bench and tests can see the query shape the index serves. */
export function searchQueryShape(q: TicketSearchQuery): { filter: Record<string, unknown>; sort: { updatedAt: -1 } } {
  const filter: Record<string, unknown> = { terms: { $all: q.terms } };
  if (q.requester) {
    filter['requester.platform'] = q.requester.platform;
    filter['requester.userId'] = q.requester.userId;
  }
  if (q.statuses) filter.status = { $in: q.statuses };
  if (q.createdSince) filter.createdAt = { $gte: q.createdSince };
  if (q.openOnly) filter.open = true;
  else filter.$or = [{ open: true }, { updatedAt: { $gte: q.recentSince } }];
  return { filter, sort: { updatedAt: -1 } };
}

export class MongoTicketSearch implements TicketSearchStore {
  private readonly tickets;

  constructor(models: Models) {
    this.tickets = collectionOf(models.Ticket);
  }

  search(q: TicketSearchQuery): Promise<Ticket[]> {
    return guard(async () => {
      if (q.terms.length === 0 || q.limit <= 0) return [];
      const { filter, sort } = searchQueryShape(q);
      // index terms_updatedAt (or requester_updatedAt for a requester's own search): sorted by the index
      const docs = await this.tickets
        .find(filter as never, { projection: WITHOUT_PENDING })
        .sort(sort)
        .limit(q.limit)
        .toArray();
      return docs.map((d) => docToTicket(d as TicketDoc));
    });
  }

  backfillTerms(limit: number): Promise<number> {
    return guard(async () => {
      if (limit <= 0) return 0;
      // index terms_updatedAt: a ticket without terms is under its null key
      const docs = await this.tickets
        .find({ terms: { $exists: false } }, { projection: WITHOUT_PENDING })
        .limit(limit)
        .toArray();
      if (docs.length === 0) return 0;
      // A save in between wrote the terms itself: the filter then matches nothing, which is right.
      await this.tickets.bulkWrite(
        docs.map((d) => ({
          updateOne: {
            filter: { _id: d._id, terms: { $exists: false } },
            update: { $set: searchFields(docToTicket(d)) },
          },
        })),
        { ordered: false },
      );
      return docs.length;
    });
  }
}
