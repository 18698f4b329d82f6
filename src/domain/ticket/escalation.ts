import type { Person, Priority, Role } from '../../config/policy.schema';
import { ForbiddenError, InvalidInputError, TransitionNotAllowedError } from '../errors';
import { formatBusinessInstant, formatMinutes } from '../sla/sla-clock';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import { type Actor, sameActor, type Ticket } from './ticket';

/** Level 1's one button: the full ticket goes to the Team Ticketing channel for Level 2, Admin and Development. */
export function escalateToTeamTicketing(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, ['level1', 'level2', 'admin', 'manager'], `escalate ${ticket.number} to Team Ticketing`);
  if (ticket.inTeamTicketing) throw new TransitionNotAllowedError(`${ticket.number} is already in Team Ticketing`);
  const c = new Change(ticket, ctx);
  if (ticket.status !== 'under_review') moveTo(c, 'under_review', roles);
  c.ticket = { ...c.ticket, inTeamTicketing: true, team: ticket.team === 'level1' ? 'level2' : ticket.team };
  c.event('escalated_team_ticketing', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.notify({
    type: 'ticket.team_ticketing',
    audience: { kind: 'channel', channel: 'teamTicketing' },
    text: `${ticket.number} escalated to Team Ticketing by ${ctx.actor.name}: ${ticket.title}`,
  });
  c.tellRequester(`${ticket.number} has been passed to our specialist team, who will pick it up from here.`);
  return c.done();
}

/** How a requester's escalation reached an agent who records it for them. */
export type EscalationVia = 'phone' | 'email';

export interface CustomerEscalationInput {
  reason: string;
  /** "The impact now", in words; this or `priority` is required, so whoever picks it up knows what is at stake. */
  businessImpact?: string;
  toLevel?: number;
  /** "The impact has increased": a higher priority (never lowers it). */
  priority?: Priority;
  /** An agent recording the requester's escalation that came by phone or email. */
  via?: EscalationVia;
}

/**
 * A customer escalation: one level up the ladder (or to a named level), with the reason and the impact now. The
 * requester (or an agent for them, by phone or email) waits `customerEscalation.cooldown` of business time on the
 * ticket's calendar between steps and reaches `requesterMaxLevel` at most; agents are bounded by the ladder only.
 * The level's contact, the Team Lead, the assignee and the managers are told; the requester hears who has it now
 * and when to expect an answer (the ticket's response target from now).
 */
