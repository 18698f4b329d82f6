import { z } from 'zod';
import { BadPayloadError } from './errors';

/** A ticket button's value: the ticket number, nothing else (objects, operators, other strings are refused). */
export const ticketNumber = z.string().regex(/^SR-[1-9]\d{0,9}$/, { error: 'expected a ticket number like SR-12' });

/** An intake draft id: the Slack ts of the message it came from. */
export const draftId = z.string().regex(/^\d{1,12}\.\d{1,8}$/, { error: 'expected a draft id' });

const user = z.object({
  id: z.string().min(1).max(40),
  name: z.string().max(200).optional(),
  username: z.string().max(200).optional(),
});

const buttonAction = z.object({
  type: z.literal('button'),
  action_id: z.string().max(255),
  block_id: z.string().max(255).optional(),
  value: z.unknown(),
  action_ts: z.string().max(40),
});
const selectAction = z.object({
  type: z.literal('static_select'),
  action_id: z.string().max(255),
  block_id: z.string().max(255).optional(),
  selected_option: z.object({ value: z.unknown() }).nullable().optional(),
  action_ts: z.string().max(40),
});

export const blockActionsBody = z.object({
  type: z.literal('block_actions'),
  user,
  trigger_id: z.string().max(200).optional(),
  container: z
    .object({
      type: z.string(),
      channel_id: z.string().optional(),
      message_ts: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).passthrough().optional(),
  actions: z
    .array(z.union([buttonAction, selectAction, z.object({ type: z.string(), action_id: z.string() }).passthrough()]))
    .min(1),
});
export type BlockActionsBody = z.output<typeof blockActionsBody>;

export const viewSubmissionBody = z.object({
  type: z.literal('view_submission'),
  user,
  view: z.object({
    id: z.string().max(40),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  }),
});
export type ViewSubmissionBody = z.output<typeof viewSubmissionBody>;

/** `state.values[block][action]` of a text input or a select, as a string (or undefined when empty). */
export function stateValue(body: ViewSubmissionBody, block: string, action = 'value'): string | undefined {
  const el = body.view.state.values[block]?.[action];
  if (el === undefined || el === null) return undefined;
  const parsed = z
    .union([
      z.object({ type: z.literal('plain_text_input'), value: z.string().max(20_000).nullable().optional() }),
      z.object({
        type: z.enum(['static_select', 'external_select']),
        selected_option: z
          .object({ value: z.string().max(150) })
          .nullable()
          .optional(),
      }),
    ])
    .safeParse(el);
  if (!parsed.success) throw new BadPayloadError(`That form was not sent the way Helpline built it (${block}).`);
  const d = parsed.data;
  const v = d.type === 'plain_text_input' ? d.value : d.selected_option?.value;
  return v?.trim() ? v.trim() : undefined;
}

/** The metadata of a ticket modal. */
export const ticketModalMetadata = z.object({
  ticket: ticketNumber,
  to: z.string().max(60).optional(),
  /** A canned reply's id (the preview modal): the reply is looked up in the policy, never taken from here. */
  reply: z.string().max(100).optional(),
});

export const intakeMetadata = z.object({
  sourceLink: z.string().url().max(1000).nullable().optional(),
  channel: z.string().max(40).nullable().optional(),
  threadTs: draftId.nullable().optional(),
  draftId: draftId.nullable().optional(),
  onBehalfOf: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,30}$/)
    .nullable()
    .optional(),
});

export function parseJson(text: string | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadPayloadError('That form was not sent the way Helpline built it.');
  }
}

/** Validate with a schema at the edge; any mismatch is a clear BadPayloadError. */
export function parseOr<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new BadPayloadError(
    `Invalid ${what}: ${issue?.message ?? 'not the shape Helpline sent'}. Nothing was changed.`,
  );
}
