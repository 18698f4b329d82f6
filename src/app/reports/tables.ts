import { DateTime } from 'luxon';
import type { AtRiskLine, CsatSummary, Report, SlaSummary } from './figures';
import { AGE_LABELS } from './periods';

export type Cell = string | number | null;

/** One table of the dashboard: what the page shows and what its CSV holds, cell for cell. */
export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Columns holding ticket numbers (the page links them to the ticket). */
  ticketColumn?: number;
}

const SLA_COLUMNS = [
  'Resolved',
  'First response met',
  'First response breached',
  'Avg first response (business min)',
  'Resolution met',
  'Resolution breached',
  'Avg resolution (business min)',
  'Customer escalations',
  'Ladder alerts',
];
const slaCells = (s: SlaSummary): Cell[] => [
  s.resolved,
  s.responseMet,
  s.responseBreached,
  s.responseAvg,
  s.resolutionMet,
  s.resolutionBreached,
  s.resolutionAvg,
  s.escalated,
  s.laddered,
];
const CSAT_COLUMNS = ['Responses', 'Score 1', 'Score 2', 'Score 3', 'Score 4', 'Score 5', 'Average'];
const csatCells = (c: CsatSummary): Cell[] => [c.responses, ...c.distribution, c.average];

function atRiskRow(a: AtRiskLine, statusName: (s: string) => string): Cell[] {
  return [
    a.ticket.number,
    a.ticket.title,
    a.ticket.severity,
    a.ticket.team,
    statusName(a.ticket.status),
    a.condition === 'breached' ? 'Breached' : 'At risk',
    a.clock === 'response' ? 'First response' : 'Resolution',
    a.usedMinutes,
    a.targetMinutes,
  ];
}

/** Every table of the dashboard, from one report. */
export function reportTables(
  r: Report,
  names: { status: (id: string) => string; team: (id: string) => string; ladder: (level: number) => string },
): ReportTable[] {
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: r.timeZone }).toFormat('yyyy-LL-dd HH:mm');
  const by = (id: string, title: string, key: string, rows: Array<{ key: string; sla: SlaSummary }>): ReportTable => ({
    id,
    title,
    columns: [key, ...SLA_COLUMNS],
    rows: rows.map((x) => [x.key, ...slaCells(x.sla)]),
  });
  return [
    {
      id: 'sla-weekly',
      title: 'SLA per week (tickets resolved that week)',
      columns: ['Week of', ...SLA_COLUMNS],
      rows: r.weeks.map((w) => [w.id, ...slaCells(w.sla)]),
    },
    {
      id: 'sla-targets',
      title: 'Averages against targets (business minutes)',
      columns: ['Severity', 'First response target', 'Avg first response', 'Resolution target', 'Avg resolution'],
      rows: r.targets.map((t) => {
        const s = r.by.severity.find((x) => x.key === String(t.severity))?.sla;
        return [t.severity, t.response, s?.responseAvg ?? null, t.resolution, s?.resolutionAvg ?? null];
      }),
    },
    by('sla-severity', 'SLA by severity', 'Severity', r.by.severity),
    by('sla-priority', 'SLA by priority (impact on the customer)', 'Priority', r.by.priority),
    by('sla-team', 'SLA by team', 'Team', r.by.team),
    by('sla-client', 'SLA by client', 'Client', r.by.client),
    by('sla-request-type', 'SLA by request type', 'Request type', r.by.requestType),
    {
      id: 'open-status',
      title: `Open now by status and age (${r.today.openTotal} open)`,
      columns: ['Status', 'Open', ...AGE_LABELS.map((l) => `Age ${l}`)],
      rows: r.today.open.map((o) => [names.status(o.status), o.count, ...o.byAge]),
    },
    {
      id: 'at-risk',
      title: 'At risk and breached now',
      columns: ['Ticket', 'Title', 'Severity', 'Team', 'Status', 'Condition', 'Clock', 'Used (business min)', 'Target'],
      rows: r.today.atRisk.map((a) =>
        atRiskRow({ ...a, ticket: { ...a.ticket, team: names.team(a.ticket.team) } }, names.status),
      ),
      ticketColumn: 0,
    },
    {
      id: 'ladder',
      title: 'Open tickets by escalation level and ladder level reached',
      columns: ['Customer escalation level', 'Ladder level notified', 'Open tickets'],
      rows: r.today.ladder.map((l) => [
        names.ladder(l.escalationLevel),
        l.notifiedLevel ? names.ladder(l.notifiedLevel) : 'none',
        l.count,
      ]),
    },
    {
      id: 'acknowledgements',
      title: 'Breach acknowledgements (tickets resolved in the range)',
      columns: ['Acknowledged breaches', 'Avg minutes from breach to acknowledgement'],
      rows: [[r.today.acknowledgements.count, r.today.acknowledgements.avgMinutes]],
    },
    {
      id: 'triage-corrections',
      title: "Triage corrections (agents changing triage's suggestion, tickets raised in the range)",
      columns: ['Tickets raised', 'Severity corrected', 'Category corrected', 'Corrected %'],
      rows: [
        [
          r.triage.raised,
          r.triage.severity,
          r.triage.category,
          r.triage.raised ? Math.round(((r.triage.severity + r.triage.category) / r.triage.raised) * 1000) / 10 : null,
        ],
      ],
    },
    {
      id: 'closures',
      title: 'Tickets closed in the range, by reason',
      columns: ['Reason', 'Closed'],
      rows: r.closures.map((c) => [c.reason, c.count]),
    },
    {
      id: 'knowledge',
      title: 'Knowledge answers: requests an article answered (no ticket), and articles followed by a ticket anyway',
      columns: ['Article', 'Answered, no ticket', 'Followed by a ticket', 'Answered %'],
      rows: r.knowledge.map((k) => [
        k.title,
        k.deflected,
        k.followedByTicket,
        k.deflected + k.followedByTicket
          ? Math.round((k.deflected / (k.deflected + k.followedByTicket)) * 1000) / 10
          : null,
      ]),
    },
    ...developmentTables(r),
    {
      id: 'csat-weekly',
      title: 'Satisfaction (CSAT) per week',
      columns: ['Week of', ...CSAT_COLUMNS],
      rows: r.weeks.map((w) => [w.id, ...csatCells(w.csat)]),
    },
    {
      id: 'csat-team',
      title: 'CSAT by team',
      columns: ['Team', ...CSAT_COLUMNS],
      rows: r.csat.byTeam.map((x) => [x.key, ...csatCells(x.csat)]),
    },
    {
      id: 'csat-client',
      title: 'CSAT by client',
      columns: ['Client', ...CSAT_COLUMNS],
      rows: r.csat.byClient.map((x) => [x.key, ...csatCells(x.csat)]),
    },
    {
      id: 'csat-low',
      title: 'Low scores (1 or 2) with their comments',
      columns: ['Ticket', 'Score', 'Comment', 'Team', 'Client', 'Given'],
      rows: r.csat.low.map((t) => [
        t.number,
        t.csat?.score ?? null,
        t.csat?.comment ?? '',
        names.team(t.team),
        t.client,
        t.csat ? local(t.csat.at) : null,
      ]),
      ticketColumn: 0,
    },
    {
      id: 'csat-follow-ups',
      title: `Low CSAT follow-ups (ratings in the range): ${r.csat.followUps.open} open, ${r.csat.followUps.done} done`,
      columns: ['Ticket', 'Score', 'Comment', 'Team', 'Team Lead', 'State', 'Opened', 'Done by', 'Done', 'Last'],
      rows: r.csat.followUps.lines.map((f) => [
        f.number,
        f.score,
        f.comment,
        names.team(f.team),
        f.lead ?? '',
        f.state,
        local(f.openedAt),
        f.doneBy ?? '',
        f.doneAt ? local(f.doneAt) : null,
        f.lastNote ?? '',
      ]),
      ticketColumn: 0,
    },
  ];
}

