/**
 * The report's figures, summed by the database: every read is an aggregation grouped by a handful of fields
 * (a few dozen rows whatever the number of tickets) or a short, bounded list. Each names the index it is
 * designed for on MongoDB (the local mongo-java-server scans, so its tests keep data small).
 */
import type { mongo } from 'mongoose';
import type {
  CsatGroup,
  DevelopmentFigures,
  FollowUpLine,
  LadderGroup,
  OpenGroup,
  ReportStore,
  SlaGroup,
  TicketLine,
} from '../app/reports/ports';
import type { CsatFollowUp } from '../domain/ticket/ticket';
import { MongoDeflectionStore } from './deflection.repository';
import { developmentFigures } from './development-reports.repository';
import { guard } from './errors';
import { collectionOf, type Models } from './models';
import { clockDoc, type TicketDoc, type TicketEventDoc } from './ticket.mapper';

const stopped = (clock: string) => ({ $eq: [`$sla.${clock}.state`, 'stopped'] });
/** Business ms used (exact; clocks stored before `usedMs` was kept fall back to their minutes). */
const usedMs = (clock: string) => ({
  $ifNull: [`$sla.${clock}.usedMs`, { $multiply: [`$sla.${clock}.usedMinutes`, 60_000] }],
});
/**
 * Met: used short of the target (reaching it is the breach, as on the cards and in the sweep) and no breach recorded
 * earlier (a breach a later retarget would have avoided still happened).
 */
const within = (clock: string) => ({
  $and: [
    { $lt: [usedMs(clock), { $multiply: [`$sla.${clock}.targetMinutes`, 60_000] }] },
    { $not: [{ $ifNull: [`$sla.${clock}.firstBreachedAt`, false] }] },
  ],
});
const count = (cond: object) => ({ $sum: { $cond: [cond, 1, 0] } });

const LINE_FIELDS = {
  _id: 1,
  title: 1,
  severity: 1,
  priority: 1,
  service: 1,
  team: 1,
  client: 1,
  status: 1,
  createdAt: 1,
  csat: 1,
  sla: 1,
  alerting: 1,
} as const;

type LineDoc = Pick<
  TicketDoc,
  '_id' | 'title' | 'severity' | 'priority' | 'service' | 'team' | 'client' | 'status' | 'createdAt' | 'csat'
> & {
  sla: TicketDoc['sla'];
  alerting: TicketDoc['alerting'];
};

function lineOf(d: LineDoc): TicketLine {
  return {
    number: d._id,
    title: d.title,
    severity: d.severity,
    priority: d.priority ?? d.severity,
    service: d.service ?? null,
    team: d.team,
    client: d.client,
    status: d.status,
    createdAt: d.createdAt,
    csat: d.csat ? { score: d.csat.score, comment: d.csat.comment, at: d.csat.at } : null,
    sla: { response: clockDoc(d.sla.response), resolution: clockDoc(d.sla.resolution) },
    alerting: {
      notifiedLevel: d.alerting?.notifiedLevel ?? 0,
      breachedAt: d.alerting?.breachedAt ?? null,
      acknowledgedAt: d.alerting?.acknowledgedAt ?? null,
    },
  };
}

export class MongoReportStore implements ReportStore {
  private readonly tickets: mongo.Collection<TicketDoc>;
  private readonly events: mongo.Collection<TicketEventDoc>;
  private readonly deflections: MongoDeflectionStore;

  constructor(models: Models) {
    this.tickets = collectionOf(models.Ticket);
    this.events = collectionOf(models.TicketEvent);
    this.deflections = new MongoDeflectionStore(models.TicketEvent.db);
  }

  triageCorrections(from: Date, to: Date): Promise<{ raised: number; severity: number; category: number }> {
    return guard(async () => {
      // index type_at (ticket_events { type, at })
      const rows = await this.events
        .aggregate<{ _id: { type: string; note: string | null }; count: number }>([
          { $match: { type: { $in: ['raised', 'triage_corrected'] }, at: { $gte: from, $lt: to } } },
          {
            $group: {
              _id: { type: '$type', note: { $cond: [{ $eq: ['$type', 'raised'] }, null, '$note'] } },
              count: { $sum: 1 },
            },
          },
        ])
        .toArray();
      const of = (type: string, note: string | null) =>
        rows.find((r) => r._id.type === type && (r._id.note ?? null) === note)?.count ?? 0;
      return {
        raised: of('raised', null),
        severity: of('triage_corrected', 'severity'),
        category: of('triage_corrected', 'category'),
      };
    });
  }

