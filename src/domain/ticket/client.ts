import type { Role } from '../../config/policy.schema';
import { describeService, type ServiceLevel, sameService } from '../sla/service';
import { Change, clip, LIMITS, type OpContext, type OpResult, rolesOn } from './change';
import { assertOpen, assertRole } from './lifecycle';
import { AGENT_ROLES } from './roles';
import type { Ticket } from './ticket';

/** Who a ticket is for, as the client directory (or the person setting it) gives it. */
export interface ClientChoice {
  /** The name to keep on the ticket (the directory's name when it has the client). */
  client: string;
  clientId: string | null;
  /** The client's tier and calendar from the policy, resolved now: the clocks run to them from here on. */
  service: ServiceLevel | null;
}

/**
 * Set or change the ticket's client (an agent, or the scheduler once the directory answers again). When the
 * client's tier or calendar differs from what the clocks ran to, both clocks are retargeted: their history is
 * recounted on the client's calendar and their targets taken from its tier.
 */
export function setClient(ticket: Ticket, choice: ClientChoice, ctx: OpContext): OpResult {
  assertOpen(ticket);
  assertRole(rolesOn(ticket, ctx.actor), [...AGENT_ROLES, 'system'] as Role[], `set the client of ${ticket.number}`);
  const client = clip(choice.client, LIMITS.field);
  const serviceChanged = !sameService(ticket.service, choice.service);
  if (client === ticket.client && choice.clientId === (ticket.clientId ?? null) && !serviceChanged)
    return { ticket, events: [], notices: [] };
  const c = new Change(ticket, ctx);
  c.ticket = { ...ticket, client, clientId: choice.clientId, service: choice.service };
  if (serviceChanged) c.retarget();
  const sla = describeService(choice.service) ?? 'SLA: standard';
  c.event('client', ticket.client || null, client || null, serviceChanged ? sla : undefined);
  return c.done();
}
