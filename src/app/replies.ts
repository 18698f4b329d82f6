import { type CannedReply, fillReply, findReply, sendReply } from '../domain/ticket/replies';
import type { Ticket } from '../domain/ticket/ticket';
import { type AppDeps, changeTicket, loadFor, opContext, type UseCaseResult } from './context';
import type { TicketCommand } from './ticket-actions';
import { followIncident } from './ticket-links';

/** What the agent sees before sending: the reply filled from the ticket, and where the ticket goes once sent. */
export interface ReplyPreview {
  ticket: Ticket;
  reply: CannedReply;
  /** The text with its placeholders filled from the stored ticket (the agent may edit it). */
  text: string;
  /** The status the ticket moves to once sent, by name; null when it stays. */
  moveTo: string | null;
}

/**
 * Preview a canned reply for an agent of the owning team (refused for anyone else, from who they are). The send is
 * tried without saving, so a reply the status rules would refuse is refused here, before the agent edits it.
 */
export async function previewReply(
  deps: AppDeps,
  number: string,
  actor: TicketCommand['actor'],
  replyId: string,
): Promise<ReplyPreview> {
  const { ticket } = await loadFor(deps, number, actor, 'reply');
  const reply = findReply(deps.policy, replyId);
  const text = fillReply(reply.text, ticket, actor.name);
  sendReply(ticket, reply, text, opContext(deps, actor));
  return {
    ticket,
    reply,
    text,
    moveTo: reply.status ? (deps.policy.statuses[reply.status]?.name ?? reply.status) : null,
  };
}

/**
 * Send a canned reply: the (possibly edited) text, its placeholders filled again from the stored ticket, goes to the
 * requester as the agent's message; the status move is the policy's for this reply id, never the card's.
 */
export async function sendCannedReply(
  deps: AppDeps,
  cmd: TicketCommand,
  a: { replyId: string; text: string },
): Promise<UseCaseResult> {
  const reply = findReply(deps.policy, a.replyId);
  const r = await changeTicket(deps, { ...cmd, action: 'reply', counted: 'message' }, (t, c) =>
    sendReply(t, reply, fillReply(a.text, t, c.actor.name), c),
  );
  return reply.status ? followIncident(deps, r, cmd.actor) : r;
}
