/**
 * Triage: turn a requester's plain words into a suggested summary, category (and owning team), severity, request
 * type, a Not Supported verdict and the information still missing, each with its reason in words. Pure domain code:
 * no I/O, no clock, no env; deterministic.
 *
 * 1. The text is cut into clauses; clauses the requester disclaims ("we do not need a new site") are set aside
 *    (`clauses.ts`).
 * 2. Category, team and Not Supported item come from BM25 retrieval over the coverage catalogue's names,
 *    descriptions, examples and keywords (`catalogue-index.ts`, `lexicon.ts`). A Not Supported item wins when it
 *    scores at least {@link TriageTuning.notSupportedRatio} of the best category.
 * 3. Severity is reasoned from scope, what is lost, workaround and hedging (`severity-facts.ts`, `severity.ts`); an
 *    outage or global incident goes to the policy's `platformWide` category unless a specific category is clear.
 */
import type { Category, NotSupportedItem, Policy, RequestType, Severity, TeamId } from '../../config/policy.schema';
import { CatalogueIndex, DEFAULT_WEIGHTS, type Match, type RetrievalWeights } from './catalogue-index';
import { assertedText, clausesOf } from './clauses';
import { KeywordSet } from './keyword-set';
import { type MissingItem, missingInformation } from './missing-information';
import { normaliseForMatching } from './normalise';
import { notSupportedConcept } from './not-supported-concepts';
import { decideSeverity } from './severity';
import { type ImpactFacts, readImpact } from './severity-facts';
import { summarise } from './summary';

export { normaliseForMatching } from './normalise';
export { EMPTY_SUMMARY, SUMMARY_MAX } from './summary';

/** What {@link Triage.suggest} proposes for one message. Every field is a suggestion an agent can override. */
export interface TriageSuggestion {
  /** One-line title: the first sentence (greeting dropped), whitespace collapsed, at most 80 characters (ends "…" when cut). */
  summary: string;
  /** The best-matching coverage category and the team that owns it; absent when nothing in the catalogue matched. */
  category?: { id: string; name: string; team: TeamId; teamName: string; reason: string };
  /** Suggested severity and why, e.g. "everyone is affected ('nobody') + no access / system down … → Severity 1 (…)". */
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
  missing: MissingItem[];
  /**
   * How sure triage is (0-1) and, below {@link TriageTuning.confidentMin}, why not: the card then says triage is unsure
   * and asks Level 1 to choose. `between` [1, 3]: outage words without who is affected; Development triage is not
   * paged until Level 1 sets Severity 1.
   */
  confidence: { value: number; confident: boolean; unsure?: string; between?: [Severity, Severity] };
}

/** A compiled set of triage rules; see {@link createTriage}. */
export interface Triage {
  /** Suggest triage for one message. Never throws; empty text gives "(no description)" and Severity 3. */
  suggest(text: string): TriageSuggestion;
}

/** Decision thresholds; the defaults were chosen on the tuning part of the evaluation set. */
export interface TriageTuning {
  weights: RetrievalWeights;
  /** A Not Supported item wins when its score is at least this fraction of the best category's. */
  notSupportedRatio: number;
  /** ... and at least this score. */
  notSupportedMin: number;
  /** An outage or global incident keeps a specific category only when that category scores at least this. */
  specificIncidentMin: 100;
  /** A suggestion is confident at or above this confidence (chosen on the independent tuning part). */
  confidentMin: number;
}

export const DEFAULT_TUNING: TriageTuning = {
  weights: DEFAULT_WEIGHTS,
  notSupportedRatio: 0.9,
  notSupportedMin: 4,
  specificIncidentMin: 100,
  confidentMin: 0.65,
};

/** Words that ask for something: a Not Supported item is a request for work, never a bare report. */
const ASKS =
  /(?<![^ ])(?:(?:can|could|would|will|do|does|are) (?:you|u|we|nimbello|your|the|it|someone|somebody|they)|is it possible|please|like|want|wants|wanted|need|needs|needed|looking to|planning to|after|request|requesting|quote|let us|help us|set up|setting up|switching|moving|migrating|migrate|acquired|bought|opening|expanding|rolling out|roll out)(?![^ ])/;

