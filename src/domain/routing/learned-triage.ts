/**
 * The learned model beside the rules. The rules (`triage.ts`) always run; the model (`learned-model.ts`) may then
 * change a field, by this rule of combination, head by head:
 *
 * - A head is used only when the gate (`learned-gate.ts`) found that rules + model beat the rules alone on the
 *   desk's own examples; an unused head changes nothing.
 * - The model decides a field when its posterior is at least the head's `sure` threshold, or when the rules say they
 *   are unsure (`confidence.confident` false) and its posterior is at least the head's `unsure` threshold.
 * - Severity never drops below the rules' outage reading: when the rules read Severity 1 or 2, or are unsure between
 *   1 and 3, the model may raise the severity but never lower it. An outage is never silently ranked below 2.
 * - An outage (final Severity 1) keeps the rules' platform-wide category; the model never moves it elsewhere.
 * - The model adds a Not Supported item only to a request the rules read as no incident (Severity 3 or 4) and may
 *   take one away only at its `sure` threshold; it never adds one the policy does not list.
 *
 * Each change says so in the field's reason ("the desk's model v3 reads …"). Pure: no I/O, no clock.
 */
import type { Category, NotSupportedItem, Policy, Severity, TeamId } from '../../config/policy.schema';
import {
  type CompiledModel,
  compileModel,
  type HeadName,
  NONE,
  type Prediction,
  parseModel,
  type StoredModel,
} from './learned-model';
import type { Triage, TriageSuggestion } from './triage';

/** When the model decides a head: posterior ≥ `sure`, or rules unsure and posterior ≥ `unsure`; null = never. */
export interface Thresholds {
  sure: number | null;
  unsure: number | null;
}

/** The heads the gate let through, with their thresholds; null = that head is not used. */
export type ModelUse = Record<HeadName, Thresholds | null>;

/** What the gate measured per head on the desk's examples (cross-validated): rules alone against rules + model. */
export interface GateReport {
  examples: number;
  folds: number;
  /** The smoothing the gate chose (absent when nothing was judged). */
  alpha?: number;
  heads: Record<HeadName, { rules: number; combined: number; used: boolean }>;
}

/** A trained model with the gate's verdict: what is stored, one version per document. */
export interface LearnedTriageModel {
  model: StoredModel;
  use: ModelUse;
  gate: GateReport;
}

/** True when the gate let at least one head through: the model is then used beside the rules. */
export function isUsable(m: Pick<LearnedTriageModel, 'use'>): boolean {
  return Object.values(m.use).some((t) => t !== null);
}

/** A stored {@link LearnedTriageModel} from its JSON; throws on a damaged one. */
export function parseLearned(json: unknown): LearnedTriageModel {
  const m = json as Partial<LearnedTriageModel> | null;
  if (!m || typeof m !== 'object' || !m.use || !m.gate) throw new Error('not a learned triage model');
  const threshold = (x: unknown) => x === null || (typeof x === 'number' && x >= 0 && x <= 1);
  for (const t of Object.values(m.use))
    if (t !== null && !(t && threshold((t as Thresholds).sure) && threshold((t as Thresholds).unsure)))
      throw new Error('learned triage model: bad thresholds');
  return { model: parseModel(m.model), use: m.use as ModelUse, gate: m.gate as GateReport };
}

type Catalogue = Pick<Policy, 'coverage' | 'teams'>;

/** Whether the model decides a head, by the rule of combination. */
function decides(t: Thresholds | null, p: number, rulesSure: boolean): boolean {
  if (!t) return false;
  if (t.sure !== null && p >= t.sure) return true;
  return !rulesSure && t.unsure !== null && p >= t.unsure;
}

const pct = (p: number) => `p ${p.toFixed(2)}`;

