import type { Actor, DevelopmentWork } from '../domain/ticket/ticket';

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
