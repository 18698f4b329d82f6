import { tellOnce } from '../../app/context';
import type { RaiseTeller } from '../../app/raise-ticket';
import { userText } from '../../cards/slack';
import type { Ticket } from '../../domain/ticket/ticket';
import type { SlackContext } from './context';
import { NOTICE_EVENT } from './delivery';

/** Where a raise's confirmation goes: the request's thread, or the person's DM. */
export interface ConfirmTo {
  channel: string;
  threadTs?: string | undefined;
}

/**
 * Posts a raise's confirmation ("SR-12 raised: …") exactly once, by whichever replica finishes the raise: a retry of
 * a raise already done posts it only when it was not recorded as posted (app/context `tellOnce`), and a process that
 * died between the post and the record is covered by the post's key in its message metadata, looked for first.
 */
export async function confirmRaise(ctx: SlackContext, opKey: string, to: ConfirmTo, text: string): Promise<void> {
  const teller = raiseTeller(ctx, to);
  await tellOnce(
    ctx.app,
    opKey,
    (key) => teller.post(key, text),
    (key) => teller.postedBefore(key),
  );
}

/**
 * The same post for a raise that tells under its own claim (app/raise-ticket `tell`): the confirmation recorded as
 * told in the write that records the raise done, so a raise costs no claim of its own for the telling.
 * `before` runs first (the thread linked to the ticket, so a reply to the confirmation reaches the ticket).
 */
export function raiseTeller(
  ctx: SlackContext,
  to: ConfirmTo,
  before?: (ticket: Ticket) => Promise<void>,
): RaiseTeller & { post(key: string, text: string, ticket?: Ticket): Promise<void> } {
  return {
    async post(key, text, ticket) {
      if (ticket && before) await before(ticket);
      await ctx.client.chat.postMessage({
        channel: to.channel,
        ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
        text: userText(text, 3000),
        metadata: { event_type: NOTICE_EVENT, event_payload: { key } },
      });
    },
    postedBefore: (key) => postedBefore(ctx, to, key),
  };
}

/** Is a message with this key in the thread (or the DM's recent history)? Unreadable: no (it is posted again). */
async function postedBefore(ctx: SlackContext, to: ConfirmTo, key: string): Promise<boolean> {
  try {
    const channel = /^[UW]/.test(to.channel)
      ? String((await ctx.client.conversations.open({ users: to.channel })).channel?.id ?? to.channel)
      : to.channel;
    const found = to.threadTs
      ? await ctx.client.conversations.replies({ channel, ts: to.threadTs, limit: 200, include_all_metadata: true })
      : await ctx.client.conversations.history({ channel, limit: 100, include_all_metadata: true });
    return (found.messages ?? []).some((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
      return meta?.event_type === NOTICE_EVENT && meta.event_payload?.key === key;
    });
  } catch (err) {
    ctx.app.log.warn({ key, err: (err as Error).message }, 'Slack: could not look for an earlier confirmation');
    return false;
  }
}