  closures(from: Date, to: Date): Promise<Array<{ reason: string | null; count: number }>> {
    return guard(async () => {
      // index type_at (ticket_events { type, at }); a close with a reason carries it in `to`
      const rows = await this.events
        .aggregate<{ _id: string | null; count: number }>([
          { $match: { type: 'closed', at: { $gte: from, $lt: to } } },
          { $group: { _id: { $ifNull: ['$to', null] }, count: { $sum: 1 } } },
        ])
        .toArray();
      return rows.map((r) => ({ reason: r._id ?? null, count: r.count }));
    });
  }

  knowledge(from: Date, to: Date): Promise<Array<{ article: string; deflected: number; followedByTicket: number }>> {
    return guard(async () => {
      // index type_at (ticket_events { type, at }); the article is the event's `to`
      const followed = await this.events
        .aggregate<{ _id: string; count: number }>([
          { $match: { type: 'knowledge_not_solved', at: { $gte: from, $lt: to } } },
          { $group: { _id: '$to', count: { $sum: 1 } } },
        ])
        .toArray();
      const deflected = await this.deflections.countByArticle(from, to);
      const ids = [...new Set([...deflected.map((d) => d.article), ...followed.map((f) => String(f._id))])];
      return ids.map((article) => ({
        article,
        deflected: deflected.find((d) => d.article === article)?.count ?? 0,
        followedByTicket: followed.find((f) => String(f._id) === article)?.count ?? 0,
      }));
    });
  }

  development(from: Date, to: Date): Promise<DevelopmentFigures> {
    return guard(() => developmentFigures(this.events, this.tickets, from, to));
  }

  slaGroups(from: Date, to: Date): Promise<SlaGroup[]> {
    return guard(async () => {
      // index resolvedAt (range), then one group per severity × priority × team × client × request type
      const rows = await this.tickets
        .aggregate<
          Omit<SlaGroup, 'severity' | 'priority' | 'team' | 'client' | 'requestType'> & { _id: Record<string, unknown> }
        >([
          { $match: { resolvedAt: { $gte: from, $lt: to } } },
          {
            $group: {
              _id: {
                severity: '$severity',
                priority: '$priority',
                team: '$team',
                client: '$client',
                requestType: '$requestType',
              },
              resolved: { $sum: 1 },
              responded: count(stopped('response')),
              responseMet: count({ $and: [stopped('response'), within('response')] }),
              responseMinutes: { $sum: { $cond: [stopped('response'), '$sla.response.usedMinutes', 0] } },
              resolutionMet: count(within('resolution')),
              resolutionMinutes: { $sum: '$sla.resolution.usedMinutes' },
              escalated: count({ $gt: ['$escalationLevel', 0] }),
              laddered: count({ $gt: ['$alerting.notifiedLevel', 0] }),
            },
          },
        ])
        .toArray();
      return rows.map(({ _id, ...r }) => ({
        severity: Number(_id.severity),
        priority: Number(_id.priority ?? _id.severity),
        team: String(_id.team ?? ''),
        client: String(_id.client ?? ''),
        requestType: String(_id.requestType ?? ''),
        ...r,
      }));
    });
  }

  csatGroups(from: Date, to: Date): Promise<CsatGroup[]> {
    return guard(async () => {
      // index csatAt (range)
      const rows = await this.tickets
        .aggregate<{ _id: { team: string; client: string; score: number }; count: number }>([
          { $match: { 'csat.at': { $gte: from, $lt: to } } },
          { $group: { _id: { team: '$team', client: '$client', score: '$csat.score' }, count: { $sum: 1 } } },
        ])
        .toArray();
      return rows.map((r) => ({ team: r._id.team, client: r._id.client, score: Number(r._id.score), count: r.count }));
    });
  }

  lowCsat(from: Date, to: Date, maxScore: number, limit: number): Promise<TicketLine[]> {
    return guard(async () => {
      // index csatAt (range; the score is filtered on the way)
      const docs = await this.tickets
        .find({ 'csat.at': { $gte: from, $lt: to }, 'csat.score': { $lte: maxScore } }, { projection: LINE_FIELDS })
        .sort({ 'csat.at': -1, _id: 1 })
        .limit(limit)
        .toArray();
      return (docs as unknown as LineDoc[]).map(lineOf);
    });
  }

