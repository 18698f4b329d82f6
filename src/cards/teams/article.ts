import { Action } from '../actions';
import { ARTICLE_WORDS, type ArticleView } from '../article';
import { execute } from './actions';
import { adaptiveCard, type CardElement, type Json, label, plain } from './text';

/** What the article's buttons carry: the article, the card's id (one deflection per card), and the request's words. */
export interface ArticleCardData {
  article: string;
  form: string;
  text: string;
  evidence?: string;
}

/** The article's own elements: title, answer, numbered steps, link (all plain text: markdown inert). */
function articleElements(v: ArticleView): CardElement[] {
  const out: CardElement[] = [
    label(ARTICLE_WORDS.intro, { isSubtle: true }),
    plain(v.title, 120, { weight: 'Bolder', size: 'Medium' }),
    plain(v.answer, 2500),
  ];
  v.steps.forEach((s, i) => {
    out.push(plain(`${i + 1}. ${s}`, 320));
  });
  if (v.link) out.push(plain(`More: ${v.link}`, 500, { isSubtle: true }));
  return out;
}

const dataOf = (d: ArticleCardData): Record<string, string> => ({
  article: d.article,
  form: d.form,
  text: d.text,
  ...(d.evidence ? { evidence: d.evidence } : {}),
});

/** The answer to a request before it is raised: the article and "Did this solve it?". */
export function articleCard(v: ArticleView, d: ArticleCardData): Json {
  return adaptiveCard(
    [...articleElements(v), label(ARTICLE_WORDS.question, { weight: 'Bolder', spacing: 'Medium' })],
    [
      execute(ARTICLE_WORDS.solved, Action.KnowledgeSolved, dataOf(d), { style: 'positive' }),
      execute(ARTICLE_WORDS.raise, Action.KnowledgeRaise, dataOf(d)),
    ],
  );
}

/** After "Yes, that solved it": the article stays, with raising still one click away. */
export function articleSolvedCard(v: ArticleView, d: ArticleCardData): Json {
  return adaptiveCard(
    [...articleElements(v), label(`✓ ${ARTICLE_WORDS.thanks}`, { weight: 'Bolder', spacing: 'Medium' })],
    [execute(ARTICLE_WORDS.raiseAnyway, Action.KnowledgeRaise, dataOf(d))],
  );
}
