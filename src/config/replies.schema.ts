import { z } from 'zod';
import type { SupportStatus } from './vocabulary';

/**
 * Canned replies (policy `replies:`): answers an agent sends the same way every time, picked from a ticket's card,
 * previewed with the placeholders filled from the ticket, edited if need be, then sent to the requester as the
 * agent's message. A reply may move the ticket on (e.g. "Sent the SOC 2 report" → On Customer Test), within the
 * status rules. The Not Supported answers (`coverage.notSupported.<id>.reply`) are offered the same way.
 */

/** What a reply's text may say; each is filled from the ticket when the reply is previewed and again when sent. */
export const REPLY_PLACEHOLDERS = ['requester', 'ticket', 'client', 'agent'] as const;
export type ReplyPlaceholder = (typeof REPLY_PLACEHOLDERS)[number];

/**
 * The statuses a reply may move a ticket to. Not New, Customer Responded (the requester's answer), Escalated to Dev
 * (it needs a route) nor Closed (it needs a reason): those have controls of their own.
 */
export const REPLY_STATUSES = [
  'triage',
  'under_review',
  'waiting_for_customer',
  'work_in_progress',
  'quote_required',
  'on_customer_test',
  'pending_closure',
] as const satisfies readonly SupportStatus[];

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

const reply = z
  .strictObject({
    /** What the agent picks from the card (Slack shows 75 characters of it). */
    label: z.string().min(1).max(75),
    /** The message, Slack mrkdwn / Teams markdown safe, with {requester}, {ticket}, {client} and {agent}. */
    text: z.string().min(1).max(2000),
    /** Where the ticket moves once sent; the move must be one the status rules allow from where the ticket is. */
    status: z
      .enum(REPLY_STATUSES, {
        error: `expected one of ${REPLY_STATUSES.join(', ')} (the others need controls of their own)`,
      })
      .optional(),
  })
  .superRefine((r, ctx) => {
    for (const m of r.text.matchAll(PLACEHOLDER))
      if (!(REPLY_PLACEHOLDERS as readonly string[]).includes(m[1] ?? ''))
        ctx.addIssue({
          code: 'custom',
          path: ['text'],
          message: `unknown placeholder "{${m[1]}}": use ${REPLY_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        });
  });

export const repliesSchema = z
  .record(z.string().regex(/^[a-z0-9-]+$/, 'reply ids are lower-case like "soc2-report"'), reply)
  .default({});
export type ReplyPolicy = z.output<typeof reply>;
