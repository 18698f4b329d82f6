/**
 * The triage evaluation: labelled requests in, the figures of issue 14 out (exact severity, within one, owning team,
 * Not Supported precision / recall / F1, Severity 1 recall, a severity confusion matrix and the worst misses). Pure:
 * the caller runs the engine and passes its answers.
 */
import type { Severity, TeamId } from '../../src/config/policy.schema';

/** One labelled request; `team` is null on Not Supported items (no team owns them), `notSupported` null otherwise. */
export interface LabelledRequest {
  text: string;
  severity: Severity;
  team: TeamId | null;
  category: string | null;
  notSupported: string | null;
}

/** What the engine answered for one request. */
export interface Answer {
  severity: Severity;
  team: TeamId | null;
  category: string | null;
  notSupported: string | null;
}

export interface Miss {
  text: string;
  cost: number;
  expected: Answer;
  got: Answer;
}

export interface Report {
  count: number;
  exactSeverity: number;
  withinOne: number;
  team: number;
  teamCount: number;
  ns: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };
  sev1Recall: number;
  sev1Count: number;
  /** Of the requests triage called Severity 1, the share that were. */
  sev1Precision: number;
  sev1Suggested: number;
  /** Not Supported answers on requests that say what they do *not* want ("we don't need a new site"). */
  negatedNsFalsePositives: string[];
  /** confusion[expected - 1][got - 1] */
  confusion: number[][];
  worst: Miss[];
}

const NEGATION = /\b(?:not|no|never|don't|do not|dont|isn't|aren't|without)\b|n't\b/i;
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

/** Score `answers[i]` against `items[i]`. */
export function evaluate(items: readonly LabelledRequest[], answers: readonly Answer[], worstCount = 10): Report {
  let exact = 0;
  let within = 0;
  let teamRight = 0;
  let teamCount = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let sev1 = 0;
  let sev1Right = 0;
  let sev1Suggested = 0;
  const negatedFp: string[] = [];
  const confusion = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  const misses: Miss[] = [];
  items.forEach((item, i) => {
    const got = answers[i];
    if (!got) throw new Error(`no answer for item ${i}`);
    const d = Math.abs(got.severity - item.severity);
    if (d === 0) exact++;
    if (d <= 1) within++;
    const row = confusion[item.severity - 1]!;
    row[got.severity - 1] = (row[got.severity - 1] ?? 0) + 1;
    if (item.severity === 1) {
      sev1++;
      if (got.severity === 1) sev1Right++;
    }
    if (got.severity === 1) sev1Suggested++;
    let cost = d * (item.severity === 1 && got.severity !== 1 ? 2 : 1);
    if (item.team) {
      teamCount++;
      if (got.team === item.team) teamRight++;
      else cost += 1;
    }
    if (got.notSupported && got.notSupported === item.notSupported) tp++;
    else {
      if (got.notSupported) {
        fp++;
        cost += 1.5;
        if (!item.notSupported && NEGATION.test(item.text)) negatedFp.push(item.text);
      }
      if (item.notSupported) {
        fn++;
        cost += 1.5;
      }
    }
    const expected: Answer = {
      severity: item.severity,
      team: item.team,
      category: item.category,
      notSupported: item.notSupported,
    };
    if (cost > 0) misses.push({ text: item.text, cost, expected, got });
  });
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    count: items.length,
    exactSeverity: ratio(exact, items.length),
    withinOne: ratio(within, items.length),
    team: ratio(teamRight, teamCount),
    teamCount,
    ns: {
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      tp,
      fp,
      fn,
    },
    sev1Recall: ratio(sev1Right, sev1),
    sev1Count: sev1,
    sev1Precision: ratio(sev1Right, sev1Suggested),
    sev1Suggested,
    negatedNsFalsePositives: negatedFp,
    confusion,
    worst: misses.sort((a, b) => b.cost - a.cost).slice(0, worstCount),
  };
}

/** Parse the set's text format: `severity | team | category | not-supported | text` per line, `#` comments, `-` = none. */
export function parseSet(source: string): LabelledRequest[] {
  const out: LabelledRequest[] = [];
  source.split('\n').forEach((line, n) => {
    if (!line.trim() || line.startsWith('#')) return;
    const parts = line.split(' | ');
    if (parts.length < 5) throw new Error(`line ${n + 1}: expected 5 fields separated by " | "`);
    const [sev, team, category, ns] = parts.map((p) => p.trim());
    const severity = Number(sev);
    if (![1, 2, 3, 4].includes(severity)) throw new Error(`line ${n + 1}: severity must be 1-4`);
    const none = (s: string | undefined) => (!s || s === '-' ? null : s);
    out.push({
      severity: severity as Severity,
      team: none(team) as TeamId | null,
      category: none(category),
      notSupported: none(ns),
      text: parts.slice(4).join(' | '),
    });
  });
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The report as printed by `npm run eval:triage`. */
export function formatReport(title: string, r: Report): string {
  const lines = [
    `== ${title} (${r.count} requests)`,
    `exact severity      ${pct(r.exactSeverity)}`,
    `within one          ${pct(r.withinOne)}`,
    `owning team         ${pct(r.team)} (of ${r.teamCount})`,
    `Not Supported       precision ${pct(r.ns.precision)}  recall ${pct(r.ns.recall)}  F1 ${pct(r.ns.f1)}  (tp ${r.ns.tp}, fp ${r.ns.fp}, fn ${r.ns.fn})`,
    `Severity 1 recall   ${pct(r.sev1Recall)} (of ${r.sev1Count})  precision ${pct(r.sev1Precision)} (of ${r.sev1Suggested} suggested)`,
    `NS false positives on negated text: ${r.negatedNsFalsePositives.length}`,
    ...r.negatedNsFalsePositives.map((t) => `  - ${t}`),
    'severity confusion (rows: expected, columns: suggested)',
    '        S1   S2   S3   S4',
    ...r.confusion.map((row, i) => `  S${i + 1} ${row.map((n) => String(n).padStart(4)).join(' ')}`),
    'worst misses',
    ...r.worst.map(
      (m) =>
        `  [${m.cost}] ${m.text}\n      expected S${m.expected.severity} ${m.expected.team ?? '-'} ${m.expected.category ?? ''} ${m.expected.notSupported ?? ''}\n      got      S${m.got.severity} ${m.got.team ?? '-'} ${m.got.category ?? ''} ${m.got.notSupported ?? ''}`,
    ),
  ];
  return lines.join('\n');
}
