import type { DevTarget, DevTargets } from '../domain/ticket/development-targets';
import type { Actor, DevelopmentWork, Quote } from '../domain/ticket/ticket';

/** A person as stored: platform, id, name (and email). */
const person = (a: Actor): Actor => ({
  platform: a.platform,
  userId: a.userId,
  name: a.name,
  ...(a.email ? { email: a.email } : {}),
});

/**
 * Development's work as stored and as loaded. Sign-offs and route switches appear once they happen: tickets
 * escalated before they were recorded load without them.
 */
export function developmentDoc(d: DevelopmentWork | null | undefined): DevelopmentWork | null {
  if (!d) return null;
  return {
    route: d.route,
    status: d.status,
    releaseNote: d.releaseNote ?? null,
    ...(d.doneBy ? { doneBy: person(d.doneBy) } : {}),
    ...(d.reviewedBy ? { reviewedBy: person(d.reviewedBy) } : {}),
    ...(d.qaBy ? { qaBy: person(d.qaBy) } : {}),
    ...(d.release ? { release: d.release } : {}),
    ...(d.roadmap
      ? {
          roadmap: {
            decision: d.roadmap.decision,
            target: d.roadmap.target ?? null,
            reason: d.roadmap.reason,
            by: person(d.roadmap.by),
            at: d.roadmap.at,
          },
        }
      : {}),
    ...(d.targets ? { targets: targetsDoc(d.targets) } : {}),
    ...(d.routeChanges?.length
      ? {
          routeChanges: d.routeChanges.map((r) => ({
            from: r.from,
            to: r.to,
            reason: r.reason,
            by: person(r.by),
            at: r.at,
          })),
        }
      : {}),
  };
}

/** A quote as stored and as loaded (tickets without one load without it). */
export function quoteDoc(q: Quote | null | undefined): Quote | null {
  if (!q) return null;
  return {
    amount: q.amount,
    currency: q.currency,
    sentTo: q.sentTo,
    sentAt: q.sentAt,
    sentBy: person(q.sentBy),
    outcome: q.outcome
      ? { decision: q.outcome.decision, reason: q.outcome.reason, by: person(q.outcome.by), at: q.outcome.at }
      : null,
  };
}

const targetDoc = (x: DevTarget | null | undefined): DevTarget | null =>
  x ? { minutes: x.minutes, dueAt: x.dueAt, metAt: x.metAt ?? null, missedAt: x.missedAt ?? null } : null;

/** Development's own targets as stored (tickets escalated before targets existed load without them). */
function targetsDoc(t: DevTargets): DevTargets {
  return { route: t.route, since: t.since, accept: targetDoc(t.accept), allocate: targetDoc(t.allocate) };
}
