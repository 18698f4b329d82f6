import type { Policy } from '../../config/policy.schema';
import type { BusinessCalendar } from '../sla/business-calendar';
import type { ServiceLevel } from '../sla/service';
import {
  adoptClock,
  type ClockCondition,
  type ClockContext,
  type ClockKind,
  clockCondition,
  explainClock,
  type SlaClock,
  usedMsAt,
} from '../sla/sla-clock';
import { clocksForSeverity, targetReason, targetsFor } from '../sla/targets';
import type { Ticket } from './ticket';

/** One clock of a ticket at an instant: what every card, list, digest and report shows of it. */
export interface ClockReading {
  kind: ClockKind;
  state: SlaClock['state'];
  /** Business time used, exact in ms; in minutes for display. */
  usedMs: number;
  usedMinutes: number;
  targetMinutes: number;
  condition: ClockCondition;
  dueAt: Date | null;
  warnAt: Date | null;
  /** The first breach recorded, kept even when a later retarget undid it. */
  firstBreachedAt: Date | null;
  /** The clock in words, with the target and why it applies. */
  line: string;
}

export interface TicketClocks {
  /** What the ticket's clocks count on now (its severity's hours, its client's calendar). */
  ctx: ClockContext;
  response: ClockReading;
  resolution: ClockReading;
  /**
   * The ticket's condition: the worst of its clocks still counting (running or paused; an ended clock is history).
   * On track once closed.
   */
  condition: ClockCondition;
}

type ClockTicket = Pick<Ticket, 'severity' | 'priority' | 'status' | 'sla'> & { service?: ServiceLevel | null };
type ClockPolicy = Pick<Policy, 'severities' | 'calendar' | 'sla'>;

const RANK: Record<ClockCondition, number> = { on_track: 0, at_risk: 1, breached: 2 };

/**
 * The one reading of a ticket's clocks at `now`, on the ticket's own calendar and targets (each clock counts its
 * past on the calendars it was counted on): cards, the queue, App Home, the digest, /reports and its CSVs all
 * show this. `business` is the policy's calendar (a clock stored before clocks kept their calendars counts on it,
 * or on the ticket's 24x7 or client calendar derived from it).
 */
export function readClocks(t: ClockTicket, now: Date, policy: ClockPolicy, business: BusinessCalendar): TicketClocks {
  const ctx = clocksForSeverity({ calendar: business, warnAt: policy.sla.warnAt }, policy, t.severity, t.service);
  const targets = targetsFor(policy, t.severity, t.priority, t.service);
  const tz = policy.calendar.timeZone;
  const read = (kind: ClockKind): ClockReading => {
    const c = adoptClock(t.sla[kind], ctx);
    const usedMs = usedMsAt(c, now, ctx);
    return {
      kind,
      state: c.state,
      usedMs,
      usedMinutes: usedMs / 60_000,
      targetMinutes: c.targetMinutes,
      condition: clockCondition(c, now, ctx),
      dueAt: c.dueAt,
      warnAt: c.warnAt,
      firstBreachedAt: c.firstBreachedAt ?? null,
      line: explainClock(c, now, ctx, tz, targetReason(targets, kind)),
    };
  };
  const response = read('response');
  const resolution = read('resolution');
  const counting = [response, resolution].filter((r) => r.state !== 'stopped');
  const condition =
    t.status === 'closed'
      ? 'on_track'
      : counting.reduce<ClockCondition>((a, r) => (RANK[r.condition] > RANK[a] ? r.condition : a), 'on_track');
  return { ctx, response, resolution, condition };
}
