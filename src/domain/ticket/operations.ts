import type {
  DevelopmentRoute,
  DevelopmentStatus,
  Policy,
  RequestType,
  Role,
  Severity,
  SupportStatus,
  TeamId,
} from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import {
  type ClockContext,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  startClock,
  stopClock,
} from '../sla/sla-clock';
import { assertDevelopmentTransition, assertOpen, assertRole, assertTransition } from './lifecycle';
import type { Notice } from './notice';
import { AGENT_ROLES } from './roles';
import { nextCheckAt } from './schedule';
import {
  type ActingAs,
  type Actor,
  type Evidence,
  sameActor,
  type Ticket,
  type TicketEvent,
  type TriageRecord,
  ticketNumber,
} from './ticket';
import { triageCorrection } from './triage-correction';

/** Everything an operation needs besides the ticket: policy, calendar, the instant and who acts. */
export interface OpContext {
  policy: Policy;
  clocks: ClockContext;
  now: Date;
  actor: ActingAs & { roles: Role[] };
}

export interface OpResult {
  ticket: Ticket;
  events: TicketEvent[];
  notices: Notice[];
}

export const LIMITS = {
  title: 200,
  description: 20_000,
  message: 10_000,
  field: 2_000,
  evidence: 20,
  conversation: 500,
};

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Roles the actor holds on this ticket: their team roles, plus requester only on their own ticket. */
export function rolesOn(ticket: Pick<Ticket, 'requester'>, actor: OpContext['actor']): Role[] {
  const roles: Role[] = actor.roles.filter((r) => r !== 'requester');
  if (sameActor(ticket.requester, actor)) roles.push('requester');
  return roles;
}

const actorOf = (a: ActingAs): Actor => ({
  platform: a.platform,
  userId: a.userId,
  name: a.name,
  ...(a.email ? { email: a.email } : {}),
});

class Change {
  readonly events: TicketEvent[] = [];
  readonly notices: Notice[] = [];
  constructor(
    public ticket: Ticket,
    readonly ctx: OpContext,
  ) {}
  event(type: string, from?: string | number | null, to?: string | number | null, note?: string) {
    const { actor, now } = this.ctx;
    const e: TicketEvent = {
      ticket: this.ticket.number,
      at: now,
      actor: { ...actorOf(actor), role: actor.role },
      type,
    };
    if (from !== undefined) e.from = from;
    if (to !== undefined) e.to = to;
    if (note !== undefined) e.note = note;
    this.events.push(e);
  }
  /** A notice keyed by ticket, type and the version this change creates. */
  notify(n: Omit<Notice, 'key' | 'ticket'> & { keySuffix?: string }) {
    const { keySuffix, ...rest } = n;
    const key = `${this.ticket.number}:${n.type}:v${this.ticket.version + 1}${keySuffix ? `:${keySuffix}` : ''}`;
    this.notices.push({ ...rest, key, ticket: this.ticket.number });
  }
  tellRequester(text: string, type: Notice['type'] = 'requester.update') {
    this.notify({ type, audience: { kind: 'user', actor: this.ticket.requester }, text });
  }
  clocks(f: (c: SlaClock) => SlaClock, which: Array<'response' | 'resolution'> = ['response', 'resolution']) {
    const sla = { ...this.ticket.sla };
    for (const k of which) sla[k] = f(sla[k]);
    this.ticket = { ...this.ticket, sla };
  }
  /** Severity 1 "requires immediate escalation": Development triage and the Team Lead are told now. */
  escalateImmediately(what: string) {
    const text = `${what}. Immediate escalation to Development triage.`;
    this.notify({
      type: 'ticket.sev1',
      audience: { kind: 'channel', channel: 'developmentTriage' },
      text,
      keySuffix: 'dev',
    });
    const lead = this.ctx.policy.escalation.ladder[1]?.contact;
    if (lead)
      this.notify({ type: 'ticket.sev1', audience: { kind: 'person', personId: lead }, text, keySuffix: 'lead' });
  }
  /** The first agent action the requester sees stops the first-response clock. */
  respond() {
    if (this.ticket.sla.response.state !== 'stopped') {
      this.clocks((c) => stopClock(c, this.ctx.now, this.ctx.clocks), ['response']);
      this.event('sla.first_response');
    }
  }
  done(): OpResult {
    const { now, policy, clocks } = this.ctx;
    const t = { ...this.ticket, updatedAt: now };
    t.nextCheckAt = nextCheckAt(t, policy, clocks);
    this.notify({ type: 'ticket.cards_changed', audience: { kind: 'posts' }, text: '' });
    return { ticket: t, events: this.events, notices: this.notices };
  }
}

