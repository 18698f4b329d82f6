/**
 * triage_models: one document per version of the learned triage model, `{ _id: <version>, trainedAt, usable, active,
 * examples, model }`. A new version takes the next number by inserting it (the unique `_id` makes two replicas that
 * store at once take two numbers, never one). Marking is safe across replicas: a replica marks its version active,
 * unmarks every lower one, then unmarks its own if a higher version is active by then; whatever the interleaving,
 * the newest usable version ends up the only one active (readers take the highest active in any case). An unusable
 * newest version unmarks the lower ones: the newest evidence says the rules do better alone. Only the newest
 * {@link KEEP_VERSIONS} versions are kept. Also reads the tickets that teach the model (`deskTickets`).
 */
import type { Connection, mongo } from 'mongoose';
import type { TriageModelStore, TriageModelVersion } from '../app/triage-learning';
import type { DeskTicket } from '../domain/routing/desk-examples';
import type { LearnedTriageModel } from '../domain/routing/learned-triage';
import { guard, isDuplicateKeyError } from './errors';

interface TriageModelDoc {
  _id: number;
  trainedAt: Date;
  usable: boolean;
  active: boolean;
  examples: number;
  model: LearnedTriageModel;
}

const COLLECTION = 'triage_models';
/** Versions kept (the active one is never removed). */
export const KEEP_VERSIONS = 20;

const DESK_FIELDS = { title: 1, description: 1, categoryId: 1, severity: 1, requestType: 1, closeReason: 1 } as const;

export class MongoTriageModelStore implements TriageModelStore {
  private readonly versions: mongo.Collection<TriageModelDoc>;
  private readonly tickets: mongo.Collection<DeskTicket & { _id: string }>;
  private readonly events: mongo.Collection<{ _id: string; ticket: string; type: string; at: Date }>;

  constructor(connection: Connection) {
    this.versions = connection.collection(COLLECTION) as unknown as mongo.Collection<TriageModelDoc>;
    this.tickets = connection.collection('tickets') as unknown as typeof this.tickets;
    this.events = connection.collection('ticket_events') as unknown as typeof this.events;
  }

  newest(): Promise<TriageModelVersion | null> {
    return guard(async () => {
      const doc = await this.versions.findOne(
        {},
        { sort: { _id: -1 }, projection: { _id: 1, trainedAt: 1, active: 1, usable: 1 } },
      );
      return doc ? { version: doc._id, trainedAt: doc.trainedAt, active: doc.active, usable: doc.usable } : null;
    });
  }

  activeVersion(): Promise<number | null> {
    return guard(async () => {
      const doc = await this.versions.findOne({ active: true }, { sort: { _id: -1 }, projection: { _id: 1 } });
      return doc?._id ?? null;
    });
  }

  read(version: number): Promise<unknown | null> {
    return guard(
      async () => (await this.versions.findOne({ _id: version }, { projection: { model: 1 } }))?.model ?? null,
    );
  }

  add(model: LearnedTriageModel, trainedAt: Date, usable: boolean): Promise<number> {
    return guard(async () => {
      let version = 0;
      for (let attempt = 1; ; attempt++) {
        version = ((await this.newest())?.version ?? 0) + 1;
        try {
          await this.versions.insertOne({
            _id: version,
            trainedAt,
            usable,
            active: false,
            examples: model.gate.examples,
            model,
          });
          break;
        } catch (err) {
          // Another replica took this number first: take the next one.
          if (!isDuplicateKeyError(err) || attempt >= 5) throw err;
        }
      }
      if (usable) await this.versions.updateOne({ _id: version }, { $set: { active: true } });
      await this.versions.updateMany({ _id: { $lt: version }, active: true }, { $set: { active: false } });
      if (usable && (await this.versions.findOne({ _id: { $gt: version }, active: true }, { projection: { _id: 1 } })))
        await this.versions.updateOne({ _id: version }, { $set: { active: false } });
      await this.versions.deleteMany({ _id: { $lte: version - KEEP_VERSIONS }, active: false });
      return version;
    });
  }

  deskTickets(limit: number): Promise<DeskTicket[]> {
    return guard(async () => {
      // Corrected by an agent (the type_at index), then resolved (the resolvedAt index): newest first, each once.
      const corrected = await this.events
        .find({ type: 'triage_corrected' }, { sort: { at: -1 }, limit: limit * 2, projection: { ticket: 1 } })
        .toArray();
      const ids = [...new Set(corrected.map((e) => e.ticket))].slice(0, limit);
      const fromCorrections = ids.length
        ? await this.tickets.find({ _id: { $in: ids } }, { projection: DESK_FIELDS }).toArray()
        : [];
      const resolved = await this.tickets
        .find(
          { resolvedAt: { $gt: new Date(0) }, _id: { $nin: ids } },
          { sort: { resolvedAt: -1 }, limit: Math.max(0, limit - fromCorrections.length), projection: DESK_FIELDS },
        )
        .toArray();
      return [...fromCorrections, ...resolved];
    });
  }
}

/** The index the active version is read by. */
export async function ensureTriageModelIndexes(connection: Connection): Promise<void> {
  await connection.collection(COLLECTION).createIndex({ active: 1, _id: -1 }, { name: 'triage_models_active' });
}
