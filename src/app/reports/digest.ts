import { DateTime } from 'luxon';
import { formatMinutes } from '../../domain/sla/sla-clock';
import type { Notice } from '../../domain/ticket/notice';
import type { OutboxStore } from '../../notify/outbox';
import { digestFigures, type JobReport } from '../scheduled-jobs';
import { type ReportDeps, summariseCsat, summariseSla } from './figures';
import type { DigestMarkStore } from './ports';
import { atRiskOf } from './risk';
import { firstDigestOfWeek, weeklySummary } from './weekly';

export type DigestDeps = ReportDeps &
  Parameters<typeof digestFigures>[0] & {
    outbox: OutboxStore;
    digestMarks: DigestMarkStore;
    publicUrl(): string;
  };

/** The first digest ever covers the day before it. */
const FIRST_PERIOD_MS = 86_400_000;

/** True when the calendar has no business time on `at`'s local day (a weekend, a closed day or a holiday). */
export function closedDay(deps: Pick<DigestDeps, 'calendar' | 'policy'>, at: Date): boolean {
  const day = DateTime.fromJSDate(at, { zone: deps.policy.calendar.timeZone }).startOf('day');
  return deps.calendar.businessMinutesBetween(day.toJSDate(), day.plus({ days: 1 }).toJSDate()) === 0;
}

/**
 * The managers' digest: covers exactly the time since the previous one (its instant is kept in the database), so
 * Friday to Monday and any holiday in between are in Monday's. Not sent on a closed day or holiday: the next
 * digest covers it. One per local day (the outbox key); the mark moves only when this run stored the digest, so
 * two replicas running it at once send one and cover the period once. The first digest of a week also
 * carries the weekly summary with its chart.
 */
export async function periodDigest(deps: DigestDeps): Promise<JobReport> {
  const report: JobReport = { job: 'daily-digest', processed: 0, skipped: 0, failed: 0 };
  const now = deps.clock.now();
  if (closedDay(deps, now)) {
    report.skipped = 1;
    return report;
  }
  const previous = await deps.digestMarks.lastDigestAt();
  const from = previous ?? new Date(now.getTime() - FIRST_PERIOD_MS);
  const text = await digestBody(deps, from, now);
  const tz = deps.policy.calendar.timeZone;
  const day = DateTime.fromJSDate(now, { zone: tz }).toISODate();
  const notices: Notice[] = [
    {
      key: `digest:${day}`,
      type: 'digest.daily',
      ticket: null,
      audience: { kind: 'channel', channel: 'managers' },
      text,
    },
  ];
  // The first digest of a week also carries last week's summary and chart (keyed by the week: one a week).
  if (firstDigestOfWeek(previous, now, tz)) notices.push(await weeklySummary(deps, now));
  const created = await deps.outbox.enqueue(notices, now);
  if (created > 0) await deps.digestMarks.moveMark(previous, now);
  report.processed = created;
  report.skipped = notices.length - created;
  return report;
}

/** The digest's text for [from, to): open and at-risk now, SLA and CSAT of the period, top breaches, the link. */
export async function digestBody(deps: DigestDeps, from: Date, to: Date): Promise<string> {
  const tz = deps.policy.calendar.timeZone;
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: tz });
  const fmt = (m: number | null) => (m === null ? 'n/a' : formatMinutes(m));
  const f = await digestFigures(deps, from, to);
  const sla = summariseSla(await deps.reports.slaGroups(from, to));
  const csat = summariseCsat(await deps.reports.csatGroups(from, to));
  const low = await deps.reports.lowCsat(from, to, deps.policy.csat.lowScoreAtOrBelow, 3);
  const breaches = atRiskOf(await deps.reports.openAtRisk(to, 200), to, deps.calendar, deps.policy)
    .filter((a) => a.condition === 'breached')
    .sort((a, b) => b.usedMinutes - b.targetMinutes - (a.usedMinutes - a.targetMinutes))
    .slice(0, 5);
  const bySev = [1, 2, 3, 4]
    .map((s) => `Sev ${s}: ${f.open.filter((o) => o.severity === s).reduce((a, o) => a + o.count, 0)}`)
    .join(', ');
  const lines = [
    `Daily support digest, ${local(to).toFormat('ccc d LLL yyyy')}`,
    `Covering ${local(from).toFormat('ccc d LLL HH:mm')} to ${local(to).toFormat('ccc d LLL HH:mm')}.`,
    `Open tickets: ${f.openTotal} (${bySev}). By priority: ${f.openByPriority.map((n, i) => `P${i + 1}: ${n}`).join(', ')}. SLA now: ${f.breached} breached, ${f.atRisk} at risk.`,
    `Resolved: ${sla.resolved}. First response met ${sla.responseMet}, breached ${sla.responseBreached}; average ${fmt(
      sla.responseAvg,
    )} (target ${fmt(f.targets.response)}). Resolution met ${sla.resolutionMet}, breached ${
      sla.resolutionBreached
    }; average ${fmt(sla.resolutionAvg)} (target ${fmt(f.targets.resolution)}). The targets are the seed's averages; each ticket's own target (by severity and priority) drives its alerts.`,
    csat.responses
      ? `CSAT: ${csat.responses} response${csat.responses === 1 ? '' : 's'}, average ${csat.average} of 5.${
          low.length
            ? ` Low: ${low.map((t) => `${t.number} ${t.csat?.score} "${t.csat?.comment ?? ''}"`).join('; ')}.`
            : ''
        }`
      : 'CSAT: no responses.',
    breaches.length
      ? `Top breaches: ${breaches
          .map(
            (b) =>
              `${b.ticket.number} ${b.ticket.title} (${b.clock === 'response' ? 'first response' : 'resolution'}, ${fmt(b.usedMinutes - b.targetMinutes)} over)`,
          )
          .join('; ')}.`
      : 'No open breaches.',
    `Dashboard: ${deps.publicUrl()}/reports (send "report" to Helpline for your sign-in link).`,
    ...(await undeliveredLines(deps)),
  ];
  return lines.join('\n');
}

/** Notifications that could not be delivered, and platforms whose deliveries are held: nothing is lost quietly. */
async function undeliveredLines(deps: Pick<DigestDeps, 'outbox'>): Promise<string[]> {
  const health = await deps.outbox.health();
  const lines: string[] = [];
  if (health.dead > 0) {
    const by = Object.entries(health.deadByPlatform)
      .map(([platform, n]) => `${platform === 'none' ? 'no platform' : platform}: ${n}`)
      .join(', ');
    lines.push(
      `Undelivered: ${health.dead} notification${health.dead === 1 ? '' : 's'} refused for good (${by}). An administrator lists them with "npm run outbox -- list-dead" and sends them again with "npm run outbox -- retry-dead" once the cause is fixed.`,
    );
  }
  for (const [platform, c] of Object.entries(health.circuits))
    if (c && c.state !== 'closed')
      lines.push(
        `Held: deliveries to ${platform} have failed ${c.failures} times in a row since ${c.failingSince ?? 'recently'} (${c.lastError ?? 'unknown error'}); they are retried until it answers.`,
      );
  return lines;
}
