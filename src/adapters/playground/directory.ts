import type { App } from '../../bootstrap';
import { PLATFORMS, type Platform } from '../../config/policy.schema';

/** A person of the policy as the playground shows them in its identity switcher. */
export interface PlaygroundPerson {
  /** The policy's person id (rita.requester). */
  id: string;
  name: string;
  /** Their playground account id: the `from.id` of the activities sent on their behalf. */
  accountId: string;
  /** What they do, in words: "Level 1 Support", "Team Lead / CSM", "Requester". */
  role: string;
  /** Agent roles (level1, level2, admin, development, manager), empty for a requester. */
  roles: string[];
  /** Their ids on the other platforms (a card's refresh list names Teams ids). */
  accounts: Partial<Record<Platform, string>>;
}

export type ChannelKey = 'triage' | 'teamTicketing' | 'managers' | 'developmentTriage' | 'admin' | 'quotes';

/** A conversation the page shows: a policy channel, or a person's personal chat with the bot. */
export interface PlaygroundView {
  /** Bot Framework conversation id. Channels use the policy's channel id, so posts addressed there land here. */
  conversationId: string;
  kind: 'channel' | 'personal';
  /** Channel: the policy key (triage...); personal: the person id. */
  key: string;
  /** The policy's name for a channel (support-triage), the person's name for a chat. */
  name: string;
  /** What the channel is for, in words. */
  purpose: string;
  /** The platform the policy puts the channel on. */
  platform: Platform | null;
  /** False when that platform is configured for real: its posts go there, not here. */
  handledHere: boolean;
}

const CHANNEL_PURPOSE: Record<ChannelKey, string> = {
  triage: 'Triage: new tickets for Level 1',
  teamTicketing: 'Team Ticketing: escalated tickets for Level 2, Admin and Development',
  managers: 'Managers: SLA breaches and escalations',
  developmentTriage: 'Development triage: Severity 1 incidents and escalations to Development',
  admin: 'Admin: tickets routed to Administrative Staff',
  quotes: 'Professional Services: chargeable work to quote',
};

const AGENT_ORDER = ['level1', 'level2', 'admin', 'development', 'manager'] as const;

const PERSONAL_PREFIX = 'playground:personal:';

/** The personal chat of a person with the bot. */
export function personalConversationId(personId: string): string {
  return `${PERSONAL_PREFIX}${personId}`;
}

export interface PlaygroundDirectory {
  people: PlaygroundPerson[];
  views: PlaygroundView[];
  person(id: string): PlaygroundPerson | undefined;
  /** The person behind an id on any platform (a notice may address them by their Slack or Teams id). */
  personByAccount(userId: string, platform?: Platform): PlaygroundPerson | undefined;
  view(conversationId: string): PlaygroundView | undefined;
}

/** People and views from the policy. `configured` says which platforms have a real connection. */
export function playgroundDirectory(
  app: Pick<App, 'policy' | 'directory'>,
  configured: (platform: Platform) => boolean,
): PlaygroundDirectory {
  const { policy, directory } = app;
  const ladderNames = new Map<string, string>();
  for (const level of policy.escalation.ladder) if (level.contact) ladderNames.set(level.contact, level.name);

  const people: PlaygroundPerson[] = [];
  for (const [id, p] of Object.entries(policy.people)) {
    const accountId = p.accounts.playground;
    if (!accountId) continue;
    const roles = directory
      .rolesOf({ platform: 'playground', userId: accountId })
      .filter((r) => r !== 'requester' && r !== 'system');
    const team = Object.values(policy.teams).find((t) => t.members.includes(id));
    const role = ladderNames.get(id) ?? team?.name ?? 'Requester';
    people.push({ id, name: p.name, accountId, role, roles, accounts: { ...p.accounts } });
  }
  const rank = (p: PlaygroundPerson) => {
    if (p.roles.length === 0) return -1;
    if (ladderNames.has(p.id)) {
      return AGENT_ORDER.length + policy.escalation.ladder.findIndex((l) => l.contact === p.id);
    }
    return Math.min(...p.roles.map((r) => AGENT_ORDER.indexOf(r as (typeof AGENT_ORDER)[number])));
  };
  people.sort((a, b) => rank(a) - rank(b));

  const views: PlaygroundView[] = [];
  for (const key of Object.keys(CHANNEL_PURPOSE) as ChannelKey[]) {
    const ch = policy.channels[key];
    if (!ch) continue;
    views.push({
      conversationId: ch.id,
      kind: 'channel',
      key,
      name: ch.name,
      purpose: CHANNEL_PURPOSE[key],
      platform: ch.platform,
      handledHere: ch.platform === 'playground' || !configured(ch.platform),
    });
  }
  for (const p of people) {
    views.push({
      conversationId: personalConversationId(p.id),
      kind: 'personal',
      key: p.id,
      name: p.name,
      purpose: `${p.name}'s personal chat with Helpline`,
      platform: 'playground',
      handledHere: true,
    });
  }

  const byId = new Map(people.map((p) => [p.id, p]));
  const byView = new Map(views.map((v) => [v.conversationId, v]));
  return {
    people,
    views,
    person: (id) => byId.get(id),
    personByAccount(userId, platform) {
      const order = platform ? [platform, ...PLATFORMS.filter((x) => x !== platform)] : [...PLATFORMS];
      for (const pl of order) {
        const found = directory.personOf({ platform: pl, userId });
        if (found) return byId.get(found.id);
      }
      return undefined;
    },
    view: (conversationId) => byView.get(conversationId.split(';')[0] ?? conversationId),
  };
}
