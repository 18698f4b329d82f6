import {
  ClosedError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  TransitionNotAllowedError,
} from '../domain/errors';
import type { OpContext, OpResult } from '../domain/ticket/operations';
import * as op from '../domain/ticket/operations';
import { parentOf, SYSTEM_ACTOR, type Ticket } from '../domain/ticket/ticket';
import { type AppDeps, changeTicket, loadFor, loadTicket, opContext, type UseCaseResult } from './context';
import type { TicketCommand } from './ticket-actions';

const SR = /^\s*(?:sr)?[\s#-]*([1-9]\d{0,9})\s*$/i;

/** `SR-12`, `sr 12`, `#12` or `12` as a ticket number; a friendly refusal otherwise. */
export function ticketNumberOf(text: string | undefined): string {
  const m = SR.exec(text ?? '');
  if (!m) throw new InvalidInputError('Say which ticket, e.g. SR-12');
  return `SR-${m[1]}`;
}

export type LinkKindAsked = 'related_to' | 'part_of';

/** Save one side of a link (a no-op when it is already recorded), re-reading once when someone else saved first. */
async function saveSide(deps: AppDeps, number: string, apply: (t: Ticket) => OpResult): Promise<Ticket> {
  for (let attempt = 1; ; attempt++) {
    const t = await loadTicket(deps, number);
    const r = apply(t);
    if (r.events.length === 0 && r.notices.length === 0) return t;
    try {
      return await deps.tickets.save(r, t.version);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 3) throw err;
    }
  }
}

/**
 * An agent links `cmd.number` to another ticket: related to it (both record it), or part of it as an incident
 * (the incident records the child and its requester; the child pauses its clocks and follows the incident's). Both
 * sides are checked before anything is saved; the other side is saved first and each side is idempotent, so a retry
 * after a failure completes the link.
 */
export async function linkTicket(
  deps: AppDeps,
  cmd: TicketCommand,
  a: { kind: LinkKindAsked; to: string },
): Promise<UseCaseResult> {
  const { ticket } = await loadFor(deps, cmd.number, cmd.actor, 'link');
  const other = (await loadFor(deps, ticketNumberOf(a.to), cmd.actor, 'link')).ticket;
  const ctx = opContext(deps, cmd.actor);
  if (a.kind === 'related_to') {
    op.linkRelated(ticket, other, ctx); // a dry run: a refusal ends here with nothing saved
    await saveSide(deps, other.number, (t) => op.linkRelated(t, ticket, opContext(deps, cmd.actor)));
    return changeTicket(deps, { ...cmd, action: 'link', counted: 'action' }, (t, c) => op.linkRelated(t, other, c));
  }
  op.joinIncident(ticket, other, ctx);
  await saveSide(deps, other.number, (t) => op.addPart(t, ticket, opContext(deps, cmd.actor)));
  return changeTicket(deps, { ...cmd, action: 'link', counted: 'action' }, (t, c) => op.joinIncident(t, other, c));
}

/**
 * The incident's side of a ticket raised already part of it (guided intake's "add me to it"): the child and its
 * requester recorded on the incident, by the system (the requester joined; no agent linked it). Idempotent.
 */
export async function recordPart(deps: AppDeps, child: Ticket): Promise<void> {
  const parent = parentOf(child);
  if (!parent) return;
  const system: OpContext['actor'] = { ...SYSTEM_ACTOR, platform: child.requester.platform, roles: ['system'] };
  try {
    await saveSide(deps, parent, (t) => op.addPart(t, child, opContext(deps, system)));
  } catch (err) {
    // An incident closed meanwhile: the child keeps its link and leaves it when its requester reopens it.
    if (!(err instanceof ClosedError || err instanceof TransitionNotAllowedError || err instanceof NotFoundError))
      throw err;
  }
}

/**
 * A child reopened by its requester ("still broken") after its incident was closed: it leaves the incident, so
 * its own clocks count again (while the incident is open it stays part of it; an agent unlinks it if it differs).
 */
export async function leaveClosedIncident(
  deps: AppDeps,
  r: UseCaseResult,
  actor: TicketCommand['actor'],
): Promise<UseCaseResult> {
  const parent = parentOf(r.ticket);
  if (!parent || r.ticket.status === 'closed') return r;
  const incident = await deps.tickets.get(parent);
  if (incident && incident.status !== 'closed') return r;
  const system: OpContext['actor'] = { ...SYSTEM_ACTOR, platform: actor.platform, roles: ['system'] };
  const ticket = await saveSide(deps, r.ticket.number, (t) =>
    op.leaveIncident(t, `incident ${parent} was closed`, opContext(deps, system)),
  );
  return { ...r, ticket };
}

/**
 * An agent unlinks a child from its incident: both sides forget it (the incident first, so a retry after a failure
 * still finds the child linked and completes it), and the child's own clocks resume.
 */
export async function unlinkFromIncident(deps: AppDeps, cmd: TicketCommand, note = ''): Promise<UseCaseResult> {
  const { ticket } = await loadFor(deps, cmd.number, cmd.actor, 'link');
  const parent = parentOf(ticket);
  if (!parent) throw new TransitionNotAllowedError(`${ticket.number} is not part of an incident`);
  await saveSide(deps, parent, (t) => op.removePart(t, ticket.number, opContext(deps, cmd.actor)));
  return changeTicket(deps, { ...cmd, action: 'link', counted: 'action' }, (t, c) => op.leaveIncident(t, note, c));
}

/**
 * After a change to an incident: when it is resolved, each open child follows (On Customer Test, its requester asked
 * once on their own ticket, with `note`: the agent's or the release note); when it is closed, a child not resolved
 * with it leaves it (its own clocks count again). Idempotent: a child already resolved is left alone, so running it
 * again (a retry of the same click answers with the saved incident) completes what a failure left undone.
 */
export async function followIncident<R extends Pick<UseCaseResult, 'ticket'>>(
  deps: AppDeps,
  r: R,
  actor: TicketCommand['actor'] | OpContext['actor'],
  note = '',
): Promise<R> {
  const parent = r.ticket;
  for (const child of op.partsToFollow(parent)) {
    try {
      await saveSide(deps, child, (t) => op.followIncident(t, parent, note, opContext(deps, actor)));
    } catch (err) {
      // A child that no longer exists has nothing to follow; anything else is the agent's to retry.
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return r;
}
