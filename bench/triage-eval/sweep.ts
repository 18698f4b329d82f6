/**
 * `node bench/run.js --child triage-eval/sweep.ts`: tries a grid of retrieval weights and Not Supported thresholds on
 * the *tuning* part only (never the held-out part) and prints the best few by team accuracy + NS F1 + exact severity.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../src/config/policy';
import { createTriage, DEFAULT_TUNING } from '../../src/domain/routing/triage';
import { evaluate, parseSet } from './metrics';

const policy = loadPolicy();
const items = parseSet(fs.readFileSync(path.resolve(__dirname, '..', '..', 'eval', 'triage', 'tuning.txt'), 'utf8'));
const rows: Array<{ score: number; line: string }> = [];
for (const keyword of [4, 8, 12, 16])
  for (const name of [1, 1.5, 2])
    for (const description of [0.5, 1, 1.5])
      for (const examples of [0.5, 1, 1.5])
        for (const keywords of [0.5, 1])
          for (const notSupportedRatio of [0.8, 0.9, 1, 1.1]) {
            const weights = { ...DEFAULT_TUNING.weights, keyword, name, description, examples, keywords };
            const triage = createTriage(policy, { ...DEFAULT_TUNING, weights, notSupportedRatio });
            const r = evaluate(
              items,
              items.map((i) => {
                const s = triage.suggest(i.text);
                return {
                  severity: s.severity.value,
                  team: s.notSupported ? null : (s.category?.team ?? null),
                  category: s.category?.id ?? null,
                  notSupported: s.notSupported?.id ?? null,
                };
              }),
            );
            rows.push({
              score: r.team + r.ns.f1 + r.exactSeverity,
              line: `${(r.team * 100).toFixed(1)} ${(r.ns.f1 * 100).toFixed(1)} ${(r.exactSeverity * 100).toFixed(1)} ${JSON.stringify({ keyword, name, description, examples, keywords, notSupportedRatio })}`,
            });
          }
rows.sort((a, b) => b.score - a.score);
for (const r of rows.slice(0, 15)) console.log(r.line);
