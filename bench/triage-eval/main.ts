/**
 * `npm run eval:triage`: runs the triage engine with the default policy over the evaluation set in eval/triage and
 * prints the figures for the tuning part and the held-out part separately. `--worst N` prints N misses (default 10);
 * `--only <part>` runs one part (tuning, held-out, independent-tuning, independent-held-out): tune with
 * `--only independent-tuning`, so the held-out writers' figures are never tuned on. `--only knowledge-tuning` runs the
 * knowledge answers' tuning part (see knowledge.ts). `--learn N` feeds N labelled requests of the tuning parts to the
 * desk's learned model and prints every part before and after (`learn.ts`). The engine is what the product runs: the
 * rules beside the shipped model (policy/triage-seed-model.json, trained on the tuning parts only, so its figures on a
 * tuning part are not a measure); `--rules` runs the rules alone (tune the rules with it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../src/config/policy';
import { loadSeedModel } from '../../src/config/triage-seed-model';
import { createLearningTriage } from '../../src/domain/routing/learned-triage';
import { createTriage, type Triage, type TriageSuggestion } from '../../src/domain/routing/triage';
import { runKnowledge } from './knowledge';
import { runLearn } from './learn';
import { type Answer, evaluate, formatReport, parseSet } from './metrics';

const root = path.resolve(__dirname, '..', '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const worst = Number(arg('--worst') ?? 10);
const only = arg('--only');
const learn = arg('--learn');

const policy = loadPolicy();
const rules = createTriage(policy);
const rulesOnly = process.argv.includes('--rules');
const seed = rulesOnly ? null : loadSeedModel(policy);
const triage: Triage = seed ? createLearningTriage(rules, policy, seed) : rules;
console.log(
  seed
    ? 'rules + the shipped model (trained on the tuning parts: its tuning figures are not a measure; --rules for the rules alone)\n'
    : 'rules alone\n',
);
const answer = (s: TriageSuggestion): Answer => ({
  severity: s.severity.value,
  team: s.notSupported ? null : (s.category?.team ?? null),
  category: s.category?.id ?? null,
  notSupported: s.notSupported?.id ?? null,
});

/** The first set (written beside the engine) and the independent one (eval/triage/independent, split by writer). */
const PARTS: Array<[name: string, file: string]> = [
  ['tuning', 'tuning.txt'],
  ['held-out', 'held-out.txt'],
  ['independent-tuning', 'independent/tuning.txt'],
  ['independent-held-out', 'independent/held-out.txt'],
];

const read = (file: string) => parseSet(fs.readFileSync(path.join(root, 'eval', 'triage', file), 'utf8'));
if (learn !== undefined) {
  runLearn(
    Number(learn),
    rules,
    policy,
    PARTS.map(([part, file]) => ({ part, items: read(file) })),
    answer,
    only,
  );
  process.exit(0);
}

for (const [part, file] of PARTS) {
  if ((only && only !== part) || only?.startsWith('knowledge')) continue;
  const items = read(file);
  const suggestions = items.map((item) => triage.suggest(item.text));
  const answers = suggestions.map(answer);
  console.log(formatReport(part, evaluate(items, answers, worst)));
  if (seed) {
    const r = evaluate(
      items,
      items.map((i) => answer(rules.suggest(i.text))),
      0,
    );
    const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `rules alone         exact severity ${pc(r.exactSeverity)}, team ${pc(r.team)}, NS F1 ${pc(r.ns.f1)}, Severity 1 recall ${pc(r.sev1Recall)} precision ${pc(r.sev1Precision)}`,
    );
  }
  // Honest when unsure: how right triage is when it says it is sure, and when it asks Level 1 to choose.
  const right = (i: number) =>
    answers[i]?.severity === items[i]?.severity && (!items[i]?.team || answers[i]?.team === items[i]?.team);
  const sure = suggestions.map((_s, i) => i).filter((i) => suggestions[i]?.confidence.confident);
  const unsure = suggestions.map((_s, i) => i).filter((i) => !suggestions[i]?.confidence.confident);
  const share = (ix: number[]) => `${((100 * ix.filter(right).length) / Math.max(1, ix.length)).toFixed(1)} %`;
  console.log(
    `confidence          sure on ${sure.length}: severity and team both right ${share(sure)}; unsure on ${unsure.length}: ${share(unsure)}`,
  );
  console.log('');
}

// Knowledge answers (eval/knowledge): the threshold chosen on its tuning part, the held-out part at the policy's.
if (!only || only.startsWith('knowledge')) runKnowledge(root, policy.knowledge, { ...(only ? { only } : {}), worst });
