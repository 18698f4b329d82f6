import type { webApi } from '@slack/bolt';
import type { App } from '../../bootstrap';
import type { Actor } from '../../domain/ticket/ticket';

/** Profiles looked up recently, per Web API client: a requester's second message asks Slack nothing. */
const PROFILE_TTL_MS = 10 * 60_000;
const PROFILE_CACHE_SIZE = 2_000;
const profiles = new WeakMap<webApi.WebClient, Map<string, { actor: Actor; until: number }>>();

function cachedProfile(client: webApi.WebClient, userId: string): Actor | undefined {
  const hit = profiles.get(client)?.get(userId);
  return hit && hit.until > Date.now() ? hit.actor : undefined;
}

function rememberProfile(client: webApi.WebClient, actor: Actor): void {
  const cache = profiles.get(client) ?? new Map<string, { actor: Actor; until: number }>();
  profiles.set(client, cache);
  if (cache.size >= PROFILE_CACHE_SIZE) cache.delete(cache.keys().next().value as string); // the oldest
  cache.set(actor.userId, { actor, until: Date.now() + PROFILE_TTL_MS });
}

/**
 * The person behind a Slack user id: the policy's name when the directory knows them, else the name
 * the payload carries, else Slack's profile (users.info, only after the ack; kept 10 minutes), else the id.
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
    const cached = cachedProfile(opts.client, userId);
    if (cached) return cached;
    try {
      const r = await opts.client.users.info({ user: userId });
      const u = r.user as { real_name?: string; name?: string; profile?: { real_name?: string; email?: string } };
      const name = u?.profile?.real_name || u?.real_name || u?.name;
      if (name) {
        const actor: Actor = {
          platform: 'slack',
          userId,
          name: name.slice(0, 100),
          ...(u?.profile?.email ? { email: u.profile.email } : {}),
        };
        rememberProfile(opts.client, actor);
        return actor;
      }
    } catch (err) {
      app.log.debug({ userId, err: (err as Error).message }, 'Slack: users.info failed; using the id as the name');
    }
  }
  return { platform: 'slack', userId, name: userId };
}
