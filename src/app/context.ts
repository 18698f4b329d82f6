import type { Policy, Role } from '../config/policy.schema';
import type { Clock } from '../domain/clock';
import { DomainError, ErrorCode, NotFoundError } from '../domain/errors';
import type { BusinessCalendar } from '../domain/sla/business-calendar';
import type { ClockContext } from '../domain/sla/sla-clock';
import type { OpContext, OpResult } from '../domain/ticket/operations';
import type { Directory } from '../domain/ticket/roles';
import type { Actor, Ticket } from '../domain/ticket/ticket';
import type { OperationLog, TicketEventRepository, TicketRepository } from './ports';
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
}

export interface UseCaseResult {
  ticket: Ticket;
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
 * Still 'pending' after that: its process is slow or died (the claim is free 45 s after it died).
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

/**
 * Run an operation at most once per key: a key already done answers with the stored ticket
 * number, one in flight is a duplicate, and a failed one is forgotten so the retry can run.
 */
export async function once<T extends { number: string }>(
  deps: AppDeps,
  opKey: string | undefined,
  work: () => Promise<T>,
): Promise<{ value: T; duplicate: false } | { number: string; duplicate: true }> {
  if (!opKey) return { value: await work(), duplicate: false };
  const claim = await claimOrWait(deps, opKey);
  if (claim.state === 'pending') throw new DuplicateOperationError();
  if (claim.state === 'done') {
    const number = (claim.result as { number?: unknown } | null)?.number;
    if (typeof number !== 'string') throw new DuplicateOperationError();
    return { number, duplicate: true };
  }
  let value: T;
  try {
    value = await work();
  } catch (err) {
    await deps.operations.abandon(opKey).catch(() => undefined);
    throw err;
  }
  // The work is saved: never abandon the claim now (a retry would do it twice). Record it, retrying briefly.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await deps.operations.complete(opKey, { number: value.number });
      break;
    } catch {
      if (attempt < 3) await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return { value, duplicate: false };
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

/** Load, apply a domain operation as `actor`, save with the version read (one wins, the other is told to retry). */
export async function changeTicket(
  deps: AppDeps,
  input: { number: string; actor: Actor; opKey?: string | undefined; counted?: RateKind },
  operation: (ticket: Ticket, ctx: OpContext) => OpResult,
): Promise<UseCaseResult> {
  const r = await once(deps, input.opKey, async () => {
    // Inside the claim: a redelivery of the same operation key is answered without counting again.
    if (input.counted) await deps.limiter?.check(input.counted, input.actor);
    const ticket = await loadTicket(deps, input.number);
    const result = operation(ticket, opContext(deps, input.actor));
    if (result.events.length === 0 && result.notices.length === 0) return result.ticket;
    return deps.tickets.save(result, ticket.version);
  });
  if (r.duplicate) return { ticket: await loadTicket(deps, r.number), duplicate: true };
  return { ticket: r.value, duplicate: false };
}
