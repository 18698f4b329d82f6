/**
 * The raise runs' rows (issue 29): for each platform and concurrency, the bare framework, the minimal raise and
 * Helpline, each in raises/s with its request (ack) and raise latencies, and Helpline's ratio to each ceiling
 * against the issue's targets.
 */
import type { LoadResult } from './load';

export type Row = { section: string; figure: string; value: string; ceiling?: string; ratio?: string; target?: string };
export type Kind = 'bare' | 'minimal' | 'app';
export type Runs = Partial<Record<Kind, LoadResult[]>>;
export interface Ratio {
  concurrency: number;
  toBare?: number;
  toMinimal?: number;
  targets: Record<string, boolean>;
}

const NAMES: Record<Kind, string> = { bare: 'bare', minimal: 'minimal raise', app: 'Helpline' };
const r2 = (x: number) => Math.round(x * 100) / 100;

function figures(r: LoadResult): string {
  const errors = r.errors ? ` (${r.errors} errors: ${r.firstError})` : '';
  return `${r.perSecond} | ${r.ack.p50}/${r.ack.p95}/${r.ack.p99} | ${r.unit.p50}/${r.unit.p99}${errors}`;
}

/** Helpline's targets at this concurrency (issue 29), each met or not. */
function targetsOf(platform: 'slack' | 'teams', r: LoadResult, toBare?: number, toMinimal?: number) {
  const t: Record<string, boolean> = {};
  if (r.concurrency === 16) {
    if (toBare !== undefined) t['≥0.5x bare'] = toBare >= 0.5;
    if (toMinimal !== undefined) t['≥0.8x minimal'] = toMinimal >= 0.8;
    if (platform === 'slack') t['ack p99<250ms'] = r.ack.p99 < 250;
  }
  if (r.concurrency === 64 && platform === 'teams') t['p99<500ms'] = r.ack.p99 < 500;
  return t;
}

/** The rows of one platform's runs, grouped by concurrency (bare, minimal, Helpline), and Helpline's ratios. */
export function raiseRows(platform: 'slack' | 'teams', runs: Runs): { rows: Row[]; ratios: Ratio[] } {
  const rows: Row[] = [];
  const ratios: Ratio[] = [];
  const section = `raise ${platform}`;
  const concurrencies = [...new Set(Object.values(runs).flatMap((rs) => rs.map((r) => r.concurrency)))];
  for (const c of concurrencies) {
    const at = (kind: Kind) => runs[kind]?.find((r) => r.concurrency === c);
    for (const kind of ['bare', 'minimal', 'app'] as const) {
      const r = at(kind);
      if (!r) continue;
      const row: Row = {
        section,
        figure: `${NAMES[kind]} c=${c} raises/s | ack p50/p95/p99 | raise p50/p99 ms`,
        value: figures(r),
      };
      if (kind === 'app') {
        const bare = at('bare');
        const minimal = at('minimal');
        const ratio = (ceiling?: LoadResult) =>
          ceiling && ceiling.perSecond > 0 ? r2(r.perSecond / ceiling.perSecond) : undefined;
        const toBare = ratio(bare);
        const toMinimal = ratio(minimal);
        const targets = targetsOf(platform, r, toBare, toMinimal);
        ratios.push({
          concurrency: c,
          ...(toBare !== undefined ? { toBare } : {}),
          ...(toMinimal !== undefined ? { toMinimal } : {}),
          targets,
        });
        const ceilings = [bare ? `bare ${bare.perSecond}` : '', minimal ? `minimal ${minimal.perSecond}` : ''];
        const shown = [
          toBare !== undefined ? `${toBare}x bare` : '',
          toMinimal !== undefined ? `${toMinimal}x min` : '',
        ];
        const met = Object.entries(targets).map(([name, ok]) => `${name} ${ok ? '✓' : '✗'}`);
        if (bare || minimal) row.ceiling = ceilings.filter(Boolean).join(', ');
        if (toBare !== undefined || toMinimal !== undefined) row.ratio = shown.filter(Boolean).join(', ');
        if (met.length > 0) row.target = met.join('; ');
      }
      rows.push(row);
    }
  }
  return { rows, ratios };
}
