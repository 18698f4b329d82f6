import type { Role } from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import type { Quote, Ticket } from './ticket';

export interface QuoteSentInput {
  amount: number;
  /** ISO 4217, e.g. GBP. */
  currency: string;
  /** Whom it was sent to (a name or an address). */
  sentTo: string;
}

/** An amount as people type it ("1200", "1,200.50", "£1200"): NaN when it is not one (the operation refuses it). */
export function parseAmount(text: string): number {
  const t = text.replace(/[\s,£$€]/g, '');
  return /^\d+(\.\d{1,2})?$/.test(t) ? Number(t) : Number.NaN;
}

/** "1,200.00 GBP". */
export function quoteAmount(q: Pick<Quote, 'amount' | 'currency'>): string {
  return `${q.amount.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${q.currency}`;
}

function assertQuoting(ticket: Ticket, ctx: OpContext, what: string): Role[] {
  assertOpen(ticket);
  if (ticket.status !== 'quote_required')
    throw new TransitionNotAllowedError(`${ticket.number} is not waiting for a quote (Quote Required)`);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, AGENT_ROLES as Role[], `${what} on ${ticket.number}`);
  return roles;
}

/**
 * The quote for chargeable work is sent (seed 000 "Quote Required: passed to Professional Services to quote"): its
 * amount, currency, to whom and when, recorded on the ticket and in the history; the requester is told. Sent again
 * (a revised quote), it replaces the one before, which stays in the history.
 */
export function recordQuoteSent(ticket: Ticket, input: QuoteSentInput, ctx: OpContext): OpResult {
  assertQuoting(ticket, ctx, 'record a quote');
  if (!Number.isFinite(input.amount) || input.amount <= 0 || input.amount > 1e12)
    throw new InvalidInputError('The amount must be a number above zero, e.g. 1200 or 1200.50');
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new InvalidInputError('The currency is a three-letter code, e.g. GBP');
  const sentTo = clip(input.sentTo, 200);
  if (!sentTo) throw new InvalidInputError('Say whom the quote was sent to');
  const quote: Quote = {
    amount: Math.round(input.amount * 100) / 100,
    currency,
    sentTo,
    sentAt: ctx.now,
    sentBy: actorOf(ctx.actor),
    outcome: null,
  };
  const c = new Change(ticket, ctx);
  c.ticket = { ...c.ticket, quote };
  c.event('quote_sent', null, quoteAmount(quote), `to ${sentTo}`);
  c.tellRequester(
    `The quote for ${ticket.number} (${ticket.title}) has been sent to ${sentTo}: ${quoteAmount(quote)}. Tell us whether you accept it.`,
  );
  return c.done();
}

/**
 * The requester's answer to the quote, with a reason: accepted → Work in Progress (the chargeable work starts);
 * declined → closed, with the reason, after the requester is told.
 */
export function recordQuoteOutcome(
  ticket: Ticket,
  input: { decision: 'accepted' | 'declined'; reason: string },
  ctx: OpContext,
): OpResult {
  const roles = assertQuoting(ticket, ctx, 'record the quote outcome');
  const quote = ticket.quote;
  if (!quote) throw new TransitionNotAllowedError(`${ticket.number} has no quote sent yet: record the quote first`);
  if (input.decision !== 'accepted' && input.decision !== 'declined')
    throw new InvalidInputError('Choose accepted or declined');
  const reason = clip(input.reason, LIMITS.field);
  if (!reason) throw new InvalidInputError('Say why (the requester is told)');
  const c = new Change(ticket, ctx);
  c.ticket = {
    ...c.ticket,
    quote: { ...quote, outcome: { decision: input.decision, reason, by: actorOf(ctx.actor), at: ctx.now } },
  };
  c.event('quote_outcome', null, input.decision, reason);
  const t = ticket;
  if (input.decision === 'accepted') {
    moveTo(c, 'work_in_progress', roles);
    c.tellRequester(
      `The quote for ${t.number} (${t.title}), ${quoteAmount(quote)}, is accepted (${reason}): the work is in progress now.`,
    );
  } else {
    c.tellRequester(
      `The quote for ${t.number} (${t.title}), ${quoteAmount(quote)}, was declined (${reason}), so we have closed ${t.number}.`,
    );
    moveTo(c, 'closed', roles);
  }
  return c.done();
}
