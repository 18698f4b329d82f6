/**
 * Many phrases compiled into one regex, matched on whole words of the {@link normaliseForMatching} form. A phrase
 * written with a trailing `*` is a stem (`"miscalculat*"` matches "miscalculated"); otherwise an optional plural /
 * possessive suffix is allowed on the last word. At each word start only the longest phrase is taken, and a hit lying
 * wholly inside an earlier, longer hit is dropped. Used for the policy's keywords and severity signals.
 */
import { escapeRegExp, normaliseForMatching } from './normalise';

/** One keyword as written in the policy, compiled into one alternative of a {@link KeywordSet}. */
export interface Alternative<T> {
  /** The keyword as written (the first spelling, when several normalise alike), quoted in reasons. */
  label: string;
  /** A stem keyword (`"miscalculat*"`): the reason quotes the word actually matched instead of the label. */
  stem: boolean;
  /** Specificity: normalised keyword length. */
  weight: number;
  /** Every owner of this keyword, in policy order. */
  owners: T[];
}

/** A hit of one alternative in the normalised text. */
export interface Hit<T> {
  alt: Alternative<T>;
  start: number;
  end: number;
  text: string;
}

/** Many keywords compiled into one regex with one capture group per distinct normalised keyword. */
export class KeywordSet<T> {
  private readonly alternatives: Alternative<T>[];
  /** Non-stem alternatives by normalised text: an exact hit is resolved without scanning the capture groups. */
  private readonly exact = new Map<string, Alternative<T>>();
  private readonly regex: RegExp | undefined;

  constructor(entries: Iterable<{ keyword: string; owner: T }>) {
    const byKey = new Map<string, Alternative<T> & { source: string }>();
    for (const { keyword, owner } of entries) {
      const trimmed = keyword.trim();
      const stem = trimmed.endsWith('*');
      const normal = normaliseForMatching(stem ? trimmed.slice(0, -1) : trimmed);
      if (!normal) continue;
      const source = escapeRegExp(normal) + (stem ? '[^ ]*' : "(?:e?s|'s)?");
      const key = `${stem ? '*' : ''}${normal}`;
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.owners.includes(owner)) existing.owners.push(owner);
      } else {
        byKey.set(key, {
          label: stem ? trimmed.slice(0, -1).trim() : trimmed,
          stem,
          weight: normal.length,
          owners: [owner],
          source,
        });
      }
    }
    // Longest first, so the alternation takes the longest keyword at each word start.
    const sorted = [...byKey.values()].sort((a, b) => b.weight - a.weight || Number(a.stem) - Number(b.stem));
    this.alternatives = sorted;
    for (const [key, alt] of byKey) if (!alt.stem) this.exact.set(key, alt);
    this.regex = sorted.length
      ? new RegExp(`(?<![^ ])(?:${sorted.map((a) => `(${a.source})`).join('|')})(?![^ ])`, 'g')
      : undefined;
  }

  /** Every hit (the longest at each word start), in text order, minus those lying wholly inside an earlier, longer hit. */
  *hits(normal: string): Generator<Hit<T>> {
    const re = this.regex;
    if (!re) return;
    re.lastIndex = 0;
    let maxEnd = -1;
    for (let m = re.exec(normal); m; m = re.exec(normal)) {
      const start = m.index;
      const end = start + m[0].length;
      re.lastIndex = start + 1;
      if (end <= maxEnd) continue; // inside a longer hit that started earlier
      maxEnd = end;
      // A keyword spelled exactly like the hit sorts before any shorter keyword that could also produce it.
      const alt = this.exact.get(m[0]) ?? this.alternatives[m.findIndex((g, i) => i > 0 && g !== undefined) - 1];
      if (alt) yield { alt, start, end, text: m[0] };
    }
  }
}
