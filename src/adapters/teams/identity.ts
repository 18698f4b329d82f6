import type { ChannelAccount } from 'botbuilder';
import { viewerFor } from '../../app/context';
import type { App } from '../../bootstrap';
import type { Viewer } from '../../cards/teams';
import type { Actor, Ticket } from '../../domain/ticket/ticket';

/**
 * The person behind a Teams activity. The policy may name Teams people by their `29:` id or their
 * Microsoft Entra object id; whichever the directory knows is used, else the `29:` id. Activities
 * from the local playground (channelId 'playground') carry the people's playground ids.
 */
export function actorOf(app: Pick<App, 'directory'>, from: ChannelAccount | undefined, channelId?: string): Actor {
  const platform = channelId === 'playground' ? 'playground' : 'teams';
  const ids = [from?.id, from?.aadObjectId].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const known = ids.find((userId) => app.directory.personOf({ platform, userId }));
  const userId = known ?? ids[0] ?? 'unknown';
  const person = app.directory.personOf({ platform, userId })?.person;
  const name = (person?.name ?? from?.name ?? 'Someone').slice(0, 100);
  return { platform, userId, name };
}

/** Who is looking at a ticket's card: decided by the one authorisation point (src/domain/ticket/access.ts). */
export function viewerOf(
  app: Pick<App, 'directory' | 'policy'>,
  ticket: Pick<Ticket, 'requester' | 'team'>,
  who: Actor,
): Viewer {
  return viewerFor(app, ticket, who);
}

/** Teams ids whose clients refresh a card on view: every agent with a Teams account, and the requester. */
export function refreshUserIds(
  app: Pick<App, 'directory' | 'policy'>,
  requester: { platform: string; userId: string },
): string[] {
  const ids = new Set<string>();
  for (const team of Object.keys(app.policy.teams) as Array<keyof App['policy']['teams']>) {
    for (const id of app.directory.membersOn(team, 'teams')) ids.add(id);
  }
  for (const level of app.policy.escalation.ladder) {
    const acc = level.contact ? app.directory.accountOf(level.contact, 'teams') : undefined;
    if (acc?.platform === 'teams') ids.add(acc.userId);
  }
  if (requester.platform === 'teams') ids.add(requester.userId);
  return [...ids].slice(0, 60);
}
