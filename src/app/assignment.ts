import type { Severity, TeamId } from '../config/policy.schema';
import { ConflictError } from '../domain/errors';
import type { AssigneeChoice } from '../domain/ticket/operations';
import * as op from '../domain/ticket/operations';
import { SYSTEM_ACTOR, sameActor, type Ticket } from '../domain/ticket/ticket';
import { type AppDeps, clockContext } from './context';

/** The person behind an id, on the account they are reached on (the acting agent's own account when it is them). */
export function assigneeOf(
  deps: Pick<AppDeps, 'directory' | 'policy'>,
  personId: string,
  prefer?: { platform: AssigneeChoice['actor']['platform']; userId: string; name: string },
): AssigneeChoice | null {
  const person = deps.directory.person(personId);
  if (!person) return null;
  if (prefer && deps.directory.personOf(prefer)?.id === personId) return { personId, actor: { ...prefer } };
  // On the acting person's platform when the person has an account there (a Teams agent assigns a Teams account).
  const acc = deps.directory.accountOf(personId, prefer?.platform);
  if (!acc) return null;
  return { personId, actor: { platform: acc.platform, userId: acc.userId, name: person.name } };
}

/** Members of `team` who can be assigned now: not away, with an account, in id order (a deterministic order). */
async function candidates(deps: AppDeps, team: TeamId): Promise<AssigneeChoice[]> {
  const away = (await deps.assignments?.awayAt(deps.clock.now())) ?? new Map<string, Date>();
  return [...(deps.policy.teams[team]?.members ?? [])]
    .sort()
    .filter((id) => !away.has(id))
    .flatMap((id) => {
      const a = assigneeOf(deps, id);
      return a ? [a] : [];
    });
}

const PICK_ATTEMPTS = 5;

/**
 * The member of the ticket's team its rule gives it to, or null (manual, nobody available). Round robin takes the
 * team's next turn (an atomic increment). Least loaded weighs each member's open tickets by severity, breaks ties
 * by person id, and records the pick with a compare-and-set on the team's guard: a pick made at the same moment
 * elsewhere makes this one look again, counting the other's ticket even before it is saved.
 */
export async function pickAssignee(
  deps: AppDeps,
  ticket: Ticket,
): Promise<{ choice: AssigneeChoice; rule: 'round_robin' | 'least_loaded' } | null> {
  const rule = deps.policy.assignment.rules[ticket.team];
  const store = deps.assignments;
  if (!store || rule === 'manual') return null;
  const people = await candidates(deps, ticket.team);
  if (people.length === 0) return null;
  if (rule === 'round_robin') {
    const turn = await store.nextTurn(ticket.team);
    return { choice: people[(turn - 1) % people.length]!, rule };
  }
  const weights = deps.policy.assignment.weights;
  const weight = (s: number) => weights[s as Severity] ?? 1;
  let chosen = people[0]!;
  for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
    const g = await store.leastLoadedGuard(ticket.team);
    const accounts = people.flatMap((p) =>
      Object.entries(deps.policy.people[p.personId]?.accounts ?? {}).map(([platform, userId]) => ({
        platform: platform as AssigneeChoice['actor']['platform'],
        userId: String(userId),
        personId: p.personId,
      })),
    );
    const load = new Map<string, number>(people.map((p) => [p.personId, 0]));
    for (const row of await store.openLoads(accounts)) {
      const who = accounts.find((a) => a.platform === row.platform && a.userId === row.userId);
      if (who && row.userId) load.set(who.personId, (load.get(who.personId) ?? 0) + row.count * weight(row.severity));
    }
    // The last pick's ticket may not be saved with its assignee yet: count it for them.
    if (g.last && g.lastTicket && g.lastTicket !== ticket.number && load.has(g.last)) {
      const last = await deps.tickets.get(g.lastTicket);
      const lastChoice = assigneeOf(deps, g.last);
      if (last && last.status !== 'closed' && lastChoice && !sameActor(last.assignee, lastChoice.actor))
        load.set(g.last, (load.get(g.last) ?? 0) + weight(last.severity));
    }
    chosen = people.reduce((best, p) => ((load.get(p.personId) ?? 0) < (load.get(best.personId) ?? 0) ? p : best));
    if (await store.recordPick(ticket.team, g.seq, chosen.personId, ticket.number)) break;
  }
  return { choice: chosen, rule };
}

/**
 * A ticket that reached a team (Team Ticketing, routed to Admin, escalated to Development) gets its assignee by
 * the team's rule, when nobody of that team has it yet. Helpline assigns it (the audit says by which rule); the
 * person gets the card. Answers the ticket as saved.
 */
export async function assignOnArrival(deps: AppDeps, ticket: Ticket): Promise<Ticket> {
  if (ticket.status === 'closed' || deps.policy.assignment.rules[ticket.team] === 'manual') return ticket;
  const members = deps.policy.teams[ticket.team]?.members ?? [];
  const holder = ticket.assignee ? deps.directory.personOf(ticket.assignee)?.id : undefined;
  if (holder && members.includes(holder)) return ticket;
  const picked = await pickAssignee(deps, ticket);
  if (!picked) return ticket;
  const ctx = {
    policy: deps.policy,
    clocks: clockContext(deps),
    now: deps.clock.now(),
    // As the scheduler acts: the audit names Helpline.
    actor: { ...SYSTEM_ACTOR, platform: 'slack' as const, roles: ['system' as const] },
  };
  let current = ticket;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const r = op.assignTo(current, picked.choice, ctx, picked.rule);
      return await deps.tickets.save(r, current.version);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt === 3) throw err;
      const fresh = await deps.tickets.get(ticket.number);
      if (!fresh || fresh.team !== ticket.team || fresh.assignee) return fresh ?? ticket;
      current = fresh;
    }
  }
  return current;
}
