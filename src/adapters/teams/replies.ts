import { previewReply } from '../../app/replies';
import type { App } from '../../bootstrap';
import { type Json, replyPreviewCard } from '../../cards/teams';
import type { Actor } from '../../domain/ticket/ticket';
import type { ParsedAction } from './card-actions';

/**
 * "Preview reply": the canned reply filled from the stored ticket, as a card to edit and send. Refused (from who the
 * actor is) for anyone but the owning team's agents, and for a reply whose status move the rules refuse now.
 */
export async function replyPreviewFor(app: App, action: ParsedAction, actor: Actor): Promise<Json> {
  const reply = (action.data as { reply?: string }).reply ?? '';
  const p = await previewReply(app, action.ticket, actor, reply);
  return replyPreviewCard(
    {
      number: p.ticket.number,
      requester: p.ticket.requester.name,
      label: p.reply.label,
      replyId: p.reply.id,
      text: p.text,
      moveTo: p.moveTo,
    },
    { ticket: p.ticket.number, card: action.card, rev: String(p.ticket.version) },
  );
}
