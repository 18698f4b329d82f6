/**
 * Training with the gate: a learned model is used only where rules + model beat the rules alone on the desk's own
 * examples. Each example is read by a model trained without it (k-fold cross-validation, folds by position), so the
 * gate never scores a model on what it was trained on. Head by head (severity, then category, then Not Supported),
 * the thresholds of the rule of combination (`learned-triage.ts`) are chosen from a small grid, for each of a few
 * smoothings (the one whose heads gain most is kept). A head is used only when its best setting beats the rules
 * alone by at least {@link MIN_GAIN} of the examples it is scored on (and, for severity, keeps the rules' Severity 1
 * recall and a Severity 1 precision of at least the rules' or 70 %; for Not Supported, a precision of at least the
 * rules' or 90 %, with at least {@link MIN_EXAMPLES} Not Supported requests to judge on). The model stored is trained
 * on all the examples. Pure and deterministic.
 */
import type { Policy } from '../../config/policy.schema';
import {
  compileModel,
  type HeadName,
  type LabelledExample,
  NONE,
  type Prediction,
  type TrainOptions,
  trainModel,
} from './learned-model';
import { combine, type GateReport, type LearnedTriageModel, type ModelUse, type Thresholds } from './learned-triage';
import type { Triage, TriageSuggestion } from './triage';

export const FOLDS = 5;
/** Fewer examples than this train a model that is stored but never used (too little to judge it on). */
export const MIN_EXAMPLES = 20;
/** A head must beat the rules by at least this share of the examples it is scored on (and by one at least). */
export const MIN_GAIN = 0.01;

const SURE = [0.9, 0.97, 0.99, 0.999, null];
const UNSURE = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97, null];
const GRID: Thresholds[] = SURE.flatMap((sure) =>
  UNSURE.filter((unsure) => unsure === null || sure === null || unsure < sure).map((unsure) => ({ sure, unsure })),
).filter((t) => t.sure !== null || t.unsure !== null);

type Catalogue = Pick<Policy, 'coverage' | 'teams'>;

interface Scored {
  score: number;
  /** How many examples the head was scored on. */
  count: number;
  ok: boolean;
  /** Severity: Severity 1 recall and precision; Not Supported: its precision. */
  recall?: number;
  precision?: number;
}

