import { DateTime } from 'luxon';
import type { BusinessCalendar } from './business-calendar';

export type ClockKind = 'response' | 'resolution';

/** One period during which the clock ran: `[from, to)`. */
export interface ClockRun {
  from: Date;
  to: Date;
}

/**
 * One SLA clock in business minutes. It keeps its history (the closed `runs`, plus the open run from
 * `since` while running), so the instant any threshold was or will be crossed is known exactly through
 * any sequence of pauses, resumes, stops, reopens and retargets. `usedMinutes` banks the closed runs.
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
  /**
   * The instants the warning and the target were or will be crossed: in the past once crossed (in any
   * state), in the future while running, null while paused or stopped short of them.
   */
  warnAt: Date | null;
  dueAt: Date | null;
  /** The at-risk warning / breach alert was emitted for the current target. */
  warned: boolean;
  breached: boolean;
  /** When it breached (the real instant, kept for alerts sent late). */
  breachedAt: Date | null;
  /** Closed running periods, oldest first. */
  runs: ClockRun[];
}

export interface ClockContext {
  calendar: BusinessCalendar;
  /** Fraction of the target at which the at-risk warning goes out (0.75). */
  warnAt: number;
}

/** Business minutes of the closed runs. */
function bankedMinutes(c: Pick<SlaClock, 'runs'>, ctx: ClockContext): number {
  let total = 0;
  for (const r of c.runs) total += ctx.calendar.businessMinutesBetween(r.from, r.to);
  return total;
}

/**
 * The instant the clock's use reached `threshold` business minutes: walked through the history, then
 * projected from `since` while running; null when it has not been reached and the clock is not running.
 */
export function thresholdCrossedAt(c: SlaClock, threshold: number, ctx: ClockContext): Date | null {
  let remaining = threshold;
  for (const r of c.runs) {
    const m = ctx.calendar.businessMinutesBetween(r.from, r.to);
    if (m >= remaining) return ctx.calendar.addBusinessMinutes(r.from, Math.max(0, remaining));
    remaining -= m;
  }
  if (c.state !== 'running') return null;
  return ctx.calendar.addBusinessMinutes(c.since, Math.max(0, remaining));
}

function project(c: SlaClock, ctx: ClockContext): SlaClock {
  return {
    ...c,
    dueAt: thresholdCrossedAt(c, c.targetMinutes, ctx),
    warnAt: thresholdCrossedAt(c, c.targetMinutes * ctx.warnAt, ctx),
  };
}

/** Close the open run at `at`. */
function closeRun(c: SlaClock, at: Date, ctx: ClockContext): Pick<SlaClock, 'runs' | 'usedMinutes'> {
  const runs = at.getTime() > c.since.getTime() ? [...c.runs, { from: c.since, to: at }] : c.runs;
  return { runs, usedMinutes: usedMinutes(c, at, ctx) };
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
      runs: [],
    },
    ctx,
  );
}

/** Business minutes used so far. */
export function usedMinutes(c: SlaClock, now: Date, ctx: ClockContext): number {
  return c.state === 'running' ? c.usedMinutes + ctx.calendar.businessMinutesBetween(c.since, now) : c.usedMinutes;
}

/**
 * Pause a running clock (e.g. Waiting for Customer). A paused clock moved to another pausing status
 * keeps its pause start and takes the new reason; a stopped clock is left alone.
 */
export function pauseClock(c: SlaClock, at: Date, reason: string, ctx: ClockContext): SlaClock {
  if (c.state === 'paused') return { ...c, pausedBy: reason };
  if (c.state !== 'running') return c;
  return project({ ...c, ...closeRun(c, at, ctx), state: 'paused', since: at, pausedBy: reason }, ctx);
}

/** Resume a paused clock, or restart a stopped one (a reopened ticket); no-op when running. */
export function resumeClock(c: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  if (c.state === 'running') return c;
  return project({ ...c, state: 'running', since: at, pausedBy: null }, ctx);
}

/** Stop the clock (its target was met or missed for good). */
export function stopClock(c: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  if (c.state === 'stopped') return c;
  const closed = c.state === 'running' ? closeRun(c, at, ctx) : {};
  return project({ ...c, ...closed, state: 'stopped', since: at, pausedBy: null }, ctx);
}

/**
 * A new target (severity or priority changed), or a new calendar in `ctx`: the used minutes are
 * recounted on the history, the instants move to when the new thresholds were or will be crossed,
 * and a clock no longer at risk can warn again.
 */
export function retargetClock(c: SlaClock, targetMinutes: number, now: Date, ctx: ClockContext): SlaClock {
  // A clock stored before runs were kept has no history to recount: its banked minutes stand.
  const banked = c.runs.length ? bankedMinutes(c, ctx) : c.usedMinutes;
  const next = project({ ...c, targetMinutes, usedMinutes: banked }, ctx);
  const used = usedMinutes(next, now, ctx);
  if (used < targetMinutes * ctx.warnAt) next.warned = false;
  if (used < targetMinutes) {
    next.breached = false;
    next.breachedAt = null;
  } else if (next.breached) {
    next.breachedAt = next.dueAt;
  }
  return next;
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
 * left; due Tue 10:15 once resumed" or "running; 25 business minutes left; due Tue 10:15". With
 * `because`, it ends with the target and why it applies: "target 15 business minutes (Severity 1, business hours)".
 */
export function explainClock(c: SlaClock, now: Date, ctx: ClockContext, timeZone: string, because?: string): string {
  const used = usedMinutes(c, now, ctx);
  const left = c.targetMinutes - used;
  const label = c.kind === 'response' ? 'First response' : 'Resolution';
  const target = because ? `; target ${formatMinutes(c.targetMinutes)} (${because})` : '';
  const at = (d: Date) => formatBusinessInstant(d, timeZone, now);
  if (c.state === 'stopped') {
    return `${label}: ${left >= 0 ? 'met' : `missed${c.dueAt ? ` at ${at(c.dueAt)}` : ''}`} (${formatMinutes(used)} used of ${formatMinutes(c.targetMinutes)})${because ? ` (${because})` : ''}`;
  }
  if (c.state === 'paused') {
    const wouldBeDue = ctx.calendar.addBusinessMinutes(now, Math.max(0, left));
    return `${label}: paused since ${at(c.since)} (${c.pausedBy ?? 'paused'}); ${
      left > 0
        ? `${formatMinutes(left)} left; due ${at(wouldBeDue)} if resumed now`
        : `breached at ${at(c.dueAt ?? c.since)}, ${formatMinutes(-left)} over`
    }${target}`;
  }
  if (left <= 0) {
    return `${label}: BREACHED at ${at(c.dueAt ?? now)}, ${formatMinutes(-left)} over${target}`;
  }
  const risk = used >= c.targetMinutes * ctx.warnAt ? 'AT RISK; ' : '';
  return `${label}: ${risk}${formatMinutes(left)} left; due ${at(c.dueAt ?? now)}${target}`;
}
