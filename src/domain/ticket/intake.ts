import type { Priority, RequestType, Role, Severity, TeamId } from '../../config/policy.schema';
import { InvalidInputError } from '../errors';
import type { ServiceLevel } from '../sla/service';
import { pauseClock, startClock } from '../sla/sla-clock';
import { clocksForSeverity, targetsFor } from '../sla/targets';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn, statusName } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { REQUESTER_SEVERITY_WORDS } from './requester-severity';
import { AGENT_ROLES } from './roles';
import {
  type Actor,
  type Evidence,
  sameActor,
  type Ticket,
  type TicketEvent,
  type TriageRecord,
  ticketNumber,
} from './ticket';

export interface RaiseInput {
  seq: number;
  title: string;
  description: string;
  requester: Actor;
  client?: string;
  /** The client's id in the client directory, when recognised. */
  clientId?: string | null;
  /** A client the requester named or picked that the directory does not map them to: recorded, not applied. */
  clientClaim?: string;
  /** The client's SLA tier and calendar (resolved from the policy when the client was recognised). */
  service?: ServiceLevel | null;
  businessImpact?: string;
  requestType?: RequestType;
  categoryId?: string | null;
  team?: TeamId;
  severity?: Severity;
  /** Impact on the customer; the severity's number until triage says otherwise. */
  priority?: Priority;
  evidence?: Evidence[];
  sourceLink?: string | null;
  /** Chargeable work on the not-supported list: straight to Quote Required (clocks paused). */
  quoteRequired?: string;
  /** A not-supported item routed to Product as a change request: Development triage hears it for roadmap review. */
  changeRequest?: string;
  /** What triage suggested, with its reasons (shown on the triage card, compared with an agent's corrections). */
  triage?: TriageRecord;
  /** The requester's own "How bad is it?" (a claim: recorded and shown to Level 1, never the severity by itself). */
  requesterSeverity?: Severity | null;
  /**
   * The open incident the requester asked to be added to at intake ("this looks like the outage we are working on"),
   * checked by the app: raised already part of it, so its clocks follow the incident's and it pages nobody.
   */
  partOf?: { number: string; title: string };
  /** The knowledge article the requester was answered with first and said did not solve it ("No, raise a ticket"). */
  offeredArticle?: { id: string; title: string };
}

/** A new ticket: New status, clocks running from now (business time), triage card and requester told. */
export function raise(input: RaiseInput, ctx: Omit<OpContext, 'actor'> & { actor: OpContext['actor'] }): OpResult {
  const { policy, now, clocks } = ctx;
  const title = clip(input.title, LIMITS.title);
  if (!title) throw new InvalidInputError('A ticket needs a short summary of the problem');
  const severity = input.severity ?? 3;
  const priority = input.priority ?? severity;
  const sev = policy.severities[severity];
  const targets = targetsFor(policy, severity, priority, input.service);
  const ticketClocks = clocksForSeverity(clocks, policy, severity, input.service);
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
    clientId: input.clientId ?? null,
    service: input.service ?? null,
    requestType: input.requestType ?? category?.requestType ?? 'troubleshooting',
    categoryId: input.categoryId ?? null,
    team: input.team ?? category?.team ?? 'level1',
    severity,
    priority,
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
      response: startClock('response', targets.response, now, ticketClocks),
      resolution: startClock('resolution', targets.resolution, now, ticketClocks),
    },
    alerting: {
      notifiedLevel: 0,
      nextStepAt: null,
      breachedAt: null,
      clock: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
    },
    nextCheckAt: null,
    pendingQuestion: null,
    resolvedAt: null,
    closedAt: null,
    posts: [],
    createdAt: now,
    updatedAt: now,
    version: 0,
    triage: input.triage ?? null,
    ...(input.requesterSeverity ? { requesterSeverity: input.requesterSeverity } : {}),
    ...(input.partOf ? { links: [{ kind: 'part_of' as const, ticket: input.partOf.number }] } : {}),
  };
  const c = new Change(ticket, ctx);
  const onBehalf = sameActor(ctx.actor, input.requester) ? '' : `for ${input.requester.name}, `;
  c.event(
    'raised',
    null,
    'new',
    `${onBehalf}Severity ${severity}, Priority ${priority}, ${policy.teams[ticket.team]?.name ?? ticket.team}${
      input.clientClaim ? `; the requester named the client "${clip(input.clientClaim, 100)}" (not verified)` : ''
    }${input.requesterSeverity ? `; the requester says Severity ${input.requesterSeverity} (${REQUESTER_SEVERITY_WORDS[input.requesterSeverity]})` : ''}`,
  );
  if (input.offeredArticle)
    c.event('knowledge_not_solved', null, input.offeredArticle.id, clip(input.offeredArticle.title, 200));
  if (input.quoteRequired) {
    c.ticket = { ...c.ticket, status: 'quote_required' };
    c.clocks((k) => pauseClock(k, now, statusName(policy, 'quote_required'), ticketClocks));
    c.event('status', 'new', 'quote_required', input.quoteRequired);
    if (policy.channels.quotes)
      c.notify({
        type: 'ticket.quote',
        audience: { kind: 'channel', channel: 'quotes' },
        text: `${number} needs a quote for chargeable work: ${title}`,
      });
  }
  if (input.changeRequest)
    c.notify({
      type: 'ticket.development',
      audience: { kind: 'channel', channel: 'developmentTriage' },
      text: `${number} is a change request (${input.changeRequest}) for Product's roadmap review: ${title}`,
    });
  if (input.partOf) {
    c.pauseForIncident(input.partOf.number);
    c.event('linked', null, `part of ${input.partOf.number} (the requester joined it at intake)`);
  }
  c.notify({
    type: 'ticket.raised',
    audience: { kind: 'channel', channel: 'triage' },
    text: `${number} raised by ${input.requester.name}${input.partOf ? `, part of incident ${input.partOf.number}` : ''}: ${title}`,
  });
  if (ticket.team === 'admin' && policy.channels.admin)
    c.notify({
      type: 'ticket.admin',
      audience: { kind: 'channel', channel: 'admin' },
      text: `${number} for ${policy.teams.admin?.name ?? 'Administrative Staff'} (triage routed it): ${title}`,
    });
  // Part of an incident: the incident carries the paging, its clocks and ladder (a child never pages).
  if (sev.immediateEscalation && !input.partOf)
    c.escalateImmediately(`${number} is Severity 1 (${sev.name}): ${title}`);
  // The requester's confirmation is the adapter's reply (app/raise-ticket), not a queued notice.
  return c.done();
}

