/**
 * knowledge_deflections: `{ _id: <the click's key>, article, at, platform, userId }`, one per request a knowledge
 * article answered ("Did this solve it?" → Yes). The key is the request's (its draft or card), so a double click, a
 * platform retry or a second replica stores it once: a plain insert, a duplicate key is "already counted".
 */
import type { Connection, mongo } from 'mongoose';
import type { Deflection, DeflectionStore } from '../app/ports';
import { guard, isDuplicateKeyError } from './errors';

interface DeflectionDoc {
  _id: string;
  article: string;
  at: Date;
  platform: string;
  userId: string;
}

const COLLECTION = 'knowledge_deflections';

export class MongoDeflectionStore implements DeflectionStore {
  private readonly deflections: mongo.Collection<DeflectionDoc>;

  constructor(connection: Connection) {
    this.deflections = connection.collection<DeflectionDoc>(COLLECTION) as unknown as mongo.Collection<DeflectionDoc>;
  }

  record(d: Deflection): Promise<boolean> {
    return guard(async () => {
      try {
        await this.deflections.insertOne({
          _id: d.key,
          article: d.article,
          at: d.at,
          platform: d.who.platform,
          userId: d.who.userId,
        });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    });
  }

  countByArticle(from: Date, to: Date): Promise<Array<{ article: string; count: number }>> {
    return guard(async () => {
      // index at (range), then one group per article
      const rows = await this.deflections
        .aggregate<{ _id: string; count: number }>([
          { $match: { at: { $gte: from, $lt: to } } },
          { $group: { _id: '$article', count: { $sum: 1 } } },
        ])
        .toArray();
      return rows.map((r) => ({ article: r._id, count: r.count }));
    });
  }
}

export async function ensureDeflectionIndexes(connection: Connection): Promise<void> {
  await connection.collection(COLLECTION).createIndex({ at: 1 }, { name: 'knowledge_deflections_at' });
}