  csatFollowUps(from: Date, to: Date, limit: number): Promise<FollowUpLine[]> {
    return guard(async () => {
      // index csatFollowUpsOpenedAt (range, multikey): a ticket has one follow-up per low rating, a handful at most
      const docs = await this.tickets
        .find(
          { 'csatFollowUps.openedAt': { $gte: from, $lt: to } },
          { projection: { _id: 1, title: 1, team: 1, client: 1, csatFollowUps: 1 } },
        )
        .limit(limit)
        .toArray();
      const lines = docs.flatMap((d) =>
        ((d.csatFollowUps ?? []) as CsatFollowUp[])
          .filter((f) => f.openedAt >= from && f.openedAt < to)
          .map((f): FollowUpLine => {
            const last = f.notes?.at(-1);
            return {
              number: d._id,
              title: d.title,
              team: d.team,
              client: d.client,
              score: f.score,
              comment: f.comment,
              lead: f.lead ?? null,
              state: f.state === 'done' ? 'done' : 'open',
              openedAt: f.openedAt,
              doneAt: f.doneAt ?? null,
              doneBy: f.doneBy ?? null,
              lastNote: last ? `${last.by}: ${last.text}${last.toRequester ? ' (told the requester)' : ''}` : null,
            };
          }),
      );
      return lines
        .sort((a, b) =>
          a.state === b.state ? b.openedAt.getTime() - a.openedAt.getTime() : a.state === 'open' ? -1 : 1,
        )
        .slice(0, limit);
    });
  }

  openByStatus(cutoffs: Date[]): Promise<OpenGroup[]> {
    return guard(async () => {
      // index open_queueAt_createdAt (prefix { open }); ages summed per status against the cutoffs
      const buckets = Object.fromEntries(
        cutoffs.map((cut, i) => {
          const newer = cutoffs[i - 1];
          const cond = newer
            ? { $and: [{ $gte: ['$createdAt', cut] }, { $lt: ['$createdAt', newer] }] }
            : { $gte: ['$createdAt', cut] };
          return [`age${i}`, count(cond)];
        }),
      );
      const last = cutoffs.at(-1);
      const rows = await this.tickets
        .aggregate<Record<string, number> & { _id: string; count: number }>([
          { $match: { open: true } },
          {
            $group: {
              _id: '$status',
              count: { $sum: 1 },
              ...buckets,
              ...(last ? { older: count({ $lt: ['$createdAt', last] }) } : {}),
            },
          },
        ])
        .toArray();
      return rows.map((r) => ({
        status: r._id,
        count: r.count,
        byAge: [...cutoffs.map((_, i) => r[`age${i}`] ?? 0), r.older ?? 0],
      }));
    });
  }

  openLadder(): Promise<LadderGroup[]> {
    return guard(async () => {
      // index open_queueAt_createdAt (prefix { open })
      const rows = await this.tickets
        .aggregate<{ _id: { e: number; n: number }; count: number }>([
          { $match: { open: true } },
          { $group: { _id: { e: '$escalationLevel', n: '$alerting.notifiedLevel' }, count: { $sum: 1 } } },
        ])
        .toArray();
      return rows.map((r) => ({ escalationLevel: r._id.e ?? 0, notifiedLevel: r._id.n ?? 0, count: r.count }));
    });
  }

  openAtRisk(now: Date, limit: number): Promise<TicketLine[]> {
    return guard(async () => {
      // index open_queueAt_createdAt (prefix { open }; a running clock past its warning instant, or one that breached)
      const docs = await this.tickets
        .find(
          {
            open: true,
            $or: [
              { 'sla.response.warnAt': { $lte: now } },
              { 'sla.resolution.warnAt': { $lte: now } },
              { 'sla.response.breached': true },
              { 'sla.resolution.breached': true },
            ],
          },
          { projection: LINE_FIELDS },
        )
        .sort({ queueAt: 1, createdAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return (docs as unknown as LineDoc[]).map(lineOf);
    });
  }

  acknowledgements(from: Date, to: Date): Promise<{ count: number; avgMs: number | null }> {
    return guard(async () => {
      // index resolvedAt (range)
      const rows = await this.tickets
        .aggregate<{ count: number; totalMs: number }>([
          { $match: { resolvedAt: { $gte: from, $lt: to }, 'alerting.acknowledgedAt': { $ne: null } } },
          {
            $group: {
              _id: null,
              count: { $sum: 1 },
              totalMs: { $sum: { $subtract: ['$alerting.acknowledgedAt', '$alerting.breachedAt'] } },
            },
          },
        ])
        .toArray();
      const r = rows[0];
      return r && r.count > 0 ? { count: r.count, avgMs: Number(r.totalMs) / r.count } : { count: 0, avgMs: null };
    });
  }
}