/** The rules' suggestion `s` changed by the model's reading `pred`, by the rule of combination (module comment). */
export function combine(
  s: TriageSuggestion,
  pred: Prediction,
  use: ModelUse,
  catalogue: Catalogue,
  label = "the desk's model",
): TriageSuggestion {
  const sure = s.confidence.confident;
  let out = s;
  const sev = pred.severity;
  if (sev && decides(use.severity, sev.p, sure)) {
    let value = Number(sev.label) as Severity;
    if (s.severity.value <= 2 || s.confidence.between) value = Math.min(value, s.severity.value) as Severity;
    if (value !== s.severity.value && value >= 1 && value <= 4)
      out = {
        ...out,
        severity: { value, reason: `${s.severity.reason}; ${label} reads Severity ${value} (${pct(sev.p)})` },
      };
  }
  const cat = pred.category;
  const category: Category | undefined = cat ? catalogue.coverage.categories[cat.label] : undefined;
  const outage = out.severity.value === 1 && s.category?.reason.startsWith('an outage');
  if (cat && category && cat.label !== s.category?.id && !outage && decides(use.category, cat.p, sure)) {
    const team: TeamId = category.team;
    out = {
      ...out,
      category: {
        id: cat.label,
        name: category.name,
        team,
        teamName: catalogue.teams[team]?.name ?? team,
        reason: `${label} reads ${category.name} (${pct(cat.p)})${s.category ? `; the rules read ${s.category.name}` : ''}`,
      },
      requestType: s.notSupported?.route === 'change_request' ? 'change_request' : category.requestType,
      // Still unsure (the card asks Level 1 to choose), but the card's question names the model's reading too.
      ...(out.confidence.unsure
        ? { confidence: { ...out.confidence, unsure: `${out.confidence.unsure}; ${label} reads ${category.name}` } }
        : {}),
    };
  }
  const ns = pred.notSupported;
  // The rules' confidence is about the category, not about a Not Supported item they found: the model takes one
  // away only at its `sure` threshold (a short request naming the item must not lose it to the model's prior).
  const nsSure = sure || s.notSupported !== undefined;
  if (ns && ns.label !== (s.notSupported?.id ?? NONE) && decides(use.notSupported, ns.p, nsSure)) {
    const item: NotSupportedItem | undefined = catalogue.coverage.notSupported[ns.label];
    if (ns.label === NONE) {
      const { notSupported: _dropped, ...rest } = out;
      const categoryId = out.category?.id;
      const requestType = (categoryId && catalogue.coverage.categories[categoryId]?.requestType) || 'troubleshooting';
      out = { ...rest, requestType };
    } else if (item && out.severity.value >= 3 && !s.confidence.between) {
      out = {
        ...out,
        notSupported: {
          id: ns.label,
          name: item.name,
          route: item.route,
          reply: item.reply,
          reason: `${label} reads Not Supported: ${item.name} (${pct(ns.p)})`,
        },
        ...(item.route === 'change_request' ? { requestType: 'change_request' as const } : {}),
      };
    }
  }
  return out;
}

/** The triage a replica runs: the rules, and beside them the newest active learned model once one is loaded. */
export interface LearningTriage extends Triage {
  /** The rules alone (the gate measures the model against them). */
  rules: Triage;
  /**
   * Use this model (its version number as stored) from the next suggestion on; null (or a model its gate did not let
   * through) goes back to the shipped model, or the rules alone when there is none.
   */
  load(model: LearnedTriageModel | null, version?: number): void;
  /** The desk model's version in use, or null when the rules run alone or beside the shipped model. */
  version(): number | null;
}

interface InUse {
  compiled: CompiledModel;
  use: ModelUse;
  anySure: boolean;
  version: number | null;
  label: string;
}

function inUse(model: LearnedTriageModel | null, version: number | null, label: string): InUse | null {
  return model && isUsable(model)
    ? {
        compiled: compileModel(model.model),
        use: model.use,
        anySure: Object.values(model.use).some((t) => t?.sure !== null && t?.sure !== undefined),
        version,
        label,
      }
    : null;
}

/**
 * Wrap the rules with a slot for a learned model; {@link LearningTriage.load} swaps it in one assignment. `seed`, the
 * model shipped with the product (`config/triage-seed-model.ts`), is used while no desk model is loaded.
 */
export function createLearningTriage(
  rules: Triage,
  catalogue: Catalogue,
  seed: LearnedTriageModel | null = null,
): LearningTriage {
  const shipped = inUse(seed, null, 'the shipped model');
  let current: InUse | null = shipped;
  return {
    rules,
    suggest(text) {
      const s = rules.suggest(text);
      const m = current;
      // No head may act on a suggestion the rules are sure of unless one has a `sure` threshold: skip the reading.
      if (!m || (s.confidence.confident && !m.anySure)) return s;
      return combine(s, m.compiled.predict(typeof text === 'string' ? text : ''), m.use, catalogue, m.label);
    },
    load(model, version) {
      const label = version === undefined ? "the desk's model" : `the desk's model v${version}`;
      current = inUse(model, version ?? null, label) ?? shipped;
    },
    version: () => current?.version ?? null,
  };
}
