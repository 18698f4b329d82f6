/**
 * Report access and the digest mark, shared by every replica through the database (no process memory):
 *
 * - report_access: `token:<id>` documents, inserted once when a link token is exchanged (the `_id` unique key
 *   makes the exchange single-use across replicas), and `session:<id>` documents for report sessions.
 * - report_marks: `digest`, the instant the last digest covered up to, moved with a compare-and-set.
 *
 * Lookups by `_id` only. Both kinds carry `expiresAt`: the housekeeping job deletes what expired (purgeExpired,
 * on the `expiresAt` index), and a TTL index on the same field lets MongoDB do it too where TTL runs (the local
 * mongo-java-server accepts TTL indexes but never expires anything). An expired session is refused by its
 * `expiresAt` either way; a used-token record is needed only until the token expires.
 */
import type { Connection, mongo } from 'mongoose';
import type { DigestMarkStore, ReportAccessStore, ReportSession } from '../app/reports/ports';
import { guard, isDuplicateKeyError } from './errors';

interface AccessDoc {
  _id: string;
  kind: 'token' | 'session';
  personId: string;
  who?: ReportSession['who'];
  createdAt: Date;
  expiresAt?: Date;
}

interface MarkDoc {
  _id: string;
  at: Date;
}

export class MongoReportAccessStore implements ReportAccessStore {
  private readonly access: mongo.Collection<AccessDoc>;

  constructor(connection: Connection) {
    this.access = connection.collection<AccessDoc>('report_access') as unknown as mongo.Collection<AccessDoc>;
  }

  consumeToken(tokenId: string, personId: string, at: Date, expiresAt: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.access.insertOne({ _id: `token:${tokenId}`, kind: 'token', personId, createdAt: at, expiresAt });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    });
  }

  tokenUsed(tokenId: string): Promise<boolean> {
    // the _id index
    return guard(
      async () => (await this.access.findOne({ _id: `token:${tokenId}` }, { projection: { _id: 1 } })) !== null,
    );
  }

  createSession(s: ReportSession): Promise<void> {
    return guard(async () => {
      await this.access.insertOne({
        _id: `session:${s.id}`,
        kind: 'session',
        personId: s.personId,
        who: { platform: s.who.platform, userId: s.who.userId, name: s.who.name },
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
      });
    });
  }

  getSession(id: string): Promise<ReportSession | null> {
    return guard(async () => {
      // the _id index
      const d = await this.access.findOne({ _id: `session:${id}` });
      if (d?.kind !== 'session' || !d.who || !d.expiresAt) return null;
      return { id, personId: d.personId, who: d.who, createdAt: d.createdAt, expiresAt: d.expiresAt };
    });
  }

  purgeExpired(now: Date): Promise<number> {
    // index report_access_expiry { expiresAt: 1 }
    return guard(async () => (await this.access.deleteMany({ expiresAt: { $lt: now } })).deletedCount);
  }
}

/** The expiry index: a TTL index (MongoDB removes expired documents itself), and the housekeeping purge's range. */
export async function ensureReportAccessIndexes(connection: Connection): Promise<void> {
  await connection
    .collection('report_access')
    .createIndex({ expiresAt: 1 }, { name: 'report_access_expiry', expireAfterSeconds: 0 });
}

const DIGEST = 'digest';

export class MongoDigestMarkStore implements DigestMarkStore {
  private readonly marks: mongo.Collection<MarkDoc>;

  constructor(connection: Connection) {
    this.marks = connection.collection<MarkDoc>('report_marks') as unknown as mongo.Collection<MarkDoc>;
  }

  lastDigestAt(): Promise<Date | null> {
    return guard(async () => (await this.marks.findOne({ _id: DIGEST }))?.at ?? null);
  }

  moveMark(previous: Date | null, at: Date): Promise<boolean> {
    return guard(async () => {
      if (previous === null) {
        try {
          await this.marks.insertOne({ _id: DIGEST, at });
          return true;
        } catch (err) {
          if (isDuplicateKeyError(err)) return false;
          throw err;
        }
      }
      // compare-and-set on the _id index: only the replica that read `previous` moves it
      const r = await this.marks.updateOne({ _id: DIGEST, at: previous }, { $set: { at } });
      return r.modifiedCount === 1;
    });
  }
}
