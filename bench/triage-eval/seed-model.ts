/**
 * `npm run triage:seed-model`: builds the triage model shipped with the product (policy/triage-seed-model.json). It is
 * the desk's learned model (`learned-model.ts`) trained, with its gate (`learned-gate.ts`, cross-validated), on the
 * labelled tuning parts of the evaluation set only (eval/triage/tuning.txt and eval/triage/independent/tuning.txt;
 * never a held-out part). The product uses it beside the rules until the desk's own corrections train a model that
 * its gate lets through (`learned-triage.ts`). Deterministic: the same sets and rules give the same file. Rebuild it
 * after changing the rules or the tuning sets, and commit it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../src/config/policy';
import { SEED_MODEL_FILE } from '../../src/config/triage-seed-model';
import { trainWithGate } from '../../src/domain/routing/learned-gate';
import { isUsable } from '../../src/domain/routing/learned-triage';
import { createTriage } from '../../src/domain/routing/triage';
import { asCorrected } from './learn';
import { parseSet } from './metrics';

const root = path.resolve(__dirname, '..', '..');
const TUNING = ['tuning.txt', 'independent/tuning.txt'];
/** A fixed date, so that the file changes only when the sets or the rules do. */
const TRAINED_AT = new Date('2026-12-08T00:00:00Z');

const policy = loadPolicy();
const examples = TUNING.flatMap((f) =>
  parseSet(fs.readFileSync(path.join(root, 'eval', 'triage', f), 'utf8')).map(asCorrected),
);
const trained = trainWithGate(examples, createTriage(policy), policy, { trainedAt: TRAINED_AT });
fs.writeFileSync(SEED_MODEL_FILE, `${JSON.stringify(trained)}\n`);
console.log(`${examples.length} labelled tuning requests → ${path.relative(root, SEED_MODEL_FILE)}`);
for (const [head, g] of Object.entries(trained.gate.heads))
  console.log(
    `gate ${head.padEnd(13)} rules ${(100 * g.rules).toFixed(1)} %  rules + model ${(100 * g.combined).toFixed(1)} %  ${g.used ? `used ${JSON.stringify(trained.use[head as keyof typeof trained.use])}` : 'not used'}`,
  );
console.log(isUsable(trained) ? 'the model is used beside the rules' : 'the model does not beat the rules: not used');