export function customerEscalation(ticket: Ticket, input: CustomerEscalationInput, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, ['requester', ...AGENT_ROLES], `escalate ${ticket.number}`);
  const byRequester = roles.includes('requester');
  if (input.via !== undefined) {
    if (input.via !== 'phone' && input.via !== 'email')
      throw new InvalidInputError('Say whether it came by phone or email');
    if (byRequester || !roles.some((r) => AGENT_ROLES.includes(r)))
      throw new InvalidInputError('Only an agent records an escalation that came by phone or email');
  }
  const rules = ctx.policy.customerEscalation;
  const ladder = ctx.policy.escalation.ladder;
  const top = ladder.length - 1;
  const to = input.toLevel ?? Math.min(ticket.escalationLevel + 1, top);
  if (!Number.isInteger(to) || to < 1 || to > top) throw new InvalidInputError(`Escalation level must be 1 to ${top}`);
  if (to <= ticket.escalationLevel)
    throw new TransitionNotAllowedError(
      `${ticket.number} is already escalated to ${ladder[ticket.escalationLevel]?.name}`,
    );
  const reason = clip(input.reason, LIMITS.field);
  if (!reason) throw new InvalidInputError('Say why the ticket needs escalating');
  const impact = clip(input.businessImpact ?? '', LIMITS.field);
  if (input.priority !== undefined && !ctx.policy.priorities[input.priority])
    throw new InvalidInputError('Priority must be 1, 2, 3 or 4');
  if (!impact && input.priority === undefined)
    throw new InvalidInputError(
      'Say what the impact is now: describe it (who is affected, what is blocked) or choose the impact on you',
    );
  const c = new Change(ticket, ctx);
  const calendar = c.clockCtx.calendar;
  const when = (at: Date) =>
    `${formatBusinessInstant(at, calendar.spec.timeZone, ctx.now)} (${calendar.spec.timeZone})`;
  const contactOf = (level: number) => {
    const id = ladder[level]?.contact;
    return id ? ctx.policy.people[id]?.name : undefined;
  };
  if (byRequester) {
    const max = rules.requesterMaxLevel;
    if (to > max) {
      const who = contactOf(max);
      throw new ForbiddenError(
        `You can escalate ${ticket.number} up to the ${ladder[max]?.name} yourself${
          ticket.escalationLevel >= max ? ', and it is already there' : ''
        }. Higher levels are reached by the SLA escalation ladder or by a manager: contact ${
          who ? `${who} (${ladder[max]?.name})` : `the ${ladder[max]?.name}`
        } if it needs more.`,
      );
    }
  }
  // The cooldown counts from the last step the requester asked for (themselves, or by phone or email).
  if (byRequester && ticket.customerEscalatedAt && rules.cooldown > 0) {
    const next = calendar.addBusinessMinutes(ticket.customerEscalatedAt, rules.cooldown);
    if (ctx.now < next)
      throw new TransitionNotAllowedError(
        `${ticket.number} was escalated to the ${ladder[ticket.escalationLevel]?.name} at ${when(
          ticket.customerEscalatedAt,
        )}, and they need time to act on it. You can escalate it again from ${when(next)}.`,
      );
  }
  c.ticket = {
    ...c.ticket,
    escalationLevel: to,
    businessImpact: impact || ticket.businessImpact,
    ...(byRequester || input.via ? { customerEscalatedAt: ctx.now } : {}),
  };
  c.event(
    'customer_escalation',
    ticket.escalationLevel,
    to,
    input.via ? `${reason} (for the requester, by ${input.via})` : reason,
  );
  // "The impact has increased": a higher priority retargets the clocks; an escalation never lowers it.
  if (input.priority !== undefined && input.priority < ticket.priority) {
    c.ticket = { ...c.ticket, priority: input.priority };
    c.retarget();
    c.event('priority', ticket.priority, input.priority, 'customer escalation');
  }
  const level = ladder[to]!;
  const by = input.via ? `${ticket.requester.name} (by ${input.via}, recorded by ${ctx.actor.name})` : ctx.actor.name;
  const text = `Customer escalation of ${ticket.number} (${ticket.title}) to ${level.name} by ${by}: ${reason}. Impact now: ${
    impact ? clip(impact, 500) : `${ctx.policy.priorities[input.priority!]?.name} (priority ${input.priority})`
  }`;
  // Each person once, never the one who acted: the level's contact, the Team Lead, then the assignee.
  const isPerson = (id: string, a: Pick<Actor, 'platform' | 'userId'>) =>
    ctx.policy.people[id]?.accounts[a.platform as keyof Person['accounts']] === a.userId;
  const told: string[] = [];
  const tellPerson = (personId: string | undefined, keySuffix?: string) => {
    if (!personId || told.includes(personId)) return;
    told.push(personId);
    if (isPerson(personId, ctx.actor)) return;
    c.notify({
      type: 'customer.escalation',
      audience: { kind: 'person', personId },
      text,
      ...(keySuffix ? { keySuffix } : {}),
    });
  };
  tellPerson(level.contact);
  tellPerson(ladder[1]?.contact, 'lead');
  const assignee = c.ticket.assignee;
  if (assignee && !sameActor(assignee, ctx.actor) && !told.some((id) => isPerson(id, assignee)))
    c.notify({ type: 'customer.escalation', audience: { kind: 'user', actor: assignee }, text, keySuffix: 'assignee' });
  c.notify({
    type: 'customer.escalation',
    audience: { kind: 'channel', channel: 'managers' },
    text,
    keySuffix: 'managers',
  });
  const response = c.ticket.sla.response.targetMinutes;
  const contact = contactOf(to);
  c.tellRequester(
    `${ticket.number} (${ticket.title}) is now escalated to the ${level.name}${contact ? `, ${contact}` : ''}, who has been told${
      assignee ? ` along with ${assignee.name}, who is working on it` : ''
    }. You can expect an answer by ${when(calendar.addBusinessMinutes(ctx.now, response))} (within ${formatMinutes(response)}).`,
    'requester.update',
    { parts: false },
  );
  return c.done();
}

/** Acknowledge the breach alert: the ladder stops climbing for this ticket. */
export function acknowledgeAlert(ticket: Ticket, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], 'acknowledge an SLA alert');
  if (ticket.alerting.acknowledgedAt) return { ticket, events: [], notices: [] };
  if (!ticket.alerting.breachedAt)
    throw new TransitionNotAllowedError(`${ticket.number} has no breach alert to acknowledge`);
  const c = new Change(ticket, ctx);
  c.ticket = {
    ...ticket,
    alerting: { ...ticket.alerting, acknowledgedBy: actorOf(ctx.actor), acknowledgedAt: ctx.now, nextStepAt: null },
  };
  c.event('alert_acknowledged', undefined, undefined, `level ${ticket.alerting.notifiedLevel}`);
  return c.done();
}
