/**
 * The desk's learned model: multinomial naive Bayes over the stems and stem bigrams triage already makes
 * (`lexicon.ts`), one head each for the category (→ team), the severity and the Not Supported item ("none" when the
 * request is supported). Features are counted once per request (binarised NB, steadier on short texts) and the
 * vocabulary is bounded to the most frequent terms, so a stored model stays small. Pure: no I/O, no clock; the
 * caller gives `trainedAt`. The JSON form is versioned ({@link MODEL_FORMAT}); {@link parseModel} refuses any other.
 */
import { foldSynonyms, stemWord } from './lexicon';
import { normaliseForMatching } from './normalise';

export const MODEL_FORMAT = 'helpline-triage-nb';
export const MODEL_FORMAT_VERSION = 1;

/** A labelled request: what the desk decided in the end. `undefined` = not known for this example (the head skips it). */
export interface LabelledExample {
  text: string;
  category?: string | null;
  severity?: 1 | 2 | 3 | 4;
  /** The Not Supported item, or null when the request was supported. */
  notSupported?: string | null;
}

export type HeadName = 'category' | 'severity' | 'notSupported';
export const HEADS: readonly HeadName[] = ['category', 'severity', 'notSupported'];
/** The class of a supported request in the Not Supported head, and of "no category" in the category head. */
export const NONE = '-';

/** One head as stored: per class the number of training requests and the sparse term counts `[term index, count]`. */
export interface StoredHead {
  classes: string[];
  docs: number[];
  counts: Array<Array<[number, number]>>;
}

/** The JSON a model is stored as. */
export interface StoredModel {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  trainedAt: string;
  examples: number;
  /** Additive (Laplace / Lidstone) smoothing of the term counts, chosen by the gate. */
  alpha: number;
  vocabulary: string[];
  heads: Record<HeadName, StoredHead>;
}

export interface TrainOptions {
  trainedAt: Date;
  /** At most this many terms are kept (the most frequent across requests). */
  maxVocabulary?: number;
  /** Smoothing (default {@link DEFAULT_ALPHA}). */
  alpha?: number;
}

export const DEFAULT_MAX_VOCABULARY = 4000;
export const DEFAULT_ALPHA = 0.5;
/** Characters of a request the model reads (as the retrieval does). */
const MODEL_TEXT = 5000;

/** A few words the retrieval drops as stop words but that say how bad it is ("all", "no one", "not"). */
const KEPT = new Set(['all', 'any', 'not', 'no', 'everyone', 'anyone', 'nobody', 'nothing', 'everything', 'can']);
const DROPPED = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'is', 'are', 'it', 'i']);

/** The distinct terms of a request: stems and neighbouring-stem bigrams (as triage's retrieval makes them). */
export function featuresOf(text: string): string[] {
  const words = foldSynonyms(normaliseForMatching(text.slice(0, MODEL_TEXT)))
    .split(' ')
    .filter((w) => KEPT.has(w) || (w.length > 1 && w.length <= 30 && !DROPPED.has(w) && !/^\d+$/.test(w)));
  const out = new Set<string>();
  let previous: string | undefined;
  for (const word of words) {
    const stem = stemWord(word);
    out.add(stem);
    if (previous && previous !== stem) out.add(`${previous}_${stem}`);
    previous = stem;
  }
  return [...out];
}

const labelOf = (e: LabelledExample, head: HeadName): string | undefined => {
  const v = e[head];
  if (v === undefined) return undefined;
  return v === null ? NONE : String(v);
};

/** Train a model on `examples` (deterministic: the same examples in the same order give the same model). */
export function trainModel(examples: readonly LabelledExample[], opts: TrainOptions): StoredModel {
  const features = examples.map((e) => featuresOf(e.text));
  const df = new Map<string, number>();
  for (const fs of features) for (const f of fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocabulary = [...df]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxVocabulary ?? DEFAULT_MAX_VOCABULARY)
    .map(([term]) => term)
    .sort();
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const head = (name: HeadName): StoredHead => {
    const byClass = new Map<string, { docs: number; counts: Map<number, number> }>();
    examples.forEach((e, i) => {
      const label = labelOf(e, name);
      if (label === undefined) return;
      let c = byClass.get(label);
      if (!c) {
        c = { docs: 0, counts: new Map() };
        byClass.set(label, c);
      }
      c.docs++;
      for (const f of features[i] ?? []) {
        const at = index.get(f);
        if (at !== undefined) c.counts.set(at, (c.counts.get(at) ?? 0) + 1);
      }
    });
    const classes = [...byClass.keys()].sort();
    return {
      classes,
      docs: classes.map((c) => byClass.get(c)?.docs ?? 0),
      counts: classes.map((c) => [...(byClass.get(c)?.counts ?? [])].sort((a, b) => a[0] - b[0])),
    };
  };
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    trainedAt: opts.trainedAt.toISOString(),
    examples: examples.length,
    alpha: opts.alpha ?? DEFAULT_ALPHA,
    vocabulary,
    heads: { category: head('category'), severity: head('severity'), notSupported: head('notSupported') },
  };
}

