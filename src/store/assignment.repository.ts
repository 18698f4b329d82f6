/**
 * What automatic assignment keeps in the database, so every replica shares it:
 * - `assignment_turns`: `{ _id: 'rr:<team>', seq }` (round robin: one atomic `$inc` per turn, so two tickets
 *   arriving at once take different turns) and `{ _id: 'll:<team>', seq, last, lastTicket }` (least loaded: a
 *   compare-and-set on `seq`, so of two picks made at once only one wins and the other picks again knowing it);
 * - `availability`: `{ _id: <person id>, awayUntil, setBy, updatedAt }`: who is away and until when.
 * The open-ticket loads are one aggregation over tickets on the `open_assignee` index.
 */
import type { Connection, mongo } from 'mongoose';
import type { AssignmentStore, LeastLoadedGuard } from '../app/ports';
import type { TeamId } from '../config/policy.schema';
import type { Actor } from '../domain/ticket/ticket';
import { guard, isDuplicateKeyError } from './errors';
import { collectionOf, type Models } from './models';
import type { TicketDoc } from './ticket.mapper';

interface TurnDoc {
  _id: string;
  seq: number;
  last?: string | null;
  lastTicket?: string | null;
}
interface AvailabilityDoc {
  _id: string;
  awayUntil: Date | null;
  setBy: string;
  updatedAt: Date;
}

const TURNS = 'assignment_turns';
const AVAILABILITY = 'availability';

export class MongoAssignmentStore implements AssignmentStore {
  private readonly turns: mongo.Collection<TurnDoc>;
  private readonly availability: mongo.Collection<AvailabilityDoc>;
  private readonly tickets: mongo.Collection<TicketDoc>;

  constructor(connection: Connection, models: Models) {
    this.turns = connection.collection<TurnDoc>(TURNS) as unknown as mongo.Collection<TurnDoc>;
    this.availability = connection.collection<AvailabilityDoc>(
      AVAILABILITY,
    ) as unknown as mongo.Collection<AvailabilityDoc>;
    this.tickets = collectionOf(models.Ticket);
  }

  nextTurn(team: TeamId): Promise<number> {
    return guard(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const doc = await this.turns.findOneAndUpdate(
            { _id: `rr:${team}` },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          );
          if (!doc) throw new Error('the round-robin turn upsert returned no document');
          return doc.seq;
        } catch (err) {
          // Two first turns of a team can race to insert it; the loser just increments it.
          if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        }
      }
    });
  }

  leastLoadedGuard(team: TeamId): Promise<LeastLoadedGuard> {
    return guard(async () => {
      const doc = await this.turns.findOne({ _id: `ll:${team}` });
      return { seq: doc?.seq ?? 0, last: doc?.last ?? null, lastTicket: doc?.lastTicket ?? null };
    });
  }

  recordPick(team: TeamId, seq: number, personId: string, ticket: string): Promise<boolean> {
    return guard(async () => {
      try {
        const r = await this.turns.updateOne(
          { _id: `ll:${team}`, seq },
          { $set: { seq: seq + 1, last: personId, lastTicket: ticket } },
          { upsert: seq === 0 },
        );
        return r.modifiedCount + r.upsertedCount === 1;
      } catch (err) {
        // Another pick inserted the guard first: this one lost.
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    });
  }

  openLoads(
    accounts: Array<Pick<Actor, 'platform' | 'userId'>>,
  ): Promise<Array<{ platform: string; userId: string; severity: number; count: number }>> {
    return guard(async () => {
      if (accounts.length === 0) return [];
      // index open_assignee (tickets { open, assignee.userId })
      const rows = await this.tickets
        .aggregate<{ _id: { platform: string; userId: string; severity: number }; count: number }>([
          { $match: { open: true, 'assignee.userId': { $in: [...new Set(accounts.map((a) => a.userId))] } } },
          {
            $group: {
              _id: { platform: '$assignee.platform', userId: '$assignee.userId', severity: '$severity' },
              count: { $sum: 1 },
            },
          },
        ])
        .toArray();
      return rows.map((r) => ({ ...r._id, count: r.count }));
    });
  }

  setAway(personId: string, until: Date | null, by: string, now: Date): Promise<void> {
    return guard(async () => {
      await this.availability.updateOne(
        { _id: personId },
        { $set: { awayUntil: until, setBy: by, updatedAt: now } },
        { upsert: true },
      );
    });
  }

  awayAt(now: Date): Promise<Map<string, Date>> {
    return guard(async () => {
      // index awayUntil
      const docs = await this.availability.find({ awayUntil: { $gt: now } }).toArray();
      return new Map(docs.flatMap((d) => (d.awayUntil ? [[d._id, d.awayUntil] as const] : [])));
    });
  }
}

export async function ensureAssignmentIndexes(connection: Connection): Promise<void> {
  await connection.collection(AVAILABILITY).createIndex({ awayUntil: 1 }, { name: 'availability_awayUntil' });
}
