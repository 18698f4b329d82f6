/**
 * The knowledge section of `npm run eval:triage`: how well the bot answers requests with a knowledge article before a
 * ticket (eval/knowledge, see its README). Per part: deflection precision (of the requests answered with an article,
 * how many with the right one), recall (of the requests an article answers, how many were answered with it), and the
 * requests that needed a ticket (label null) but were answered with an article ("wrongly deflected"). The threshold
 * is chosen on the tuning part only: the lowest score whose precision is at least {@link TARGET_PRECISION} with the
 * best recall; the held-out part is run at the policy's threshold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgePolicy } from '../../src/config/knowledge.schema';
import { createKnowledge } from '../../src/domain/knowledge/match';

export interface KnowledgeItem {
  text: string;
  article: string | null;
  writer: string;
}

export interface KnowledgeFigures {
  requests: number;
  answerable: number;
  offered: number;
  right: number;
  /** Offered an article when the request needed a ticket. */
  wronglyDeflected: number;
  precision: number;
  recall: number;
}

/** A wrong deflection of a real fault is worse than a missed one: precision first. */
export const TARGET_PRECISION = 0.9;

export function readKnowledgeSet(file: string): KnowledgeItem[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as KnowledgeItem);
}

/** Scores once per item (the best article, its score, and whether it is a fault), then figures at any threshold. */
export function scoreSet(knowledge: KnowledgePolicy, items: KnowledgeItem[]) {
  const k = createKnowledge(knowledge, { threshold: 0 });
  return items.map((item) => {
    const s = k.suggest(item.text);
    return { item, best: s.best?.id ?? null, score: s.best?.score ?? 0, fault: s.fault ?? null };
  });
}

export function figuresAt(scored: ReturnType<typeof scoreSet>, threshold: number): KnowledgeFigures {
  const offered = scored.filter((s) => s.best && !s.fault && s.score >= threshold);
  const right = offered.filter((s) => s.best === s.item.article).length;
  const answerable = scored.filter((s) => s.item.article).length;
  return {
    requests: scored.length,
    answerable,
    offered: offered.length,
    right,
    wronglyDeflected: offered.filter((s) => s.item.article === null).length,
    precision: offered.length ? right / offered.length : 1,
    recall: answerable ? right / answerable : 0,
  };
}

/** The threshold chosen on `scored`: precision ≥ target with the best recall (else the best precision). */
export function chooseThreshold(scored: ReturnType<typeof scoreSet>): number {
  const candidates = [...new Set(scored.map((s) => Math.floor(s.score * 10) / 10))].sort((a, b) => a - b);
  let best: { t: number; f: KnowledgeFigures } | undefined;
  for (const t of candidates) {
    const f = figuresAt(scored, t);
    const better = (a: KnowledgeFigures, b: KnowledgeFigures) => {
      const okA = a.precision >= TARGET_PRECISION;
      const okB = b.precision >= TARGET_PRECISION;
      if (okA !== okB) return okA;
      return okA ? a.recall > b.recall : a.precision > b.precision;
    };
    if (!best || better(f, best.f)) best = { t, f };
  }
  return best?.t ?? 0;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function formatKnowledge(part: string, threshold: number, f: KnowledgeFigures): string {
  return [
    `== knowledge ${part} (${f.requests} requests, ${f.answerable} answerable by an article) at threshold ${threshold}`,
    `deflection precision ${pct(f.precision)} (${f.right} right of ${f.offered} answered with an article)`,
    `deflection recall    ${pct(f.recall)} (${f.right} of ${f.answerable})`,
    `wrongly deflected    ${f.wronglyDeflected} requests that needed a ticket were answered with an article`,
  ].join('\n');
}

/** Misses on a part (for tuning only): wrong deflections and answerable requests not answered. */
export function knowledgeMisses(scored: ReturnType<typeof scoreSet>, threshold: number, n: number): string[] {
  const out: string[] = [];
  for (const s of scored) {
    const offered = s.best && !s.fault && s.score >= threshold;
    if (offered && s.best !== s.item.article)
      out.push(`  WRONG  ${s.best} ${s.score.toFixed(1)} (want ${s.item.article}): ${s.item.text.slice(0, 110)}`);
    else if (!offered && s.item.article)
      out.push(
        `  MISSED ${s.item.article} (best ${s.best} ${s.score.toFixed(1)}${s.fault ? `, fault: ${s.fault}` : ''}): ${s.item.text.slice(0, 110)}`,
      );
  }
  return out.slice(0, n);
}

/** Runs the knowledge parts: `only` one of knowledge-tuning, knowledge-held-out. */
export function runKnowledge(root: string, knowledge: KnowledgePolicy, opts: { only?: string; worst: number }) {
  const dir = path.join(root, 'eval', 'knowledge');
  if (!opts.only || opts.only === 'knowledge-tuning') {
    const scored = scoreSet(knowledge, readKnowledgeSet(path.join(dir, 'tuning.jsonl')));
    const chosen = chooseThreshold(scored);
    console.log(
      `knowledge threshold chosen on the tuning part: ${chosen} (precision ≥ ${pct(TARGET_PRECISION)}, best recall); the policy has ${knowledge.threshold}`,
    );
    console.log(formatKnowledge('tuning', knowledge.threshold, figuresAt(scored, knowledge.threshold)));
    for (const line of knowledgeMisses(scored, knowledge.threshold, opts.worst)) console.log(line);
    console.log('');
  }
  // The held-out writers are only ever run at the policy's threshold, never tuned on (no misses printed).
  if (!opts.only || opts.only === 'knowledge-held-out') {
    const scored = scoreSet(knowledge, readKnowledgeSet(path.join(dir, 'held-out.jsonl')));
    console.log(formatKnowledge('held-out', knowledge.threshold, figuresAt(scored, knowledge.threshold)));
    console.log('');
  }
}
