import { DateTime } from 'luxon';
import { ForbiddenError, InvalidInputError } from '../domain/errors';
import { formatBusinessInstant } from '../domain/sla/sla-clock';
import type { Actor } from '../domain/ticket/ticket';
import type { AppDeps } from './context';

/** `away until 2026-03-10`, `away sam.level2 until 2026-03-10` (managers), `back`, `away off`, `away sam.level2 off`. */
const AWAY = /^away(?:\s+(.+?))?\s+(?:until\s+(\d{4}-\d{2}-\d{2})|(off))$/i;

/** The words of an away command, or null when the text is not one. */
export function parseAway(text: string): { who: string | null; until: string | null } | null {
  const t = text.trim().replace(/[.!]+$/, '');
  if (/^back$/i.test(t)) return { who: null, until: null };
  const m = AWAY.exec(t);
  if (!m) return null;
  return { who: m[1]?.trim() || null, until: m[3] ? null : (m[2] ?? null) };
}

/** A person of the policy by id or full name (case-insensitive). */
function personNamed(deps: Pick<AppDeps, 'policy'>, words: string): string | undefined {
  const w = words.trim().toLowerCase();
  return Object.entries(deps.policy.people).find(([id, p]) => id === w || p.name.toLowerCase() === w)?.[0];
}

/**
 * Mark an agent away until a local date (back at the start of that day; automatic assignment skips them meanwhile,
 * and the queue and the assign selects say so), or back now. Agents set their own; managers anyone's. Answers what
 * to tell the person.
 */
export async function setAway(deps: AppDeps, actor: Actor, text: string): Promise<string> {
  const cmd = parseAway(text);
  if (!cmd)
    throw new InvalidInputError('Say "away until 2026-03-10" (or "away NAME until …" for someone else), or "back".');
  if (!deps.assignments) throw new InvalidInputError('Away is not available here.');
  const me = deps.directory.personOf(actor)?.id;
  if (!me || !deps.directory.isAgent(actor)) throw new ForbiddenError('Away is for support agents.');
  const who = cmd.who ? personNamed(deps, cmd.who) : me;
  if (!who) throw new InvalidInputError(`Nobody called "${cmd.who?.slice(0, 60)}" is in the policy.`);
  if (who !== me && !deps.directory.rolesOf(actor).includes('manager'))
    throw new ForbiddenError('Only a manager can mark someone else away.');
  const now = deps.clock.now();
  const name = deps.policy.people[who]?.name ?? who;
  if (!cmd.until) {
    await deps.assignments.setAway(who, null, me, now);
    return `${who === me ? 'You are' : `${name} is`} back: new tickets can be assigned ${who === me ? 'to you' : 'to them'}.`;
  }
  const tz = deps.policy.calendar.timeZone;
  const day = DateTime.fromISO(cmd.until, { zone: tz });
  if (!day.isValid) throw new InvalidInputError(`"${cmd.until}" is not a date like 2026-03-10.`);
  const until = day.startOf('day').toJSDate();
  if (until <= now) throw new InvalidInputError(`${cmd.until} has already begun: say a later date.`);
  await deps.assignments.setAway(who, until, me, now);
  return `${who === me ? 'You are' : `${name} is`} away until ${formatBusinessInstant(until, tz, now)}: Helpline assigns nothing new ${who === me ? 'to you' : 'to them'} until then.`;
}

/** Who is away now, in words for the queue ("Away: Sam Singh until Tue 10 Mar 00:00"), or null when nobody is. */
export async function awayLine(deps: AppDeps): Promise<string | null> {
  const now = deps.clock.now();
  const away = (await deps.assignments?.awayAt(now)) ?? new Map<string, Date>();
  if (away.size === 0) return null;
  const tz = deps.policy.calendar.timeZone;
  const names = [...away.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, until]) => `${deps.policy.people[id]?.name ?? id} until ${formatBusinessInstant(until, tz, now)}`);
  return `Away: ${names.join(', ')}`;
}
