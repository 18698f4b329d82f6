/**
 * A request cut into clauses, each marked when the requester disclaims it: "we do not need a new site", "not asking to
 * change the schedule", "no custom code needed", "it's not an outage", "the system isn't down". A disclaimed clause
 * says what the request is *not*, so triage reads neither its topic nor its severity words. A negated capability
 * ("we can't find the invoice", "it doesn't work") is not a disclaimer: it is the problem itself.
 */
import { normaliseForMatching } from './normalise';

/** One clause of a request in normal form. */
export interface Clause {
  normal: string;
  /** The requester says this is not what they want or not what is happening. */
  disclaimed: boolean;
}

/** Punctuation and dashes that end a clause (commas too: "we don't need a new site, just a new user"). */
const CLAUSE_END = /[.!?;:,\n()]+|\s[-–—]+\s/;
/** Words that start a new clause inside a sentence. */
const CONTRAST = /(?<![^ ])(?=(?:but|just|only|though|however|instead|rather|although|whereas) )/;

const DISCLAIMER = new RegExp(
  [
    // "not a new site", "isn't an outage", "never a problem"
    '(?:not|never) (?:a|an|really a|really an) ',
    // "do not need", "not asking", "we are not switching", "don't want", "no longer want"
    '(?:not|never|no longer)(?: (?:really|even|actually|currently|looking to|planning to|trying to))? (?:need|needs|needed|want|wants|wanted|asking|ask|asked|looking|require|requires|required|requesting|request|switching|moving|migrating|planning|after) ',
    // "no custom code needed", "no new integration required"
    '(?:^| )no (?:\\S+ ){1,3}(?:needed|required|necessary|wanted)(?: |$)',
    // "the system is not down", "it is not urgent", "isn't an outage"
    ' (?:is|are|was|were) not (?:down|offline|urgent|an outage|unavailable|broken)(?: |$)',
  ].join('|'),
);

/** Cut `text` into clauses and mark the disclaimed ones. */
export function clausesOf(text: string): Clause[] {
  const out: Clause[] = [];
  for (const piece of text.split(CLAUSE_END)) {
    const normal = normaliseForMatching(piece);
    if (!normal) continue;
    for (const part of normal.split(CONTRAST)) {
      const p = part.trim();
      if (p) out.push({ normal: p, disclaimed: DISCLAIMER.test(` ${p} `) });
    }
  }
  return out;
}

/** The text of the clauses the requester did not disclaim, joined with " | " so no phrase spans two clauses. */
export function assertedText(clauses: readonly Clause[]): string {
  return clauses
    .filter((c) => !c.disclaimed)
    .map((c) => c.normal)
    .join(' | ');
}
