import type { QueueQuery } from '../app/ports';

/* The filters of the ticket repository's open-ticket reads: the queue, and the incidents a new request may join. */

/**
 * The queue's reads (see MongoTicketRepository.listQueue): the scope every group shares, their order, and the groups
 * in the order they are listed: breached, at risk, the rest, then tickets stored before the queue fields existed.
 */
export function queueReads(opts: QueueQuery) {
  const { now } = opts;
  const scope: Record<string, unknown> = {
    open: true,
    // An incident is listed once, with its count: its children are not (filtered within the index's range).
    'links.kind': { $ne: 'part_of' },
    ...(opts.teams ? { team: { $in: opts.teams } } : {}),
    ...(opts.assignee === null ? { assignee: null } : {}),
    ...(opts.assignee ? { 'assignee.platform': opts.assignee.platform, 'assignee.userId': opts.assignee.userId } : {}),
  };
  const order = { severity: 1, priority: 1, createdAt: 1, _id: 1 } as const;
  const groups = [
    { breachAt: { $lte: now } },
    { riskAt: { $lte: now }, breachAt: { $gt: now } },
    { riskAt: { $gt: now } },
    // Tickets last written before the queue fields existed (until their next save): last.
    { riskAt: { $exists: false } },
  ];
  return { scope, order, groups };
}

/** The open incidents a new request may join (listIncidentCandidates): one branch per index. */
export function incidentCandidates(since: Date) {
  const recent = { open: true, createdAt: { $gte: since } };
  return {
    $or: [
      // index open_severity_priority_createdAt
      { ...recent, severity: { $lte: 2 }, 'links.kind': { $ne: 'part_of' } },
      // index open_linksKind_createdAt
      { ...recent, 'links.kind': 'has_part' },
    ],
  };
}
