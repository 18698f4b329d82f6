import { type Activity, CardFactory, type ConversationReference, TurnContext } from 'botbuilder';
import type { Json } from '../../cards/teams';

/** Teams sends HTML-ish text: drop tags (mentions already removed) and decode the usual entities. */
export function plainText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

export function cardActivity(card: Json): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

/** Where to reach this conversation later; without the activity id, so proactive posts are not replies to it. */
export function referenceOf(a: Activity): Partial<ConversationReference> & Record<string, unknown> {
  const { activityId: _ignored, ...ref } = TurnContext.getConversationReference(a);
  return ref;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The operation key of a card action: who, which verb, which ticket, the version the card showed and
 * the choice made, so a double click on one rendering acts once and a later click acts again. Cards
 * without a version fall back to the turn's key.
 */
export function actionKey(
  ctx: TurnContext,
  action: { verb: string; ticket: string; data: Record<string, unknown> },
): string {
  const { ticket: _t, card: _c, rev, ...choice } = action.data;
  if (typeof rev !== 'string') return opKey(ctx, action.verb);
  const who = ctx.activity.from?.aadObjectId ?? ctx.activity.from?.id ?? 'unknown';
  return `teams:act:${who}:${action.verb}:${action.ticket}:${rev}:${JSON.stringify(choice)}`;
}

/** The operation key of this turn: the activity id (a redelivery has the same), else who/where/what. */
export function opKey(ctx: TurnContext, verb: string): string {
  const a = ctx.activity;
  return a.id ? `teams:${a.id}` : `teams:${a.from?.id}:${a.replyToId ?? ''}:${verb}`;
}
