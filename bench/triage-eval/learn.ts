/**
 * `npm run eval:triage -- --learn N`: the desk learning, measured. N labelled requests from the tuning parts
 * (independent-tuning and tuning, shuffled together by a fixed seed) are fed as if agents had corrected them: the
 * model is trained with its gate (cross-validated on those N only), then every part is scored before (rules alone)
 * and after (rules + model, by the rule of combination). The held-out parts are never trained on; their figures are
 * the ones that matter (the tuning parts' "after" includes what the model was trained on). Also times suggestions.
 */
import type { Policy } from '../../src/config/policy.schema';
import { trainWithGate } from '../../src/domain/routing/learned-gate';
import type { LabelledExample } from '../../src/domain/routing/learned-model';
import { createLearningTriage, isUsable } from '../../src/domain/routing/learned-triage';
import type { Triage, TriageSuggestion } from '../../src/domain/routing/triage';
import { type Answer, evaluate, type LabelledRequest, type Report } from './metrics';

const TUNING_PARTS = ['independent-tuning', 'tuning'];

/** A fixed-seed shuffle (mulberry32), so `--learn N` picks the same N every run. */
function shuffled<T>(xs: readonly T[], seed = 28): T[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A labelled request as the desk would record it once an agent corrected it. */
export function asCorrected(item: LabelledRequest): LabelledExample {
  return {
    text: item.text,
    severity: item.severity,
    ...(item.notSupported ? {} : { category: item.category }),
    notSupported: item.notSupported,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const row = (name: string, before: string, after: string) =>
  `  ${name.padEnd(22)}${before.padStart(10)}${after.padStart(10)}`;

function compare(part: string, b: Report, a: Report, trained: number): string {
  return [
    `== ${part} (${b.count} requests${trained ? `, ${trained} of them trained on` : ''})      before     after`,
    row('exact severity', pct(b.exactSeverity), pct(a.exactSeverity)),
    row('within one', pct(b.withinOne), pct(a.withinOne)),
    row('owning team', pct(b.team), pct(a.team)),
    row('Not Supported F1', pct(b.ns.f1), pct(a.ns.f1)),
    row('Severity 1 recall', pct(b.sev1Recall), pct(a.sev1Recall)),
    row('Severity 1 precision', pct(b.sev1Precision), pct(a.sev1Precision)),
  ].join('\n');
}

/** Suggestions per second over `texts` (each text suggested `rounds` times). */
function rate(triage: Triage, texts: readonly string[], rounds = 5): number {
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of texts) triage.suggest(t);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return Math.round((texts.length * rounds * 1000) / ms);
}

export function runLearn(
  n: number,
  rules: Triage,
  policy: Pick<Policy, 'coverage' | 'teams'>,
  parts: Array<{ part: string; items: LabelledRequest[] }>,
  answer: (s: TriageSuggestion) => Answer,
  /** Report this part only (the model is still fed from the tuning parts). */
  only?: string,
): void {
  const pool = shuffled(parts.filter((p) => TUNING_PARTS.includes(p.part)).flatMap((p) => p.items));
  const fed = pool.slice(0, n);
  const fedTexts = new Set(fed.map((i) => i.text));
  const trained = trainWithGate(fed.map(asCorrected), rules, policy, { trainedAt: new Date('2026-12-07T00:00:00Z') });
  const learning = createLearningTriage(rules, policy);
  learning.load(trained, 1);
  console.log(`--learn ${n}: ${fed.length} corrected requests from ${TUNING_PARTS.join(' + ')} fed to the model`);
  console.log(`vocabulary ${trained.model.vocabulary.length} terms, model ${JSON.stringify(trained).length} bytes`);
  for (const [head, g] of Object.entries(trained.gate.heads))
    console.log(
      `gate ${head.padEnd(13)} rules ${pct(g.rules)}  rules + model ${pct(g.combined)}  ${g.used ? `used ${JSON.stringify(trained.use[head as keyof typeof trained.use])}` : 'not used'}`,
    );
  console.log(
    isUsable(trained)
      ? 'the model is used beside the rules\n'
      : 'the model does not beat the rules: stored, not used\n',
  );
  for (const { part, items } of parts) {
    if (only && only !== part) continue;
    const before = evaluate(
      items,
      items.map((i) => answer(rules.suggest(i.text))),
      0,
    );
    const after = evaluate(
      items,
      items.map((i) => answer(learning.suggest(i.text))),
      0,
    );
    console.log(compare(part, before, after, items.filter((i) => fedTexts.has(i.text)).length));
  }
  const texts = parts.flatMap((p) => p.items.map((i) => i.text));
  rate(learning, texts, 1); // warm up
  console.log(`\nsuggestions/s       rules alone ${rate(rules, texts)}, rules + model ${rate(learning, texts)}`);
}
