import { DateTime } from 'luxon';
import { formatMinutes } from '../../domain/sla/sla-clock';
import type { Notice, WeeklyChart } from '../../domain/ticket/notice';
import { type ReportDeps, type SlaSummary, summariseCsat, summariseSla } from './figures';

/** How many full weeks the weekly chart shows (one bar group each, two aggregations each). */
export const CHART_WEEKS = 8;

/**
 * True when a digest at `now` is the first of its local week: none before it, or the previous one was in an
 * earlier week (so Monday's, or Tuesday's when Monday is a holiday, carries the weekly summary).
 */
export function firstDigestOfWeek(previous: Date | null, now: Date, timeZone: string): boolean {
  if (previous === null) return true;
  return previous < DateTime.fromJSDate(now, { zone: timeZone }).startOf('week').toJSDate();
}

export interface WeekFigures {
  /** The week's Monday 00:00 (local) and the next Monday's. */
  from: Date;
  to: Date;
  raised: number;
  sla: SlaSummary;
}

/** The chart's figures from each week's (oldest first); pure, so its numbers are checked without a database. */
export function weeklyChart(weeks: WeekFigures[], timeZone: string): WeeklyChart {
  return {
    title: `Tickets raised and resolved, last ${weeks.length} weeks`,
    weeks: weeks.map((w) => ({
      label: DateTime.fromJSDate(w.from, { zone: timeZone }).toFormat('d LLL'),
      raised: w.raised,
      met: w.sla.resolutionMet,
      breached: w.sla.resolutionBreached,
    })),
  };
}

/** The CHART_WEEKS full local weeks before `now`'s week, each as two database aggregations. */
export async function lastWeeksFigures(deps: ReportDeps, now: Date): Promise<WeekFigures[]> {
  const thisWeek = DateTime.fromJSDate(now, { zone: deps.policy.calendar.timeZone }).startOf('week');
  const starts = Array.from({ length: CHART_WEEKS }, (_, i) => thisWeek.minus({ weeks: CHART_WEEKS - i }));
  return Promise.all(
    starts.map(async (start) => {
      const from = start.toJSDate();
      const to = start.plus({ weeks: 1 }).toJSDate();
      const [groups, triage] = await Promise.all([
        deps.reports.slaGroups(from, to),
        deps.reports.triageCorrections(from, to),
      ]);
      return { from, to, raised: triage.raised, sla: summariseSla(groups) };
    }),
  );
}

/**
 * The weekly summary that rides with the first digest of a week: last week's figures in words and the last
 * CHART_WEEKS weeks as a chart (figures only; the image is drawn when it is delivered). One per week (the key).
 */
export async function weeklySummary(deps: ReportDeps, now: Date): Promise<Notice> {
  const tz = deps.policy.calendar.timeZone;
  const weeks = await lastWeeksFigures(deps, now);
  const last = weeks.at(-1);
  if (!last) throw new Error('CHART_WEEKS must be at least 1');
  const csat = summariseCsat(await deps.reports.csatGroups(last.from, last.to));
  const fmt = (m: number | null) => (m === null ? 'n/a' : formatMinutes(m));
  const s = last.sla;
  const monday = DateTime.fromJSDate(last.from, { zone: tz });
  const text = [
    `Weekly summary, week of ${monday.toFormat('ccc d LLL yyyy')}`,
    `Raised: ${last.raised}. Resolved: ${s.resolved} (resolution target met ${s.resolutionMet}, breached ${s.resolutionBreached}; average ${fmt(s.resolutionAvg)}). First response met ${s.responseMet}, breached ${s.responseBreached}; average ${fmt(s.responseAvg)}.`,
    csat.responses
      ? `CSAT: ${csat.responses} response${csat.responses === 1 ? '' : 's'}, average ${csat.average} of 5.`
      : 'CSAT: no responses.',
    `The chart shows the last ${weeks.length} weeks: tickets raised, and resolved within or past their target.`,
  ].join('\n');
  return {
    key: `digest.weekly:${DateTime.fromJSDate(now, { zone: tz }).startOf('week').toISODate()}`,
    type: 'digest.weekly',
    ticket: null,
    audience: { kind: 'channel', channel: 'managers' },
    text,
    chart: weeklyChart(weeks, tz),
  };
}
