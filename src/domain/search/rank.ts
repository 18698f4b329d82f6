/**
 * Ranking of search candidates: every candidate already holds every required term (the store's index saw to that);
 * the order says where the words are. A word in the title weighs most, then the client, the description and the
 * conversation; open tickets and recently updated ones come first among equals.
 */
import { isOpen, type Ticket } from '../ticket/ticket';
import { type Searchable, searchTerms } from './terms';

const WEIGHTS = { title: 4, client: 3, description: 2, conversation: 1 } as const;
const OPEN_BONUS = 1.5;
/** Recency adds up to 1: a ticket updated now 1, thirty days ago 0.5. */
const RECENCY_HALF_DAYS = 30;

export type Rankable = Searchable & Pick<Ticket, 'number' | 'status' | 'updatedAt'>;

/** How well a ticket matches the search terms at `now` (higher first). */
export function searchScore(t: Rankable, terms: readonly string[], now: Date): number {
  const fields: Array<[keyof typeof WEIGHTS, Set<string>]> = [
    ['title', new Set(searchTerms(t.title))],
    ['client', new Set(searchTerms(t.client))],
    ['description', new Set(searchTerms(t.description))],
    [
      'conversation',
      new Set(
        t.conversation
          .filter((m) => !m.internal)
          .flatMap((m) => searchTerms(m.text))
          .slice(0, 2000),
      ),
    ],
  ];
  let score = 0;
  for (const term of terms) for (const [field, set] of fields) if (set.has(term)) score += WEIGHTS[field];
  const ageDays = Math.max(0, now.getTime() - t.updatedAt.getTime()) / 86_400_000;
  return score + (isOpen(t) ? OPEN_BONUS : 0) + 1 / (1 + ageDays / RECENCY_HALF_DAYS);
}

/** Candidates best first; ties by the most recently updated, then the number. */
export function rankTickets<T extends Rankable>(candidates: readonly T[], terms: readonly string[], now: Date): T[] {
  return candidates
    .map((t) => ({ t, score: searchScore(t, terms, now) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.t.updatedAt.getTime() - a.t.updatedAt.getTime() ||
        (a.t.number < b.t.number ? -1 : a.t.number > b.t.number ? 1 : 0),
    )
    .map((x) => x.t);
}
