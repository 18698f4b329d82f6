import { DateTime } from 'luxon';
import type { Policy } from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { assertBeforeCutoff } from './release-cutoff';
import { upcomingReleaseDays } from './release-wait';
import type { RoadmapDecision, Ticket } from './ticket';

export interface RoadmapInput {
  decision: RoadmapDecision['decision'];
  /** Accepted: a release day (local date "2026-03-19") or null for "the roadmap" (no release yet). */
  target?: string | null;
  reason: string;
}

/** "the release of Thu 19 Mar" / "the roadmap (a future release)". */
export function roadmapTargetWords(target: string | null, policy: Pick<Policy, 'calendar'>): string {
  if (!target) return 'the roadmap (a future release)';
  return `the release of ${DateTime.fromISO(target, { zone: policy.calendar.timeZone }).toFormat('ccc d LLL')}`;
}

/**
 * Product's decision on a change request, reviewed against the roadmap (seed 000: "Added to Roadmap (where
 * appropriate)"), by whoever `development.roadmap.deciders` names. Accepted: for a release day or the roadmap, the
 * ticket waits in Planned (its resolution clock waits with it, as for a release). Declined: with a reason, the
 * requester is told and the ticket closes. Either way it is in the history and on the card.
 */
export function decideRoadmap(ticket: Ticket, input: RoadmapInput, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const { policy, now } = ctx;
  const dev = ticket.development;
  if (!dev || ticket.status !== 'escalated_to_dev' || dev.route !== 'change_request')
    throw new TransitionNotAllowedError(`${ticket.number} is not a change request with Product`);
  const roles = rolesOn(ticket, ctx.actor);
  assertRole(roles, policy.development.roadmap.deciders, `record the roadmap decision on ${ticket.number}`);
  if (dev.roadmap)
    throw new TransitionNotAllowedError(`${ticket.number}'s change request was already ${dev.roadmap.decision}`);
  if (input.decision !== 'accepted' && input.decision !== 'declined')
    throw new InvalidInputError('Choose accepted or declined');
  const reason = clip(input.reason, LIMITS.field);
  if (!reason) throw new InvalidInputError(input.decision === 'declined' ? 'Say why it is declined' : 'Say why');
  let target: string | null = null;
  if (input.decision === 'accepted' && input.target) {
    const day = DateTime.fromISO(input.target, { zone: policy.calendar.timeZone });
    const today = DateTime.fromJSDate(now, { zone: policy.calendar.timeZone }).startOf('day');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.target) || !day.isValid || day < today)
      throw new InvalidInputError('Choose a coming release, or the roadmap');
    target = input.target;
  }
  const c = new Change(ticket, ctx);
  const roadmap: RoadmapDecision = { decision: input.decision, target, reason, by: actorOf(ctx.actor), at: now };
  const t = ticket;
  if (input.decision === 'accepted') {
    c.ticket = { ...c.ticket, development: { ...dev, status: 'planned', roadmap, release: target } };
    c.event('roadmap_decision', null, 'accepted', `${roadmapTargetWords(target, policy)}: ${reason}`);
    c.tellRequester(
      `Product reviewed your change request ${t.number} (${t.title}) against the roadmap and accepted it, for ${roadmapTargetWords(target, policy)}: ${reason}. It waits as Planned; we will tell you when it is released.`,
    );
    return c.done();
  }
  c.ticket = { ...c.ticket, development: { ...dev, roadmap } };
  c.event('roadmap_decision', null, 'declined', reason);
  c.tellRequester(
    `Product reviewed your change request ${t.number} (${t.title}) against the roadmap and declined it: ${reason}. We have closed ${t.number}; thank you for the suggestion.`,
  );
  moveTo(c, 'closed', roles, { anyOpen: true });
  return c.done();
}

/** Development schedules its work into release cycles (seed 000: "allocated to a release cycle"). */
const PLANNERS = ['development', 'manager'] as const;

/**
 * Plan a ticket whose fix goes out in a release (a code change, or an accepted change request) into one of the coming
 * release days of `releases`; planned again, it moves (a slip). Planning after the release's QA cutoff is refused
 * (`releases.qaCutoff`), except for a whole release slipped to the next cycle. The requester is told the expected date, the card
 * shows it, and a clock waiting for the release says it.
 */
export function planRelease(ticket: Ticket, day: string, ctx: OpContext, opts: { slip?: boolean } = {}): OpResult {
  assertOpen(ticket);
  const { policy, now } = ctx;
  const dev = ticket.development;
  const releasable =
    !!dev &&
    (policy.releases.routes.includes(dev.route) ||
      (dev.route === 'change_request' && dev.roadmap?.decision === 'accepted'));
  if (!dev || ticket.status !== 'escalated_to_dev' || dev.status === 'released' || !releasable)
    throw new TransitionNotAllowedError(`${ticket.number} has no fix waiting for a software release`);
  assertRole(rolesOn(ticket, ctx.actor), [...PLANNERS], `plan ${ticket.number} into a release`);
  const days = upcomingReleaseDays(policy, now, 26).map((d) => d.toISODate());
  if (!days.includes(day)) throw new InvalidInputError('Choose one of the coming releases');
  if (dev.release === day) throw new TransitionNotAllowedError(`${ticket.number} is already planned for that release`);
  // A release slipped as a whole goes to the next cycle whatever its cutoff: the cutoff keeps new work out of a release.
  if (!opts.slip) assertBeforeCutoff(policy, ctx.clocks.calendar, now, day);
  const c = new Change(ticket, ctx);
  c.ticket = { ...c.ticket, development: { ...dev, release: day } };
  c.event('release_planned', dev.release ?? null, day);
  const words = roadmapTargetWords(day, policy);
  c.tellRequester(
    dev.release
      ? `${ticket.number} (${ticket.title}) has moved to ${words} (it was planned for ${roadmapTargetWords(dev.release, policy)}); we will tell you when it is released.`
      : `${ticket.number} (${ticket.title}) is planned for ${words}. Releases are tested by QA first; we will tell you when it is released.`,
  );
  return c.done();
}