/**
 * Add a chat message; a requester's reply to a question moves Waiting for Customer to Customer Responded.
 * Files attached to it (links only: the bot never downloads them) are kept as evidence.
 */
export function addMessage(ticket: Ticket, text: string, ctx: OpContext, files: Evidence[] = []): OpResult {
  assertOpen(ticket);
  const attached = files.slice(0, LIMITS.evidence);
  const named = attached.map((f) => f.name ?? f.value).join(', ');
  const body = clip(text, LIMITS.message) || (attached.length ? `(attached ${clip(named, 500)})` : '');
  if (!body) throw new InvalidInputError('The message is empty');
  const roles = rolesOn(ticket, ctx.actor);
  const fromAgent = roles.some((r) => AGENT_ROLES.includes(r)) && !sameActor(ticket.requester, ctx.actor);
  const c = new Change(ticket, ctx);
  const conversation = [...ticket.conversation, { at: ctx.now, author: actorOf(ctx.actor), fromAgent, text: body }];
  const known = new Set(ticket.evidence.map((e) => e.value));
  const evidence = [...ticket.evidence, ...attached.filter((f) => !known.has(f.value))].slice(-LIMITS.evidence);
  c.ticket = { ...ticket, conversation: conversation.slice(-LIMITS.conversation), evidence };
  c.event('message', undefined, undefined, clip(body, 200));
  if (evidence.length > ticket.evidence.length)
    c.event('evidence', undefined, undefined, clip(attached.map((f) => f.name ?? f.value).join(', '), 200));
  if (fromAgent) {
    c.holdLadder('agent_reply');
    c.tellRequester(`${ctx.actor.name} on ${ticket.number}: ${body}`);
  } else if (sameActor(ticket.requester, ctx.actor)) {
    const answered = ticket.status === 'waiting_for_customer';
    if (answered) {
      // The answer to a question. (A message in Pending Closure, a thank-you, is only recorded: "not fixed" reopens.)
      moveTo(c, 'customer_responded', ['requester']);
      c.ticket = { ...c.ticket, pendingQuestion: null };
    }
    // "Customer Responded" is a signal a person sees, not only a status.
    const what = answered ? 'answered, now Customer Responded' : 'wrote';
    c.tellAssignee(`${ctx.actor.name} on ${ticket.number} (${ticket.title}) ${what}: ${clip(body, 2000)}`);
  }
  return c.done();
}

/**
 * An agent sends the requester a knowledge article (its text, as a message on the ticket): agents only; recorded as
 * the message and a `knowledge_sent` event naming the article.
 */
export function sendArticle(ticket: Ticket, article: { id: string; title: string; text: string }, ctx: OpContext) {
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `send an article on ${ticket.number}`);
  if (sameActor(ticket.requester, ctx.actor)) throw new InvalidInputError('You are the requester of this ticket');
  const r = addMessage(ticket, article.text, ctx);
  const sent: TicketEvent = {
    ticket: ticket.number,
    at: ctx.now,
    actor: { ...actorOf(ctx.actor), role: ctx.actor.role },
    type: 'knowledge_sent',
    to: article.id,
    note: clip(article.title, 200),
  };
  return { ...r, events: [...r.events, sent] };
}

/** An agent's internal note: on the ticket and its agent cards, never shown or sent to the requester. */
export function addInternalNote(ticket: Ticket, text: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, AGENT_ROLES as Role[], `add an internal note to ${ticket.number}`);
  const body = clip(text, LIMITS.message);
  if (!body) throw new InvalidInputError('The note is empty');
  const c = new Change(ticket, ctx);
  const note = { at: ctx.now, author: actorOf(ctx.actor), fromAgent: true, text: body, internal: true };
  c.ticket = { ...ticket, conversation: [...ticket.conversation, note].slice(-LIMITS.conversation) };
  c.event('internal_note', undefined, undefined, clip(body, 200));
  return c.done();
}
