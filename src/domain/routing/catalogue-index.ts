/**
 * Category, owning team and Not Supported item by text retrieval over the coverage catalogue. Each catalogue item is
 * one document (its name, description, examples and keywords, as stems and stem bigrams from `lexicon.ts`) in a BM25
 * index (`minisearch`); a request is the query, with unknown words of five letters or more matched fuzzily (typos).
 * The policy's keywords also count once more as a phrase signal (a keyword found whole in the request adds to its
 * item's score). The reason quotes the words of the request that matched.
 */
import MiniSearch from 'minisearch';
import type { Category, NotSupportedItem, Policy } from '../../config/policy.schema';
import { KeywordSet } from './keyword-set';
import { type Term, termsOf, termsOfNormal } from './lexicon';

/** A catalogue item as retrieval sees it. */
export type CatalogueItem =
  | { kind: 'category'; id: string; item: Category }
  | { kind: 'notSupported'; id: string; item: NotSupportedItem };

/** One ranked item: its score and the words of the request that matched it. */
export interface Match {
  entry: CatalogueItem;
  score: number;
  words: string[];
}

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

interface Doc {
  id: number;
  name: string;
  description: string;
  examples: string;
  keywords: string;
}

const join = (terms: Term[]) => terms.map((t) => t.term).join(' ');

/** A compiled retrieval index over a policy's coverage catalogue. */
export class CatalogueIndex {
  private readonly entries: CatalogueItem[] = [];
  private readonly search: MiniSearch<Doc>;
  private readonly vocabulary = new Set<string>();
  private readonly keywords: KeywordSet<number>;

  constructor(
    coverage: Policy['coverage'],
    private readonly weights: RetrievalWeights = DEFAULT_WEIGHTS,
  ) {
    for (const [id, item] of Object.entries(coverage.categories)) this.entries.push({ kind: 'category', id, item });
    for (const [id, item] of Object.entries(coverage.notSupported))
      this.entries.push({ kind: 'notSupported', id, item });
    this.search = new MiniSearch<Doc>({
      fields: ['name', 'description', 'examples', 'keywords'],
      tokenize: (s) => s.split(' ').filter(Boolean),
      processTerm: (t) => t,
      searchOptions: { tokenize: (s) => s.split(' ').filter(Boolean), processTerm: (t) => t },
    });
    const docs = this.entries.map((e, id): Doc => {
      const doc = {
        id,
        name: join(termsOf(e.item.name.replace(/\(.*?\)/g, ' '))),
        description: join(termsOf(e.item.description)),
        examples: e.item.examples.map((x) => join(termsOf(x))).join(' '),
        keywords: e.item.keywords.map((k) => join(termsOf(k.replace(/\*$/, '')))).join(' '),
      };
      for (const field of [doc.name, doc.description, doc.examples, doc.keywords])
        for (const t of field.split(' ')) if (t) this.vocabulary.add(t);
      return doc;
    });
    this.search.addAll(docs);
    this.keywords = new KeywordSet(
      this.entries.flatMap((e, owner) => e.item.keywords.map((keyword) => ({ keyword, owner }))),
    );
  }

  /** Every catalogue item that shares a word with `asserted` (normal form), best first; ties keep policy order. */
  rank(asserted: string): Match[] {
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
      .map(([id, s]) => ({ entry: this.entries[id] as CatalogueItem, score: s.score, words: [...s.words], id }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .map(({ entry, score, words }) => ({ entry, score, words }));
  }

  /** The category flagged `platformWide` (owner of outages and global incidents), if the policy has one. */
  platformWide(): CatalogueItem | undefined {
    return this.entries.find((e) => e.kind === 'category' && e.item.platformWide);
  }
}
