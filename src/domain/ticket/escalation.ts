import type { DevelopmentRoute, DevelopmentStatus, Priority, Role } from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertDevelopmentTransition, assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import type { Ticket } from './ticket';

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

/** Escalate to Development on one of the four routes; development starts at Planned. */
export function escalateToDevelopment(ticket: Ticket, route: DevelopmentRoute, ctx: OpContext): OpResult {
  if (!ctx.policy.developmentRoutes[route]) throw new InvalidInputError(`Unknown development route "${route}"`);
  const c = new Change(ticket, ctx);
  moveTo(c, 'escalated_to_dev', rolesOn(ticket, ctx.actor));
  c.ticket = { ...c.ticket, development: { route, status: 'planned', releaseNote: null }, team: 'development' };
  c.event('escalated_dev', null, route);
  const routeName = ctx.policy.developmentRoutes[route].name;
  c.notify({
    type: 'ticket.development',
    audience: { kind: 'channel', channel: 'developmentTriage' },
    text: `${ticket.number} escalated to Development (${routeName}) by ${ctx.actor.name}: ${ticket.title}`,
  });
  c.tellRequester(
    route === 'change_request'
      ? `${ticket.number} is a change request: it has gone to Product, who review such requests against the roadmap; we will tell you what they decide.`
      : `${ticket.number} needs the Development team (${routeName}); we will keep you posted.`,
  );
  return c.done();
}

/** What the requester is told when development moves (Released has its own message with the note). */
const DEVELOPMENT_WORDS: Partial<Record<DevelopmentStatus, string>> = {
  planned: 'Planned: the Development team will start when a developer has capacity.',
  dev_in_progress: 'In Development: a developer is working on it.',
  dev_done_waiting_review: 'In Development: the change is done and is being reviewed.',
  dev_done_waiting_qa: 'In Development: the change is reviewed and waits for the next QA release.',
  qa_in_progress: 'In testing: the change is being tested on the latest QA release.',
  ready_for_release: 'Ready for Release: it passed testing and goes out with the next software release.',
};

/** Move the development status; Released records the release note, tells the requester and puts the ticket On Customer Test. */
export function advanceDevelopment(
  ticket: Ticket,
  to: DevelopmentStatus,
  releaseNote: string,
  ctx: OpContext,
): OpResult {
  const roles = rolesOn(ticket, ctx.actor);
  assertDevelopmentTransition(ctx.policy, ticket, to, roles);
  const dev = ticket.development!;
  const c = new Change(ticket, ctx);
  const note = to === 'released' ? clip(releaseNote, LIMITS.field) || 'Released.' : dev.releaseNote;
  c.ticket = { ...ticket, development: { ...dev, status: to, releaseNote: note } };
  c.event('development', dev.status, to, to === 'released' ? (note ?? undefined) : undefined);
  const plain = DEVELOPMENT_WORDS[to];
  if (to !== 'released' && plain) c.tellRequester(`${ticket.number} (${ticket.title}): ${plain}`);
  if (to === 'released') {
    moveTo(c, 'on_customer_test', [...roles, 'development']);
    c.tellRequester(
      `The fix for ${ticket.number} (${ticket.title}) has been released: ${note}. Is it fixed?`,
      'requester.is_it_fixed',
    );
  }
  return c.done();
}

/** A customer escalation: one level up the ladder (or to a named level), with the reason and impact; that level's contact is told. */
export function customerEscalation(
  ticket: Ticket,
  input: { reason: string; businessImpact?: string; toLevel?: number; priority?: Priority },
  ctx: OpContext,
): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, ['requester', ...AGENT_ROLES], `escalate ${ticket.number}`);
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
  if (input.priority !== undefined && !ctx.policy.priorities[input.priority])
    throw new InvalidInputError('Priority must be 1, 2, 3 or 4');
  const c = new Change(ticket, ctx);
  c.ticket = {
    ...ticket,
    escalationLevel: to,
    businessImpact: input.businessImpact ? clip(input.businessImpact, LIMITS.field) : ticket.businessImpact,
  };
  c.event('customer_escalation', ticket.escalationLevel, to, reason);
  // "The impact has increased": a higher priority retargets the clocks; an escalation never lowers it.
  if (input.priority !== undefined && input.priority < ticket.priority) {
    c.ticket = { ...c.ticket, priority: input.priority };
    c.retarget();
    c.event('priority', ticket.priority, input.priority, 'customer escalation');
  }
  const level = ladder[to]!;
  const text = `Customer escalation of ${ticket.number} (${ticket.title}) to ${level.name} by ${ctx.actor.name}: ${reason}${
    input.businessImpact ? `. Business impact: ${clip(input.businessImpact, 500)}` : ''
  }`;
  if (level.contact)
    c.notify({ type: 'customer.escalation', audience: { kind: 'person', personId: level.contact }, text });
  c.notify({
    type: 'customer.escalation',
    audience: { kind: 'channel', channel: 'managers' },
    text,
    keySuffix: 'managers',
  });
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
