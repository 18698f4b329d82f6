import type { Priority } from '../../config/policy.schema';
import { CLOSE_REASON_WORDS, isCloseReason } from '../../domain/ticket/resolution';
import type { AppDeps } from '../context';
import { AGE_BUCKETS, businessMinutesBefore, type Week, weeksCovering } from './periods';
import type {
  CsatGroup,
  DevelopmentFigures,
  FollowUpLine,
  LadderGroup,
  OpenGroup,
  ReportStore,
  SlaGroup,
  TicketLine,
} from './ports';
import { atRiskOf } from './risk';

export interface SlaSummary {
  resolved: number;
  responded: number;
  responseMet: number;
  responseBreached: number;
  /** Average business minutes to first response, null when none. */
  responseAvg: number | null;
  resolutionMet: number;
  resolutionBreached: number;
  resolutionAvg: number | null;
  escalated: number;
  laddered: number;
}

export interface CsatSummary {
  responses: number;
  /** Counts of scores 1..5 (index 0 = score 1). */
  distribution: [number, number, number, number, number];
  average: number | null;
}

export interface AtRiskLine {
  ticket: TicketLine;
  condition: 'at_risk' | 'breached';
  /** The clock in the worst condition. */
  clock: 'response' | 'resolution';
  usedMinutes: number;
  targetMinutes: number;
}

export interface Report {
  generatedAt: Date;
  timeZone: string;
  weeks: Array<Week & { sla: SlaSummary; csat: CsatSummary }>;
  total: SlaSummary;
  by: Record<'severity' | 'priority' | 'team' | 'client' | 'requestType', Array<{ key: string; sla: SlaSummary }>>;
  targets: Array<{ severity: number; response: number; resolution: number }>;
  /** Tickets raised in the range and how often agents corrected triage's suggested severity or category. */
  triage: { raised: number; severity: number; category: number };
  /** Tickets closed in the range, by reason (resolved, duplicate, withdrawn, spam, resolved elsewhere). */
  closures: Array<{ reason: string; count: number }>;
  /** Knowledge answers in the range, per article: deflected ("Yes, that solved it") and followed by a ticket anyway. */
  knowledge: Array<{ article: string; title: string; deflected: number; followedByTicket: number }>;
  /** Development in the range: roadmap decisions, route switches, quotes by currency, missed development targets. */
  development: DevelopmentFigures;
  today: {
    open: OpenGroup[];
    openTotal: number;
    atRisk: AtRiskLine[];
    ladder: LadderGroup[];
    acknowledgements: { count: number; avgMinutes: number | null };
  };
  csat: {
    total: CsatSummary;
    byTeam: Array<{ key: string; csat: CsatSummary }>;
    byClient: Array<{ key: string; csat: CsatSummary }>;
    low: TicketLine[];
    /** Low ratings' follow-ups opened in the range (open first), and how many are open and done. */
    followUps: { open: number; done: number; lines: FollowUpLine[] };
  };
}

