import type { Policy, Role } from '../config/policy.schema';
import { crashPoint } from '../crash-switch';
import type { Clock } from '../domain/clock';
import { DomainError, ErrorCode, NotFoundError } from '../domain/errors';
import type { BusinessCalendar } from '../domain/sla/business-calendar';
import type { ClockContext } from '../domain/sla/sla-clock';
import { authorize, relationsTo, type TicketAction, type TicketViewLevel, viewLevel } from '../domain/ticket/access';
import type { OpContext, OpResult } from '../domain/ticket/operations';
import type { Directory } from '../domain/ticket/roles';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import type { AssignmentStore, OperationLog, TicketEventRepository, TicketRepository } from './ports';
import type { RateKind, RateLimiter } from './rate-limit';

/** What the use cases need: policy, time, people and the store. */
export interface AppDeps {
  policy: Policy;
  clock: Clock;
  calendar: BusinessCalendar;
  directory: Directory;
  tickets: TicketRepository;
  events: TicketEventRepository;
  operations: OperationLog;
  /** Per-person limits on raises and card actions (none when absent). */
  limiter?: RateLimiter;
  /** Turns, loads and who is away, for the teams' assignment rules (every ticket stays manual when absent). */
  assignments?: AssignmentStore;
}

export interface UseCaseResult {
  ticket: Ticket;
  /** The view of the ticket the actor may be shown (decided by `authorize`, never by the card). */
  view: Exclude<TicketViewLevel, 'none'>;
  /** True when this operation key was already applied: nothing changed this time. */
  duplicate: boolean;
}

export class DuplicateOperationError extends DomainError {
  constructor() {
    super(ErrorCode.DuplicateOperation, 'That request is already being handled');
  }
}

export function clockContext(deps: Pick<AppDeps, 'calendar' | 'policy'>): ClockContext {
  return { calendar: deps.calendar, warnAt: deps.policy.sla.warnAt };
}

/** The actor with their roles from the policy; the primary role is their first team role. */
export function actingAs(deps: Pick<AppDeps, 'directory'>, actor: Actor): OpContext['actor'] {
  const roles = deps.directory.rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { ...actor, role, roles };
}

export function opContext(deps: AppDeps, actor: Actor | OpContext['actor']): OpContext {
  const acting = 'roles' in actor ? actor : actingAs(deps, actor);
  return { policy: deps.policy, clocks: clockContext(deps), now: deps.clock.now(), actor: acting };
}

/** How long a request waits for the same request's work in progress elsewhere (a double click, a retry). */
const WAIT_FOR_CLAIM_MS = 1_000;
const CLAIM_POLL_MS = 100;

/**
 * Claims an operation key; when the same operation is in progress elsewhere, waits a little for it to finish
 * (a double click, a platform retry while the first try still runs), so the answer can be its result.
 * Still 'pending' after that: its process lives and is still at it (a claim whose process has stopped is taken
 * over by `begin` itself), and the request is answered 503 so that it comes again.
 */
export async function claimOrWait(
  deps: Pick<AppDeps, 'operations' | 'clock'>,
  key: string,
): ReturnType<OperationLog['begin']> {
  for (let waited = 0; ; waited += CLAIM_POLL_MS) {
    const claim = await deps.operations.begin(key, deps.clock.now());
    if (claim.state !== 'pending' || waited >= WAIT_FOR_CLAIM_MS) return claim;
    await new Promise((r) => setTimeout(r, CLAIM_POLL_MS));
  }
}

/** What the work of a claimed operation may use: what a process that died holding it had bound, and `bind`. */
export interface HeldClaim {
  /** Taken over: what the previous holder bound to the claim before it stopped (a raise: its ticket number). */
  bound: unknown;
  /** Record `value` on the claim for whoever may take it over; DuplicateOperationError when it was taken over. */
  bind(value: unknown): Promise<void>;
}

