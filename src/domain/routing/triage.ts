/**
 * Triage rules: turn a requester's free text into a suggested summary, category (and owning team), severity, request
 * type, a "not supported" verdict and the information still missing. Pure domain code: no I/O, no clock, no env.
 *
 * Matching design (decided here; the policy's keyword lists in `coverage` and `severities.N.signals` are tuned for it):
 *
 * - **Normalisation.** Text and keywords go through the same {@link normaliseForMatching}: Unicode NFKC, lower-case,
 *   curly quotes and backticks → `'`, every character that is not a letter, digit or apostrophe → space (so
 *   `"one-time"` = `"one time"`, `"re-map"` = `"re map"`), apostrophes kept only inside words (quote marks dropped,
 *   `can't` / `client's` kept), whitespace collapsed. Negative contractions and a few pronoun contractions are then
 *   expanded (`can't` / `cannot` / `cant` → `can not`, `doesn't` → `does not`, `isn't` → `is not`, `I'm` → `i am`,
 *   `it's` → `it is`, …) and `login` / `log-in` → `log in`, so one keyword covers every spelling: the keyword
 *   `"not working"` also matches "isn't working", `"can't log in"` matches "cannot login".
 * - **Word boundaries.** A keyword matches whole words only: it must start at a word start and end at a word end.
 *   Two relaxations at the end of the *last* word: an optional plural / possessive suffix (`s`, `es`, `'s`) is always
 *   allowed (`"missing invoice"` matches "missing invoices"), and a keyword written with a trailing `*` is a stem
 *   that matches any word continuing it (`"miscalculat*"` matches "miscalculated", "miscalculation"). Without the `*`
 *   a keyword never matches inside a longer word (`"erp"` does not match "erpnext", `"bug"` does not match "debug").
 * - **Precompiled.** {@link createTriage} compiles one alternation regex for the whole coverage catalogue (categories
 *   and not-supported items together), one for the severity signals and one for workaround mentions; `suggest()` only
 *   runs them, so its cost is linear in the text (100k characters take a few milliseconds).
 * - **Most specific wins.** At each word start only the longest keyword is taken; a match lying wholly inside a longer
 *   match (from any item) is discarded (`"report"` inside `"custom report"`, `"erp"` inside `"new erp"`). Among the
 *   remaining matches the longest keyword (in normalised characters) wins; ties go to the earliest position in the
 *   text, then to the item listed first in the policy.
 * - **Not supported beats categories.** When any not-supported item matches it is returned (with its reply and route)
 *   even if a category's phrase is longer; the best category found elsewhere in the text is still returned too, so a
 *   caller knows which team would otherwise own the request.
 * - **Severity.** The most severe signal matched wins (1 beats 2 …); a signal preceded by a negation ("no", "not",
 *   "without", "isn't", "don't have a", …) is ignored ("it's not an outage", "there is no workaround"). Without any
 *   signal the category's default severity applies, else Severity 3. A non-negated workaround mention
 *   ({@link WORKAROUND_PHRASES}) caps the result at Severity 3 unless a Severity 1 signal matched (seed 000: a module
 *   impaired with a workaround available is Severity 3).
 * - **Request type.** From the category, else `troubleshooting`; a not-supported item routed as `change_request` makes
 *   it `change_request`.
 * - **Missing information** (heuristics, in this order): `businessImpact` unless an impact word appears (users,
 *   customers, clients, staff, everyone, nobody, all, blocked, urgent, asap, deadline, revenue, cannot, unable,
 *   critical, month end, payroll, affected, impact, stuck, …) or a Severity 1/2 signal matched; `client` unless a
 *   client / customer / company / organisation / tenant word, a legal suffix (Ltd, plc, Inc, GmbH, …) or a capitalised
 *   name after "from" / "at" / "we are" / "on behalf of" appears; `evidence` unless there is a URL, a file name
 *   (`invoices.csv`), an attachment or screenshot mention, a quoted message, an "error:" / "says:" colon, an error code
 *   (`Error 500`, `ERR-4411`) or a stack trace / exception / error log mention; `steps` unless the text says "steps",
 *   "step 1", "when I/we", "after I", "I clicked", "to reproduce", … or has a numbered list (both "1." and "2.").
 */
