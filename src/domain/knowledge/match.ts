/**
 * Knowledge answers: the article that best answers a request, with its retrieval score, and whether the bot should
 * answer with it before a ticket is raised. Pure domain code (no I/O, no clock): the same retrieval as triage's
 * catalogue (`routing/text-index.ts`) over the policy's `knowledge.articles` (title, answer, steps, example phrasings
 * and keywords), on the clauses the requester did not disclaim (`routing/clauses.ts`).
 *
 * A request that reports a fault is never answered with an article, whatever its score: something broken, failing or
 * wrong (errors, an outage, data to fix), a page that stays blank or hangs, access denied, or sign-in lost by more
 * than one person or to the whole system. One person who cannot sign in is not a fault: that is what the password article is for. Nor is a follow-up
 * or a dispute about something already done ("you sent", "we approved the quote", "still", "fraud"), and an article
 * is never offered for a request with one of its `excludes` phrases.
 */
import type { KnowledgeArticle, KnowledgePolicy } from '../../config/knowledge.schema';
import { assertedText, clausesOf } from '../routing/clauses';
import { KeywordSet } from '../routing/keyword-set';
import { normaliseForMatching } from '../routing/normalise';
import { type ImpactFacts, readImpact } from '../routing/severity-facts';
import { DEFAULT_WEIGHTS, type RetrievalWeights, TextIndex } from '../routing/text-index';

/** The best article for a text: its id, score and the words that matched. */
export interface ArticleMatch {
  id: string;
  article: KnowledgeArticle;
  score: number;
  words: string[];
}

/** What {@link Knowledge.suggest} decides for a text. */
export interface KnowledgeSuggestion {
  /** The best-scoring article, if any shares a word with the text (even below the threshold). */
  best: ArticleMatch | null;
  /** Set when the text reports a fault, is a follow-up, or names what the article excludes: why it is not offered. */
  fault?: string;
  /** True when the bot should answer with `best` first: at or above the threshold, and no fault. */
  offer: boolean;
}

export interface Knowledge {
  /** Best article for this text, with a score, and whether to offer it. Never throws. */
  suggest(text: string): KnowledgeSuggestion;
}

/** Characters of the request the retrieval reads (a pasted log adds nothing but cost). */
const RETRIEVAL_TEXT = 2000;

/** Signing in, as opposed to access to something being denied. */
const SIGN_IN = /(?<![^ ])(?:log in|sign in|log on|sign on|login|locked out|get in|get into)(?![^ ])/;

/** Why the impact facts make a request a fault (not a question an article can answer), or undefined. */
export function faultIn(facts: ImpactFacts): string | undefined {
  const loss = facts.loss;
  if (!loss || loss.value === 'cosmetic') return facts.total ? `nothing works ('${facts.total}')` : undefined;
  if (loss.value === 'access') {
    const many = facts.scope?.value === 'everyone' || facts.scope?.value === 'group';
    if (facts.systemWide && facts.systemWide === loss.words) return `the system is down ('${loss.words}')`;
    if (many) return `access lost for more than one person ('${facts.scope?.words}', '${loss.words}')`;
    if (!SIGN_IN.test(loss.words)) return `access denied ('${loss.words}')`;
    return undefined;
  }
  return `something is broken or wrong ('${loss.words}')`;
}

/** Symptoms the impact facts do not name: a page or screen that is blank, spins or hangs. */
const SYMPTOM =
  /(?<![^ ])(?:(?:page|screen|portal|site|app|window) (?:is |shows |goes |stays |just )?(?:blank|empty|white|frozen)|spins|spinning|hangs|hanging|freezes|frozen)(?![^ ])/;

/** A follow-up or dispute about something already done: an article answers a first question, not this. */
const FOLLOW_UP =
  /(?<![^ ])(?:(?:you|your team|your agent|your guide|they) (?:sent|marked|quoted|said|told)|(?:we|i) (?:have |had )?(?:approved|paid|signed|accepted|tried|did|followed|received|got) (?:the|a|your|it|this|that|for)|(?:we|i) (?:were|was|have been|had been) quoted|found out|still|nobody has|no one has|not yet|fraud|fraudulent|scam|breach|(?:not|never) (?:being |been )?(?:delivered|received|arrived|arriving))(?![^ ])/;

/** The follow-up words in a request (normal form), if any. */
export function followUpIn(normal: string): string | undefined {
  return FOLLOW_UP.exec(normal)?.[0];
}

/** Compile the policy's articles; call again after the policy changes. */
export function createKnowledge(
  knowledge: KnowledgePolicy,
  opts: { threshold?: number; weights?: RetrievalWeights } = {},
): Knowledge {
  const threshold = opts.threshold ?? knowledge.threshold;
  const excludes = new KeywordSet(
    Object.entries(knowledge.articles).flatMap(([id, a]) => a.excludes.map((keyword) => ({ keyword, owner: id }))),
  );
  const index = new TextIndex(
    Object.entries(knowledge.articles).map(([id, article]) => ({
      entry: { id, article },
      name: article.title,
      description: [article.answer, ...article.steps].join(' ').replace(/\{\w+\}/g, ' '),
      examples: article.examples,
      keywords: article.keywords,
    })),
    opts.weights ?? DEFAULT_WEIGHTS,
  );

  function suggest(text: string): KnowledgeSuggestion {
    const raw = typeof text === 'string' ? text.slice(0, 100_000) : '';
    const asserted = assertedText(clausesOf(raw));
    const top = index.rank(asserted.slice(0, RETRIEVAL_TEXT))[0];
    const best = top ? { ...top.entry, score: top.score, words: top.words } : null;
    const normal = normaliseForMatching(raw.slice(0, RETRIEVAL_TEXT));
    const excluded = best ? [...excludes.hits(normal)].find((h) => h.alt.owners.includes(best.id)) : undefined;
    const followUp = followUpIn(normal);
    const symptom = SYMPTOM.exec(asserted)?.[0];
    const fault =
      faultIn(readImpact(asserted)) ??
      (symptom ? `something is broken ('${symptom}')` : undefined) ??
      (followUp ? `a follow-up or dispute ('${followUp}')` : undefined) ??
      (excluded ? `not for this article ('${excluded.alt.label}')` : undefined);
    return { best, ...(fault ? { fault } : {}), offer: !!best && !fault && best.score >= threshold };
  }

  return { suggest };
}
