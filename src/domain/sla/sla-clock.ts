import { DateTime } from 'luxon';
import type { BusinessCalendar } from './business-calendar';

export type ClockKind = 'response' | 'resolution';

/**
 * One SLA clock in business minutes. While running, `usedMinutes` counts what was used before
 * `since`; pausing banks the minutes since then, so the due instant moves by exactly the paused
 * business time however many pauses there are.
 */
export interface SlaClock {
  kind: ClockKind;
  targetMinutes: number;
  usedMinutes: number;
  state: 'running' | 'paused' | 'stopped';
  /** Running since, paused since or stopped at. */
  since: Date;
  /** Name of the status that paused it, while paused. */
  pausedBy: string | null;
  /** Projected instants, while running. */
  warnAt: Date | null;
  dueAt: Date | null;
  /** The at-risk warning / breach alert was emitted for the current target. */
  warned: boolean;
  breached: boolean;
  /** When it breached (the real instant, kept for alerts sent late). */
  breachedAt: Date | null;
}

export interface ClockContext {
  calendar: BusinessCalendar;
  /** Fraction of the target at which the at-risk warning goes out (0.75). */
  warnAt: number;
}

function project(c: SlaClock, ctx: ClockContext): SlaClock {
  if (c.state !== 'running') return { ...c, warnAt: null, dueAt: null };
  const left = Math.max(0, c.targetMinutes - c.usedMinutes);
  const warnLeft = Math.max(0, c.targetMinutes * ctx.warnAt - c.usedMinutes);
  return {
    ...c,
    dueAt: ctx.calendar.addBusinessMinutes(c.since, left),
    warnAt: ctx.calendar.addBusinessMinutes(c.since, warnLeft),
  };
}

/** A new running clock. */
export function startClock(kind: ClockKind, targetMinutes: number, at: Date, ctx: ClockContext): SlaClock {
  return project(
    {
      kind,
      targetMinutes,
      usedMinutes: 0,
      state: 'running',
      since: at,
      pausedBy: null,
      warnAt: null,
      dueAt: null,
      warned: false,
      breached: false,
      breachedAt: null,
    },
    ctx,
  );
}

/** Business minutes used so far. */
export function usedMinutes(c: SlaClock, now: Date, ctx: ClockContext): number {
  return c.state === 'running' ? c.usedMinutes + ctx.calendar.businessMinutesBetween(c.since, now) : c.usedMinutes;
}

/** Pause a running clock (e.g. Waiting for Customer); no-op otherwise. */
export function pauseClock(c: SlaClock, at: Date, reason: string, ctx: ClockContext): SlaClock {
  if (c.state !== 'running') return c;
  return project({ ...c, usedMinutes: usedMinutes(c, at, ctx), state: 'paused', since: at, pausedBy: reason }, ctx);
}

/** Resume a paused clock, or restart a stopped one (a reopened ticket); no-op when running. */
export function resumeClock(c: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  if (c.state === 'running') return c;
  return project({ ...c, state: 'running', since: at, pausedBy: null }, ctx);
}

/** Stop the clock (its target was met or missed for good). */
export function stopClock(c: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  if (c.state === 'stopped') return c;
  return project({ ...c, usedMinutes: usedMinutes(c, at, ctx), state: 'stopped', since: at, pausedBy: null }, ctx);
}

/** A new target (severity changed): projections move; a clock no longer at risk can warn again. */
export function retargetClock(c: SlaClock, targetMinutes: number, now: Date, ctx: ClockContext): SlaClock {
  const used = usedMinutes(c, now, ctx);
  const next = { ...c, targetMinutes };
  if (used < targetMinutes * ctx.warnAt) next.warned = false;
  if (used < targetMinutes) {
    next.breached = false;
    next.breachedAt = null;
  }
  return project(next, ctx);
}

export type ClockCondition = 'on_track' | 'at_risk' | 'breached';

export function clockCondition(c: SlaClock, now: Date, ctx: ClockContext): ClockCondition {
  const used = usedMinutes(c, now, ctx);
  if (used >= c.targetMinutes) return 'breached';
  if (used >= c.targetMinutes * ctx.warnAt) return 'at_risk';
  return 'on_track';
}

/** "Tue 10:15" in the calendar's zone; the date is added when it is not this week. */
export function formatBusinessInstant(at: Date, timeZone: string, now?: Date): string {
  const dt = DateTime.fromJSDate(at, { zone: timeZone });
  const ref = now ? DateTime.fromJSDate(now, { zone: timeZone }) : null;
  if (ref && Math.abs(dt.diff(ref, 'days').days) < 6) return dt.toFormat('ccc HH:mm');
  return dt.toFormat('ccc d LLL HH:mm');
}

/** "1 h 5 min" style business duration. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} business minute${m === 1 ? '' : 's'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} business hour${h === 1 ? '' : 's'}${rest ? ` ${rest} min` : ''}`;
}

/**
 * The clock in words, for cards: "paused since 14:02 (Waiting for Customer); 12 business minutes
 * left; due Tue 10:15 once resumed" or "running; 25 business minutes left; due Tue 10:15".
 */
export function explainClock(c: SlaClock, now: Date, ctx: ClockContext, timeZone: string): string {
  const used = usedMinutes(c, now, ctx);
  const left = c.targetMinutes - used;
  const label = c.kind === 'response' ? 'First response' : 'Resolution';
  if (c.state === 'stopped') {
    return `${label}: ${left >= 0 ? 'met' : 'missed'} (${formatMinutes(used)} used of ${formatMinutes(c.targetMinutes)})`;
  }
  if (c.state === 'paused') {
    const wouldBeDue = ctx.calendar.addBusinessMinutes(now, Math.max(0, left));
    return `${label}: paused since ${formatBusinessInstant(c.since, timeZone, now)} (${c.pausedBy ?? 'paused'}); ${
      left > 0 ? `${formatMinutes(left)} left` : `breached by ${formatMinutes(-left)}`
    }; due ${formatBusinessInstant(wouldBeDue, timeZone, now)} if resumed now`;
  }
  if (left <= 0) {
    return `${label}: BREACHED at ${formatBusinessInstant(c.dueAt ?? now, timeZone, now)}, ${formatMinutes(-left)} over`;
  }
  const risk = used >= c.targetMinutes * ctx.warnAt ? 'AT RISK; ' : '';
  return `${label}: ${risk}${formatMinutes(left)} left; due ${formatBusinessInstant(c.dueAt ?? now, timeZone, now)}`;
}
