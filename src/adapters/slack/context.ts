import type { webApi } from '@slack/bolt';
import type { App } from '../../bootstrap';
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
