import type { ConversationReference } from 'botbuilder';
import type { Model } from 'mongoose';
import type { App } from '../../bootstrap';
import type { ConversationDoc } from '../../store/models';

/**
 * Teams conversation references for proactive messages, in MongoDB (`conversations`), so any replica
 * can post. Keys: `teams:conversation:<conversation id>` for channels, group chats and personal chats;
 * `teams:user:<user id>` for a person (their personal chat, or what is needed to create one);
 * `teams:tenant:<tenant id>` for the service URL of a tenant (to reach people not seen yet).
 */
export interface ConversationStore {
  save(key: string, ref: Partial<ConversationReference> & Record<string, unknown>, now: Date): Promise<void>;
  /** Several references in one round trip (unordered upserts: each key stands alone). */
  saveMany?(refs: Array<{ key: string; ref: Record<string, unknown> }>, now: Date): Promise<void>;
  get(key: string): Promise<(Partial<ConversationReference> & Record<string, unknown>) | null>;
}

export const conversationKey = {
  /** A channel's conversation id without the `;messageid=` thread suffix. */
  conversation: (id: string) => `teams:conversation:${id.split(';')[0]}`,
  user: (id: string) => `teams:user:${id}`,
  tenant: (id: string) => `teams:tenant:${id}`,
  anyTenant: 'teams:tenant:*',
};

export class MongoConversationStore implements ConversationStore {
  private resolved: Model<ConversationDoc> | undefined;
  /** `model` is resolved on first use, so mounting never depends on the connection being open. */
  constructor(private readonly modelOf: () => Model<ConversationDoc>) {}

  private get model(): Model<ConversationDoc> {
    this.resolved ??= this.modelOf();
    return this.resolved;
  }

  async save(key: string, ref: Record<string, unknown>, now: Date): Promise<void> {
    // Native driver: keys such as `$`-free Teams ids stay exactly as given; one upsert per key.
    await this.model.collection.updateOne(
      { _id: key } as never,
      { $set: { platform: 'teams', ref: JSON.parse(JSON.stringify(ref)), updatedAt: now } },
      { upsert: true },
    );
  }

  async saveMany(refs: Array<{ key: string; ref: Record<string, unknown> }>, now: Date): Promise<void> {
    if (refs.length === 0) return;
    await this.model.collection.bulkWrite(
      refs.map(({ key, ref }) => ({
        updateOne: {
          filter: { _id: key } as never,
          update: { $set: { platform: 'teams', ref: JSON.parse(JSON.stringify(ref)), updatedAt: now } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async get(key: string): Promise<(Partial<ConversationReference> & Record<string, unknown>) | null> {
    const doc = (await this.model.collection.findOne({ _id: key } as never)) as ConversationDoc | null;
    return (doc?.ref as Partial<ConversationReference> & Record<string, unknown>) ?? null;
  }
}

/** The app's `conversations` model, registered by the store on its connection. */
export function conversationModelOf(app: App): Model<ConversationDoc> {
  return app.models.Conversation;
}
