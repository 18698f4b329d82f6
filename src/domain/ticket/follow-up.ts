/**
 * Low CSAT follow-up (seed 000: "concerns or complaints are addressed immediately"; "where changes or improvements are
 * made, this will also be communicated"). A score at or below `csat.lowScoreAtOrBelow` opens a follow-up for the
 * Team Lead of the owning team, on a card with "Called them" and "Note": it stays open until someone called the
 * requester or told them what was done ("you said, we did").
 */
import type { Policy, Role } from '../../config/policy.schema';
import { InvalidInputError, TransitionNotAllowedError } from '../errors';
import { Change, clip, LIMITS, type OpContext, type OpResult, rolesOn } from './change';
import { assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import type { CsatFollowUp, Ticket } from './ticket';

/** The Team Lead of the team that owns the ticket: the team's first lead, else the ladder's Team Lead contact. */
export function teamLeadOf(policy: Pick<Policy, 'teams' | 'escalation'>, ticket: Pick<Ticket, 'team'>): string | null {
  return policy.teams[ticket.team]?.leads[0] ?? policy.escalation.ladder[1]?.contact ?? null;
}

export const openFollowUp = (t: Pick<Ticket, 'csatFollowUps'>): CsatFollowUp | undefined =>
  (t.csatFollowUps ?? []).findLast((f) => f.state === 'open');

/**
 * A rating was recorded in `c`: a low one opens a follow-up (one per rating), or updates the open one when the
 * requester changes a low rating before anyone followed it up. True when a new one was opened.
 */
export function followUpRating(c: Change, score: number, comment: string): boolean {
  const { policy, now } = c.ctx;
  if (score > policy.csat.lowScoreAtOrBelow) return false;
  const all = c.ticket.csatFollowUps ?? [];
  const open = openFollowUp(c.ticket);
  if (open) {
    const updated = { ...open, score, comment: clip(comment, LIMITS.field), ratedAt: now };
    c.ticket = { ...c.ticket, csatFollowUps: all.map((f) => (f === open ? updated : f)) };
    return false;
  }
  const lead = teamLeadOf(policy, c.ticket);
  const opened: CsatFollowUp = {
    score,
    comment: clip(comment, LIMITS.field),
    ratedAt: now,
    openedAt: now,
    lead,
    state: 'open',
    notes: [],
    doneAt: null,
    doneBy: null,
  };
  c.ticket = { ...c.ticket, csatFollowUps: [...all, opened] };
  c.event('csat_follow_up', null, 'open', lead ? `for ${policy.people[lead]?.name ?? lead}` : undefined);
  return true;
}

function followUpChange(ticket: Ticket, ctx: OpContext): { c: Change; open: CsatFollowUp } {
  assertRole(rolesOn(ticket, ctx.actor), AGENT_ROLES as Role[], `follow up a low rating on ${ticket.number}`);
  const open = openFollowUp(ticket);
  if (!open) throw new TransitionNotAllowedError(`${ticket.number} has no low rating waiting for a follow-up`);
  return { c: new Change(ticket, ctx), open };
}

function record(c: Change, open: CsatFollowUp, note: CsatFollowUp['notes'][number], done: boolean) {
  const { actor, now } = c.ctx;
  const next: CsatFollowUp = {
    ...open,
    notes: [...open.notes, note].slice(-20),
    ...(done ? { state: 'done' as const, doneAt: now, doneBy: actor.name } : {}),
  };
  c.ticket = { ...c.ticket, csatFollowUps: (c.ticket.csatFollowUps ?? []).map((f) => (f === open ? next : f)) };
}

/** "Called them": the requester was called about their rating; the follow-up is done. */
export function followUpCalled(ticket: Ticket, ctx: OpContext): OpResult {
  const { c, open } = followUpChange(ticket, ctx);
  record(c, open, { at: ctx.now, by: ctx.actor.name, text: 'Called them', toRequester: false }, true);
  c.event('csat_follow_up', 'open', 'done', 'called them');
  return c.done();
}

/**
 * A note on the follow-up. Marked for the requester ("you said, we did"), the requester is told what they said and
 * what was done, and the follow-up is done; otherwise it is the team's note and the follow-up stays open.
 */
export function followUpNote(ticket: Ticket, a: { text: string; toRequester: boolean }, ctx: OpContext): OpResult {
  const text = clip(a.text, LIMITS.field);
  if (!text) throw new InvalidInputError('Say what was done');
  const { c, open } = followUpChange(ticket, ctx);
  record(c, open, { at: ctx.now, by: ctx.actor.name, text, toRequester: a.toRequester }, a.toRequester);
  if (a.toRequester) {
    const said = open.comment ? `"${clip(open.comment, 500)}" (${open.score}/5)` : `a rating of ${open.score}/5`;
    c.tellRequester(`About ${ticket.number} (${ticket.title}): you said ${said}. We did: ${text}`, 'requester.update', {
      parts: false,
    });
    c.event('csat_follow_up', 'open', 'done', `you said, we did: ${clip(text, 180)}`);
  } else c.event('csat_follow_up', 'open', 'open', `note: ${clip(text, 190)}`);
  return c.done();
}
