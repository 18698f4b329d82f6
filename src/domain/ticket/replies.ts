/**
 * Canned replies: the policy's `replies:` and the Not Supported answers, filled from the ticket and sent to its
 * requester as the agent's message, then (when the reply says so) a status move within the status rules.
 */
import type { Policy, Role, SupportStatus } from '../../config/policy.schema';
import { REPLY_PLACEHOLDERS, type ReplyPlaceholder } from '../../config/replies.schema';
import { InvalidInputError } from '../errors';
import { actorOf, type OpContext, type OpResult, rolesOn } from './change';
import { addMessage } from './intake';
import { assertOpen, assertRole, plainMoves, rolesFor } from './lifecycle';
import { changeStatus } from './resolution';
import { AGENT_ROLES } from './roles';
import type { Ticket } from './ticket';
import { requestInfo } from './triage';

export interface CannedReply {
  /** A policy reply's id, or `ns:<id>` for a Not Supported item's answer. */
  id: string;
  label: string;
  text: string;
  status?: SupportStatus;
}

/** The Not Supported answers' ids: `ns:` never clashes with a policy id (lower-case letters, digits, dashes). */
const NOT_SUPPORTED = 'ns:';

/** Every reply an agent may pick: the policy's, then one per Not Supported item (its answer, its route's status). */
export function cannedReplies(policy: Pick<Policy, 'replies' | 'coverage'>): CannedReply[] {
  const own = Object.entries(policy.replies).map(([id, r]) => ({
    id,
    label: r.label,
    text: r.text,
    ...(r.status ? { status: r.status } : {}),
  }));
  const ns = Object.entries(policy.coverage.notSupported).map(([id, item]) => ({
    id: `${NOT_SUPPORTED}${id}`,
    label: `Not Supported: ${item.name}`.slice(0, 75),
    text: item.reply,
    // Chargeable work goes to Quote Required (Professional Services are told), as it does at the raise.
    ...(item.route === 'quote_required' ? { status: 'quote_required' as const } : {}),
  }));
  return [...own, ...ns];
}

export function findReply(policy: Pick<Policy, 'replies' | 'coverage'>, id: string): CannedReply {
  const r = cannedReplies(policy).find((x) => x.id === id);
  if (!r) throw new InvalidInputError('Choose a reply from the list');
  return r;
}

/** The replies a ticket's card offers: none on a closed ticket; those whose status move is allowed from here. */
export function repliesFor(
  policy: Pick<Policy, 'replies' | 'coverage' | 'transitions' | 'statuses'>,
  ticket: Pick<Ticket, 'status'>,
  roles: readonly Role[],
): CannedReply[] {
  if (ticket.status === 'closed') return [];
  const moves = new Set<SupportStatus>(plainMoves(policy, ticket, roles));
  // Waiting for Customer is reached with a question: the reply is the question.
  if (rolesFor(policy, ticket.status, 'waiting_for_customer').some((r) => roles.includes(r)))
    moves.add('waiting_for_customer');
  return cannedReplies(policy).filter((r) => !r.status || moves.has(r.status));
}

/** Fill {requester}, {ticket}, {client} and {agent} from the ticket and the agent sending it, never from a card. */
export function fillReply(text: string, ticket: Pick<Ticket, 'number' | 'requester' | 'client'>, agent: string) {
  const values: Record<ReplyPlaceholder, string> = {
    requester: ticket.requester.name,
    ticket: ticket.number,
    client: ticket.client.trim() || 'your organisation',
    agent,
  };
  return text.replace(/\{([a-z]+)\}/g, (whole, key: string) =>
    (REPLY_PLACEHOLDERS as readonly string[]).includes(key) ? values[key as ReplyPlaceholder] : whole,
  );
}

/**
 * Send a reply: the agent's message to the requester (as "Message requester" does), recorded as this reply, then
 * its status move, all in one change: a move the rules refuse sends nothing. Waiting for Customer asks the reply as
 * the question (Request info).
 */
export function sendReply(ticket: Ticket, reply: CannedReply, text: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `send a canned reply on ${ticket.number}`);
  if (!text.trim()) throw new InvalidInputError('The reply is empty');
  const steps: OpResult[] = [];
  if (reply.status === 'waiting_for_customer') steps.push(requestInfo(ticket, text, ctx));
  else {
    steps.push(addMessage(ticket, text, ctx));
    if (reply.status) steps.push(changeStatus(steps[0]!.ticket, reply.status, ctx));
  }
  const last = steps.at(-1)!;
  const recorded = {
    ticket: ticket.number,
    at: ctx.now,
    actor: { ...actorOf(ctx.actor), role: ctx.actor.role },
    type: 'reply',
    to: reply.id,
    note: reply.label,
  };
  // One change: the notices of every step, each key once (the last step's card refresh stands for all).
  const notices = new Map(steps.flatMap((s) => s.notices).map((n) => [n.key, n]));
  return {
    ticket: last.ticket,
    events: [recorded, ...steps.flatMap((s) => s.events)],
    notices: [...notices.values()],
  };
}
