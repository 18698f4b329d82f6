import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { completeClientRecord, showClientRecord } from '../../app/client-record';
import type { App } from '../../bootstrap';
import { clientRecordCard, type Json, TICKET_CARD_KINDS } from '../../cards/teams';
import type { Actor } from '../../domain/ticket/ticket';
import { BadActionError } from './errors';
import { ticketCardForActor, viewOf } from './render';

/** `client SR-n`: the ticket's client record (agents only), as a card. */
export async function clientRecordCardFor(app: App, number: string, actor: Actor): Promise<Json> {
  const { ticket } = await showClientRecord(app, number, actor);
  return clientRecordCard(await viewOf(app, ticket));
}

const completeData = z.object({
  ticket: z.string().regex(/^SR-[1-9]\d{0,9}$/),
  card: z.enum(TICKET_CARD_KINDS).optional(),
  erp: z.string().max(500).optional(),
  customisations: z.string().max(2000).optional(),
  contactName: z.string().max(200).optional(),
  contactEmail: z.string().max(254).optional(),
  contactPhone: z.string().max(50).optional(),
  contactRole: z.string().max(200).optional(),
  /** Fingerprints of the values the form was pre-filled with (cards/teams/client-section.ts). */
  shownErp: z.string().max(40).optional(),
  shownCustomisations: z.string().max(40).optional(),
});

/** "Save to HubSpot" from a card: write the record, answer with the card it came from, refreshed. */
export async function completeClientInvoke(app: App, actor: Actor, data: unknown): Promise<AdaptiveCardInvokeResponse> {
  const parsed = completeData.safeParse(data);
  if (!parsed.success) throw new BadActionError('Invalid client record form');
  const d = parsed.data;
  const { ticket } = await completeClientRecord(app, {
    number: d.ticket,
    actor,
    erp: d.erp,
    customisations: d.customisations,
    shown: { erp: d.shownErp, customisations: d.shownCustomisations },
    contact: { name: d.contactName, email: d.contactEmail, phone: d.contactPhone, role: d.contactRole },
  });
  const card =
    d.card && d.card !== 'view'
      ? await ticketCardForActor(app, ticket, d.card, actor, `Saved to HubSpot: the client record of ${ticket.number}.`)
      : clientRecordCard(await viewOf(app, ticket));
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card as never };
}
