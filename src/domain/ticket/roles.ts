import type { Person, Platform, Policy, Role, TeamId } from '../../config/policy.schema';
import type { Actor } from './ticket';

export const AGENT_ROLES: readonly Role[] = ['level1', 'level2', 'admin', 'development', 'manager'];

export const ROLE_NAMES: Record<Role, string> = {
  requester: 'the requester',
  level1: 'Level 1',
  level2: 'Level 2',
  admin: 'Administrative Staff',
  development: 'Product / Development / IT',
  manager: 'a manager',
  system: 'Helpline',
};

/** Who is who: platform ids → people of the policy → their roles. */
export interface Directory {
  /** Roles the person holds by team membership or as a named escalation contact; never empty. */
  rolesOf(who: Pick<Actor, 'platform' | 'userId'>): Role[];
  personOf(who: Pick<Actor, 'platform' | 'userId'>): { id: string; person: Person } | undefined;
  person(id: string): Person | undefined;
  /** The person's account on a platform (their preferred one first). */
  accountOf(personId: string, prefer?: Platform): { platform: Platform; userId: string } | undefined;
  isAgent(who: Pick<Actor, 'platform' | 'userId'>): boolean;
  /** Members of a team as platform accounts on the given platform. */
  membersOn(team: TeamId, platform: Platform): string[];
}

export function createDirectory(policy: Pick<Policy, 'people' | 'teams' | 'escalation'>): Directory {
  const byAccount = new Map<string, string>();
  for (const [id, p] of Object.entries(policy.people)) {
    for (const [platform, userId] of Object.entries(p.accounts)) if (userId) byAccount.set(`${platform}:${userId}`, id);
  }
  const rolesById = new Map<string, Set<Role>>();
  const add = (id: string, role: Role) => {
    const set = rolesById.get(id) ?? new Set<Role>(['requester']);
    set.add(role);
    rolesById.set(id, set);
  };
  for (const team of Object.values(policy.teams)) for (const m of team.members) add(m, team.role);
  for (const level of policy.escalation.ladder) if (level.contact) add(level.contact, 'manager');

  const personIdOf = (who: Pick<Actor, 'platform' | 'userId'>) => byAccount.get(`${who.platform}:${who.userId}`);
  const dir: Directory = {
    rolesOf(who) {
      const id = personIdOf(who);
      return id ? [...(rolesById.get(id) ?? ['requester'])] : ['requester'];
    },
    personOf(who) {
      const id = personIdOf(who);
      const person = id ? policy.people[id] : undefined;
      return id && person ? { id, person } : undefined;
    },
    person: (id) => policy.people[id],
    accountOf(personId, prefer) {
      const p = policy.people[personId];
      if (!p) return undefined;
      const order: Platform[] = [prefer, p.notify, 'slack', 'teams', 'playground'].filter((x): x is Platform => !!x);
      for (const platform of order) {
        const userId = p.accounts[platform];
        if (userId) return { platform, userId };
      }
      return undefined;
    },
    isAgent: (who) => dir.rolesOf(who).some((r) => AGENT_ROLES.includes(r)),
    membersOn(team, platform) {
      return (policy.teams[team]?.members ?? [])
        .map((m) => policy.people[m]?.accounts[platform])
        .filter((x): x is string => !!x);
    },
  };
  return dir;
}

/** The policy's person id of a platform account, when the policy knows it. */
export function personIdOf(
  policy: Pick<Policy, 'people'>,
  who: Pick<Actor, 'platform' | 'userId'>,
): string | undefined {
  for (const [id, p] of Object.entries(policy.people)) if (p.accounts[who.platform] === who.userId) return id;
  return undefined;
}

/** True when the person assigns anyone in `team`: a role the policy's `assignment.assigners` names, or a lead of it. */
export function assignsOthers(
  policy: Pick<Policy, 'people' | 'teams' | 'assignment'>,
  team: TeamId,
  who: Pick<Actor, 'platform' | 'userId'> & { roles: readonly Role[] },
): boolean {
  if (who.roles.some((r) => policy.assignment.assigners.includes(r))) return true;
  const id = personIdOf(policy, who);
  return !!id && (policy.teams[team]?.leads ?? []).includes(id);
}