/** True when the request asks for something (an asking word, or a question). */
function asksForWork(raw: string, asserted: string): boolean {
  return raw.includes('?') || ASKS.test(asserted);
}

/** Characters of the request the catalogue retrieval reads. */
const RETRIEVAL_TEXT = 5000;

/** Text longer than this is triaged on its start only (a pasted log must not slow the bot down). */
const MAX_TEXT = 100_000;

const quoteWords = (words: string[]) =>
  words
    .slice(0, 5)
    .map((w) => `'${w}'`)
    .join(', ');

/**
 * How sure a suggestion is: the weaker of the severity's and the category's footing. Severity: outage words with no
 * one said to be affected could be 1 or 3 (0.3); a level that came from a default, not from facts, 0.45. Category:
 * a weak best match or a close second lowers it (a margin under 15 % of the best score, 0.4).
 */
function confidenceOf(
  facts: ImpactFacts,
  severity: { value: Severity; reason: string },
  ranked: Match[],
  category: Match | undefined,
): { value: number; why?: string; between?: [Severity, Severity] } {
  // "The system is down" says who is affected (everyone), as the handbook's own Severity 1 example does: only
  // outage words about access with no one named ("can't log in") leave it open between 1 and 3.
  const outageWords = facts.loss?.value === 'access' && facts.total === undefined && facts.systemWide === undefined;
  // "We can't log in": a group without the system named or everyone said could be the whole company or one team.
  if (outageWords && facts.scope?.value === 'group' && severity.value === 1)
    return {
      value: 0.3,
      why: `no access for a group ('${facts.scope.words}', '${facts.loss?.words}'), not said to be everyone: Severity 1 or 3?`,
      between: [1, 3],
    };
  if (outageWords && !facts.scope && severity.value !== 2)
    return {
      value: 0.3,
      why: `outage words ('${facts.loss?.words ?? facts.total}') but not who is affected: Severity 1 or 3?`,
      between: [1, 3],
    };
  if (/default|nothing says/.test(severity.reason) && !facts.loss)
    return { value: 0.45, why: 'nothing in the words says what is lost or who is affected' };
  if (category && category.score > 0) {
    const second = ranked.find(
      (m) => m !== category && m.entry.kind === 'category' && m.entry.id !== category.entry.id,
    );
    const margin = second ? (category.score - second.score) / category.score : 1;
    if (category.score < 3) return { value: 0.4, why: `the category is a weak match (${category.words.join(', ')})` };
    if (margin < 0.15)
      return {
        value: 0.45,
        why: `two categories are close: ${(category.entry.item as Category).name} or ${(second?.entry.item as Category | undefined)?.name}`,
      };
    return { value: Math.min(0.95, 0.6 + margin / 2) };
  }
  return { value: 0.6 };
}

/**
 * Compile the policy's coverage catalogue and severity guide into a {@link Triage}. All indexes are built here, once;
 * call it again after the policy changes.
 */