/**
 * Run an operation at most once per key: a key already done answers with the stored ticket
 * number; one in flight in a living process is a duplicate (the request is answered 503, see adapters/busy.ts); one
 * whose process stopped is taken over (`alreadyDone` says what that process saved already); a failed one is
 * forgotten so the retry can run.
 *
 * `finish`, when given, runs once the work is saved and before the claim is recorded as done, still under the claim
 * (a raise: its confirmation posted), and what it answers is recorded with the result, in the same write (`extra`,
 * also answered to a retry that finds the key done). It runs for a claim taken over whose work was saved too
 * (`takenOver`: the process that died may have done it already). When it fails the key is recorded done without it.
 */
export async function once<T extends { number: string }>(
  deps: AppDeps,
  opKey: string | undefined,
  work: (claim: HeldClaim) => Promise<T>,
  /** Taken over from a process that died mid-way: what that process may have saved already (its ticket number). */
  alreadyDone?: () => Promise<string | null>,
  /** Which kind of work, for the crash switch's step names. */
  flow: 'raise' | 'change' = 'change',
  finish?: (saved: { number: string; value: T | null; takenOver: boolean }) => Promise<Record<string, unknown>>,
): Promise<
  | { value: T; duplicate: false; extra: Record<string, unknown> }
  | { number: string; duplicate: true; extra: Record<string, unknown> }
> {
  const unclaimed: HeldClaim = { bound: null, bind: async () => undefined };
  if (!opKey) return { value: await work(unclaimed), duplicate: false, extra: {} };
  const claim = await claimOrWait(deps, opKey);
  if (claim.state === 'new' && claim.takenOver && alreadyDone) {
    const number = await alreadyDone();
    if (number) {
      const extra = await recordDone(deps, opKey, { number, value: null, takenOver: true }, finish);
      return { number, duplicate: true, extra };
    }
  }
  if (claim.state === 'pending') throw new DuplicateOperationError();
  if (claim.state === 'done') {
    const { number, ...extra } = (claim.result as { number?: unknown } | null) ?? {};
    if (typeof number !== 'string') throw new DuplicateOperationError();
    return { number, duplicate: true, extra };
  }
  crashPoint(`${flow}:claimed`);
  const held: HeldClaim = {
    bound: claim.takenOver ? (claim.bound ?? null) : null,
    bind: async (value) => {
      if (!(await deps.operations.bind(opKey, value))) throw new DuplicateOperationError();
    },
  };
  let value: T;
  try {
    value = await work(held);
  } catch (err) {
    await deps.operations.abandon(opKey).catch(() => undefined);
    throw err;
  }
  const extra = await recordDone(deps, opKey, { number: value.number, value, takenOver: false }, finish);
  crashPoint(`${flow}:done`);
  if (finish && extra.told) crashPoint('raise:recorded');
  return { value, duplicate: false, extra };
}

/**
 * The work is saved: `finish` runs (its failure is thrown after the key is recorded), then the key is recorded done
 * with the result, retrying briefly (never abandoned now: a retry would do the work twice).
 */
async function recordDone<T extends { number: string }>(
  deps: AppDeps,
  opKey: string,
  saved: { number: string; value: T | null; takenOver: boolean },
  finish?: (saved: { number: string; value: T | null; takenOver: boolean }) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  let extra: Record<string, unknown> = {};
  let failed: unknown = null;
  if (finish)
    try {
      extra = await finish(saved);
    } catch (err) {
      failed = err;
    }
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await deps.operations.complete(opKey, { number: saved.number, ...extra });
      break;
    } catch {
      if (attempt < 3) await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  if (failed) throw failed;
  return extra;
}

/**
 * Tell the person who asked what became of their request (a raise's confirmation) exactly once, whichever process
 * finishes it: the telling is itself an operation (`<opKey>:told`) recorded once posted. A retry finds it recorded
 * and posts nothing; finds it in progress in a living process and is answered 503 (DuplicateOperationError); finds
 * it held by a process that stopped and first asks the platform whether that process posted it (`alreadyPosted`,
 * by the post's key) before posting it again.
 */
