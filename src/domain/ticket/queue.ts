import type { Priority, Severity } from '../../config/policy.schema';
import { parentOf, type Ticket } from './ticket';

/** The queue's groups, most urgent first. */
export type QueueGroup = 'breached' | 'at_risk' | 'other';
export const QUEUE_GROUPS: readonly QueueGroup[] = ['breached', 'at_risk', 'other'];

/** Which tickets a queue shows: all open ones, the agent's own, their team's, or nobody's. */
export type QueueScope = 'all' | 'mine' | 'team' | 'unassigned';
export const QUEUE_SCOPES: readonly QueueScope[] = ['all', 'mine', 'team', 'unassigned'];

/**
 * When an open ticket is (or will be) breached and at risk: the earliest due / warning instant of a
 * clock still counting or paused (a stopped clock is settled). Null when none will be. Stored beside
 * the ticket so the queue's first groups are indexed range queries.
 */
export function queueInstants(t: Pick<Ticket, 'status' | 'sla' | 'links'>): {
  breachAt: Date | null;
  riskAt: Date | null;
} {
  // A child of an incident is never breached or at risk on its own: the incident's clocks apply.
  if (t.status === 'closed' || parentOf(t)) return { breachAt: null, riskAt: null };
  const clocks = [t.sla.response, t.sla.resolution].filter((c) => c.state !== 'stopped');
  const earliest = (xs: Array<Date | null>) =>
    xs.reduce<Date | null>((a, d) => (d && (!a || d.getTime() < a.getTime()) ? d : a), null);
  return { breachAt: earliest(clocks.map((c) => c.dueAt)), riskAt: earliest(clocks.map((c) => c.warnAt)) };
}

export interface QueueKey {
  number: string;
  severity: Severity;
  priority: Priority;
  createdAt: Date;
  breachAt: Date | null;
  riskAt: Date | null;
}

/** Breached at `now`, at risk, or neither. */
export function queueGroup(k: Pick<QueueKey, 'breachAt' | 'riskAt'>, now: Date): QueueGroup {
  if (k.breachAt && k.breachAt.getTime() <= now.getTime()) return 'breached';
  if (k.riskAt && k.riskAt.getTime() <= now.getTime()) return 'at_risk';
  return 'other';
}

/** Queue order at `now`: breached first, then at risk, then severity, then priority, then the oldest. */
export function compareQueue(now: Date): (a: QueueKey, b: QueueKey) => number {
  return (a, b) =>
    QUEUE_GROUPS.indexOf(queueGroup(a, now)) - QUEUE_GROUPS.indexOf(queueGroup(b, now)) ||
    a.severity - b.severity ||
    a.priority - b.priority ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);
}

/** The queue key of a ticket. */
export function queueKey(t: Ticket): QueueKey {
  return {
    number: t.number,
    severity: t.severity,
    priority: t.priority,
    createdAt: t.createdAt,
    ...queueInstants(t),
  };
}
