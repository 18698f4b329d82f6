import type { Priority, Role, Severity, TeamId } from '../../config/policy.schema';
import { InvalidInputError } from '../errors';
import { Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import type { Actor, Ticket } from './ticket';
import { triageCorrection } from './triage-correction';

/** Routed to Administrative Staff: their channel (when the policy names one) gets the ticket's card. */
function routedToAdmin(c: Change, team: TeamId) {
  if (team !== 'admin' || !c.ctx.policy.channels.admin) return;
  c.notify({
    type: 'ticket.admin',
    audience: { kind: 'channel', channel: 'admin' },
    text: `${c.ticket.number} routed to ${c.ctx.policy.teams.admin?.name ?? 'Administrative Staff'} by ${c.ctx.actor.name}: ${c.ticket.title}`,
  });
}

/** Assign to an agent (assign to me / take it). */
export function assign(ticket: Ticket, assignee: Actor, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, AGENT_ROLES as Role[], `assign ${ticket.number}`);
  const c = new Change(ticket, ctx);
  c.ticket = { ...ticket, assignee };
  c.event('assigned', ticket.assignee?.name ?? null, assignee.name);
  if (ticket.status === 'new') moveTo(c, 'triage', roles);
  else if (['under_review', 'customer_responded'].includes(ticket.status)) moveTo(c, 'work_in_progress', roles);
  c.holdLadder('assignment');
  c.tellRequester(`${assignee.name} is looking at ${ticket.number} (${ticket.title}).`);
  return c.done();
}

/** Change the severity; the clocks take the new targets. */
export function setSeverity(ticket: Ticket, severity: Severity, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `change the severity of ${ticket.number}`);
  const { policy } = ctx;
  if (!policy.severities[severity]) throw new InvalidInputError(`Severity must be 1, 2, 3 or 4`);
  if (severity === ticket.severity) return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  const sev = policy.severities[severity];
  c.ticket = { ...ticket, severity };
  c.retarget();
  c.event('severity', ticket.severity, severity);
  const corrected = triageCorrection(ticket, 'severity', ticket.severity, severity);
  if (corrected) c.event(corrected.type, corrected.from, corrected.to, corrected.note);
  if (sev.immediateEscalation)
    c.escalateImmediately(`${ticket.number} is now Severity 1 (${sev.name}): ${ticket.title}`);
  return c.done();
}

/** Change the priority (the impact on the customer); the clocks take the targets it gives. */
export function setPriority(ticket: Ticket, priority: Priority, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `change the priority of ${ticket.number}`);
  if (!ctx.policy.priorities[priority]) throw new InvalidInputError(`Priority must be 1, 2, 3 or 4`);
  if (priority === ticket.priority) return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  c.ticket = { ...ticket, priority };
  c.retarget();
  c.event('priority', ticket.priority, priority);
  return c.done();
}

/** Set the category from the coverage catalogue; the owning team follows unless given. */
export function setCategory(ticket: Ticket, categoryId: string, ctx: OpContext, team?: TeamId): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `change the category of ${ticket.number}`);
  const category = ctx.policy.coverage.categories[categoryId];
  if (!category) throw new InvalidInputError(`Unknown category "${categoryId}"`);
  if (team && !ctx.policy.teams[team]) throw new InvalidInputError(`Unknown team "${team}"`);
  const c = new Change(ticket, ctx);
  const nextTeam = team ?? category.team;
  c.ticket = { ...ticket, categoryId, team: nextTeam, requestType: category.requestType };
  c.event('category', ticket.categoryId, categoryId);
  const corrected = triageCorrection(ticket, 'category', ticket.categoryId, categoryId);
  if (corrected) c.event(corrected.type, corrected.from, corrected.to, corrected.note);
  if (nextTeam !== ticket.team) {
    c.event('team', ticket.team, nextTeam);
    routedToAdmin(c, nextTeam);
  }
  return c.done();
}

/** Set the owning team only. */
export function setTeam(ticket: Ticket, team: TeamId, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `change the team of ${ticket.number}`);
  if (!ctx.policy.teams[team]) throw new InvalidInputError(`Unknown team "${team}"`);
  if (team === ticket.team) return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  c.ticket = { ...ticket, team };
  c.event('team', ticket.team, team);
  routedToAdmin(c, team);
  return c.done();
}

/** Ask the requester for information: Waiting for Customer, the clocks pause. */
export function requestInfo(ticket: Ticket, question: string, ctx: OpContext): OpResult {
  const q = clip(question, LIMITS.field);
  if (!q) throw new InvalidInputError('Say what information is needed');
  const c = new Change(ticket, ctx);
  moveTo(c, 'waiting_for_customer', rolesOn(ticket, ctx.actor));
  c.ticket = { ...c.ticket, pendingQuestion: q };
  c.event('info_requested', undefined, undefined, q);
  c.tellRequester(
    `${ctx.actor.name} needs more information on ${ticket.number} (${ticket.title}): ${q}`,
    'requester.info_requested',
  );
  return c.done();
}