/** A head's score over the examples, the suggestions `got[i]` answering `examples[i]`. */
function scoreHead(
  head: HeadName,
  examples: readonly LabelledExample[],
  got: readonly TriageSuggestion[],
  catalogue: Catalogue,
  floor?: Scored,
): Scored {
  if (head === 'severity') {
    let exact = 0;
    let count = 0;
    let s1 = 0;
    let s1Right = 0;
    let s1Said = 0;
    examples.forEach((e, i) => {
      const value = got[i]?.severity.value;
      if (value === 1) s1Said++;
      if (e.severity === undefined) return;
      count++;
      if (value === e.severity) exact++;
      if (e.severity === 1) {
        s1++;
        if (value === 1) s1Right++;
      }
    });
    const recall = s1 ? s1Right / s1 : 1;
    const precision = s1Said ? s1Right / s1Said : 1;
    const ok = !floor || (recall >= (floor.recall ?? 0) && precision >= Math.min(floor.precision ?? 0, 0.7));
    return { score: exact, count, ok, recall, precision };
  }
  if (head === 'category') {
    let score = 0;
    let count = 0;
    examples.forEach((e, i) => {
      if (!e.category || e.notSupported) return;
      count++;
      const c = got[i]?.category;
      if (c?.team === catalogue.coverage.categories[e.category]?.team) score++;
      if (c?.id === e.category) score++;
    });
    return { score: score / 2, count, ok: true };
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let count = 0;
  examples.forEach((e, i) => {
    if (e.notSupported === undefined) return;
    count++;
    const said = got[i]?.notSupported?.id ?? null;
    if (said && said === e.notSupported) tp++;
    else {
      if (said) fp++;
      if (e.notSupported) fn++;
    }
  });
  // F1 in "examples": 2tp / (2tp + fp + fn) scaled to the count, so MIN_GAIN reads the same way. A model that buys
  // recall with wrong "not supported" answers (a real request turned away) is refused: precision may not drop.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const ok = !floor || precision >= Math.min(floor.precision ?? 0, 0.9);
  return { score: tp + fp + fn === 0 ? count : (count * 2 * tp) / (2 * tp + fp + fn), count, ok, precision };
}

/** Smoothings the gate tries (the fold models are trained once; smoothing applies when they are compiled). */
const ALPHAS = [0.5, 0.25, 0.1, 0.05];

/** Cross-validated readings for each smoothing: `out[a][i]` comes from a model trained on the other folds. */
function crossValidated(examples: readonly LabelledExample[], opts: TrainOptions, folds: number): Prediction[][] {
  const out: Prediction[][] = ALPHAS.map(() => new Array(examples.length));
  for (let f = 0; f < folds; f++) {
    const stored = trainModel(
      examples.filter((_e, i) => i % folds !== f),
      opts,
    );
    ALPHAS.forEach((alpha, a) => {
      const model = compileModel({ ...stored, alpha });
      examples.forEach((e, i) => {
        if (i % folds === f) (out[a] as Prediction[])[i] = model.predict(e.text);
      });
    });
  }
  return out;
}

const NO_USE: ModelUse = { severity: null, category: null, notSupported: null };
type HeadFigures = GateReport['heads'];

/** Head by head, the thresholds that beat the rules on these readings (module comment), and the figures. */
function chooseUse(
  examples: readonly LabelledExample[],
  plain: readonly TriageSuggestion[],
  readings: readonly Prediction[],
  catalogue: Catalogue,
): { use: ModelUse; heads: HeadFigures; gain: number } {
  const use: ModelUse = { ...NO_USE };
  const heads = {} as HeadFigures;
  let total = 0;
  const answers = (u: ModelUse) => plain.map((s, i) => combine(s, readings[i] ?? {}, u, catalogue));
  for (const head of ['severity', 'category', 'notSupported'] as const) {
    const base = scoreHead(head, examples, answers(use), catalogue);
    const floor = head === 'category' ? undefined : base;
    let best: { t: Thresholds; score: number } | undefined;
    for (const t of GRID) {
      const r = scoreHead(head, examples, answers({ ...use, [head]: t }), catalogue, floor);
      if (r.ok && r.score > (best?.score ?? base.score)) best = { t, score: r.score };
    }
    const share = (score: number) => score / Math.max(1, base.count);
    const gain = (best?.score ?? base.score) - base.score;
    heads[head] = { rules: share(base.score), combined: share(base.score), used: false };
    if (best && gain >= Math.max(1, MIN_GAIN * base.count) && judged(examples, head)) {
      use[head] = best.t;
      heads[head] = { ...heads[head], combined: share(best.score), used: true };
      total += share(best.score) - share(base.score);
    }
  }
  return { use, heads, gain: total };
}

/**
 * Train on `examples` and gate the model against `rules` (the rules alone, as the replica runs them). The result is
 * stored whatever the verdict; `use` says which heads the rule of combination may apply (none: not used). The
 * smoothing is chosen with the thresholds: the one whose heads gain most over the rules (the smoother on a tie).
 * `plain`, when given, is the rules' suggestion for each example, computed beforehand (a caller on a server computes
 * it in slices, so training never holds its event loop for long).
 */
export function trainWithGate(
  examples: readonly LabelledExample[],
  rules: Triage,
  catalogue: Catalogue,
  opts: TrainOptions,
  plain: readonly TriageSuggestion[] = examples.map((e) => rules.suggest(e.text)),
): LearnedTriageModel {
  const none = { rules: 0, combined: 0, used: false };
  if (examples.length < MIN_EXAMPLES)
    return {
      model: trainModel(examples, opts),
      use: { ...NO_USE },
      gate: { examples: examples.length, folds: 0, heads: { severity: none, category: none, notSupported: none } },
    };
  const readings = crossValidated(examples, opts, FOLDS);
  let chosen: ReturnType<typeof chooseUse> & { alpha: number } = {
    ...chooseUse(examples, plain, readings[0] ?? [], catalogue),
    alpha: ALPHAS[0] as number,
  };
  ALPHAS.forEach((alpha, a) => {
    if (a === 0) return;
    const c = chooseUse(examples, plain, readings[a] ?? [], catalogue);
    if (c.gain > chosen.gain) chosen = { ...c, alpha };
  });
  return {
    model: trainModel(examples, { ...opts, alpha: chosen.alpha }),
    use: chosen.use,
    gate: { examples: examples.length, folds: FOLDS, alpha: chosen.alpha, heads: chosen.heads },
  };
}

/**
 * Whether there is enough to judge a head on: Not Supported needs {@link MIN_EXAMPLES} requests that were on the list
 * (an F1 over a handful of them moves by one example), the other heads one labelled example at least.
 */
function judged(examples: readonly LabelledExample[], head: HeadName): boolean {
  const labelled = examples.filter((e) => e[head] !== undefined && e[head] !== null && e[head] !== NONE).length;
  return labelled >= (head === 'notSupported' ? MIN_EXAMPLES : 1);
}
