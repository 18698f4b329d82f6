import type * as ResvgModule from '@resvg/resvg-js';
import { weeklyChartSvg } from '../cards/weekly-chart';
import type { WeeklyChart } from '../domain/ticket/notice';
import type { DeliveryImage } from './delivery';

/**
 * The weekly chart as a PNG, drawn with resvg (a maintained SVG renderer; its prebuilt binary comes from npm, no
 * native build). Text uses the machine's fonts (DejaVu Sans on Debian); with none installed the bars, grid and
 * legend swatches are still drawn and the text is left out, never an error. About 20-40 KB.
 */
export function weeklyChartImage(chart: WeeklyChart, opts: { systemFonts?: boolean } = {}): DeliveryImage {
  const svg = weeklyChartSvg(chart);
  // Loaded on the first chart (a weekly report), not at start: the renderer's native module is resident memory.
  const { Resvg } = require('@resvg/resvg-js') as typeof ResvgModule;
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: {
      loadSystemFonts: opts.systemFonts ?? true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  })
    .render()
    .asPng();
  return { png: Buffer.from(png), filename: 'weekly-summary.png', title: chart.title };
}
