/** The development tests' set-up: the seeds' policy, its people, and tickets escalated to Development. */
import { DateTime } from 'luxon';
import { loadPolicy } from '../../../../src/config/policy';
import type { Policy, Role } from '../../../../src/config/policy.schema';
import { createBusinessCalendar } from '../../../../src/domain/sla/business-calendar';
import type { ClockContext } from '../../../../src/domain/sla/sla-clock';
import * as op from '../../../../src/domain/ticket/operations';
import { createDirectory } from '../../../../src/domain/ticket/roles';
import type { Actor, Ticket } from '../../../../src/domain/ticket/ticket';

export const seed = loadPolicy();
export const calendar = createBusinessCalendar(seed.calendar);
export const clocks: ClockContext = { calendar, warnAt: seed.sla.warnAt };
export const at = (local: string) => DateTime.fromISO(local, { zone: seed.calendar.timeZone }).toJSDate();
export const slack = (userId: string, name: string): Actor => ({ platform: 'slack', userId, name });
export const RITA = slack('U0REQUESTER', 'Rita Reyes');
export const LEE = slack('U0LEVEL1', 'Lee Lewis');
export const SAM = slack('U0LEVEL2', 'Sam Singh');
export const DANA = slack('U0DEV1', 'Dana Drew');
export const DEVON = slack('U0DEVLEAD', 'Devon Lake'); // Dev Lead
export const QUINN = slack('U0QA1', 'Quinn Tate'); // QA
export const MIKE = slack('U0TEAMLEAD', 'Mike Fox'); // manager

export function as(actor: Actor, policy: Policy = seed, now = at('2026-06-02T10:00')): op.OpContext {
  const roles = createDirectory(policy).rolesOf(actor);
  const role: Role = roles.find((r) => r !== 'requester') ?? 'requester';
  return { policy, clocks, now, actor: { ...actor, role, roles } };
}
export const saved = (r: op.OpResult, before: Ticket): Ticket => ({ ...r.ticket, version: before.version + 1 });

let seq = 7000;
/** The next ticket sequence number (each ticket its own). */
export const nextSeq = () => seq++;
export function escalated(
  route: 'code_change' | 'performance_infrastructure' | 'data_correction' = 'code_change',
): Ticket {
  let t = op.raise(
    { seq: nextSeq(), title: 'Export fails', description: 'The nightly export errors', requester: RITA, severity: 3 },
    as(RITA),
  ).ticket;
  t = { ...t, version: 1 };
  return saved(op.escalateToDevelopment(t, route, as(SAM)), t);
}
export const step = (t: Ticket, to: Parameters<typeof op.advanceDevelopment>[1], who: Actor, p?: Policy) =>
  saved(op.advanceDevelopment(t, to, 'Fixed in 4.3', as(who, p)), t);
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}
