import type { webApi } from '@slack/bolt';
import type { App } from '../../bootstrap';
import type { Actor } from '../../domain/ticket/ticket';

/**
 * The person behind a Slack user id: the policy's name when the directory knows them, else the name
 * the payload carries, else Slack's profile (users.info, only after the ack), else the id.
 */
export async function actorOf(
  app: Pick<App, 'directory' | 'log'>,
  userId: string,
  opts: { name?: string | undefined; client?: webApi.WebClient } = {},
): Promise<Actor> {
  const known = app.directory.personOf({ platform: 'slack', userId })?.person;
  if (known) return { platform: 'slack', userId, name: known.name };
  if (opts.name) return { platform: 'slack', userId, name: opts.name.slice(0, 100) };
  if (opts.client) {
    try {
      const r = await opts.client.users.info({ user: userId });
      const u = r.user as { real_name?: string; name?: string; profile?: { real_name?: string; email?: string } };
      const name = u?.profile?.real_name || u?.real_name || u?.name;
      if (name)
        return {
          platform: 'slack',
          userId,
          name: name.slice(0, 100),
          ...(u?.profile?.email ? { email: u.profile.email } : {}),
        };
    } catch (err) {
      app.log.debug({ userId, err: (err as Error).message }, 'Slack: users.info failed; using the id as the name');
    }
  }
  return { platform: 'slack', userId, name: userId };
}
