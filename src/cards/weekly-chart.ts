import type { WeeklyChart } from '../domain/ticket/notice';

/** The picture's size in SVG units (drawn at 2x, so 1280 x 640 pixels). */
export const CHART_SIZE = { width: 640, height: 320 } as const;

export const CHART_COLOURS = { raised: '#3b5bdb', met: '#2f9e44', breached: '#e03131', ink: '#212529' } as const;

/** Fonts found on most Linux servers first; the renderer falls back to any sans-serif it has (or draws no text). */
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

const PLOT = { left: 44, right: 624, top: 64, bottom: 276 } as const;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at least `max` (at least 1). */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
}

export interface Bar {
  series: 'raised' | 'met' | 'breached';
  week: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each bar goes: per week a "raised" bar, and beside it "resolved" stacked as met (bottom) and breached. */
export function chartBars(chart: WeeklyChart): { bars: Bar[]; yMax: number } {
  const yMax = niceMax(Math.max(0, ...chart.weeks.flatMap((w) => [w.raised, w.met + w.breached])));
  const scale = (PLOT.bottom - PLOT.top) / yMax;
  const groupWidth = (PLOT.right - PLOT.left) / Math.max(1, chart.weeks.length);
  const barWidth = Math.min(28, groupWidth * 0.34);
  const bars: Bar[] = [];
  chart.weeks.forEach((w, i) => {
    const x0 = PLOT.left + i * groupWidth + groupWidth / 2 - barWidth - 1;
    const bar = (series: Bar['series'], value: number, x: number, base: number): Bar => ({
      series,
      week: w.label,
      value,
      x,
      y: base - value * scale,
      width: barWidth,
      height: value * scale,
    });
    bars.push(bar('raised', w.raised, x0, PLOT.bottom));
    const met = bar('met', w.met, x0 + barWidth + 2, PLOT.bottom);
    bars.push(met, bar('breached', w.breached, x0 + barWidth + 2, met.y));
  });
  return { bars, yMax };
}

/** The weekly chart as a self-contained SVG (no scripts, no external references), text kept to a minimum. */
export function weeklyChartSvg(chart: WeeklyChart): string {
  const { bars, yMax } = chartBars(chart);
  const { width, height } = CHART_SIZE;
  const text = (x: number, y: number, s: string, size: number, anchor = 'middle', weight = 'normal') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="${CHART_COLOURS.ink}">${esc(s)}</text>`;
  const grid = [0, yMax / 2, yMax].map((v) => {
    const y = PLOT.bottom - (v / yMax) * (PLOT.bottom - PLOT.top);
    return `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#dee2e6"/>${text(
      PLOT.left - 6,
      y + 4,
      Number.isInteger(v) ? String(v) : v.toFixed(1),
      11,
      'end',
    )}`;
  });
  const rects = bars
    .filter((b) => b.height > 0)
    .map(
      (b) =>
        `<rect data-series="${b.series}" data-week="${esc(b.week)}" data-value="${b.value}" x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="${CHART_COLOURS[b.series]}"/>`,
    );
  const groupWidth = (PLOT.right - PLOT.left) / Math.max(1, chart.weeks.length);
  const labels = chart.weeks.map((w, i) => text(PLOT.left + (i + 0.5) * groupWidth, PLOT.bottom + 16, w.label, 11));
  const legend = (
    [
      ['raised', 'Raised'],
      ['met', 'Resolved within target'],
      ['breached', 'Resolved past target'],
    ] as const
  ).map(
    ([series, label], i) =>
      `<rect x="${PLOT.left + i * 190}" y="36" width="12" height="12" fill="${CHART_COLOURS[series]}"/>${text(
        PLOT.left + i * 190 + 18,
        46,
        label,
        12,
        'start',
      )}`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(PLOT.left, 22, chart.title, 15, 'start', 'bold'),
    ...legend,
    ...grid,
    ...rects,
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="${CHART_COLOURS.ink}"/>`,
    ...labels,
    '</svg>',
  ].join('\n');
}