function statusName(policy: Policy, s: string): string {
  return policy.statuses[s as SupportStatus]?.name ?? s;
}

/** Move the support status, pausing, resuming and stopping the clocks as the policy says. */
function moveTo(c: Change, to: SupportStatus, roles: Role[]) {
  const { policy, now, clocks } = c.ctx;
  const from = c.ticket.status;
  assertOpen(c.ticket);
  if (from === to) throw new TransitionNotAllowedError(`${c.ticket.number} is already ${statusName(policy, to)}`);
  assertTransition(policy, c.ticket, to, roles);
  const paused = new Set<string>(policy.sla.pausedIn);
  c.ticket = { ...c.ticket, status: to, statusChangedAt: now };
  if (to === 'on_customer_test') {
    c.clocks((k) => stopClock(k, now, clocks), ['resolution']);
    c.ticket = { ...c.ticket, resolvedAt: now };
  }
  if (to === 'closed') {
    c.clocks((k) => stopClock(k, now, clocks));
    c.ticket = { ...c.ticket, closedAt: now, nextCheckAt: null };
  } else if (paused.has(to)) {
    c.clocks((k) => pauseClock(k, now, statusName(policy, to), clocks));
  } else if (paused.has(from) || from === 'on_customer_test' || from === 'pending_closure') {
    // Leaving a paused status resumes; leaving On Customer Test / Pending Closure (reopened) also
    // restarts resolution, whatever the policy pauses.
    if (from === 'on_customer_test' || from === 'pending_closure') c.ticket = { ...c.ticket, resolvedAt: null };
    if (c.ticket.sla.response.state === 'paused') c.clocks((k) => resumeClock(k, now, clocks), ['response']);
    c.clocks((k) => resumeClock(k, now, clocks), ['resolution']);
  }
  c.event('status', from, to);
}

export interface RaiseInput {
  seq: number;
  title: string;
  description: string;
  requester: Actor;
  client?: string;
  businessImpact?: string;
  requestType?: RequestType;
  categoryId?: string | null;
  team?: TeamId;
  severity?: Severity;
  evidence?: Evidence[];
  sourceLink?: string | null;
  /** Chargeable work on the not-supported list: straight to Quote Required (clocks paused). */
  quoteRequired?: string;
  /** What triage suggested, with its reasons (shown on the triage card, compared with an agent's corrections). */
  triage?: TriageRecord;
}

/** A new ticket: New status, clocks running from now (business time), triage card and requester told. */
export function raise(input: RaiseInput, ctx: Omit<OpContext, 'actor'> & { actor: OpContext['actor'] }): OpResult {
  const { policy, now, clocks } = ctx;
  const title = clip(input.title, LIMITS.title);
  if (!title) throw new InvalidInputError('A ticket needs a short summary of the problem');
  const severity = input.severity ?? 3;
  const sev = policy.severities[severity];
  const category = input.categoryId ? policy.coverage.categories[input.categoryId] : undefined;
  if (input.categoryId && !category) throw new InvalidInputError(`Unknown category "${input.categoryId}"`);
  const number = ticketNumber(input.seq);
  const ticket: Ticket = {
    number,
    seq: input.seq,
    title,
    description: clip(input.description, LIMITS.description),
    requester: input.requester,
    client: clip(input.client ?? '', LIMITS.field),
    requestType: input.requestType ?? category?.requestType ?? 'troubleshooting',
    categoryId: input.categoryId ?? null,
    team: input.team ?? category?.team ?? 'level1',
    severity,
    status: 'new',
    statusChangedAt: now,
    assignee: null,
    escalationLevel: 0,
    businessImpact: clip(input.businessImpact ?? '', LIMITS.field),
    evidence: (input.evidence ?? []).slice(0, LIMITS.evidence),
    conversation: [],
    watchers: [],
    inTeamTicketing: false,
    development: null,
    csat: null,
    sourceLink: input.sourceLink ?? null,
    sla: {
      response: startClock('response', sev.response, now, clocks),
      resolution: startClock('resolution', sev.resolution, now, clocks),
    },
    alerting: { notifiedLevel: 0, nextStepAt: null, breachedAt: null, acknowledgedBy: null, acknowledgedAt: null },
    nextCheckAt: null,
    pendingQuestion: null,
    resolvedAt: null,
    closedAt: null,
    posts: [],
    createdAt: now,
    updatedAt: now,
    version: 0,
    triage: input.triage ?? null,
  };
  const c = new Change(ticket, ctx);
  const onBehalf = sameActor(ctx.actor, input.requester) ? '' : `for ${input.requester.name}, `;
  c.event('raised', null, 'new', `${onBehalf}Severity ${severity}, ${policy.teams[ticket.team]?.name ?? ticket.team}`);
  if (input.quoteRequired) {
    c.ticket = { ...c.ticket, status: 'quote_required' };
    c.clocks((k) => pauseClock(k, now, statusName(policy, 'quote_required'), clocks));
    c.event('status', 'new', 'quote_required', input.quoteRequired);
  }
  c.notify({
    type: 'ticket.raised',
    audience: { kind: 'channel', channel: 'triage' },
    text: `${number} raised by ${input.requester.name}: ${title}`,
  });
  if (sev.immediateEscalation) c.escalateImmediately(`${number} is Severity 1 (${sev.name}): ${title}`);
  // The requester's confirmation is the adapter's reply (app/raise-ticket), not a queued notice.
  return c.done();
}