export async function tellOnce(
  deps: Pick<AppDeps, 'operations' | 'clock'>,
  opKey: string,
  post: (key: string) => Promise<void>,
  alreadyPosted: (key: string) => Promise<boolean>,
): Promise<'posted' | 'told before'> {
  const key = `${opKey}:told`;
  const claim = await claimOrWait(deps, key);
  if (claim.state === 'done') return 'told before';
  if (claim.state === 'pending') throw new DuplicateOperationError();
  try {
    if (!(claim.takenOver && (await alreadyPosted(key)))) {
      await post(key);
      crashPoint('raise:posted');
    }
  } catch (err) {
    await deps.operations.abandon(key).catch(() => undefined);
    throw err;
  }
  await deps.operations.complete(key, { told: true });
  crashPoint('raise:recorded');
  return 'posted';
}

const TICKET_NUMBER = /^SR-[1-9]\d{0,9}$/;

/** Loads a ticket by number; anything that is not an `SR-<n>` string (tampered input) is simply not found. */
export async function loadTicket(deps: Pick<AppDeps, 'tickets'>, number: unknown): Promise<Ticket> {
  if (typeof number !== 'string' || !TICKET_NUMBER.test(number))
    throw new NotFoundError(`Ticket ${String(number).slice(0, 40)}`);
  const t = await deps.tickets.get(number);
  if (!t) throw new NotFoundError(number);
  return t;
}

/**
 * The one authorisation point for a loaded ticket: may `actor` take `action` on it, and which view do they get.
 * Their roles come from the policy's directory; nothing a payload says is consulted.
 */
export function authorizeOn(
  deps: Pick<AppDeps, 'policy' | 'directory'>,
  ticket: Ticket,
  actor: Actor,
  action: TicketAction,
): Exclude<TicketViewLevel, 'none'> {
  return authorize(deps.policy, ticket, { ...actor, roles: deps.directory.rolesOf(actor) }, action);
}

/** Who is looking at a ticket's card, as the renderers name it: the view `authorize` would give, or 'other'. */
export function viewerFor(
  deps: Pick<AppDeps, 'policy' | 'directory'>,
  ticket: Pick<Ticket, 'requester' | 'team'>,
  who: Actor,
): 'agent' | 'requester' | 'other' {
  const view = viewLevel(relationsTo(deps.policy, ticket, { ...who, roles: deps.directory.rolesOf(who) }));
  return view === 'none' ? 'other' : view;
}

/** Load a ticket for `action` by `actor`: not found for anyone with no business with it, refused when not allowed. */
export async function loadFor(
  deps: Pick<AppDeps, 'tickets' | 'policy' | 'directory'>,
  number: unknown,
  actor: Actor,
  action: TicketAction,
): Promise<{ ticket: Ticket; view: Exclude<TicketViewLevel, 'none'> }> {
  const ticket = await loadTicket(deps, number);
  return { ticket, view: authorizeOn(deps, ticket, actor, action) };
}

/**
 * Load, authorise `action` for `actor`, apply a domain operation, save with the version read (one wins, the other
 * is told to retry). Refused before anything is counted, changed or sent.
 */
export async function changeTicket(
  deps: AppDeps,
  input: { number: string; actor: Actor; opKey?: string | undefined; counted?: RateKind; action: TicketAction },
  operation: (ticket: Ticket, ctx: OpContext) => OpResult,
): Promise<UseCaseResult> {
  // Before the claim: a refusal takes no operation key and counts nothing.
  const read = await loadFor(deps, input.number, input.actor, input.action);
  const r = await once(deps, input.opKey, async () => {
    // Inside the claim: a redelivery of the same operation key is answered without counting again.
    if (input.counted) await deps.limiter?.check(input.counted, input.actor);
    // The ticket as read just before the claim (not read again): the save is checked against its version, so a
    // change made since then by anyone is never overwritten; this one is refused as a conflict, to be retried.
    const ticket = read.ticket;
    const result = operation(ticket, opContext(deps, input.actor));
    if (result.events.length === 0 && result.notices.length === 0) return result.ticket;
    return deps.tickets.save(result, ticket.version);
  });
  const ticket = r.duplicate ? await loadTicket(deps, r.number) : r.value;
  return { ticket, view: authorizeOn(deps, ticket, input.actor, 'view'), duplicate: r.duplicate };
}
