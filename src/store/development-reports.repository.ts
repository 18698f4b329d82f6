import type { mongo } from 'mongoose';
import type { DevelopmentFigures } from '../app/reports/ports';
import type { TicketDoc, TicketEventDoc } from './ticket.mapper';

/** How many reasons the roadmap table lists at most (the most frequent). */
const REASONS = 50;

/**
 * The report's Development figures, summed by the database: roadmap decisions, route switches and missed targets from
 * the audit log (index type_at, { type, at }), quotes from the tickets (index quoteSentAt, sparse). A few rows each.
 */
export async function developmentFigures(
  events: mongo.Collection<TicketEventDoc>,
  tickets: mongo.Collection<TicketDoc>,
  from: Date,
  to: Date,
): Promise<DevelopmentFigures> {
  const inRange = { $gte: from, $lt: to };
  const byFromTo = (type: string) =>
    events
      .aggregate<{ _id: { from: string | null; to: string | null }; count: number }>([
        { $match: { type, at: inRange } },
        { $group: { _id: { from: '$from', to: '$to' }, count: { $sum: 1 } } },
      ])
      .toArray();
  const [roadmap, switches, missed, quotes] = await Promise.all([
    events
      .aggregate<{ _id: { decision: 'accepted' | 'declined'; reason: string | null }; count: number }>([
        { $match: { type: 'roadmap_decision', at: inRange } },
        { $group: { _id: { decision: '$to', reason: '$note' }, count: { $sum: 1 } } },
        { $sort: { count: -1, '_id.reason': 1 } },
        { $limit: REASONS },
      ])
      .toArray(),
    byFromTo('route_changed'),
    byFromTo('dev.target_missed'),
    tickets
      .aggregate<{
        _id: string;
        sent: number;
        accepted: number;
        declined: number;
        sentAmount: number;
        acceptedAmount: number;
        declinedAmount: number;
      }>([
        { $match: { 'quote.sentAt': inRange } },
        {
          $group: {
            _id: '$quote.currency',
            sent: { $sum: 1 },
            accepted: { $sum: { $cond: [{ $eq: ['$quote.outcome.decision', 'accepted'] }, 1, 0] } },
            declined: { $sum: { $cond: [{ $eq: ['$quote.outcome.decision', 'declined'] }, 1, 0] } },
            sentAmount: { $sum: '$quote.amount' },
            acceptedAmount: {
              $sum: { $cond: [{ $eq: ['$quote.outcome.decision', 'accepted'] }, '$quote.amount', 0] },
            },
            declinedAmount: {
              $sum: { $cond: [{ $eq: ['$quote.outcome.decision', 'declined'] }, '$quote.amount', 0] },
            },
          },
        },
      ])
      .toArray(),
  ]);
  const cents = (x: number) => Math.round(x * 100) / 100;
  return {
    roadmap: roadmap.map((r) => ({ decision: r._id.decision, reason: r._id.reason ?? '', count: r.count })),
    routeSwitches: switches.map((s) => ({ from: String(s._id.from), to: String(s._id.to), count: s.count })),
    missedTargets: missed.map((m) => ({ route: String(m._id.from), target: String(m._id.to), count: m.count })),
    quotes: quotes
      .map(({ _id, ...q }) => ({
        currency: String(_id),
        ...q,
        sentAmount: cents(q.sentAmount),
        acceptedAmount: cents(q.acceptedAmount),
        declinedAmount: cents(q.declinedAmount),
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