export function createTriage(
  policy: Pick<Policy, 'severities' | 'coverage' | 'teams'>,
  tuning: TriageTuning = DEFAULT_TUNING,
): Triage {
  const index = new CatalogueIndex(policy.coverage, tuning.weights);
  const signals = new KeywordSet<Severity>(
    ([1, 2, 3, 4] as const).flatMap((level) =>
      policy.severities[level].signals.map((keyword) => ({ keyword, owner: level })),
    ),
  );
  const label = (s: Severity) => `Severity ${s} (${policy.severities[s].name})`;
  const teamName = (team: TeamId) => policy.teams[team]?.name ?? team;

  /** A Not Supported item the request asks for in its own words (`not-supported-concepts.ts`), as a match. */
  function conceptMatch(
    asserted: string,
  ): (Match & { entry: { kind: 'notSupported'; id: string; item: NotSupportedItem } }) | undefined {
    const id = notSupportedConcept(asserted);
    const item = id ? policy.coverage.notSupported[id] : undefined;
    return id && item
      ? { entry: { kind: 'notSupported', id, item }, score: 0, words: ['asks for it in other words'] }
      : undefined;
  }

  function suggest(text: string): TriageSuggestion {
    const raw = (typeof text === 'string' ? text : '').slice(0, MAX_TEXT);
    const clauses = clausesOf(raw);
    const asserted = assertedText(clauses);
    // The topic is in the first lines (a pasted log after them adds nothing but cost); impact is read on all of it.
    const ranked = index.rank(asserted.slice(0, RETRIEVAL_TEXT));
    const bestCategory = ranked.find((m) => m.entry.kind === 'category') as
      | (Match & { entry: { kind: 'category'; id: string; item: Category } })
      | undefined;
    const bestNs = ranked.find((m) => m.entry.kind === 'notSupported') as
      | (Match & { entry: { kind: 'notSupported'; id: string; item: NotSupportedItem } })
      | undefined;
    const facts = readImpact(asserted, assertedText(clauses.map((c) => ({ ...c, disclaimed: false }))));
    // A request that reports something broken or lost is a fault, not a request for new work.
    const incident = facts.loss !== undefined && facts.loss.value !== 'cosmetic';
    const asks = !incident && asksForWork(raw, asserted);
    const notSupported =
      bestNs &&
      asks &&
      bestNs.score >= tuning.notSupportedMin &&
      bestNs.score >= tuning.notSupportedRatio * (bestCategory?.score ?? 0)
        ? bestNs
        : asks
          ? conceptMatch(asserted)
          : undefined;

    let signal: { severity: Severity; phrase: string } | undefined;
    for (const hit of signals.hits(asserted)) {
      const level = Math.min(...hit.alt.owners) as Severity;
      if (!signal || level < signal.severity) signal = { severity: level, phrase: hit.alt.label };
    }
    let category = bestCategory;
    const severity = decideSeverity(
      facts,
      {
        ...(category && !notSupported ? { category: category.entry.item } : {}),
        ...(notSupported ? { notSupported: true } : {}),
        ...(signal ? { signal } : {}),
      },
      label,
    );
    let categoryReason = category
      ? `matches ${category.entry.item.name}: ${quoteWords(category.words)} → ${teamName(category.entry.item.team)}`
      : '';
    const platformWide = index.platformWide();
    if (
      severity.value <= 2 &&
      platformWide?.kind === 'category' &&
      (severity.value === 1 || !category || category.score < tuning.specificIncidentMin)
    ) {
      category = { entry: platformWide, score: 0, words: [] };
      categoryReason = `${severity.value === 1 ? 'an outage' : 'a global incident'} → ${platformWide.item.name} → ${teamName(platformWide.item.team)}`;
    }

    const confidence = confidenceOf(facts, severity, ranked, category === bestCategory ? bestCategory : undefined);
    const suggestion: TriageSuggestion = {
      summary: summarise(raw),
      severity,
      requestType:
        notSupported?.entry.item.route === 'change_request'
          ? 'change_request'
          : (category?.entry.item.requestType ?? 'troubleshooting'),
      missing: missingInformation(raw, normaliseForMatching(raw), severity.value <= 2),
      confidence: {
        value: confidence.value,
        confident: confidence.value >= tuning.confidentMin,
        ...(confidence.value < tuning.confidentMin && confidence.why ? { unsure: confidence.why } : {}),
        ...(confidence.between && confidence.value < tuning.confidentMin ? { between: confidence.between } : {}),
      },
    };
    if (category) {
      const team = category.entry.item.team;
      suggestion.category = {
        id: category.entry.id,
        name: category.entry.item.name,
        team,
        teamName: teamName(team),
        reason: categoryReason,
      };
    }
    if (notSupported) {
      const item = notSupported.entry.item;
      suggestion.notSupported = {
        id: notSupported.entry.id,
        name: item.name,
        route: item.route,
        reply: item.reply,
        reason: `matches Not Supported: ${item.name}: ${quoteWords(notSupported.words)}`,
      };
    }
    return suggestion;
  }

  return { suggest };
}
