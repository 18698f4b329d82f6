/**
 * BM25 retrieval (`minisearch`) over documents of four fields (name, description, examples, keywords), each as stems
 * and stem bigrams from `lexicon.ts`; a query's unknown words of five letters or more are matched fuzzily (typos), and
 * a keyword found whole in the query adds `weights.keyword` per word to its document's score. The coverage catalogue
 * (`catalogue-index.ts`) and the knowledge articles (`../knowledge/match.ts`) are both searched with it.
 */
import MiniSearch from 'minisearch';
import { KeywordSet } from './keyword-set';
import { type Term, termsOf, termsOfNormal } from './lexicon';

/** Weights of the retrieval; the defaults were chosen on the tuning part of the evaluation set. */
export interface RetrievalWeights {
  /** Score added per word of a policy keyword found whole in the request. */
  keyword: number;
  /** Maximum edit distance for a typo, as a fraction of the word length. */
  fuzzy: number;
  /** Field boosts. */
  name: number;
  description: number;
  examples: number;
  keywords: number;
}

export const DEFAULT_WEIGHTS: RetrievalWeights = {
  keyword: 12,
  fuzzy: 0.2,
  name: 1,
  description: 1,
  examples: 1,
  keywords: 0.5,
};

/** One document as written in the policy. */
export interface TextDocument<E> {
  entry: E;
  name: string;
  description: string;
  examples: readonly string[];
  keywords: readonly string[];
}

/** One ranked document: its score and the words of the query that matched it. */
export interface Ranked<E> {
  entry: E;
  score: number;
  words: string[];
}

interface Doc {
  id: number;
  name: string;
  description: string;
  examples: string;
  keywords: string;
}

const join = (terms: Term[]) => terms.map((t) => t.term).join(' ');

/** A compiled retrieval index over documents; `rank` reads a query already in normal form. */
export class TextIndex<E> {
  private readonly entries: E[];
  private readonly search: MiniSearch<Doc>;
  private readonly vocabulary = new Set<string>();
  private readonly keywords: KeywordSet<number>;

  constructor(
    documents: ReadonlyArray<TextDocument<E>>,
    private readonly weights: RetrievalWeights = DEFAULT_WEIGHTS,
  ) {
    this.entries = documents.map((d) => d.entry);
    this.search = new MiniSearch<Doc>({
      fields: ['name', 'description', 'examples', 'keywords'],
      tokenize: (s) => s.split(' ').filter(Boolean),
      processTerm: (t) => t,
      searchOptions: { tokenize: (s) => s.split(' ').filter(Boolean), processTerm: (t) => t },
    });
    const docs = documents.map((d, id): Doc => {
      const doc = {
        id,
        name: join(termsOf(d.name.replace(/\(.*?\)/g, ' '))),
        description: join(termsOf(d.description)),
        examples: d.examples.map((x) => join(termsOf(x))).join(' '),
        keywords: d.keywords.map((k) => join(termsOf(k.replace(/\*$/, '')))).join(' '),
      };
      for (const field of [doc.name, doc.description, doc.examples, doc.keywords])
        for (const t of field.split(' ')) if (t) this.vocabulary.add(t);
      return doc;
    });
    this.search.addAll(docs);
    this.keywords = new KeywordSet(documents.flatMap((d, owner) => d.keywords.map((keyword) => ({ keyword, owner }))));
  }

  /** Every document that shares a word with `asserted` (normal form), best first; ties keep document order. */
  rank(asserted: string): Ranked<E>[] {
    const terms = termsOfNormal(asserted);
    const surfaceOf = new Map<string, string>();
    for (const t of terms) if (!surfaceOf.has(t.term)) surfaceOf.set(t.term, t.surface);
    const scores = new Map<number, { score: number; words: Set<string> }>();
    const add = (id: number, score: number, words: Iterable<string>) => {
      const s = scores.get(id) ?? { score: 0, words: new Set<string>() };
      s.score += score;
      for (const w of words) s.words.add(w);
      scores.set(id, s);
    };
    if (surfaceOf.size) {
      const { fuzzy, name, description, examples, keywords } = this.weights;
      const results = this.search.search([...surfaceOf.keys()].join(' '), {
        combineWith: 'OR',
        boost: { name, description, examples, keywords },
        // Typos: unknown words of 5 to 20 letters, at most 2 edits (a long token would cost a huge edit matrix).
        fuzzy: (term) =>
          this.vocabulary.has(term) || term.includes('_') || term.length < 5 || term.length > 20 ? false : fuzzy,
        maxFuzzy: 2,
      });
      for (const r of results)
        add(
          r.id as number,
          r.score,
          r.queryTerms.filter((t) => !t.includes('_')).map((t) => surfaceOf.get(t) ?? t),
        );
    }
    for (const hit of this.keywords.hits(asserted))
      for (const owner of hit.alt.owners)
        add(owner, this.weights.keyword * hit.text.split(' ').length, [hit.alt.stem ? hit.text : hit.alt.label]);
    return [...scores.entries()]
      .map(([id, s]) => ({ entry: this.entries[id] as E, score: s.score, words: [...s.words], id }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .map(({ entry, score, words }) => ({ entry, score, words }));
  }
}