/** Add a chat message; a requester's reply to a question moves Waiting for Customer to Customer Responded. */
export function addMessage(ticket: Ticket, text: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const body = clip(text, LIMITS.message);
  if (!body) throw new InvalidInputError('The message is empty');
  const roles = rolesOn(ticket, ctx.actor);
  const fromAgent = roles.some((r) => AGENT_ROLES.includes(r)) && !sameActor(ticket.requester, ctx.actor);
  const c = new Change(ticket, ctx);
  const conversation = [...ticket.conversation, { at: ctx.now, author: actorOf(ctx.actor), fromAgent, text: body }];
  c.ticket = { ...ticket, conversation: conversation.slice(-LIMITS.conversation) };
  c.event('message', undefined, undefined, clip(body, 200));
  if (fromAgent) {
    c.respond();
    c.tellRequester(`${ctx.actor.name} on ${ticket.number}: ${body}`);
  } else if (sameActor(ticket.requester, ctx.actor) && ticket.status === 'waiting_for_customer') {
    // The answer to a question. (A message in Pending Closure, a thank-you, is only recorded: "not fixed" reopens.)
    moveTo(c, 'customer_responded', ['requester']);
    c.ticket = { ...c.ticket, pendingQuestion: null };
  }
  return c.done();
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
  c.respond();
  c.tellRequester(`${assignee.name} is looking at ${ticket.number} (${ticket.title}).`);
  return c.done();
}

/** Change the severity; the clocks take the new targets. */
export function setSeverity(ticket: Ticket, severity: Severity, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `change the severity of ${ticket.number}`);
  const { policy, now, clocks } = ctx;
  if (!policy.severities[severity]) throw new InvalidInputError(`Severity must be 1, 2, 3 or 4`);
  if (severity === ticket.severity) return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  const sev = policy.severities[severity];
  c.ticket = { ...ticket, severity };
  c.clocks((k) => retargetClock(k, k.kind === 'response' ? sev.response : sev.resolution, now, clocks));
  c.event('severity', ticket.severity, severity);
  const corrected = triageCorrection(ticket, 'severity', ticket.severity, severity);
  if (corrected) c.event(corrected.type, corrected.from, corrected.to, corrected.note);
  if (sev.immediateEscalation)
    c.escalateImmediately(`${ticket.number} is now Severity 1 (${sev.name}): ${ticket.title}`);
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
  if (nextTeam !== ticket.team) c.event('team', ticket.team, nextTeam);
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
  return c.done();
}

/** Ask the requester for information: Waiting for Customer, the clocks pause. */
export function requestInfo(ticket: Ticket, question: string, ctx: OpContext): OpResult {
  const q = clip(question, LIMITS.field);
  if (!q) throw new InvalidInputError('Say what information is needed');
  const c = new Change(ticket, ctx);
  moveTo(c, 'waiting_for_customer', rolesOn(ticket, ctx.actor));
  c.ticket = { ...c.ticket, pendingQuestion: q };
  c.respond();
  c.event('info_requested', undefined, undefined, q);
  c.tellRequester(
    `${ctx.actor.name} needs more information on ${ticket.number} (${ticket.title}): ${q}`,
    'requester.info_requested',
  );
  return c.done();
}

/** The agent believes it is resolved: On Customer Test; the requester is asked "is it fixed?". */
export function resolve(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'on_customer_test', rolesOn(ticket, ctx.actor));
  c.respond();
  c.event('resolved', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.tellRequester(
    `${ctx.actor.name} believes ${ticket.number} (${ticket.title}) is resolved${note.trim() ? `: ${clip(note, 500)}` : ''}. Is it fixed?`,
    'requester.is_it_fixed',
  );
  return c.done();
}