import type { Category, NotSupportedItem, Policy, RequestType, Severity, TeamId } from '../../config/policy.schema';

/** What {@link Triage.suggest} proposes for one message. Every field is a suggestion an agent can override. */
export interface TriageSuggestion {
  /** One-line title: the first sentence (greeting dropped), whitespace collapsed, at most 80 characters (ends "…" when cut). */
  summary: string;
  /** The best-matching coverage category and the team that owns it; absent when no category keyword matched. */
  category?: { id: string; name: string; team: TeamId; teamName: string; reason: string };
  /** Suggested severity and why, e.g. "matched 'invoicing is blocked' → Severity 2 (Major / High Impact Incident)". */
  severity: { value: Severity; reason: string };
  /** From the category (a `change_request` not-supported item forces `change_request`), else `troubleshooting`. */
  requestType: RequestType;
  /** Set when the request is on the "Not Supported" list: the reply to give and where it goes. */
  notSupported?: {
    id: string;
    name: string;
    route: 'quote_required' | 'change_request' | 'declined';
    reply: string;
    reason: string;
  };
  /** Information the requester should still be asked for, in this fixed order. */
  missing: Array<'businessImpact' | 'client' | 'evidence' | 'steps'>;
}

/** A compiled set of triage rules; see {@link createTriage}. */
export interface Triage {
  /** Suggest triage for one message. Never throws; empty text gives "(no description)" and Severity 3. */
  suggest(text: string): TriageSuggestion;
}

/** Summary used when the text has no visible content. */
export const EMPTY_SUMMARY = '(no description)';

/** Maximum summary length in characters (including the trailing "…" when cut). */
export const SUMMARY_MAX = 80;

/**
 * Phrases that mean "a workaround exists" and cap the severity at 3 (unless a Severity 1 signal matched). They are a
 * rule of the severity guide rather than catalogue data, so they live here, not in the policy; a negated mention
 * ("there is no workaround") does not count.
 */
export const WORKAROUND_PHRASES: readonly string[] = [
  'workaround',
  'work around',
  'alternative process',
  'alternate process',
  'alternative way',
  'another way',
  'manual process',
  'manual workaround',
  'do it manually',
  'doing it manually',
  'process manually',
  'processing manually',
];

type MissingItem = TriageSuggestion['missing'][number];

/* ------------------------------------------------------------------------------------------------ normalisation */

const CONTRACTIONS: Record<string, string> = {
  "can't": 'can not',
  cannot: 'can not',
  cant: 'can not',
  "won't": 'will not',
  "don't": 'do not',
  dont: 'do not',
  "doesn't": 'does not',
  doesnt: 'does not',
  "didn't": 'did not',
  didnt: 'did not',
  "isn't": 'is not',
  isnt: 'is not',
  "aren't": 'are not',
  arent: 'are not',
  "wasn't": 'was not',
  wasnt: 'was not',
  "weren't": 'were not',
  werent: 'were not',
  "haven't": 'have not',
  havent: 'have not',
  "hasn't": 'has not',
  hasnt: 'has not',
  "hadn't": 'had not',
  "couldn't": 'could not',
  couldnt: 'could not',
  "wouldn't": 'would not',
  wouldnt: 'would not',
  "shouldn't": 'should not',
  shouldnt: 'should not',
  "ain't": 'is not',
  "i'm": 'i am',
  im: 'i am',
  "i've": 'i have',
  ive: 'i have',
  "we've": 'we have',
  "you've": 'you have',
  "they've": 'they have',
  "we're": 'we are',
  "you're": 'you are',
  "they're": 'they are',
  "i'll": 'i will',
  "we'll": 'we will',
  "i'd": 'i would',
  "we'd": 'we would',
  "it's": 'it is',
  "that's": 'that is',
  "there's": 'there is',
  "what's": 'what is',
  "here's": 'here is',
  "who's": 'who is',
  "where's": 'where is',
  login: 'log in',
  logins: 'log ins',
  logon: 'log on',
  signin: 'sign in',
};
const CONTRACTION_RE = new RegExp(
  `(?<![^ ])(?:${Object.keys(CONTRACTIONS)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})(?![^ ])`,
  'g',
);

