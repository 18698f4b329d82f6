import { z } from 'zod';
import { duration } from './service.schema';
import { ROLES, type Role, type TeamId } from './vocabulary';

/** Policy sections with defaults of their own: limits, delivery back-off, assignment rules, contact. */

/** At most `count` in each fixed window of `per` minutes, per person. */
export const rateLimit = z.strictObject({
  count: z.number({ error: 'expected a whole number, e.g. 30' }).int().min(1),
  per: duration.refine((m) => m > 0, { error: 'a window must be at least one minute' }),
});
export type RateLimit = z.output<typeof rateLimit>;
/**
 * Defaults no real requester or agent reaches: 30 raises an hour, 120 card actions a minute, 30 messages on tickets
 * and 60 look-ups (status, history, queue, client search) a minute.
 */
export const DEFAULT_LIMITS = {
  raisesPerPerson: { count: 30, per: 60 },
  actionsPerPerson: { count: 120, per: 1 },
  messagesPerPerson: { count: 30, per: 1 },
  lookupsPerPerson: { count: 60, per: 1 },
} as const;

/** Words that make a CSAT comment a complaint by default. */
export const COMPLAINT_WORDS = ['complaint', 'complain', 'unacceptable', 'disappointed', 'terrible', 'awful'] as const;

/** "500ms", "2s", "5m", "1h" → milliseconds (the delivery back-off is finer than the SLA's minutes). */
const MS_DURATION = /^(\d+)(ms|s|m|h)$/;
export function durationMs(text: string): number {
  const m = MS_DURATION.exec(text);
  if (!m) throw new RangeError(`expected a duration like "2s" or "5m", got "${text}"`);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
}
const msDuration = z
  .string({ error: 'expected a duration like "2s" or "5m"' })
  .regex(MS_DURATION, { error: 'expected a duration like "500ms", "2s", "5m" or "1h"' })
  .transform(durationMs)
  .refine((ms) => ms > 0, { error: 'a wait must be longer than zero' });

/**
 * Delivery back-off. A transient failure (5xx, 429, a timeout, a network error, a rejected token) pauses
 * deliveries to that platform only: `retryFirst` after the first failure, doubling up to `retryMax`, for as
 * long as it takes (a 429's Retry-After when longer). After `troubleAfter` failures in a row the platform is
 * "in trouble": shown on /healthz and /readyz and announced to the managers on the other platform.
 */
export const deliverySchema = z
  .strictObject({
    retryFirst: msDuration.default(2000),
    retryMax: msDuration.default(300_000),
    troubleAfter: z.number().int().min(1).max(1000).default(3),
  })
  .refine((d) => d.retryMax >= d.retryFirst, { error: 'retryMax must be at least retryFirst', path: ['retryMax'] });
export type DeliveryPolicy = z.output<typeof deliverySchema>;
export const DEFAULT_DELIVERY: DeliveryPolicy = { retryFirst: 2000, retryMax: 300_000, troubleAfter: 3 };

/** How a ticket reaching a team gets its assignee: left to people, in turn, or to whoever has least open work. */
export const ASSIGNMENT_RULES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentRule = (typeof ASSIGNMENT_RULES)[number];
const assignmentRule = z.enum(ASSIGNMENT_RULES, { error: 'expected manual, round_robin or least_loaded' });
const weight = z.number().int().min(0).max(100);
/** Severity 1 counts as 8 open Severity 4 tickets, 2 as 4, 3 as 2 (least_loaded). */
export const DEFAULT_ASSIGNMENT = {
  assigners: ['manager'] as Role[],
  rules: { admin: 'manual', level1: 'manual', level2: 'manual', development: 'manual' } as Record<
    TeamId,
    AssignmentRule
  >,
  weights: { 1: 8, 2: 4, 3: 2, 4: 1 },
};
export const assignmentSchema = z.strictObject({
  /**
   * Roles that assign, reassign and unassign anyone in a ticket's owning team (and each team's `leads` do in theirs);
   * other agents take a ticket and hand over or give up their own.
   */
  assigners: z.array(z.enum(ROLES)).default(DEFAULT_ASSIGNMENT.assigners),
  /** Per team, applied when a ticket reaches it (Team Ticketing, routed to Admin, escalated to Development). */
  rules: z
    .strictObject({
      admin: assignmentRule.default('manual'),
      level1: assignmentRule.default('manual'),
      level2: assignmentRule.default('manual'),
      development: assignmentRule.default('manual'),
    })
    .default(DEFAULT_ASSIGNMENT.rules),
  /** least_loaded: what an open ticket of each severity weighs. */
  weights: z
    .strictObject({ 1: weight.default(8), 2: weight.default(4), 3: weight.default(2), 4: weight.default(1) })
    .default(DEFAULT_ASSIGNMENT.weights),
});
export type AssignmentPolicy = z.output<typeof assignmentSchema>;

/** How requesters reach support outside chat (seed 000 "Contact"); help shows what is set, each line optional. */
export const contactSchema = z.strictObject({
  /** The support phone number as people dial it, e.g. "0330 088 0802". */
  phone: z.string().trim().min(3).max(40).optional(),
  /** The menu option to choose after dialling, e.g. "Option 1" (a bare number reads "Option 1"). */
  phoneOption: z
    .union([z.string().trim().min(1).max(40), z.number().int().min(0)])
    .transform((v) => (typeof v === 'number' || /^\d+$/.test(v) ? `Option ${v}` : v))
    .optional(),
  /** The support mailbox. */
  email: z.email({ error: 'expected an email address like support@example.com' }).optional(),
  /** The support portal's address (http or https). */
  portalUrl: z
    .url({ protocol: /^https?$/, error: 'expected a web address like https://support.example.com' })
    .optional(),
});
export type ContactPolicy = z.output<typeof contactSchema>;
