/** Audit events and outbox items ↔ their documents (see ticket.mapper.ts for the conventions). */
import type { ClockKind } from '../domain/sla/sla-clock';
import type { Notice } from '../domain/ticket/notice';
import type { TicketEvent } from '../domain/ticket/ticket';
import { actingAs, audience, defined } from './doc-values';
import type { OutboxDoc } from './outbox.model';

export interface TicketEventDoc {
  /** `${ticket}:v${version}:${index}`: deterministic, so moving an event twice stores it once. */
  _id: string;
  ticket: string;
  /** Ticket version the change produced, and the event's position in it (for a stable order). */
  version: number;
  index: number;
  at: Date;
  actor: TicketEvent['actor'];
  type: string;
  from?: string | number | null;
  to?: string | number | null;
  note?: string;
}

/** Event `index` of the change that produced version `version` of ticket `number`. */
export function eventToDoc(e: TicketEvent, number: string, version: number, index: number): TicketEventDoc {
  return defined({
    _id: `${number}:v${version}:${index}`,
    ticket: number,
    version,
    index,
    at: e.at,
    actor: actingAs(e.actor),
    type: e.type,
    from: e.from,
    to: e.to,
    note: e.note,
  });
}

export function docToEvent(d: TicketEventDoc): TicketEvent {
  return defined({
    ticket: d.ticket,
    at: d.at,
    actor: actingAs(d.actor),
    type: d.type,
    from: d.from,
    to: d.to,
    note: d.note,
  });
}

/** A new outbox item for `n`, due at once (`now` is the instant of the change that produced it). */
export function noticeToOutboxDoc(n: Notice, now: Date): OutboxDoc {
  return defined({
    _id: n.key,
    type: n.type,
    ticket: n.ticket ?? null,
    audience: audience(n.audience),
    text: n.text,
    clock: n.clock as ClockKind | undefined,
    level: n.level,
    mention: n.mention,
    at: n.at,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
    owner: null,
    createdAt: now,
    deliveredAt: null,
    lastError: null,
  });
}

/** The Notice an outbox item was made from. */
export function outboxDocToNotice(d: OutboxDoc): Notice {
  return defined({
    key: d._id,
    type: d.type,
    ticket: d.ticket,
    audience: d.audience,
    text: d.text,
    clock: d.clock,
    level: d.level,
    mention: d.mention,
    at: d.at,
  });
}