/**
 * The normal form both the text and the keywords are matched in: lower-case words of letters, digits and inner
 * apostrophes separated by single spaces, with contractions expanded (see the module comment). Linear in the input.
 */
export function normaliseForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/(?<![\p{L}\p{N}])'+|'+(?![\p{L}\p{N}])/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(CONTRACTION_RE, (w) => CONTRACTIONS[w] ?? w);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/* ------------------------------------------------------------------------------------------------ keyword sets */

/** One keyword as written in the policy, compiled into one alternative of a {@link KeywordSet}. */
interface Alternative<T> {
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
interface Hit<T> {
  alt: Alternative<T>;
  start: number;
  end: number;
  text: string;
}

/** Many keywords compiled into one regex with one capture group per distinct normalised keyword. */
class KeywordSet<T> {
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

/** The most severe level owning a signal (a phrase listed under two severities counts as the more severe). */
function severityOf(hit: Hit<Severity>): Severity {
  return Math.min(...hit.alt.owners) as Severity;
}

/** The phrase quoted in a reason: the keyword as written, or the matched word for a stem keyword. */
function quoted(hit: Hit<unknown>): string {
  return `'${hit.alt.stem ? hit.text : hit.alt.label}'`;
}

/** True when `hit` beats `best`: longer keyword, then earlier position (the owner order is the caller's tie-break). */
function better(hit: Hit<unknown>, best: Hit<unknown> | undefined): boolean {
  return !best || hit.alt.weight > best.alt.weight;
}

/* ------------------------------------------------------------------------------------------------ heuristics */

/** A negation right before a signal: "no", "not an", "without a", "is not the", "do not have a", "never any" … */
const NEGATED_BEFORE =
  /(?:^| )(?:no|not|without|never|nor|hardly)(?: (?:have|has|had|got|get|find|found|see|seen|need|know of|aware of))?(?: (?:a|an|any|the|real|obvious|known|current|such|easy|simple|proper))? $/;

const WORKAROUND_SET = new KeywordSet(WORKAROUND_PHRASES.map((keyword) => ({ keyword, owner: true })));

const IMPACT_RE =
  /(?<![^ ])(?:users|customers|clients|staff|everyone|everybody|nobody|no one|all|blocked|blocking|urgent|urgently|asap|deadline|revenue|can not|unable|critical|month end|year end|payroll|payments|affected|affecting|impact|impacting|stuck|delayed|overdue|sla breach)(?![^ ])/;
const CLIENT_WORD_RE =
  /(?<![^ ])(?:client|clients|client's|customer|customer's|company|company's|organisation|organization|tenant|webapp|web app|ltd|limited|plc|inc|llc|gmbh|corp|corporation|trust|council|on behalf of)(?![^ ])/;
const CLIENT_NAME_RE =
  /\b(?:[Ff]rom|[Aa]t|[Ww]e are|[Ww]e're|[Oo]n behalf of)\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Level|Support|Nimbello|Service|Hubspot|HubSpot|The|This|That|Product|Admin|Development|Dev|Please|Thanks|Thank)\b)[A-Z][a-z][\w&'-]+/;
const EVIDENCE_RAW_RE =
  /https?:\/\/|\bwww\.|\b[\w-]+\.(?:csv|tsv|xlsx?|xml|json|txt|log|pdf|png|jpe?g|gif|zip|docx?|edi)\b|["\u201c][^"\u201c\u201d\n]{4,}["\u201d]|\b(?:error|code|status|exception|message|says|said|shows)\s*:|\b(?:error|code|status|http)\s*#?\s*[A-Za-z_-]{0,6}\d{3,}\b|\b[A-Z]{2,6}[-_]\d{2,}\b/;
const EVIDENCE_WORD_RE =
  /(?<![^ ])(?:attached|attachment|attachments|attaching|screenshot|screenshots|screen shot|screen grab|recording|video|stack trace|error log|log file|exception|error message says|error says|error reads)(?![^ ])/;
const STEPS_WORD_RE =
  /(?<![^ ])(?:steps|step 1|when i|when we|when you|when trying|whenever i|whenever we|after i|after we|after clicking|i clicked|we clicked|i click|then i|then we|to reproduce|first i|i went to|we went to)(?![^ ])/;
const NUMBERED_1_RE = /(?:^|\s)(?:1[.)]|step 1\b)\s*\S/i;
const NUMBERED_2_RE = /(?:^|\s)(?:2[.)]|step 2\b)\s*\S/i;

const GREETING_RE =
  /^(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|morning|afternoon)\b[^,.!?\n]{0,30}?(?:[,.!:]+[ \t]*|[ \t]*\r?\n\s*)/i;

function summarise(text: string): string {
  let head = text.slice(0, 2000).trim();
  const greeting = GREETING_RE.exec(head);
  if (greeting && /\p{L}/u.test(head.slice(greeting[0].length))) head = head.slice(greeting[0].length);
  const line =
    head
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  // The first sentence end preceded by some content ("... it broke." is not cut at the leading "...").
  let sentence = line;
  for (const end of line.matchAll(/[.!?]+(?=\s|$)/g)) {
    const candidate = line.slice(0, end.index + (end[0].startsWith('.') ? 0 : end[0].length));
    if (/[\p{L}\p{N}]/u.test(candidate)) {
      sentence = candidate;
      break;
    }
  }
  sentence = sentence.replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(sentence)) return EMPTY_SUMMARY;
  sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  const chars = Array.from(sentence);
  if (chars.length <= SUMMARY_MAX) return sentence;
  let cut = chars.slice(0, SUMMARY_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= SUMMARY_MAX / 2) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/* ------------------------------------------------------------------------------------------------ triage */

type CoverageOwner =
  | { kind: 'category'; id: string; item: Category }
  | { kind: 'notSupported'; id: string; item: NotSupportedItem };

/**
 * Compile the policy's coverage catalogue and severity signals into a {@link Triage}. All keyword regexes are built
 * here, once; call it again after the policy changes.
 */
export function createTriage(policy: Pick<Policy, 'severities' | 'coverage' | 'teams'>): Triage {
  const coverageEntries: { keyword: string; owner: CoverageOwner }[] = [];
  for (const [id, item] of Object.entries(policy.coverage.notSupported)) {
    const owner: CoverageOwner = { kind: 'notSupported', id, item };
    for (const keyword of item.keywords) coverageEntries.push({ keyword, owner });
  }
  for (const [id, item] of Object.entries(policy.coverage.categories)) {
    const owner: CoverageOwner = { kind: 'category', id, item };
    for (const keyword of item.keywords) coverageEntries.push({ keyword, owner });
  }
  const coverage = new KeywordSet(coverageEntries);

  const severityLevels = [1, 2, 3, 4] as const;
  const signals = new KeywordSet<Severity>(
    severityLevels.flatMap((level) => policy.severities[level].signals.map((keyword) => ({ keyword, owner: level }))),
  );
  const severityLabel = (s: Severity) => `Severity ${s} (${policy.severities[s].name})`;
  const teamName = (team: TeamId) => policy.teams[team]?.name ?? team;
  const isNegated = (normal: string, start: number) => {
    const from = Math.max(0, start - 40);
    let before = normal.slice(from, start);
    if (from > 0 && normal[from - 1] !== ' ') {
      const space = before.indexOf(' ');
      before = space < 0 ? '' : before.slice(space + 1); // drop the partial first word
    }
    return NEGATED_BEFORE.test(before);
  };

  function suggest(text: string): TriageSuggestion {
    const raw = typeof text === 'string' ? text : '';
    const normal = normaliseForMatching(raw);

    // Coverage: the best category hit and the best not-supported hit (owners are in policy order: first one wins).
    let category: { hit: Hit<CoverageOwner>; id: string; item: Category } | undefined;
    let notSupported: { hit: Hit<CoverageOwner>; id: string; item: NotSupportedItem } | undefined;
    for (const hit of coverage.hits(normal)) {
      for (const owner of hit.alt.owners) {
        if (owner.kind === 'category' && better(hit, category?.hit)) category = { hit, ...owner };
        if (owner.kind === 'notSupported' && better(hit, notSupported?.hit)) notSupported = { hit, ...owner };
      }
    }

    // Severity: the most severe non-negated signal (longest phrase among equals).
    let bestSignal: Hit<Severity> | undefined;
    for (const hit of signals.hits(normal)) {
      if (isNegated(normal, hit.start)) continue;
      if (
        !bestSignal ||
        severityOf(hit) < severityOf(bestSignal) ||
        (severityOf(hit) === severityOf(bestSignal) && better(hit, bestSignal))
      )
        bestSignal = hit;
    }
    let workaround: Hit<boolean> | undefined;
    for (const hit of WORKAROUND_SET.hits(normal)) {
      if (!isNegated(normal, hit.start)) {
        workaround = hit;
        break;
      }
    }

    let value: Severity;
    let reason: string;
    if (bestSignal) {
      value = severityOf(bestSignal);
      reason = `matched ${quoted(bestSignal)} → ${severityLabel(value)}`;
    } else if (category) {
      value = category.item.severity;
      reason = `no severity signal; default for ${category.item.name} → ${severityLabel(value)}`;
    } else {
      value = 3;
      reason = 'no severity signal; default Severity 3';
    }
    if (workaround && value < 3 && !(bestSignal && severityOf(bestSignal) === 1)) {
      reason += `, capped at ${severityLabel(3)}: workaround mentioned (${quoted(workaround)})`;
      value = 3;
    }

    const suggestion: TriageSuggestion = {
      summary: summarise(raw),
      severity: { value, reason },
      requestType:
        notSupported?.item.route === 'change_request'
          ? 'change_request'
          : (category?.item.requestType ?? 'troubleshooting'),
      missing: missingInformation(raw, normal, bestSignal ? severityOf(bestSignal) <= 2 : false),
    };
    if (category) {
      const team = category.item.team;
      suggestion.category = {
        id: category.id,
        name: category.item.name,
        team,
        teamName: teamName(team),
        reason: `matched ${quoted(category.hit)} → ${teamName(team)}`,
      };
    }
    if (notSupported) {
      const item = notSupported.item;
      suggestion.notSupported = {
        id: notSupported.id,
        name: item.name,
        route: item.route,
        reply: item.reply,
        reason: `matched ${quoted(notSupported.hit)} → not supported: ${item.name}`,
      };
    }
    return suggestion;
  }

  return { suggest };
}

/** The heuristics behind {@link TriageSuggestion.missing}; see the field's documentation in the module comment. */
function missingInformation(raw: string, normal: string, highImpactSignal: boolean): MissingItem[] {
  const missing: MissingItem[] = [];
  if (!highImpactSignal && !IMPACT_RE.test(normal)) missing.push('businessImpact');
  if (!CLIENT_WORD_RE.test(normal) && !CLIENT_NAME_RE.test(raw)) missing.push('client');
  if (!EVIDENCE_RAW_RE.test(raw) && !EVIDENCE_WORD_RE.test(normal)) missing.push('evidence');
  if (!STEPS_WORD_RE.test(normal) && !(NUMBERED_1_RE.test(raw) && NUMBERED_2_RE.test(raw))) missing.push('steps');
  return missing;
}
