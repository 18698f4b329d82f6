/**
 * The words of a request as the catalogue retrieval sees them: normal form → words, stop words dropped, synonyms of
 * the support domain folded together, each word stemmed (Porter 2, `wink-porter2-stemmer`), plus the bigram of each
 * two neighbouring words so that phrases ("posted invoice", "new site") weigh more than the same words apart.
 */
import stem from 'wink-porter2-stemmer';
import { normaliseForMatching } from './normalise';

/** A term as indexed or queried, with the word the requester actually typed (quoted in reasons). */
export interface Term {
  term: string;
  surface: string;
}

const STOP_WORDS = new Set(
  (
    'a an the and or of to in on at for from by with as is are was were be been being am do does did done have has had ' +
    'i me my we us our you your he him his she her they them their it its this that these those there here what which ' +
    'who whom whose when where why how can could would should will shall may might must please thanks thank hi hello ' +
    'hey morning afternoon team guys just so some any all very really also too again still yet then than into onto ' +
    'up out about over if but only since because while after before get got getting go going went gone make made ' +
    'let know think see seems seem look looks bit lot lots one two three today yesterday tomorrow week weekend ' +
    'monday tuesday wednesday thursday friday now quick q someone something anything everything several possible ' +
    'like would ok okay question questions issue issues problem problems help not no'
  ).split(' '),
);

/**
 * Synonyms of the support domain, folded into one word before stemming: [phrase in normal form, replacement]. They
 * are language facts (how staff say a thing), not catalogue data: the catalogue itself lives in the policy.
 */
const SYNONYMS: Array<[string, string]> = [
  ['log in', 'login'],
  ['log on', 'login'],
  ['sign in', 'login'],
  ['sign on', 'login'],
  ['get in', 'login'],
  ['get into', 'login'],
  ['logon', 'login'],
  ['pasword', 'password'],
  ['passwd', 'password'],
  ['pwd', 'password'],
  ['vendor', 'supplier'],
  ['vendors', 'suppliers'],
  ['db', 'database'],
  ['all our data', 'database'],
  ['all of our data', 'database'],
  ['dump', 'copy'],
  ['backup', 'copy'],
  ['bak', 'copy'],
  ['sql', 'query'],
  ['select statement', 'query'],
  ['scanning tool', 'ocr'],
  ['scanner', 'ocr'],
  ['verification tool', 'ocr'],
  ['vanished', 'missing'],
  ['disappeared', 'missing'],
  ['gone missing', 'missing'],
  ['can not find', 'missing'],
  ['re map', 'remap'],
  ['re mapping', 'remapping'],
  ['soc ii', 'soc2'],
  ['soc 2', 'soc2'],
  ['e mail', 'email'],
  ['emailed', 'email'],
  ['permissions', 'access'],
  ['permission', 'access'],
  ['rights', 'access'],
];

/** ERP and accounting systems staff name instead of saying "ERP": each also counts as the word "erp". */
export const ERP_NAMES =
  /(?<![^ ])(?:sage(?: intacct| 200| x3)?|netsuite|net suite|dynamics(?: 365| nav| gp| ax)?|d365|business central|xero|quickbooks|sap(?: s 4hana| s4| b1)?|s 4hana|oracle(?: fusion)?|workday(?: financials)?|sun systems|coda|unit4|epicor|infor|acumatica|odoo|erp)(?![^ ])/g;

const SYNONYM_RE = new RegExp(
  `(?<![^ ])(?:${SYNONYMS.map(([from]) => from)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![^ ])`,
  'g',
);
const SYNONYM_OF = new Map(SYNONYMS);

const stemCache = new Map<string, string>();
/** Porter 2 stem of one lower-case word (cached: the vocabulary of requests is small). */
export function stemWord(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) ? stem(word) : word;
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}

/** Normal form with synonyms folded and ERP names marked (`"sage"` → `"sage erp"`). */
export function foldSynonyms(normal: string): string {
  return normal
    .replace(SYNONYM_RE, (w) => SYNONYM_OF.get(w) ?? w)
    .replace(ERP_NAMES, (w) => (w === 'erp' ? w : `${w} erp`));
}

/** The retrieval terms of a text already in normal form: content-word stems and neighbouring-stem bigrams. */
export function termsOfNormal(normal: string): Term[] {
  const words = foldSynonyms(normal)
    .split(' ')
    .filter((w) => w === '|' || (w.length > 1 && w.length <= 30 && !STOP_WORDS.has(w) && !/^\d+$/.test(w)));
  const out: Term[] = [];
  let previous: Term | undefined;
  for (const word of words) {
    if (word === '|') {
      previous = undefined; // a clause boundary: no bigram across it
      continue;
    }
    const t: Term = { term: stemWord(word), surface: word };
    out.push(t);
    if (previous && previous.term !== t.term)
      out.push({ term: `${previous.term}_${t.term}`, surface: `${previous.surface} ${word}` });
    previous = t;
  }
  return out;
}

/** {@link termsOfNormal} of raw text. */
export function termsOf(text: string): Term[] {
  return termsOfNormal(normaliseForMatching(text));
}
