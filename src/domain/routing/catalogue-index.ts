/**
 * Category, owning team and Not Supported item by text retrieval over the coverage catalogue. Each catalogue item is
 * one document (its name, description, examples and keywords) of a {@link TextIndex}: BM25 over stems and stem
 * bigrams, fuzzy matching of typos, and the policy's keywords counted once more as a phrase signal. The reason quotes
 * the words of the request that matched.
 */
import type { Category, NotSupportedItem, Policy } from '../../config/policy.schema';
import { DEFAULT_WEIGHTS, type Ranked, type RetrievalWeights, TextIndex } from './text-index';

export { DEFAULT_WEIGHTS, type RetrievalWeights } from './text-index';

/** A catalogue item as retrieval sees it. */
export type CatalogueItem =
  | { kind: 'category'; id: string; item: Category }
  | { kind: 'notSupported'; id: string; item: NotSupportedItem };

/** One ranked item: its score and the words of the request that matched it. */
export type Match = Ranked<CatalogueItem>;

/** A compiled retrieval index over a policy's coverage catalogue. */
export class CatalogueIndex {
  private readonly entries: CatalogueItem[] = [];
  private readonly index: TextIndex<CatalogueItem>;

  constructor(coverage: Policy['coverage'], weights: RetrievalWeights = DEFAULT_WEIGHTS) {
    for (const [id, item] of Object.entries(coverage.categories)) this.entries.push({ kind: 'category', id, item });
    for (const [id, item] of Object.entries(coverage.notSupported))
      this.entries.push({ kind: 'notSupported', id, item });
    this.index = new TextIndex(
      this.entries.map((entry) => ({ entry, ...entry.item })),
      weights,
    );
  }

  /** Every catalogue item that shares a word with `asserted` (normal form), best first; ties keep policy order. */
  rank(asserted: string): Match[] {
    return this.index.rank(asserted);
  }

  /** The category flagged `platformWide` (owner of outages and global incidents), if the policy has one. */
  platformWide(): CatalogueItem | undefined {
    return this.entries.find((e) => e.kind === 'category' && e.item.platformWide);
  }
}
