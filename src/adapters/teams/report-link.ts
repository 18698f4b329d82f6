import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { reportLinkFor } from '../../app/reports/access';
import type { App } from '../../bootstrap';
import type { Actor } from '../../domain/ticket/ticket';
import { conversationKey, conversationModelOf, MongoConversationStore } from './conversation-store';

/** The part of the connector client (in turn state) a new post in a conversation uses. */
interface ConnectorClient {
  conversations: { sendToConversation(conversationId: string, activity: Activity): Promise<unknown> };
}

const SENT =
  "I've sent you the reports link in our personal chat: it is yours alone, so it never goes in a shared conversation.";
const NO_PERSONAL_CHAT =
  'The reports link is personal, so I only send it in our personal chat, and we have not talked there yet. ' +
  'Open a chat with Helpline and send "report" there.';
const NOT_SENT = 'I could not reach our personal chat just now. Open a chat with Helpline and send "report" there.';

const plain = (text: string) => ({ type: 'message', text, textFormat: 'plain' });

/**
 * `report` in Teams. A manager's link is single use and starts their session, so it is only ever sent in their
 * personal chat with the bot: asked there, it is the answer; asked in a channel or group chat, it goes to the
 * personal chat (from its stored conversation reference) and the channel hears only where it went.
 */
export async function answerReportCommand(app: App, ctx: TurnContext, actor: Actor): Promise<void> {
  const a = ctx.activity;
  const r = reportLinkFor(app, actor, { secret: app.reportsSecret, baseUrl: app.publicUrl() });
  if (!r.allowed || a.conversation?.conversationType === 'personal') {
    await ctx.sendActivity(plain(r.text));
    return;
  }
  const store = new MongoConversationStore(() => conversationModelOf(app));
  const ref =
    (await store.get(conversationKey.user(a.from.id))) ?? (await store.get(conversationKey.user(actor.userId)));
  const chat = ref?.conversation;
  if (!ref || !chat?.id || chat.conversationType !== 'personal') {
    await ctx.sendActivity(plain(NO_PERSONAL_CHAT));
    return;
  }
  const adapter = ctx.adapter as CloudAdapter;
  let failure: unknown;
  try {
    // Errors inside the callback go to the adapter's onTurnError instead of rejecting: keep them here.
    await adapter.continueConversationAsync(app.env.MicrosoftAppId ?? '', ref, async (dm) => {
      try {
        const client = dm.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
        // A new post, not a reply to the continuation event (which ctx.sendActivity would make).
        await client.conversations.sendToConversation(chat.id, {
          ...plain(r.text),
          channelId: dm.activity.channelId,
          serviceUrl: dm.activity.serviceUrl,
          conversation: dm.activity.conversation,
          from: dm.activity.recipient,
        } as Activity);
      } catch (err) {
        failure = err;
      }
    });
  } catch (err) {
    failure ??= err;
  }
  if (failure) {
    app.log.warn({ err: (failure as Error).message }, 'Teams: could not send a report link to the personal chat');
    await ctx.sendActivity(plain(NOT_SENT));
    return;
  }
  await ctx.sendActivity(plain(SENT));
}
