import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { articleFor, articleSolved, offeredArticle } from '../../app/knowledge';
import type { App } from '../../bootstrap';
import { Action } from '../../cards/actions';
import { type ArticleCardData, articleCard, articleSolvedCard, type Json } from '../../cards/teams';
import type { Actor, Evidence } from '../../domain/ticket/ticket';
import { BadActionError } from './errors';
import { chatIntakeCard } from './intake';

/**
 * Knowledge answers in Teams (and the playground): plain words that an article answers get the article card first
 * ("Did this solve it?"). The card carries its state (the article, its id, the words), so any replica answers it:
 * "Yes" counts one deflection per card (`teams:deflect:<user>:<card id>`), "No, raise a ticket" answers with the
 * intake card the words would have had, whose raise notes the article (the same card id: a double click raises once).
 */

/** The article card for `text`, or null when no article answers it (or it reports a fault). */
export function articleCardFor(app: App, text: string, files: Evidence[] = []): Json | null {
  const v = articleFor(app, text);
  if (!v) return null;
  const evidence = files.map((f) => f.value).join('\n');
  return articleCard(v, {
    article: v.id,
    form: randomUUID(),
    text: text.slice(0, 5000),
    ...(evidence ? { evidence } : {}),
  });
}

const cardData = z.object({
  article: z.string().min(1).max(100),
  form: z.string().min(1).max(100),
  text: z.string().min(1).max(5000),
  evidence: z.string().max(20_000).optional(),
});

/** "Yes, that solved it" / "No, raise a ticket" on an article card: the card to answer with. */
export async function knowledgeAnswer(app: App, actor: Actor, verb: string, data: unknown): Promise<Json> {
  const parsed = cardData.safeParse(data ?? {});
  if (!parsed.success) throw new BadActionError('Invalid answer: please use the buttons on the card.');
  const d: ArticleCardData = parsed.data;
  if (verb === Action.KnowledgeSolved) {
    const r = await articleSolved(app, {
      key: `teams:deflect:${actor.userId}:${d.form}`,
      article: d.article,
      who: actor,
    });
    return articleSolvedCard(r.article, d);
  }
  const article = offeredArticle(app.policy, d.article);
  // Links only (the message's attachments): anything else in the card's data is not evidence.
  const files: Evidence[] = (d.evidence ?? '')
    .split('\n')
    .filter((v) => /^https:\/\/\S+$/.test(v))
    .slice(0, 20)
    .map((value) => ({ kind: 'file', value: value.slice(0, 1000) }));
  const card = await chatIntakeCard(app, d.text, actor, {
    files,
    ...(article ? { declined: { article, formId: d.form } } : {}),
  });
  if ('notSupported' in card) throw new BadActionError(String(card.notSupported));
  return card;
}

/** The verbs of an article card. */
export function isKnowledgeVerb(verb: unknown): boolean {
  return verb === Action.KnowledgeSolved || verb === Action.KnowledgeRaise;
}