/** The requester confirms the fix: Pending Closure (closed by the scheduler after the policy's days). */
export function confirmFixed(ticket: Ticket, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'pending_closure', rolesOn(ticket, ctx.actor));
  c.event('confirmed_fixed');
  c.tellRequester(`Thanks! How did we do on ${ticket.number}? Rate the support from 1 to 5.`, 'requester.csat');
  return c.done();
}

/** The requester says it is not fixed: reopened as Customer Responded, resolution clock restarts. */
export function reopen(ticket: Ticket, reason: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'customer_responded', rolesOn(ticket, ctx.actor));
  c.event('reopened', undefined, undefined, clip(reason, LIMITS.field) || undefined);
  if (reason.trim()) {
    c.ticket = {
      ...c.ticket,
      conversation: [
        ...c.ticket.conversation,
        { at: ctx.now, author: actorOf(ctx.actor), fromAgent: false, text: clip(reason, LIMITS.message) },
      ],
    };
  }
  return c.done();
}

/** Level 1's one button: the full ticket goes to the Team Ticketing channel for Level 2, Admin and Development. */
export function escalateToTeamTicketing(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, ['level1', 'level2', 'admin', 'manager'], `escalate ${ticket.number} to Team Ticketing`);
  if (ticket.inTeamTicketing) throw new TransitionNotAllowedError(`${ticket.number} is already in Team Ticketing`);
  const c = new Change(ticket, ctx);
  if (ticket.status !== 'under_review') moveTo(c, 'under_review', roles);
  c.ticket = { ...c.ticket, inTeamTicketing: true, team: ticket.team === 'level1' ? 'level2' : ticket.team };
  c.respond();
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
  c.tellRequester(
    `${ticket.number} needs the Development team (${ctx.policy.developmentRoutes[route].name}); we will keep you posted.`,
  );
  return c.done();
}

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
  if (to === 'released') {
    moveTo(c, 'on_customer_test', [...roles, 'development']);
    c.tellRequester(
      `The fix for ${ticket.number} (${ticket.title}) has been released: ${note}. Is it fixed?`,
      'requester.is_it_fixed',
    );
  }
  return c.done();
}

/** Any allowed support status change from the Team Ticketing card. */
export function changeStatus(ticket: Ticket, to: SupportStatus, ctx: OpContext): OpResult {
  if (to === 'on_customer_test') return resolve(ticket, '', ctx);
  if (to === 'closed') return close(ticket, '', ctx);
  const c = new Change(ticket, ctx);
  moveTo(c, to, rolesOn(ticket, ctx.actor));
  if (ctx.actor.role !== 'requester') c.respond();
  return c.done();
}

/** A customer escalation: one level up the ladder (or to a named level), with the reason and impact; that level's contact is told. */
export function customerEscalation(
  ticket: Ticket,
  input: { reason: string; businessImpact?: string; toLevel?: number },
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
  const c = new Change(ticket, ctx);
  c.ticket = {
    ...ticket,
    escalationLevel: to,
    businessImpact: input.businessImpact ? clip(input.businessImpact, LIMITS.field) : ticket.businessImpact,
  };
  c.event('customer_escalation', ticket.escalationLevel, to, reason);
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

/** The requester's satisfaction score (1-5) and comment. */
export function recordCsat(ticket: Ticket, score: number, comment: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  if (!sameActor(ticket.requester, ctx.actor)) throw new InvalidInputError('Only the requester can rate this ticket');
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new InvalidInputError('A rating is a whole number from 1 to 5');
  const c = new Change(ticket, ctx);
  c.ticket = {
    ...ticket,
    csat: { score: score as 1 | 2 | 3 | 4 | 5, comment: clip(comment, LIMITS.field), at: ctx.now },
  };
  c.event('csat', ticket.csat?.score ?? null, score, clip(comment, 200) || undefined);
  return c.done();
}

/** Close (the scheduler after Pending Closure, or an agent); the requester is told. */
export function close(ticket: Ticket, note: string, ctx: OpContext): OpResult {
  const c = new Change(ticket, ctx);
  moveTo(c, 'closed', rolesOn(ticket, ctx.actor));
  c.event('closed', undefined, undefined, clip(note, LIMITS.field) || undefined);
  c.tellRequester(`${ticket.number} (${ticket.title}) is now closed. Thank you.`);
  return c.done();
}
