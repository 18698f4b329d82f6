import type { webApi } from '@slack/bolt';
import { claimOrWait } from '../../app/context';
import type { App } from '../../bootstrap';
import { markBusy } from '../busy';
import type { SlackState } from './state';

/** What every Slack listener is given. */
export interface SlackContext {
  app: App;
  /** Bolt's Web API client (single workspace: the bot token). */
  client: webApi.WebClient;
  botUserId: string;
  state: SlackState;
}

/**
 * Tell one person something privately: ephemeral in the channel they acted in, else a DM
 * (App Home and modals have no channel). Failures are logged, never thrown: this is the last word.
 */
export async function tell(
  ctx: SlackContext,
  where: { user: string; channel?: string | undefined; threadTs?: string | undefined },
  text: string,
): Promise<void> {
  try {
    if (where.channel)
      await ctx.client.chat.postEphemeral({
        channel: where.channel,
        user: where.user,
        text,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      });
    else await ctx.client.chat.postMessage({ channel: where.user, text });
  } catch (err) {
    ctx.app.log.warn({ user: where.user, err: (err as Error).message }, 'Slack: could not tell the user');
  }
}

/**
 * Claim a platform id in processed_events: false when it was handled already, or is still being handled
 * elsewhere (then the request is answered 503, see adapters/busy.ts, so Slack sends it again).
 */
export async function claim(ctx: SlackContext, key: string): Promise<boolean> {
  const r = await claimOrWait(ctx.app, key);
  if (r.state === 'pending') markBusy();
  return r.state === 'new';
}
