import type { Draft, DraftRepository } from '../app/ports';
import { guard, isDuplicateKeyError } from './errors';
import { collectionOf, type Models } from './models';

function toDraft(doc: { _id: string; platform: Draft['platform']; data?: Draft['data']; updatedAt: Date }): Draft {
  return { userKey: doc._id, platform: doc.platform, data: { ...(doc.data ?? {}) }, updatedAt: doc.updatedAt };
}

/**
 * Intake in progress per user (drafts: `_id` = userKey). `data` keys are intake field names chosen by the
 * code (no '.' or leading '$').
 */
export class MongoDraftRepository implements DraftRepository {
  private readonly drafts;

  constructor(models: Models) {
    this.drafts = collectionOf(models.Draft);
  }

  get(userKey: string): Promise<Draft | null> {
    return guard(async () => {
      const doc = await this.drafts.findOne({ _id: userKey });
      return doc === null ? null : toDraft(doc);
    });
  }

  getMany(userKeys: string[]): Promise<Draft[]> {
    return guard(async () => {
      if (userKeys.length === 0) return [];
      // the _id index ({ _id: { $in } })
      return (await this.drafts.find({ _id: { $in: userKeys } }).toArray()).map(toDraft);
    });
  }

  save(draft: Draft): Promise<void> {
    return guard(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.drafts.replaceOne(
            { _id: draft.userKey },
            { platform: draft.platform, data: { ...draft.data }, updatedAt: draft.updatedAt },
            { upsert: true },
          );
          return;
        } catch (err) {
          // Two first saves racing to insert: the second one replaces.
          if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        }
      }
    });
  }

  delete(userKey: string): Promise<void> {
    return guard(async () => {
      await this.drafts.deleteOne({ _id: userKey });
    });
  }

  purgeOlderThan(before: Date): Promise<number> {
    return guard(async () => {
      // index updatedAt
      const r = await this.drafts.deleteMany({ updatedAt: { $lt: before } });
      return r.deletedCount;
    });
  }
}
