import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { App } from '../../bootstrap';
import { type ConversationStore, conversationKey } from './conversation-store';
import { actorOf } from './identity';
import { referenceOf } from './turn';

// Conversation references, for proactive messages from any replica.

/** Every activity tells us where its conversation, its tenant and (in personal chat) its sender can be reached. */
export async function rememberSender(app: App, store: ConversationStore, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  if (!a.serviceUrl || !a.conversation?.id) return;
  const now = app.clock.now();
  const ref = referenceOf(a);
  const tenantId = a.conversation.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const bare = { ...ref, conversation: { ...a.conversation, id: a.conversation.id.split(';')[0] as string } };
  const tenant = { serviceUrl: a.serviceUrl, channelId: a.channelId, tenantId: tenantId ?? null, bot: a.recipient };
  const refs: Array<{ key: string; ref: Record<string, unknown> }> = [
    { key: conversationKey.conversation(a.conversation.id), ref: bare },
  ];
  if (tenantId) refs.push({ key: conversationKey.tenant(tenantId), ref: tenant });
  refs.push({ key: conversationKey.anyTenant, ref: tenant });
  if (a.conversation.conversationType === 'personal' && a.from?.id) {
    const actor = actorOf(app, a.from, a.channelId);
    for (const id of new Set([a.from.id, actor.userId])) refs.push({ key: conversationKey.user(id), ref: bare });
  }
  // One round trip for all of them (was one upsert each: four for a personal chat).
  if (store.saveMany) await store.saveMany(refs, now);
  else await Promise.all(refs.map(({ key, ref }) => store.save(key, ref, now)));
}

/** The bot was added to a team (or installed): keep a reference for the team's channels. */
export async function rememberConversation(app: App, store: ConversationStore, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  const cd = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
  const now = app.clock.now();
  const ref = referenceOf(a);
  const at = (id: string) => ({
    ...ref,
    conversation: {
      ...a.conversation,
      id,
      isGroup: true,
      conversationType: 'channel',
      tenantId: a.conversation?.tenantId,
    },
  });
  const channels = new Set<string>([cd.team?.id, cd.channel?.id].filter((x): x is string => !!x));
  const teamId = cd.team?.id;
  const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id) || a.action === 'add';
  if (teamId && botAdded) {
    try {
      for (const ch of await TeamsInfo.getTeamChannels(ctx, teamId)) if (ch.id) channels.add(ch.id);
    } catch (err) {
      app.log.info(
        { teamId, err: (err as Error).message },
        'Teams: channel list unavailable; stored the General channel',
      );
    }
  }
  for (const id of channels) await store.save(conversationKey.conversation(id), at(id), now);
  if (teamId && botAdded) app.log.info({ teamId, channels: [...channels] }, 'Teams: bot added to a team');
}
