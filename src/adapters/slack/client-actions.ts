/**
 * The client directory in Slack: the intake form's client typeahead (an external_select served from the
 * directory by Bolt's `options` listener) and Level 1's "Complete client record" modal, which writes to HubSpot.
 */
import { z } from 'zod';
import { clientContextOf } from '../../app/client-context';
import { completeClientRecord, searchClientsFor } from '../../app/client-record';
import { shownValuesOf } from '../../app/clients';
import { loadFor } from '../../app/context';
import { Action, View } from '../../cards/actions';
import { input, modal, section, textInput, userText } from '../../cards/slack';
import { RateLimitedError } from '../../domain/errors';
import { type SlackContext, tell } from './context';
import { BadPayloadError, describeSlackError } from './errors';
import { actorOf } from './identity';
import {
  type BlockActionsBody,
  blockActionsBody,
  parseJson,
  parseOr,
  stateValue,
  ticketNumber,
  type ViewSubmissionBody,
  viewSubmissionBody,
} from './payloads';
import { cardOf, viewOf } from './render';

type Ack = (response?: Record<string, unknown>) => Promise<void>;

const BLOCKS = {
  erp: 'client_erp',
  customisations: 'client_customisations',
  contactName: 'client_contact_name',
  contactEmail: 'client_contact_email',
  contactPhone: 'client_contact_phone',
  contactRole: 'client_contact_role',
} as const;

const completeMetadata = z.object({
  ticket: ticketNumber,
  channel: z.string().max(40).optional(),
  ts: z.string().max(40).optional(),
  /** Fingerprints of the values the form was pre-filled with: only what the agent changes is written. */
  shown: z.object({ erp: z.string().max(40), customisations: z.string().max(40) }).optional(),
});

/** Slack option text is at most 75 characters; values 150. */
function clientOption(c: { id: string; name: string }) {
  return { text: { type: 'plain_text', text: c.name.slice(0, 75) }, value: c.id.slice(0, 150) };
}

