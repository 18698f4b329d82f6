import type { Priority, Role, Severity, TeamId } from '../../config/policy.schema';
import { ForbiddenError, InvalidInputError, TransitionNotAllowedError } from '../errors';
import { Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES, assignsOthers, personIdOf } from './roles';
import { type Actor, sameActor, type Ticket } from './ticket';
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

/** Someone to assign a ticket to: a person of the policy and the account they are reached on. */
export interface AssigneeChoice {
  personId: string;
  actor: Actor;
}

/**
 * Assign to a person of the owning team, reassign, or unassign (`to` null). Who may, per the policy's `assignment`:
 * its assigners (managers) and the team's leads assign anyone in the team; any other agent takes it themselves and
 * hands over or gives up only their own. The new assignee gets the card, the old one is told, the event says who did
 * it. `rule` (the team's assignment rule) marks an assignment Helpline made when the ticket reached the team.
 */
export function assignTo(
  ticket: Ticket,
  to: AssigneeChoice | null,
  ctx: OpContext,
  rule?: 'round_robin' | 'least_loaded',
): OpResult {
  assertOpen(ticket);
  const { policy, actor } = ctx;
  const roles = rolesOn(ticket, actor);
  if (!rule) {
    assertRole(roles, AGENT_ROLES as Role[], `assign ${ticket.number}`);
    const self = !!to && sameActor(to.actor, actor);
    const own = !!ticket.assignee && sameActor(ticket.assignee, actor);
    if (!self && !own && !assignsOthers(policy, ticket.team, actor))
      throw new ForbiddenError(
        `Only a team lead or a manager can assign ${ticket.number} to someone else: you can take it, or hand over a ticket that is yours`,
      );
  }
  if (to && !(policy.teams[ticket.team]?.members ?? []).includes(to.personId) && !sameActor(to.actor, actor))
    throw new InvalidInputError(
      `${to.actor.name} is not in ${policy.teams[ticket.team]?.name ?? ticket.team}, the team that owns ${ticket.number}`,
    );
  const old = ticket.assignee;
  if (!to && !old) throw new TransitionNotAllowedError(`${ticket.number} is not assigned to anyone`);
  if (to && old && sameActor(old, to.actor))
    throw new TransitionNotAllowedError(`${ticket.number} is already ${old.name}'s`);
  const c = new Change(ticket, ctx);
  const by = rule ? `Helpline (${rule === 'round_robin' ? 'round robin' : 'least loaded'})` : actor.name;
  if (!to) {
    c.ticket = { ...ticket, assignee: null };
    c.event('unassigned', old?.name ?? null, null);
  } else {
    c.ticket = { ...ticket, assignee: to.actor };
    if (ticket.status === 'new' && !rule) moveTo(c, 'triage', roles);
    else if (['under_review', 'customer_responded'].includes(ticket.status) && !rule)
      moveTo(c, 'work_in_progress', roles);
    // After the status move, so the card's last line says who assigned it to whom.
    c.event('assigned', old?.name ?? null, to.actor.name, rule ? rule.replace('_', ' ') : undefined);
    if (!sameActor(to.actor, actor))
      c.notify({
        type: 'ticket.assigned',
        audience: { kind: 'user', actor: to.actor },
        text: `${by} assigned ${ticket.number} to you: ${ticket.title}`,
        keySuffix: `${to.actor.platform}:${to.actor.userId}`,
      });
    // A person's assignment is support's act (the first response, by the policy's one rule in Change.done);
    // a rule's is not, and does not hold the ladder either.
    if (!rule) c.holdLadder('assignment');
    c.tellRequester(`${to.actor.name} is looking at ${ticket.number} (${ticket.title}).`);
  }
  if (old && !sameActor(old, actor))
    c.notify({
      type: 'agent.assignment',
      audience: { kind: 'user', actor: old },
      text: to
        ? `${by} reassigned ${ticket.number} (${ticket.title}) from you to ${to.actor.name}.`
        : `${by} unassigned you from ${ticket.number} (${ticket.title}).`,
      keySuffix: `old:${old.platform}:${old.userId}`,
    });
  return c.done();
}

/** The person id of whoever acts, when the policy knows them (for "assign to me" in a select). */
export function actingPersonId(ctx: OpContext): string | undefined {
  return personIdOf(ctx.policy, ctx.actor);
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