export type ReportDeps = Pick<AppDeps, 'policy' | 'clock' | 'calendar'> & {
  reports: ReportStore;
  /** This process's last saves, moved to the history before it is counted (they are moved just after answering). */
  tickets?: Pick<AppDeps['tickets'], 'moveSaved'>;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

export function summariseSla(groups: SlaGroup[]): SlaSummary {
  const sum = (f: (g: SlaGroup) => number) => groups.reduce((a, g) => a + f(g), 0);
  const resolved = sum((g) => g.resolved);
  const responded = sum((g) => g.responded);
  const responseMet = sum((g) => g.responseMet);
  const resolutionMet = sum((g) => g.resolutionMet);
  return {
    resolved,
    responded,
    responseMet,
    responseBreached: responded - responseMet,
    responseAvg: responded ? round1(sum((g) => g.responseMinutes) / responded) : null,
    resolutionMet,
    resolutionBreached: resolved - resolutionMet,
    resolutionAvg: resolved ? round1(sum((g) => g.resolutionMinutes) / resolved) : null,
    escalated: sum((g) => g.escalated),
    laddered: sum((g) => g.laddered),
  };
}

export function summariseCsat(groups: CsatGroup[]): CsatSummary {
  const distribution: CsatSummary['distribution'] = [0, 0, 0, 0, 0];
  for (const g of groups)
    if (g.score >= 1 && g.score <= 5) distribution[g.score - 1] = (distribution[g.score - 1] ?? 0) + g.count;
  const responses = distribution.reduce((a, b) => a + b, 0);
  const total = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
  return { responses, distribution, average: responses ? Math.round((total / responses) * 100) / 100 : null };
}

function groupBy<G, K extends string>(groups: G[], key: (g: G) => K): Map<K, G[]> {
  const out = new Map<K, G[]>();
  for (const g of groups) out.set(key(g), [...(out.get(key(g)) ?? []), g]);
  return out;
}

/**
 * The dashboard's figures for the local weeks covering [from, to]: one SLA and one CSAT aggregation per week
 * (rolled up by severity, team, client and request type in memory: a few dozen rows, never the tickets), and
 * today's picture as of the clock's now.
 */
export async function buildReport(
  deps: ReportDeps,
  range: { from?: string | null; to?: string | null } = {},
): Promise<Report> {
  await deps.tickets?.moveSaved();
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  const weeks = weeksCovering(now, tz, range.from, range.to);
  const slaByWeek = await Promise.all(weeks.map((w) => deps.reports.slaGroups(w.from, w.to)));
  const csatByWeek = await Promise.all(weeks.map((w) => deps.reports.csatGroups(w.from, w.to)));
  const allSla = slaByWeek.flat();
  const allCsat = csatByWeek.flat();
  const start = weeks[0]?.from ?? now;
  const end = weeks.at(-1)?.to ?? now;

  const teamName = (id: string) => deps.policy.teams[id as keyof typeof deps.policy.teams]?.name ?? id;
  const rollUp = (key: (g: SlaGroup) => string) =>
    [...groupBy(allSla, key).entries()]
      .map(([k, gs]) => ({ key: k, sla: summariseSla(gs) }))
      .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  const csatRollUp = (key: (g: CsatGroup) => string) =>
    [...groupBy(allCsat, key).entries()]
      .map(([k, gs]) => ({ key: k, csat: summariseCsat(gs) }))
      .sort((a, b) => a.key.localeCompare(b.key));

  const cutoffs = AGE_BUCKETS.map((b) => businessMinutesBefore(deps.calendar, now, b.hours * 60));
  const [open, ladder, candidates, acks, low, corrections, closed, knowledge, followUps, dev] = await Promise.all([
    deps.reports.openByStatus(cutoffs),
    deps.reports.openLadder(),
    deps.reports.openAtRisk(now, 200),
    deps.reports.acknowledgements(start, end),
    deps.reports.lowCsat(start, end, deps.policy.csat.lowScoreAtOrBelow, 50),
    deps.reports.triageCorrections(start, end),
    deps.reports.closures(start, end),
    deps.reports.knowledge(start, end),
    deps.reports.csatFollowUps(start, end, 200),
    deps.reports.development(start, end),
  ]);
  const atRisk = atRiskOf(candidates, now, deps.calendar, deps.policy);

  return {
    generatedAt: now,
    timeZone: tz,
    weeks: weeks.map((w, i) => ({
      ...w,
      sla: summariseSla(slaByWeek[i] ?? []),
      csat: summariseCsat(csatByWeek[i] ?? []),
    })),
    total: summariseSla(allSla),
    by: {
      severity: rollUp((g) => String(g.severity)),
      priority: rollUp((g) => `${g.priority} (${deps.policy.priorities[g.priority as Priority]?.name ?? '?'})`),
      team: rollUp((g) => teamName(g.team)),
      client: rollUp((g) => g.client || '(none)'),
      requestType: rollUp(
        (g) =>
          deps.policy.requestTypes[g.requestType as keyof typeof deps.policy.requestTypes]?.split(':')[0] ??
          (g.requestType || '(none)'),
      ),
    },
    targets: ([1, 2, 3, 4] as const).map((s) => ({
      severity: s,
      // a severity without targets of its own takes the seed's (sla.targets)
      response: deps.policy.severities[s].response ?? deps.policy.sla.targets.response,
      resolution: deps.policy.severities[s].resolution ?? deps.policy.sla.targets.resolution,
    })),
    triage: corrections,
    closures: closed
      .map((c) => ({
        reason: c.reason && isCloseReason(c.reason) ? CLOSE_REASON_WORDS[c.reason].name : 'Resolved (support process)',
        count: c.count,
      }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    knowledge: knowledgeRows(deps.policy, knowledge),
    development: developmentNamed(deps.policy, dev),
    today: {
      open: open.sort((a, b) => a.status.localeCompare(b.status)),
      openTotal: open.reduce((a, o) => a + o.count, 0),
      atRisk,
      ladder: ladder.sort((a, b) => a.escalationLevel - b.escalationLevel || a.notifiedLevel - b.notifiedLevel),
      acknowledgements: { count: acks.count, avgMinutes: acks.avgMs === null ? null : round1(acks.avgMs / 60_000) },
    },
    csat: {
      total: summariseCsat(allCsat),
      byTeam: csatRollUp((g) => teamName(g.team)),
      byClient: csatRollUp((g) => g.client || '(none)'),
      low,
      followUps: {
        open: followUps.filter((f) => f.state === 'open').length,
        done: followUps.filter((f) => f.state === 'done').length,
        // The Team Lead by name, as the page and the CSV show it.
        lines: followUps.map((f) => ({ ...f, lead: f.lead ? (deps.policy.people[f.lead]?.name ?? f.lead) : null })),
      },
    },
  };
}

/** One row per policy article (in policy order, zeros included), then any article no longer in the policy. */
function knowledgeRows(
  policy: ReportDeps['policy'],
  counts: Array<{ article: string; deflected: number; followedByTicket: number }>,
): Report['knowledge'] {
  const ids = [...new Set([...Object.keys(policy.knowledge.articles), ...counts.map((c) => c.article)])];
  return ids.map((article) => {
    const c = counts.find((x) => x.article === article);
    return {
      article,
      title: policy.knowledge.articles[article]?.title ?? `${article} (no longer in the policy)`,
      deflected: c?.deflected ?? 0,
      followedByTicket: c?.followedByTicket ?? 0,
    };
  });
}

/** Routes by their policy names; rows in a stable order (most first). */
function developmentNamed(policy: ReportDeps['policy'], d: DevelopmentFigures): DevelopmentFigures {
  const route = (r: string) => policy.developmentRoutes[r as keyof typeof policy.developmentRoutes]?.name ?? r;
  const most = <T extends { count: number }>(rows: T[], key: (x: T) => string) =>
    rows.sort((a, b) => b.count - a.count || key(a).localeCompare(key(b)));
  return {
    roadmap: most(d.roadmap, (x) => `${x.decision} ${x.reason}`),
    routeSwitches: most(
      d.routeSwitches.map((s) => ({ ...s, from: route(s.from), to: route(s.to) })),
      (x) => `${x.from} ${x.to}`,
    ),
    quotes: d.quotes,
    missedTargets: most(
      d.missedTargets.map((m) => ({ ...m, route: route(m.route) })),
      (x) => `${x.route} ${x.target}`,
    ),
  };
}
