import { firstDigestOfWeek, type WeekFigures, weeklyChart } from '../../../../src/app/reports/weekly';
import { chartBars, niceMax, weeklyChartSvg } from '../../../../src/cards/weekly-chart';
import { weeklyChartImage } from '../../../../src/notify/chart-image';

const TZ = 'Europe/London';
const sla = (resolved: number, met: number) =>
  ({
    resolved,
    responded: resolved,
    responseMet: resolved,
    responseBreached: 0,
    responseAvg: null,
    resolutionMet: met,
    resolutionBreached: resolved - met,
    resolutionAvg: null,
    escalated: 0,
    laddered: 0,
  }) satisfies WeekFigures['sla'];
const week = (monday: string, raised: number, resolved: number, met: number): WeekFigures => ({
  from: new Date(`${monday}T00:00:00Z`),
  to: new Date(new Date(`${monday}T00:00:00Z`).getTime() + 7 * 86_400_000),
  raised,
  sla: sla(resolved, met),
});

describe('the weekly chart', () => {
  // The seeded data set's weeks (see test/integration/reports/dataset.ts) and one with breaches.
  const figures = [week('2026-02-23', 4, 5, 3), week('2026-03-02', 2, 2, 2), week('2026-03-09', 3, 1, 1)];

  it('takes raised, met and breached per week from the figures, labelled by Monday', () => {
    expect(weeklyChart(figures, TZ)).toEqual({
      title: 'Tickets raised and resolved, last 3 weeks',
      weeks: [
        { label: '23 Feb', raised: 4, met: 3, breached: 2 },
        { label: '2 Mar', raised: 2, met: 2, breached: 0 },
        { label: '9 Mar', raised: 3, met: 1, breached: 0 },
      ],
    });
  });

  it('scales bars to a round axis top and stacks breached on met', () => {
    expect([0, 1, 3, 5, 7, 12, 99].map(niceMax)).toEqual([1, 1, 5, 5, 10, 20, 100]);
    const { bars, yMax } = chartBars(weeklyChart(figures, TZ));
    expect(yMax).toBe(5); // the tallest is 23 Feb's resolved: 3 met + 2 breached
    const of = (series: string, w: string) => bars.find((b) => b.series === series && b.week === w);
    const unit = of('raised', '23 Feb')!.height / 4;
    expect(of('met', '23 Feb')!.height).toBeCloseTo(3 * unit);
    expect(of('breached', '23 Feb')!.height).toBeCloseTo(2 * unit);
    expect(of('breached', '23 Feb')!.y + of('breached', '23 Feb')!.height).toBeCloseTo(of('met', '23 Feb')!.y);
    expect(of('met', '23 Feb')!.height + of('breached', '23 Feb')!.height).toBeCloseTo(5 * unit);
    expect(of('breached', '2 Mar')!.height).toBe(0);
  });

  it('draws only non-empty bars, escapes text, and renders to a small PNG', () => {
    const svg = weeklyChartSvg({ title: 'R&D <weekly>', weeks: weeklyChart(figures, TZ).weeks });
    expect(svg).toContain('R&amp;D &lt;weekly&gt;');
    expect(svg.match(/data-series="breached"/g)).toHaveLength(1);
    expect(svg).toContain('data-series="raised" data-week="9 Mar" data-value="3"');
    const { png } = weeklyChartImage(weeklyChart(figures, TZ));
    expect(png.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    expect(png.readUInt32BE(16)).toBe(1280); // IHDR width: 640 drawn at 2x
    expect(png.length).toBeLessThan(200_000);
  });

  it('renders on a machine with no fonts (the text is left out, the bars drawn)', () => {
    const chart = weeklyChart(figures, TZ);
    const withFonts = weeklyChartImage(chart).png;
    const without = weeklyChartImage(chart, { systemFonts: false }).png;
    expect(without.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(without.readUInt32BE(16)).toBe(1280);
    expect(without.equals(withFonts)).toBe(false); // the text made a difference where fonts exist
  });

  it('an empty chart (no tickets in eight weeks) still renders', () => {
    const empty = weeklyChart([week('2026-03-09', 0, 0, 0)], TZ);
    expect(chartBars(empty).yMax).toBe(1);
    expect(weeklyChartImage(empty).png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('is carried by the first digest of a week: none before, or the previous one in an earlier week', () => {
    const monday = new Date('2026-03-16T08:45:00Z');
    expect(firstDigestOfWeek(null, monday, TZ)).toBe(true);
    expect(firstDigestOfWeek(new Date('2026-03-13T08:45:00Z'), monday, TZ)).toBe(true);
    expect(firstDigestOfWeek(monday, new Date('2026-03-17T08:45:00Z'), TZ)).toBe(false);
    // Monday a holiday: Tuesday's digest follows Friday's, so it is the week's first.
    expect(firstDigestOfWeek(new Date('2026-03-13T08:45:00Z'), new Date('2026-03-17T08:45:00Z'), TZ)).toBe(true);
  });
});
