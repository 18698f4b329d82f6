/**
 * Links between tickets and incidents. An agent links a ticket to another ("related to SR-n", both ways) or makes
 * it part of an incident ("part of SR-n": the child records `part_of`, the parent `has_part` with the child's
 * requester). The parent incident carries the clocks, alerts and ladder: while a child is linked its own clocks are
 * paused ("part of incident SR-n") and it is never swept, warned, breached or laddered; unlinked, its clocks resume
 * where they stopped (unless its status pauses them). The parent's updates reach every child's requester once.
 */
import type { Role } from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import { Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import { type LinkKind, parentOf, partsOf, type Ticket, type TicketLink } from './ticket';

type Other = Pick<Ticket, 'number' | 'title' | 'status' | 'links' | 'requester'>;

const unchanged = (ticket: Ticket): OpResult => ({ ticket, events: [], notices: [] });
const has = (t: Pick<Ticket, 'links'>, kind: LinkKind, number: string) =>
  (t.links ?? []).some((l) => l.kind === kind && l.ticket === number);

/** Agents link; the system records an incident's side when a requester joined it at intake (app/raise-ticket). */
function assertAgent(ticket: Ticket, ctx: OpContext, what: string) {
  assertRole(rolesOn(ticket, ctx.actor), [...AGENT_ROLES, 'system'] as Role[], what);
}

/** Related to another ticket (recorded on both: call it for each side). Idempotent; never to itself. */
export function linkRelated(ticket: Ticket, other: Pick<Ticket, 'number'>, ctx: OpContext): OpResult {
  assertAgent(ticket, ctx, `link ${ticket.number}`);
  if (other.number === ticket.number) throw new InvalidInputError('A ticket cannot be related to itself');
  if (has(ticket, 'related_to', other.number)) return unchanged(ticket);
  const c = new Change(ticket, ctx);
  c.ticket = { ...c.ticket, links: [...(ticket.links ?? []), { kind: 'related_to', ticket: other.number }] };
  c.event('linked', null, `related to ${other.number}`);
  return c.done();
}

/**
 * Why `child` cannot be part of `parent`, or null when it can. A ticket cannot be part of itself, of a closed
 * ticket, of its own child, or of a ticket that is itself part of an incident (incidents are one level deep); an
 * incident with children cannot become a child; a child belongs to one incident at a time.
 */
export function whyNotPartOf(child: Other, parent: Other): string | null {
  if (child.number === parent.number) return 'A ticket cannot be part of itself';
  if (parent.status === 'closed') return `${parent.number} is Closed: a ticket can only be part of an open incident`;
  if (child.status === 'closed') return `${child.number} is Closed`;
  if (has(parent, 'part_of', child.number)) return `${parent.number} is part of ${child.number}, not the other way`;
  const grand = parentOf(parent);
  if (grand) return `${parent.number} is itself part of ${grand}: link ${child.number} to ${grand}`;
  if (partsOf(child).length > 0) return `${child.number} is an incident with linked tickets of its own`;
  const current = parentOf(child);
  if (current && current !== parent.number)
    return `${child.number} is already part of ${current}: unlink it from ${current} first`;
  return null;
}

/**
 * The child side of "part of incident SR-n": linked to its parent, its clocks paused while linked (they follow the
 * parent's), its requester told once where updates will come from. Idempotent.
 */
export function joinIncident(child: Ticket, parent: Other, ctx: OpContext): OpResult {
  assertAgent(child, ctx, `link ${child.number} to an incident`);
  const why = whyNotPartOf(child, parent);
  if (why) throw new TransitionNotAllowedError(why);
  if (has(child, 'part_of', parent.number)) return unchanged(child);
  const c = new Change(child, ctx);
  c.ticket = { ...c.ticket, links: [...(child.links ?? []), { kind: 'part_of', ticket: parent.number }] };
  c.pauseForIncident(parent.number);
  c.event('linked', null, `part of ${parent.number}`);
  c.tellRequester(
    `${child.number} (${child.title}) is part of incident ${parent.number} (${parent.title}), which we are working on now. You will get its updates here.`,
    'requester.update',
    { parts: false },
  );
  return c.done();
}

/** The parent side of "part of incident SR-n": the child and its requester recorded on the incident. Idempotent. */
export function addPart(parent: Ticket, child: Other, ctx: OpContext): OpResult {
  assertOpen(parent);
  assertAgent(parent, ctx, `link a ticket to ${parent.number}`);
  const why = whyNotPartOf(child, parent);
  if (why && !has(child, 'part_of', parent.number)) throw new TransitionNotAllowedError(why);
  if (has(parent, 'has_part', child.number)) return unchanged(parent);
  const c = new Change(parent, ctx);
  const r = child.requester;
  const link: TicketLink = {
    kind: 'has_part',
    ticket: child.number,
    requester: { platform: r.platform, userId: r.userId, name: r.name },
  };
  c.ticket = { ...c.ticket, links: [...(parent.links ?? []), link] };
  c.event('incident_part_added', null, child.number, `${partsOf(c.ticket).length} linked`);
  return c.done();
}

/** The child side of unlinking: no longer part of its incident; its own clocks resume (unless its status pauses them). */
export function leaveIncident(child: Ticket, note: string, ctx: OpContext): OpResult {
  if (!ctx.actor.roles.includes('system')) assertAgent(child, ctx, `unlink ${child.number}`);
  const parent = parentOf(child);
  if (!parent) return unchanged(child);
  const c = new Change(child, ctx);
  c.ticket = { ...c.ticket, links: (child.links ?? []).filter((l) => l.kind !== 'part_of') };
  if (child.status !== 'closed') c.resumeAfterIncident();
  c.event('unlinked', `part of ${parent}`, null, clip(note, LIMITS.field) || undefined);
  if (child.status !== 'closed')
    c.tellRequester(
      `${child.number} (${child.title}) is no longer part of incident ${parent}: we follow it up on its own from here.`,
      'requester.update',
      { parts: false },
    );
  return c.done();
}

/** The parent side of unlinking a child. Idempotent. */
export function removePart(parent: Ticket, childNumber: string, ctx: OpContext): OpResult {
  assertAgent(parent, ctx, `unlink a ticket from ${parent.number}`);
  if (!has(parent, 'has_part', childNumber)) return unchanged(parent);
  const c = new Change(parent, ctx);
  c.ticket = {
    ...c.ticket,
    links: (parent.links ?? []).filter((l) => !(l.kind === 'has_part' && l.ticket === childNumber)),
  };
  c.event('incident_part_removed', childNumber, null, `${partsOf(c.ticket).length} linked`);
  return c.done();
}

/**
 * The incident was resolved (On Customer Test, with the agent's note or the release note): an open child still
 * being worked moves there too, and its requester is asked once, on their own ticket, whether it is fixed. A child
 * already resolved, or no longer part of this incident, is left as it is (so following it again does nothing).
 */
export function followIncidentResolution(child: Ticket, parent: Other, note: string, ctx: OpContext): OpResult {
  if (parentOf(child) !== parent.number) return unchanged(child);
  if (['on_customer_test', 'pending_closure', 'closed'].includes(child.status)) return unchanged(child);
  const c = new Change(child, ctx);
  moveTo(c, 'on_customer_test', rolesOn(child, ctx.actor), { anyOpen: true });
  const said = clip(note, 500);
  c.event('resolved', undefined, undefined, `with incident ${parent.number}${said ? `: ${said}` : ''}`);
  c.tellRequester(
    `Incident ${parent.number} (${parent.title}), which ${child.number} is part of, is resolved${said ? `: ${said}` : ''}. Is it fixed for you?`,
    'requester.is_it_fixed',
  );
  return c.done();
}

/** The children of an incident that may need to follow it now (resolved or closed), for the app's fan-out. */
export function partsToFollow(parent: Pick<Ticket, 'status' | 'links'>): string[] {
  if (!['on_customer_test', 'pending_closure', 'closed'].includes(parent.status)) return [];
  return partsOf(parent).map((l) => l.ticket);
}

const SETTLED = ['on_customer_test', 'pending_closure', 'closed'];

/**
 * A child follows its incident: resolved with it (see {@link followIncidentResolution}); or, the incident closed
 * without it being resolved (closed with a reason, or a child reopened after the incident closed), taken out of the
 * incident so its own clocks count again, since a ticket cannot be part of a closed one.
 */
export function followIncident(child: Ticket, parent: Other, note: string, ctx: OpContext): OpResult {
  if (parentOf(child) !== parent.number) return unchanged(child);
  if (parent.status !== 'closed') return followIncidentResolution(child, parent, note, ctx);
  if (SETTLED.includes(child.status)) return unchanged(child);
  return leaveIncident(child, `incident ${parent.number} was closed`, ctx);
}
