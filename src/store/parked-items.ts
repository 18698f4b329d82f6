/**
 * Moving a ticket's parked events and notices to ticket_events, outbox and outbox_queue (steps 1-3 of
 * ticket.repository.ts's module comment), for one ticket or many at once: the round trips do not grow with the
 * number of tickets (three inserts and one bulk update), so a sweep of a hundred tickets costs what one costs.
 */
import type { mongo } from 'mongoose';
import type { OutboxDoc } from './outbox.model';
import { queueEntryOf } from './outbox.model';
import { insertNew } from './outbox.repository';
import type { TicketDoc, TicketEventDoc } from './ticket.mapper';

export type Parked = Pick<TicketDoc, '_id' | 'pendingEvents' | 'pendingNotices'>;

export interface ParkedCollections {
  tickets: mongo.Collection<TicketDoc>;
  events: mongo.Collection<TicketEventDoc>;
  outbox: mongo.Collection<OutboxDoc>;
  outboxQueue: mongo.Collection<{ _id: string; nextAttemptAt: Date }>;
}

/** Moves what `docs` had parked (as read); idempotent, so a repeat after a crash or a concurrent run is harmless. */
export async function moveParked(c: ParkedCollections, docs: Parked[]): Promise<void> {
  const withItems = docs.filter((d) => (d.pendingEvents?.length ?? 0) + (d.pendingNotices?.length ?? 0) > 0);
  const events = withItems.flatMap((d) => d.pendingEvents ?? []);
  const notices = withItems.flatMap((d) => d.pendingNotices ?? []);
  if (events.length > 0) await insertNew(c.events, events);
  if (notices.length > 0) {
    await insertNew(c.outbox, notices);
    await insertNew(c.outboxQueue, notices.map(queueEntryOf));
  }
  if (withItems.length > 0) {
    // The usual case: the arrays still hold exactly what was read, so they are emptied and the flag cleared at once.
    const cleared = await c.tickets.bulkWrite(
      withItems.map((d) => ({
        updateOne: {
          filter: { _id: d._id, pendingEvents: d.pendingEvents ?? [], pendingNotices: d.pendingNotices ?? [] },
          update: { $set: { pendingEvents: [], pendingNotices: [], hasPending: false } },
        },
      })),
      { ordered: false },
    );
    if (cleared.matchedCount === withItems.length && withItems.length === docs.length) return;
  }
  // A newer save parked more meanwhile (or a doc had nothing to move): take out exactly what was moved, then clear
  // the flag only where nothing is left. Repeating this for a doc already cleared changes nothing.
  const ops: mongo.AnyBulkWriteOperation<TicketDoc>[] = [];
  for (const d of withItems)
    ops.push({
      updateOne: {
        filter: { _id: d._id },
        update: { $pullAll: { pendingEvents: d.pendingEvents ?? [], pendingNotices: d.pendingNotices ?? [] } },
      },
    });
  for (const d of docs)
    ops.push({
      updateOne: {
        filter: { _id: d._id, hasPending: true, pendingEvents: { $size: 0 }, pendingNotices: { $size: 0 } },
        update: { $set: { hasPending: false } },
      },
    });
  if (ops.length > 0) await c.tickets.bulkWrite(ops, { ordered: true });
}
