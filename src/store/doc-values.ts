import type { Audience } from '../domain/ticket/notice';
import type { ActingAs, Actor, TicketEvent } from '../domain/ticket/ticket';

/** Values as stored: undefined properties left out, actors and audiences reduced to what is kept. */

/** Copy without the properties whose value is undefined. */
export function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function actor(a: Actor): Actor {
  return defined({ platform: a.platform, userId: a.userId, name: a.name, email: a.email });
}
export function actorOrNull(a: Actor | null | undefined): Actor | null {
  return a ? actor(a) : null;
}
export function actingAs(a: TicketEvent['actor']): TicketEvent['actor'] {
  if (a.platform === 'system') return { platform: 'system', userId: 'scheduler', name: 'Helpline', role: 'system' };
  const acting = a as ActingAs;
  return defined({ ...actor(acting), role: acting.role });
}

export function audience(a: Audience): Audience {
  switch (a.kind) {
    case 'channel':
      return { kind: 'channel', channel: a.channel };
    case 'user':
      return { kind: 'user', actor: { platform: a.actor.platform, userId: a.actor.userId, name: a.actor.name } };
    case 'person':
      return { kind: 'person', personId: a.personId };
    case 'cardThread':
      return { kind: 'cardThread' };
    default:
      return { kind: 'posts' };
  }
}
