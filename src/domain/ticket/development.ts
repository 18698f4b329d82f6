import type { DevelopmentRoute, DevelopmentStatus, Policy, SignOff } from '../../config/policy.schema';
import { ForbiddenError, InvalidInputError, TransitionNotAllowedError } from '../errors';
import { actorOf, Change, clip, LIMITS, moveTo, type OpContext, type OpResult, rolesOn } from './change';
import { assertDevelopmentTransition, assertOpen, assertRole, rolesFor } from './lifecycle';
import { personIdOf } from './roles';
import { type Actor, sameActor, type Ticket } from './ticket';

/** Escalate to Development on one of the four routes; development starts at Planned. */
export function escalateToDevelopment(ticket: Ticket, route: DevelopmentRoute, ctx: OpContext): OpResult {
  if (!ctx.policy.developmentRoutes[route]) throw new InvalidInputError(`Unknown development route "${route}"`);
  const c = new Change(ticket, ctx);
  moveTo(c, 'escalated_to_dev', rolesOn(ticket, ctx.actor));
  c.ticket = { ...c.ticket, development: { route, status: 'planned', releaseNote: null }, team: 'development' };
  c.event('escalated_dev', null, route);
  const routeName = ctx.policy.developmentRoutes[route].name;
  c.notify({
    type: 'ticket.development',
    audience: { kind: 'channel', channel: 'developmentTriage' },
    text: `${ticket.number} escalated to Development (${routeName}) by ${ctx.actor.name}: ${ticket.title}`,
  });
  c.tellRequester(
    route === 'change_request'
      ? `${ticket.number} is a change request: it has gone to Product, who review such requests against the roadmap; we will tell you what they decide.`
      : `${ticket.number} needs the Development team (${routeName}); we will keep you posted.`,
  );
  return c.done();
}

/** What the requester is told when development moves (Released has its own message with the note). */
const DEVELOPMENT_WORDS: Partial<Record<DevelopmentStatus, string>> = {
  planned: 'Planned: the Development team will start when a developer has capacity.',
  dev_in_progress: 'In Development: a developer is working on it.',
  dev_done_waiting_review: 'In Development: the change is done and is being reviewed.',
  dev_done_waiting_qa: 'In Development: the change is reviewed and waits for the next QA release.',
  qa_in_progress: 'In testing: the change is being tested on the latest QA release.',
  ready_for_release: 'Ready for Release: it passed testing and goes out with the next software release.',
};

/** The moves a sign-off holds: into Waiting QA Deployment (the Dev Lead's review), into Ready for Release (QA). */
export const SIGN_OFF_FOR: Partial<Record<DevelopmentStatus, SignOff>> = {
  dev_done_waiting_qa: 'devLead',
  ready_for_release: 'qa',
};
export const SIGN_OFF_NAMES: Record<SignOff, string> = { devLead: 'a Dev Lead', qa: 'QA' };

/** True when the policy names anyone for the sign-off (else the transitions table's roles hold it). */
export function signOffNamed(policy: Pick<Policy, 'development'>, s: SignOff): boolean {
  const h = policy.development.signOffs[s];
  return h.people.length > 0 || h.teams.length > 0;
}

/** True when the person holds the sign-off: named in it, or a member of a team named in it. */
export function holdsSignOff(
  policy: Pick<Policy, 'development' | 'people' | 'teams'>,
  s: SignOff,
  who: Pick<Actor, 'platform' | 'userId'>,
): boolean {
  const id = personIdOf(policy, who);
  if (!id) return false;
  const h = policy.development.signOffs[s];
  return h.people.includes(id) || h.teams.some((t) => policy.teams[t]?.members.includes(id));
}