export function clientListeners(ctx: SlackContext) {
  const { app } = ctx;

  /** The typeahead: what the person typed → up to 20 clients; the directory being down answers none. */
  async function options(userId: unknown, typed: unknown): Promise<{ options: ReturnType<typeof clientOption>[] }> {
    const text = typeof typed === 'string' ? typed.slice(0, 100) : '';
    if (typeof userId !== 'string' || !userId) return { options: [] };
    try {
      const actor = await actorOf(app, userId, { client: ctx.client });
      const found = await searchClientsFor(app, actor, text, 20);
      return { options: found.map(clientOption) };
    } catch (err) {
      if (err instanceof RateLimitedError) app.log.info({ userId }, 'Slack: client typeahead rate limited');
      else app.log.warn({ err: (err as Error).message }, 'Slack: client typeahead unavailable');
      return { options: [] };
    }
  }

  /** "Complete client record" on a triage card: a modal with the ERP system and the customisation summary. */
  async function action(raw: unknown): Promise<void> {
    const parsed = blockActionsBody.safeParse(raw);
    if (!parsed.success) {
      app.log.info({ issue: parsed.error.issues[0]?.message }, 'Slack: client action of an unexpected shape refused');
      return;
    }
    const body: BlockActionsBody = parsed.data;
    const a = body.actions[0] as { action_id: string; value?: unknown };
    const where = { user: body.user.id, channel: body.container?.channel_id ?? body.channel?.id };
    try {
      if (a.action_id !== Action.CompleteClient) throw new BadPayloadError('That button is not one Helpline knows.');
      const number = parseOr(ticketNumber, a.value, 'button value');
      const actor = await actorOf(app, body.user.id, { client: ctx.client });
      // The one authorisation point: only someone who may complete this ticket's client record gets the form.
      const { ticket } = await loadFor(app, number, actor, 'completeClientRecord');
      const client = await clientContextOf(app, ticket);
      if (client?.state !== 'found') throw new BadPayloadError('The client record is not available right now.');
      const r = client.record;
      const meta = {
        ticket: number,
        channel: where.channel,
        ts: body.container?.message_ts ?? body.message?.ts,
        shown: shownValuesOf(r),
      };
      await ctx.client.views.open({
        trigger_id: String((body as { trigger_id?: string }).trigger_id ?? ''),
        view: modal({
          callbackId: View.CompleteClient,
          title: 'Client record',
          submit: 'Save to HubSpot',
          privateMetadata: JSON.stringify(meta),
          blocks: [
            section(`*${userText(r.name, 200)}* (${userText(number, 20)}): fill in what the record lacks.`),
            input(BLOCKS.erp, 'ERP system', textInput('value', { ...(r.erp ? { initial: r.erp } : {}), max: 500 }), {
              optional: true,
            }),
            input(
              BLOCKS.customisations,
              'Customisation summary',
              textInput('value', {
                ...(r.customisations ? { initial: r.customisations } : {}),
                multiline: true,
                max: 2000,
                placeholder: 'Unique configurations: approval rules, custom fields, exports…',
              }),
              { optional: true },
            ),
            section('*Add an administrative contact* (optional): created in HubSpot and linked to the company.'),
            input(BLOCKS.contactName, 'Contact name', textInput('value', { max: 200 }), { optional: true }),
            input(BLOCKS.contactEmail, 'Contact email', textInput('value', { max: 254 }), { optional: true }),
            input(BLOCKS.contactPhone, 'Contact phone', textInput('value', { max: 50 }), { optional: true }),
            input(
              BLOCKS.contactRole,
              'Contact role',
              textInput('value', { max: 200, placeholder: 'Finance systems admin' }),
              { optional: true },
            ),
          ],
        }) as never,
      });
    } catch (err) {
      await tell(ctx, where, describeSlackError(err, app.log, { action: a.action_id, user: body.user.id }));
    }
  }

  /** The modal's submission: write to HubSpot, then refresh the card it was opened from. */
  async function view(raw: unknown, ack: Ack): Promise<void> {
    const parsed = viewSubmissionBody.safeParse(raw);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: {} });
      return;
    }
    const body: ViewSubmissionBody = parsed.data;
    const actor = await actorOf(app, body.user.id, { client: ctx.client });
    try {
      const meta = parseOr(completeMetadata, parseJson(body.view.private_metadata), 'form');
      await completeClientRecord(app, {
        number: meta.ticket,
        actor,
        erp: stateValue(body, BLOCKS.erp),
        customisations: stateValue(body, BLOCKS.customisations),
        shown: meta.shown,
        contact: {
          name: stateValue(body, BLOCKS.contactName),
          email: stateValue(body, BLOCKS.contactEmail),
          phone: stateValue(body, BLOCKS.contactPhone),
          role: stateValue(body, BLOCKS.contactRole),
        },
      });
    } catch (err) {
      // The modal stays open with everything typed, the reason under the field it concerns.
      const message = describeSlackError(err, app.log, { view: View.CompleteClient, user: body.user.id });
      const block = message.includes('Administrative contact') ? BLOCKS.contactName : BLOCKS.erp;
      await ack({ response_action: 'errors', errors: { [block]: message.slice(0, 150) } });
      return;
    }
    await ack();
    const meta = completeMetadata.parse(parseJson(body.view.private_metadata));
    const ticket = await app.tickets.get(meta.ticket);
    if (ticket && meta.channel && meta.ts) {
      try {
        const msg = cardOf(app, await viewOf(app, ticket), 'triage');
        await ctx.client.chat.update({
          channel: meta.channel,
          ts: meta.ts,
          text: msg.text,
          blocks: msg.blocks as never,
        });
      } catch (err) {
        app.log.warn({ err: (err as Error).message }, 'Slack: refreshing the card after the client record failed');
      }
    }
    await tell(
      ctx,
      { user: body.user.id, channel: meta.channel },
      `Saved to HubSpot: the client record of ${meta.ticket}.`,
    );
  }

  return { options, action, view };
}