/** What one head reads: the best class, its posterior, and the margin over the second best. */
export interface HeadReading {
  label: string;
  p: number;
  margin: number;
}

export type Prediction = Partial<Record<HeadName, HeadReading>>;

interface CompiledHead {
  classes: string[];
  prior: Float64Array;
  /** logLikelihood[class * V + term] */
  present: Float64Array;
  /** log P(term absent) is not used (multinomial); the unseen-term log probability per class. */
  unseen: Float64Array;
}

/** A model ready to predict: log probabilities computed once at load. */
export interface CompiledModel {
  stored: StoredModel;
  predict(text: string): Prediction;
}

function compileHead(h: StoredHead, size: number, alpha: number): CompiledHead | undefined {
  const n = h.classes.length;
  if (n < 2) return undefined; // one class says nothing
  const total = h.docs.reduce((a, b) => a + b, 0);
  const prior = new Float64Array(n);
  const present = new Float64Array(n * size);
  const unseen = new Float64Array(n);
  h.classes.forEach((_c, k) => {
    prior[k] = Math.log((h.docs[k] ?? 0) + 1) - Math.log(total + n);
    const counts = h.counts[k] ?? [];
    const sum = counts.reduce((a, [, c]) => a + c, 0);
    const denominator = Math.log(sum + alpha * size);
    const base = Math.log(alpha) - denominator;
    unseen[k] = base;
    present.fill(base, k * size, (k + 1) * size);
    for (const [at, c] of counts) present[k * size + at] = Math.log(c + alpha) - denominator;
  });
  return { classes: h.classes, prior, present, unseen };
}

function readHead(h: CompiledHead, terms: number[], size: number): HeadReading {
  const n = h.classes.length;
  const scores = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = h.prior[k] ?? 0;
    const row = k * size;
    for (const t of terms) s += h.present[row + t] ?? 0;
    scores[k] = s;
  }
  let best = 0;
  for (let k = 1; k < n; k++) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
  const top = scores[best] ?? 0;
  let z = 0;
  let second = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp((scores[k] ?? 0) - top);
    z += e;
    if (k !== best && e > second) second = e;
  }
  return { label: h.classes[best] ?? NONE, p: 1 / z, margin: (1 - second) / z };
}

/** Compile a stored model for prediction. */
export function compileModel(stored: StoredModel): CompiledModel {
  const size = stored.vocabulary.length;
  const index = new Map(stored.vocabulary.map((t, i) => [t, i]));
  const heads = HEADS.map((name) => [name, compileHead(stored.heads[name], size, stored.alpha)] as const);
  return {
    stored,
    predict(text) {
      const terms: number[] = [];
      for (const f of featuresOf(text)) {
        const at = index.get(f);
        if (at !== undefined) terms.push(at);
      }
      const out: Prediction = {};
      for (const [name, h] of heads) if (h) out[name] = readHead(h, terms, size);
      return out;
    },
  };
}

const isCounts = (x: unknown): x is Array<[number, number]> =>
  Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isInteger));

/** A stored model from its JSON (an object or a string); throws on any other format or a damaged shape. */
export function parseModel(json: unknown): StoredModel {
  const m = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<StoredModel> | null;
  if (!m || m.format !== MODEL_FORMAT) throw new Error('not a triage model');
  if (m.formatVersion !== MODEL_FORMAT_VERSION) throw new Error(`triage model format ${m.formatVersion} not supported`);
  if (!Array.isArray(m.vocabulary) || !m.vocabulary.every((t) => typeof t === 'string'))
    throw new Error('triage model: bad vocabulary');
  const size = m.vocabulary.length;
  for (const name of HEADS) {
    const h = m.heads?.[name];
    if (
      !h ||
      !Array.isArray(h.classes) ||
      h.docs?.length !== h.classes.length ||
      h.counts?.length !== h.classes.length ||
      !h.counts.every((c) => isCounts(c) && c.every(([at]) => at >= 0 && at < size))
    )
      throw new Error(`triage model: bad ${name} head`);
  }
  if (
    typeof m.trainedAt !== 'string' ||
    typeof m.examples !== 'number' ||
    !(typeof m.alpha === 'number' && m.alpha > 0)
  )
    throw new Error('triage model: bad header');
  return m as StoredModel;
}
