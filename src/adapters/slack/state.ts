import type { Draft, DraftRepository } from '../../app/ports';
import type { App } from '../../bootstrap';
import { StoreUnavailableError } from '../../domain/errors';
import { isUnavailableError } from '../../store/index';
import type { ConversationDoc } from '../../store/models';

/**
 * What the Slack adapter keeps between requests, in MongoDB (never in memory): intake drafts
 * (`drafts`) and which Slack thread belongs to which ticket (`conversations`, key
 * `slack:thread:<channel>:<thread ts>`).
 */
export interface SlackState {
  drafts: DraftRepository;
  linkThread(channel: string, threadTs: string, ticket: string, now: Date): Promise<void>;
  ticketOfThread(channel: string, threadTs: string): Promise<string | null>;
}

const threadKey = (channel: string, ts: string) => `slack:thread:${channel}:${ts}`;

export function slackState(app: App): SlackState {
  const { drafts } = app;
  const conversations = app.models.Conversation;
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      if (isUnavailableError(err)) throw new StoreUnavailableError();
      throw err;
    }
  };
  return {
    drafts,
    linkThread: (channel, threadTs, ticket, now) =>
      guard(async () => {
        await conversations.collection.updateOne(
          { _id: threadKey(channel, threadTs) } as never,
          { $set: { platform: 'slack', ref: { channel, threadTs, ticket }, updatedAt: now } },
          { upsert: true },
        );
      }),
    ticketOfThread: (channel, threadTs) =>
      guard(async () => {
        const doc = (await conversations.collection.findOne({
          _id: threadKey(channel, threadTs),
        } as never)) as ConversationDoc | null;
        const t = doc?.ref?.ticket;
        return typeof t === 'string' ? t : null;
      }),
  };
}

export function draftKey(userId: string, draftId: string): string {
  return `slack:${userId}:${draftId}`;
}

export type { Draft };