const TARGET_NAMES: Record<string, string> = { accept: 'Taken up', allocate: 'Planned into a release' };

/** Development's decisions in the range: the roadmap, route switches, quotes by currency, missed targets. */
function developmentTables(r: Report): ReportTable[] {
  const d = r.development;
  const accepted = d.roadmap.filter((x) => x.decision === 'accepted').reduce((a, x) => a + x.count, 0);
  const declined = d.roadmap.filter((x) => x.decision === 'declined').reduce((a, x) => a + x.count, 0);
  return [
    {
      id: 'roadmap-decisions',
      title: `Roadmap decisions on change requests: ${accepted} accepted, ${declined} declined (by reason)`,
      columns: ['Decision', 'Reason', 'Change requests'],
      rows: d.roadmap.map((x) => [x.decision === 'accepted' ? 'Accepted' : 'Declined', x.reason, x.count]),
    },
    {
      id: 'route-switches',
      title: 'Development route switches',
      columns: ['From', 'To', 'Switches'],
      rows: d.routeSwitches.map((x) => [x.from, x.to, x.count]),
    },
    {
      id: 'quotes',
      title: 'Quotes sent in the range, by currency, and their outcome so far',
      columns: [
        'Currency',
        'Sent',
        'Accepted',
        'Declined',
        'Awaiting',
        'Amount sent',
        'Amount accepted',
        'Amount declined',
      ],
      rows: d.quotes.map((q) => [
        q.currency,
        q.sent,
        q.accepted,
        q.declined,
        q.sent - q.accepted - q.declined,
        q.sentAmount,
        q.acceptedAmount,
        q.declinedAmount,
      ]),
    },
    {
      id: 'development-targets-missed',
      title: "Development's own targets missed (alerted to the Dev Lead), by route",
      columns: ['Route', 'Target', 'Missed'],
      rows: d.missedTargets.map((x) => [x.route, TARGET_NAMES[x.target] ?? x.target, x.count]),
    },
  ];
}

/** RFC 4180 CSV (CRLF, quoted when needed); a leading =, +, - or @ is prefixed with ' so no spreadsheet runs it. */
export function toCsv(t: ReportTable): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[t.columns, ...t.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
