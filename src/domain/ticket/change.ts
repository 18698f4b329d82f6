import type { FirstResponseAction, LadderPause, Policy, Role, SupportStatus } from '../../config/policy.schema';
import { TransitionNotAllowedError } from '../errors';
import {
  adoptClock,
  type ClockContext,
  pauseClock,
  resumeClock,
  retargetClock,
  type SlaClock,
  stopClock,
} from '../sla/sla-clock';
import { clocksForSeverity, targetsFor } from '../sla/targets';
import { alignDevTargets } from './development-targets';
import { assertOpen, assertTransition } from './lifecycle';
import type { Notice } from './notice';
import { alignReleaseWait } from './release-wait';
import { AGENT_ROLES } from './roles';
import { ladderActive, nextCheckAt } from './schedule';
import {
  type ActingAs,
  type Actor,
  parentOf,
  partsOf,
  sameActor,
  type Ticket,
  type TicketEvent,
  type TicketLink,
} from './ticket';

/** Everything an operation needs besides the ticket: policy, calendar, the instant and who acts. */
export interface OpContext {
  policy: Policy;
  /** The business-hours clock context; a ticket's own (24x7 for some severities) is derived from it. */
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

export function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Roles the actor holds on this ticket: their team roles, plus requester only on their own ticket. */
export function rolesOn(ticket: Pick<Ticket, 'requester'>, actor: OpContext['actor']): Role[] {
  const roles: Role[] = actor.roles.filter((r) => r !== 'requester');
  if (sameActor(ticket.requester, actor)) roles.push('requester');
  return roles;
}

export const actorOf = (a: ActingAs): Actor => ({
  platform: a.platform,
  userId: a.userId,
  name: a.name,
  ...(a.email ? { email: a.email } : {}),
});

export function statusName(policy: Policy, s: string): string {
  return policy.statuses[s as SupportStatus]?.name ?? s;
}

/** One change to a ticket in progress: the ticket so far, its audit events and notices. */
export class Change {
  readonly events: TicketEvent[] = [];
  readonly notices: Notice[] = [];
  /** The ticket as it was before this change. */
  readonly before: Ticket;
  constructor(
    public ticket: Ticket,
    readonly ctx: OpContext,
  ) {
    // A clock stored before clocks kept their calendars is read as counted on the ticket's calendar until now.
    const own = clocksForSeverity(ctx.clocks, ctx.policy, ticket.severity, ticket.service);
    this.ticket = {
      ...ticket,
      sla: { response: adoptClock(ticket.sla.response, own), resolution: adoptClock(ticket.sla.resolution, own) },
    };
    this.before = this.ticket;
  }
  /** The clock context of this ticket's severity (business hours or 24x7). */
  get clockCtx(): ClockContext {
    return clocksForSeverity(this.ctx.clocks, this.ctx.policy, this.ticket.severity, this.ticket.service);
  }
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
  /**
   * The requester is told; so is everyone who follows the ticket (a duplicate's requester), in plain words. On an
   * incident, a plain update (`requester.update`, unless `parts: false`) also reaches the requester of every linked
   * child once, on their own platform and about their own ticket (its DM thread takes their reply).
   */
  tellRequester(text: string, type: Notice['type'] = 'requester.update', opts: { parts?: boolean } = {}) {
    this.notify({ type, audience: { kind: 'user', actor: this.ticket.requester }, text });
    for (const w of this.ticket.watchers)
      if (!sameActor(this.ticket.requester, w))
        this.notify({
          type: 'requester.update',
          audience: { kind: 'user', actor: w },
          text,
          keySuffix: `watcher:${w.platform}:${w.userId}`,
        });
    if (type === 'requester.update' && opts.parts !== false) this.tellParts(text);
  }
  /** An incident's update to each linked child's requester: one notice per person, keyed by the incident's version. */
  private tellParts(text: string) {
    const told = [this.ticket.requester, ...this.ticket.watchers];
    const people = new Map<string, { actor: NonNullable<TicketLink['requester']>; tickets: string[] }>();
    for (const part of partsOf(this.ticket)) {
      const who = part.requester;
      if (!who || told.some((a) => sameActor(a, who))) continue;
      const id = `${who.platform}:${who.userId}`;
      const entry = people.get(id) ?? { actor: who, tickets: [] };
      entry.tickets.push(part.ticket);
      people.set(id, entry);
    }
    const parent = this.ticket.number;
    for (const [id, p] of people) {
      this.notices.push({
        key: `${parent}:requester.update:v${this.ticket.version + 1}:part:${id}`,
        type: 'requester.update',
        // About their own ticket: a reply in its DM thread is added there.
        ticket: p.tickets[0]!,
        audience: { kind: 'user', actor: p.actor },
        text: `Update on incident ${parent}, which your ${p.tickets.join(', ')} ${p.tickets.length > 1 ? 'are' : 'is'} part of: ${text}`,
      });
    }
  }
  /** Part of an incident: the ticket's own clocks pause while it follows the incident's. */
  pauseForIncident(parent: string) {
    const { now } = this.ctx;
    const ctx = this.clockCtx;
    this.clocks((k) => (k.state === 'running' ? pauseClock(k, now, `part of incident ${parent}`, ctx) : k));
  }
  /** No longer part of an incident: clocks the incident paused count again, unless the status pauses them. */
  resumeAfterIncident() {
    const { now, policy } = this.ctx;
    const ctx = this.clockCtx;
    const status = this.ticket.status;
    if ((policy.sla.pausedIn as string[]).includes(status)) {
      this.clocks((k) => (k.state === 'paused' ? pauseClock(k, now, statusName(policy, status), ctx) : k));
      return;
    }
    this.clocks((k) => (k.state === 'paused' ? resumeClock(k, now, ctx) : k));
  }
  /**
   * The requester said something: the assignee hears it at once (a DM on their platform); with
   * nobody assigned, the thread of the ticket's card in its channel does.
   */
  tellAssignee(text: string) {
    const { assignee } = this.ticket;
    this.notify({
      type: 'agent.requester_wrote',
      audience: assignee ? { kind: 'user', actor: assignee } : { kind: 'cardThread' },
      text,
    });
  }
  /** Chargeable work: whoever quotes hears it (when the policy names their channel), and the requester is told. */
  toQuote() {
    const { policy, actor } = this.ctx;
    const t = this.ticket;
    if (policy.channels.quotes)
      this.notify({
        type: 'ticket.quote',
        audience: { kind: 'channel', channel: 'quotes' },
        text: `${t.number} needs a quote for chargeable work (${actor.name}): ${t.title}`,
      });
    this.tellRequester(
      `${t.number} (${t.title}) is chargeable work: it has been passed to Professional Services for a quote.`,
    );
  }
  clocks(f: (c: SlaClock) => SlaClock, which: Array<'response' | 'resolution'> = ['response', 'resolution']) {
    const sla = { ...this.ticket.sla };
    for (const k of which) sla[k] = f(sla[k]);
    this.ticket = { ...this.ticket, sla };
  }
  /** Severity or priority changed: both clocks take the targets (and calendar) the policy gives them now. */
  retarget() {
    const { policy, now } = this.ctx;
    const targets = targetsFor(policy, this.ticket.severity, this.ticket.priority, this.ticket.service);
    const ctx = this.clockCtx;
    const wasClimbing = ladderActive(this.before, policy);
    // Time already used stays counted on the calendar it passed on; from now the ticket's calendar counts.
    this.clocks((k) => retargetClock(k, targets[k.kind], now, ctx));
    // A ladder the change lets climb again (a higher ceiling) waits a full step from now, not from long ago.
    const next = this.ticket.alerting.nextStepAt;
    if (!wasClimbing && ladderActive(this.ticket, policy) && next && next <= now) {
      const nextStepAt = ctx.calendar.addBusinessMinutes(now, policy.sla.ladderStepAfter);
      this.ticket = { ...this.ticket, alerting: { ...this.ticket.alerting, nextStepAt } };
    }
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
  /** The first-response clock ends now (see {@link firstResponseRule}). */
  private respond() {
    if (this.ticket.sla.response.state !== 'stopped') {
      this.clocks((c) => stopClock(c, this.ctx.now, this.clockCtx), ['response']);
      this.event('sla.first_response');
    }
  }
  /**
   * The one rule for the first response: the first of support's actions the requester sees ends it, whichever
   * operation (card button, select, Teams verb, chat command) made it. Support is an agent acting on someone
   * else's ticket; the raise itself (even an agent's, straight into Quote Required) is not a response. Of the
   * actions this change made, the first the policy counts is returned.
   */
  private firstResponseAction(): FirstResponseAction | null {
    const { actor, policy } = this.ctx;
    if (this.ticket.sla.response.state === 'stopped' || this.events.some((e) => e.type === 'raised')) return null;
    if (sameActor(this.ticket.requester, actor)) return null;
    if (!rolesOn(this.ticket, actor).some((r) => AGENT_ROLES.includes(r))) return null;
    for (const e of this.events) {
      const action = FIRST_RESPONSE_EVENTS[e.type];
      if (action && policy.sla.firstResponseEndedBy.includes(action)) return action;
    }
    return null;
  }
  /**
   * Someone acted on a breached ticket: when the policy counts this action, the ladder waits a full
   * step again before it climbs (it climbs only while nobody acts).
   */
  holdLadder(action: LadderPause) {
    const { policy, now } = this.ctx;
    if (!policy.sla.ladderPausedBy.includes(action) || !ladderActive(this.ticket, policy)) return;
    const nextStepAt = this.clockCtx.calendar.addBusinessMinutes(now, policy.sla.ladderStepAfter);
    this.ticket = { ...this.ticket, alerting: { ...this.ticket.alerting, nextStepAt } };
    this.event('sla.ladder_held', undefined, undefined, action.replaceAll('_', ' '));
  }
  done(): OpResult {
    const { now, policy, clocks } = this.ctx;
    const action = this.firstResponseAction();
    if (action && policy.sla.firstResponseEndedBy.includes(action)) this.respond();
    // A clock the policy holds for a release waits while the ticket does, and counts again when it no longer does.
    const waited = alignReleaseWait(this.ticket, policy, now, this.clockCtx);
    // Development's own targets start when it reaches Development (or a new route) and are met as it moves.
    const t = { ...alignDevTargets(waited, policy, now, this.ctx.clocks.calendar), updatedAt: now };
    t.nextCheckAt = nextCheckAt(t, policy, clocks);
    // Posted cards follow the change. With none recorded yet there is nothing to refresh: a card being posted
    // right now is refreshed by the notifier when it sees the ticket changed meanwhile.
    if (t.posts.length > 0) this.notify({ type: 'ticket.cards_changed', audience: { kind: 'posts' }, text: '' });
    return { ticket: t, events: this.events, notices: this.notices };
  }
}

/** Which audit events are which of support's actions, for `sla.firstResponseEndedBy`. */
const FIRST_RESPONSE_EVENTS: Record<string, FirstResponseAction> = {
  message: 'agent_reply',
  info_requested: 'request_info',
  assigned: 'assignment',
  escalated_team_ticketing: 'escalation',
  escalated_dev: 'escalation',
  resolved: 'resolution',
  status: 'status_change',
  development: 'status_change',
};

/**
 * Move the support status, pausing, resuming and stopping the clocks as the policy says. `anyOpen`: a move the
 * operation allows from any open status itself (Close with a reason), not by the transition table.
 */
export function moveTo(c: Change, to: SupportStatus, roles: Role[], opts: { anyOpen?: boolean } = {}) {
  const { policy, now } = c.ctx;
  const clocks = c.clockCtx;
  const from = c.ticket.status;
  assertOpen(c.ticket);
  if (from === to) throw new TransitionNotAllowedError(`${c.ticket.number} is already ${statusName(policy, to)}`);
  if (!opts.anyOpen) assertTransition(policy, c.ticket, to, roles);
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
    // A new resolution asks for a rating again (once).
    if (from === 'on_customer_test' || from === 'pending_closure')
      c.ticket = { ...c.ticket, resolvedAt: null, ...(c.ticket.csatAskedAt ? { csatAskedAt: null } : {}) };
    if (c.ticket.sla.response.state === 'paused') c.clocks((k) => resumeClock(k, now, clocks), ['response']);
    c.clocks((k) => resumeClock(k, now, clocks), ['resolution']);
  }
  // Part of an incident: whatever its status, the child's clocks stay paused while it follows the incident's.
  const incident = parentOf(c.ticket);
  if (incident && to !== 'closed') c.pauseForIncident(incident);
  // The ladder waited while the customer had the ticket: it waits a full step from the answer.
  if (from === 'waiting_for_customer') c.holdLadder('waiting_for_customer');
  c.event('status', from, to);
}
