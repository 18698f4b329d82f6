/**
 * What an agent types after `search`: words, and filters `client:NAME`, `requester:NAME`, `status:NAME`, `open`,
 * `since:7d` (or `since:2026-03-01`), and `page N`. A filter's value may be quoted (`client:"acme ltd"`).
 */
import { InvalidInputError } from '../errors';
import { clientTerms, plainWords, requesterTerms, searchTerms } from './terms';

export interface SearchRequest {
  /** The words as typed (shown back in the answer). */
  words: string[];
  /** Their search terms (stems), deduplicated. */
  terms: string[];
  client: string | null;
  requester: string | null;
  /** The status as typed; the app resolves it against the policy's statuses. */
  status: string | null;
  /** Only open tickets (not closed). */
  open: boolean;
  /** Raised at or after this instant. */
  since: Date | null;
  /** 1-based. */
  page: number;
  /** The same search without its page, to say how to ask for the next one. */
  text: string;
}

const MAX_PAGE = 50;
const MAX_WORDS = 12;
const TOKEN = /(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)/g;
const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, m: 30 * 86_400_000 };

/** `7d`, `2w`, `24h`, `3m` (30-day months) before `now`, or a date `2026-03-01` (UTC midnight). */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d{1,4})([hdwm])$/i.exec(value);
  if (rel?.[1] && rel[2]) return new Date(now.getTime() - Number(rel[1]) * (UNITS[rel[2].toLowerCase()] ?? 0));
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const at = day ? new Date(`${value}T00:00:00Z`) : null;
  if (at && !Number.isNaN(at.getTime())) return at;
  throw new InvalidInputError(
    `"since:${value.slice(0, 20)}" is not a date: write since:7d, since:2w or since:2026-03-01.`,
  );
}

/**
 * Parses the words after `search`. Unknown `key:value` pairs are words (an error code like `E:500` is searchable).
 * Throws InvalidInputError for a bad `since:` or page.
 */
export function parseSearch(input: string, now: Date): SearchRequest {
  const req: SearchRequest = {
    words: [],
    terms: [],
    client: null,
    requester: null,
    status: null,
    open: false,
    since: null,
    page: 1,
    text: '',
  };
  let rest = input.trim().slice(0, 500);
  const paged = /\s*\bpage\s*:?\s*(\d{1,4})\s*$/i.exec(rest);
  if (paged?.[1]) {
    req.page = Number(paged[1]);
    if (req.page < 1 || req.page > MAX_PAGE) throw new InvalidInputError(`Pages go from 1 to ${MAX_PAGE}.`);
    rest = rest.slice(0, paged.index);
  }
  req.text = rest.trim();
  for (const m of rest.matchAll(TOKEN)) {
    const key = (m[1] ?? m[3])?.toLowerCase();
    const value = (m[2] ?? m[4] ?? '').trim();
    if (key === 'client' && value) req.client = value.slice(0, 100);
    else if (key === 'requester' && value)
      req.requester = value.replace(/^<@([A-Z0-9]+)(\|[^>]*)?>$/i, '$1').slice(0, 100);
    else if (key === 'status' && value) req.status = value.slice(0, 60);
    else if (key === 'since' && value) req.since = parseSince(value, now);
    else {
      const word = m[0];
      if (word.toLowerCase() === 'open') req.open = true;
      else req.words.push(...plainWords(m[5] ?? word));
    }
  }
  req.words = req.words.slice(0, MAX_WORDS);
  req.terms = searchTerms(req.words.join(' '));
  return req;
}

/** The index terms every match must hold: the rarest kinds first (a person, a client, then words, longest first). */
export function requiredTerms(req: Pick<SearchRequest, 'terms' | 'client' | 'requester'>): string[] {
  const words = [...req.terms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return [
    ...(req.requester ? requesterTerms(req.requester) : []),
    ...(req.client ? clientTerms(req.client) : []),
    ...words,
  ];
}