/** Who holds the sign-off, in words, leaving out one person (the change's author): "Devon Lake or Quinn Tate". */
export function signOffHolders(
  policy: Pick<Policy, 'development' | 'people' | 'teams'>,
  s: SignOff,
  except?: Pick<Actor, 'platform' | 'userId'> | null,
): string {
  const skip = except ? personIdOf(policy, except) : undefined;
  const h = policy.development.signOffs[s];
  const ids = [...h.people, ...h.teams.flatMap((t) => policy.teams[t]?.members ?? [])];
  const names = [...new Set(ids.filter((id) => id !== skip))].map((id) => policy.people[id]?.name ?? id);
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * A sign-off move is someone else's: the Dev Lead who signs off the review is not whoever moved it to Dev Done,
 * and a named sign-off is held only by its holders. The refusal says who can.
 */
function assertSignOff(ticket: Ticket, to: DevelopmentStatus, ctx: OpContext): void {
  const s = SIGN_OFF_FOR[to];
  if (!s) return;
  const { policy, actor } = ctx;
  const dev = ticket.development!;
  const target = policy.statuses[to]?.name ?? to;
  const author = s === 'devLead' ? (dev.doneBy ?? null) : null;
  const others = signOffNamed(policy, s) ? signOffHolders(policy, s, author) : '';
  const ask = others ? ` Ask ${others}.` : '';
  if (author && sameActor(author, actor))
    throw new ForbiddenError(
      `You moved ${ticket.number} to Dev Done, so its review is signed off by another Dev Lead, not by you.${ask}`,
    );
  if (signOffNamed(policy, s) && !holdsSignOff(policy, s, actor))
    throw new ForbiddenError(
      `Only ${SIGN_OFF_NAMES[s]} can move ${ticket.number} to ${target}${s === 'devLead' ? ' (the review sign-off)' : " (QA's approval)"}.${ask}`,
    );
}

/**
 * Move the development status; Released records the release note, tells the requester and puts the ticket On
 * Customer Test. Who made the change, who signed it off as Dev Lead and who approved it as QA are recorded.
 */
export function advanceDevelopment(
  ticket: Ticket,
  to: DevelopmentStatus,
  releaseNote: string,
  ctx: OpContext,
  /** Released with a whole release: its notes reach each requester once, from the release (domain/ticket/release). */
  opts: { quiet?: boolean } = {},
): OpResult {
  const roles = rolesOn(ticket, ctx.actor);
  const s = SIGN_OFF_FOR[to];
  const from = ticket.development?.status;
  // A named sign-off decides who makes its move; the transitions table says only that the move exists.
  const signed = s && from && signOffNamed(ctx.policy, s);
  assertDevelopmentTransition(ctx.policy, ticket, to, signed ? rolesFor(ctx.policy, from, to) : roles);
  assertSignOff(ticket, to, ctx);
  const dev = ticket.development!;
  const c = new Change(ticket, ctx);
  const note = to === 'released' ? clip(releaseNote, LIMITS.field) || 'Released.' : dev.releaseNote;
  const by = actorOf(ctx.actor);
  const signs =
    to === 'dev_done_waiting_review'
      ? { doneBy: by, reviewedBy: null, qaBy: null }
      : to === 'dev_done_waiting_qa'
        ? { reviewedBy: by }
        : to === 'ready_for_release'
          ? { qaBy: by }
          : to === 'dev_in_progress'
            ? { reviewedBy: null, qaBy: null }
            : {};
  c.ticket = { ...ticket, development: { ...dev, status: to, releaseNote: note, ...signs } };
  c.event('development', dev.status, to, to === 'released' ? (note ?? undefined) : undefined);
  const plain = DEVELOPMENT_WORDS[to];
  if (to !== 'released' && plain && !opts.quiet) c.tellRequester(`${ticket.number} (${ticket.title}): ${plain}`);
  if (to === 'released') {
    moveTo(c, 'on_customer_test', [...roles, 'development']);
    if (!opts.quiet)
      c.tellRequester(
        `The fix for ${ticket.number} (${ticket.title}) has been released: ${note}. Is it fixed?`,
        'requester.is_it_fixed',
      );
  }
  return c.done();
}

/** What a route switch means for the requester, in plain words. */
const ROUTE_SWITCH_WORDS: Record<DevelopmentRoute, string> = {
  code_change:
    'it needs a change to the software after all. The fix goes out with a software release, after QA has tested it, so it takes longer than a direct fix; we will tell you when it is planned and when it is released.',
  change_request:
    'it turns out to be a change to how the product works rather than a fault. It has gone to Product, who review such requests against the roadmap, so it will not be fixed as a bug; we will tell you what they decide.',
  performance_infrastructure:
    'it is now handled as a performance & infrastructure investigation by the Development team; we will keep you posted.',
  data_correction:
    'it is now handled as a data correction by the Development team: no software release is needed, and we will tell you when it is done.',
};

/** The routes a ticket on `from` may be switched to, by the policy. */
export function routeSwitchesFrom(policy: Pick<Policy, 'development'>, from: DevelopmentRoute): DevelopmentRoute[] {
  return policy.development.routes.switches[from] ?? [];
}

/**
 * Switch the development route with a reason (performance → code change, data correction → code change, code change
 * → change request, as the policy allows), by whoever the policy's `development.routes.switchers` names. The switch
 * is in the history and on the card; development triage hears of it and the requester is told what it means.
 */
export function switchRoute(ticket: Ticket, to: DevelopmentRoute, reason: string, ctx: OpContext): OpResult {
  assertOpen(ticket);
  const { policy } = ctx;
  const dev = ticket.development;
  if (!dev || ticket.status !== 'escalated_to_dev' || dev.status === 'released')
    throw new TransitionNotAllowedError(`${ticket.number} is not with Development, so its route cannot change`);
  assertRole(
    rolesOn(ticket, ctx.actor),
    policy.development.routes.switchers,
    `switch ${ticket.number}'s development route`,
  );
  const name = (r: DevelopmentRoute) => policy.developmentRoutes[r]?.name ?? r;
  if (!policy.developmentRoutes[to]) throw new InvalidInputError(`Unknown development route "${to}"`);
  if (to === dev.route) throw new TransitionNotAllowedError(`${ticket.number} is already on ${name(to)}`);
  const allowed = routeSwitchesFrom(policy, dev.route);
  if (!allowed.includes(to))
    throw new TransitionNotAllowedError(
      `${name(dev.route)} ${allowed.length > 0 ? `can become ${allowed.map(name).join(' or ')} only` : 'cannot become another route'}, not ${name(to)}`,
    );
  const why = clip(reason, LIMITS.field);
  if (!why) throw new InvalidInputError('Say why the route changes');
  const c = new Change(ticket, ctx);
  const change = { from: dev.route, to, reason: why, by: actorOf(ctx.actor), at: ctx.now };
  c.ticket = {
    ...c.ticket,
    development: { ...dev, route: to, routeChanges: [...(dev.routeChanges ?? []), change] },
  };
  c.event('route_changed', dev.route, to, why);
  c.notify({
    type: 'ticket.development',
    audience: { kind: 'channel', channel: 'developmentTriage' },
    text: `${ticket.number} switched from ${name(dev.route)} to ${name(to)} by ${ctx.actor.name}: ${why}`,
  });
  c.tellRequester(`${ticket.number} (${ticket.title}): ${ROUTE_SWITCH_WORDS[to]}`);
  return c.done();
}
