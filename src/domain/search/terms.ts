/**
 * Search terms: the words of a ticket as the agents' search stores and matches them. Lower case, accents and
 * punctuation stripped, contractions expanded (routing/normalise), stop words dropped, each word stemmed (Porter 2,
 * the same stemmer as triage), so "Exporting", "exports" and "export" are one term. A ticket stores its terms
 * deduplicated and bounded; filters that are words of a field (the client, the requester) are stored as prefixed
 * terms (`c:acme`, `r:rita`), so a search with words and those filters is one look-up in one multikey index.
 *
 * Internal notes are never terms: a requester's search could otherwise tell which words the agents wrote about
 * their ticket.
 */
import { stemWord } from '../routing/lexicon';
import { normaliseForMatching } from '../routing/normalise';
import type { Ticket } from '../ticket/ticket';

/** The most terms a ticket stores (the title, client and requester always fit; long conversations are cut). */
export const MAX_TERMS = 300;
/** Longer "words" are ids, hashes or pasted noise: not terms. */
const MAX_WORD_LENGTH = 30;

/** Prefix of a client term (`c:acme`) and of a requester term (`r:rita`). */
export const CLIENT_PREFIX = 'c:';
export const REQUESTER_PREFIX = 'r:';

const STOP_WORDS = new Set(
  (
    'a an the and or of to in on at for from by with as is are was were be been being am do does did done have has ' +
    'had i me my we us our you your he him his she her they them their it its this that these those there here what ' +
    'which who whom whose when where why how can could would should will shall may might must please thanks thank ' +
    'hi hello hey just so some any all very also too then than into onto if but not no'
  ).split(' '),
);

/** Lower-case words of letters and digits, accents removed (`Café-Export!` → `cafe export`). */
export function plainWords(text: string): string[] {
  const normal = normaliseForMatching(text.normalize('NFKD').replace(/\p{M}+/gu, '')).replace(/'/g, '');
  return normal === '' ? [] : normal.split(' ');
}

/** The search terms of a text, in order of first appearance, deduplicated. */
export function searchTerms(text: string): string[] {
  const out = new Set<string>();
  for (const word of plainWords(text)) {
    if (word.length > MAX_WORD_LENGTH || STOP_WORDS.has(word)) continue;
    if (word.length < 2 && !/^\d$/.test(word)) continue;
    out.add(stemWord(word));
  }
  return [...out];
}

/** The prefixed terms of a client filter or field: every word of the name, and the directory id when there is one. */
export function clientTerms(name: string, clientId?: string | null): string[] {
  const words = plainWords(name).filter((w) => w.length <= MAX_WORD_LENGTH);
  const id = clientId ? [clientId.toLowerCase().replace(/\s+/g, '')] : [];
  return [...new Set([...words, ...id])].map((w) => `${CLIENT_PREFIX}${w}`);
}

/** The prefixed terms of a requester filter or field: every word of the name, and their platform user id. */
export function requesterTerms(name: string, userId?: string): string[] {
  const words = plainWords(name).filter((w) => w.length <= MAX_WORD_LENGTH);
  const id = userId ? [userId.toLowerCase().slice(0, 60)] : [];
  return [...new Set([...words, ...id])].map((w) => `${REQUESTER_PREFIX}${w}`);
}

/** What the search indexes of a ticket. */
export type Searchable = Pick<Ticket, 'title' | 'description' | 'client' | 'clientId' | 'requester' | 'conversation'>;

/**
 * The terms a ticket stores: client and requester terms first, then the words of its title, client name,
 * description and conversation (requester and agent messages, never internal notes), at most {@link MAX_TERMS}.
 */
export function ticketTerms(t: Searchable): string[] {
  const out = new Set<string>([
    ...clientTerms(t.client, t.clientId),
    ...requesterTerms(t.requester.name, t.requester.userId),
  ]);
  const texts = [t.title, t.client, t.description, ...t.conversation.filter((m) => !m.internal).map((m) => m.text)];
  for (const text of texts) {
    for (const term of searchTerms(text)) {
      if (out.size >= MAX_TERMS) return [...out];
      out.add(term);
    }
  }
  return [...out];
}
