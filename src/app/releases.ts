import { ConflictError, DomainError, InvalidInputError } from '../domain/errors';
import { assertRole } from '../domain/ticket/lifecycle';
import * as op from '../domain/ticket/operations';
import { upcomingReleaseDays } from '../domain/ticket/release-wait';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import type { OutboxStore } from '../notify/outbox';
import { type AppDeps, actingAs, changeTicket } from './context';
import { followIncident } from './ticket-links';

export type ReleaseDeps = AppDeps & { outbox: OutboxStore };

/** The most tickets one release moves at once (a fortnight's planned fixes fit many times over). */
const RELEASE_LIMIT = 500;

/** Only whoever `releases.movers` names (Development and managers by default) lists and moves releases. */
function assertMover(deps: AppDeps, actor: Actor, what: string) {
  assertRole(actingAs(deps, actor).roles, deps.policy.releases.movers, what);
}

export interface ReleaseSummary {
  day: string;
  /** Past its QA cutoff: nothing more is planned into it. */
  closed: boolean;
  tickets: Array<Pick<Ticket, 'number' | 'title'> & { status: string }>;
}

/** The coming releases (`n` of them) with the tickets planned into each. */
export async function listReleases(deps: AppDeps, actor: Actor, n = 3): Promise<ReleaseSummary[]> {
  assertMover(deps, actor, 'see the releases');
  const now = deps.clock.now();
  const prev = op.previousReleaseDay(deps.policy, now);
  const days = [...(prev ? [prev] : []), ...upcomingReleaseDays(deps.policy, now, n).map((d) => d.toISODate()!)];
  const all = await Promise.all(
    days.map(async (day) => {
      const tickets = await deps.tickets.findInRelease(day, RELEASE_LIMIT);
      return {
        day,
        closed: !op.beforeCutoff(deps.policy, deps.calendar, now, day),
        tickets: tickets.map((t) => ({
          number: t.number,
          title: t.title,
          status: t.development?.status ?? t.status,
        })),
      };
    }),
  );
  // A past release shows while it still has tickets waiting to go live (released late).
  return all.filter((r) => r.day !== prev || r.tickets.some((t) => t.status !== 'released'));
}

/** `next`: the past release still waiting to go live, else the coming one. */
export async function nextReleaseToMove(deps: AppDeps): Promise<string> {
  const now = deps.clock.now();
  const prev = op.previousReleaseDay(deps.policy, now);
  if (prev && (await deps.tickets.findInRelease(prev, RELEASE_LIMIT)).some((t) => t.status === 'escalated_to_dev'))
    return prev;
  return upcomingReleaseDays(deps.policy, now, 1)[0]?.toISODate() ?? '';
}

export interface ReleaseMoveReport {
  day: string;
  move: op.ReleaseMove;
  moved: string[];
  /** Already moved (by an earlier try of the same move): left as they are. */
  already: string[];
  /** Tickets that could not move, with the domain's reason (a sign-off, a status that does not allow it). */
  refused: Array<{ number: string; why: string }>;
}

/**
 * Move the release of `day` with every ticket planned into it: each ticket through the domain's own rules, one
 * by one; a ticket that cannot move is reported. Idempotent: a ticket already moved is left alone, so a retry after
 * a crash finishes the rest. Released: the release notes go out once (Team Ticketing, and each person once, by
 * outbox key), incidents' children follow their incident, and each ticket waits On Customer Test.
 */
export async function moveRelease(
  deps: ReleaseDeps,
  actor: Actor,
  a: { day: string; move: op.ReleaseMove; notes?: string },
): Promise<ReleaseMoveReport> {
  assertMover(deps, actor, 'move a release');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a.day)) throw new InvalidInputError('Say which release, e.g. 2026-03-19');
  const notes = (a.notes ?? '').trim().slice(0, 2000);
  if (a.move === 'released' && !notes) throw new InvalidInputError('Give the release notes');
  const report: ReleaseMoveReport = { day: a.day, move: a.move, moved: [], already: [], refused: [] };
  const tickets = await deps.tickets.findInRelease(a.day, RELEASE_LIMIT);
  for (const t of tickets) {
    try {
      const moved = await moveOne(deps, actor, t.number, a, notes);
      (moved ? report.moved : report.already).push(t.number);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      report.refused.push({ number: t.number, why: err.message });
    }
  }
  if (a.move === 'released') await tellReleased(deps, a.day, notes);
  return report;
}

/** One ticket moved with its release; saved by someone else meanwhile, read again once (then it may be moved). */
async function moveOne(
  deps: ReleaseDeps,
  actor: Actor,
  number: string,
  a: { day: string; move: op.ReleaseMove },
  notes: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let moved = false;
    try {
      const r = await changeTicket(deps, { number, actor, action: 'advanceDevelopment' }, (tk, c) => {
        const res = op.moveInRelease(tk, a.move, a.day, notes, c);
        moved = !!res;
        return res ?? { ticket: tk, events: [], notices: [] };
      });
      if (a.move === 'released') await followIncident(deps, r, actor, notes);
      return moved;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 2) throw err;
    }
  }
}

/** The release notes to the channel and to each person once (outbox keys make a retry a no-op). */
async function tellReleased(deps: ReleaseDeps, day: string, notes: string): Promise<void> {
  const all = await deps.tickets.findInRelease(day, RELEASE_LIMIT);
  const released = all.filter((t) => t.development?.status === 'released');
  if (released.length === 0) return;
  const numbers = new Set(released.flatMap((t) => (t.links ?? []).map((l) => l.ticket)));
  const linked = (await Promise.all([...numbers].map((n) => deps.tickets.get(n)))).filter((t) => t !== null);
  // An incident's children are asked on their own tickets by the incident fan-out (followIncident).
  const told = released.flatMap((t) =>
    (t.links ?? []).flatMap((l) => (l.kind === 'has_part' && l.requester ? [l.requester] : [])),
  );
  await deps.outbox.enqueue(op.releaseNotices(day, notes, released, linked, deps.policy, told), deps.clock.now());
}
