import { DateTime } from 'luxon';
import { type BusinessCalendar, type BusinessCalendarSpec, calendarFor } from './business-calendar';

export type ClockKind = 'response' | 'resolution';

/** One period during which the clock ran: `[from, to)`, with what it counted and on which calendar. */
export interface ClockRun {
  from: Date;
  to: Date;
  /** Business milliseconds counted when the run closed, on the calendar then in force (absent on old clocks). */
  ms?: number;
  /** Index in the clock's `calendars` of that calendar (absent on old clocks: the ticket's calendar). */
  cal?: number;
}

/**
 * One SLA clock, counted in whole business milliseconds. It keeps its history (the closed `runs`, each counted on the
 * calendar in force while it ran, plus the open run from `since` while running), so the instant any threshold was
 * or will be crossed is known exactly through any sequence of pauses, resumes, stops, reopens and retargets: time
 * that has passed stays counted as it was; a retarget onto another calendar only changes how later time counts.
 */
export interface SlaClock {
  kind: ClockKind;
  targetMinutes: number;
  /** The closed runs' business time in minutes (`usedMs / 60000`), kept for the reports' aggregations. */
  usedMinutes: number;
  /** The closed runs' business time, exact (absent on clocks stored before it was kept). */
  usedMs?: number;
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
  /** When it breached its current target (the real instant, kept for alerts sent late). */
  breachedAt: Date | null;
  /** The first breach ever recorded, kept even when a later retarget would have avoided it (absent on old clocks). */
  firstBreachedAt?: Date | null;
  /** Closed running periods, oldest first. */
  runs: ClockRun[];
  /** The calendars the clock has counted on (absent on old clocks: the ticket's calendar). */
  calendars?: BusinessCalendarSpec[];
  /** Index in `calendars` of the calendar it counts on now. */
  cal?: number;
}

export interface ClockContext {
  /** The calendar the clock counts on from now (a clock started or retargeted here stores it). */
  calendar: BusinessCalendar;
  /** Fraction of the target at which the at-risk warning goes out (0.75). */
  warnAt: number;
}

const MINUTE_MS = 60_000;

/** The target in whole milliseconds. */
export function targetMs(c: Pick<SlaClock, 'targetMinutes'>): number {
  return Math.round(c.targetMinutes * MINUTE_MS);
}

/** The at-risk threshold in whole milliseconds (never before the fraction is reached). */
export function warnMs(c: Pick<SlaClock, 'targetMinutes'>, ctx: Pick<ClockContext, 'warnAt'>): number {
  return Math.ceil(targetMs(c) * ctx.warnAt);
}

const sameSpec = (a: BusinessCalendarSpec, b: BusinessCalendarSpec) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A clock stored before clocks kept their calendars and exact counts, as one that does: its history counted on
 * `ctx`'s calendar (the ticket's calendar, which is what such a clock always counted on). Others are returned as
 * they are.
 */
export function adoptClock(c: SlaClock, ctx: ClockContext): SlaClock {
  if (c.calendars?.length && c.cal !== undefined && c.usedMs !== undefined) return c;
  const cal = ctx.calendar;
  const runs = (c.runs ?? []).map((r) => ({
    from: r.from,
    to: r.to,
    ms: r.ms ?? cal.businessMsBetween(r.from, r.to),
    cal: 0,
  }));
  // Clocks stored before runs were kept have only their banked minutes: they stand.
  const usedMs = runs.length ? runs.reduce((a, r) => a + r.ms, 0) : Math.round((c.usedMinutes ?? 0) * MINUTE_MS);
  return {
    ...c,
    runs,
    usedMs,
    usedMinutes: usedMs / MINUTE_MS,
    calendars: [cal.spec],
    cal: 0,
    firstBreachedAt: c.firstBreachedAt ?? c.breachedAt ?? null,
  };
}

function calendarAt(c: SlaClock, index: number | undefined, ctx: ClockContext): BusinessCalendar {
  const spec = index === undefined ? undefined : c.calendars?.[index];
  return spec ? calendarFor(spec) : ctx.calendar;
}

/** The calendar the clock counts on now. */
export function clockCalendar(c: SlaClock, ctx: ClockContext): BusinessCalendar {
  return calendarAt(c, c.cal, ctx);
}

/** Business ms banked before the first kept run (only clocks stored before runs were kept have any). */
function unrecordedMs(c: SlaClock): number {
  return (c.usedMs ?? 0) - c.runs.reduce((a, r) => a + (r.ms ?? 0), 0);
}

/**
 * The instant the clock's use reached `threshold` business ms: walked through the history (each run on its own
 * calendar), then projected from `since` while running; null when it has not been reached and the clock is not
 * running.
 */
function crossedAt(c: SlaClock, threshold: number, ctx: ClockContext): Date | null {
  let remaining = threshold - unrecordedMs(c);
  if (remaining <= 0) return c.breachedAt ?? c.since;
  for (const r of c.runs) {
    const m = r.ms ?? 0;
    if (m >= remaining) return calendarAt(c, r.cal, ctx).addBusinessMs(r.from, remaining);
    remaining -= m;
  }
  if (c.state !== 'running') return null;
  return clockCalendar(c, ctx).addBusinessMs(c.since, remaining);
}

/** The instant the clock's use reached `threshold` business minutes (see {@link SlaClock}). */
export function thresholdCrossedAt(c: SlaClock, threshold: number, ctx: ClockContext): Date | null {
  return crossedAt(adoptClock(c, ctx), Math.round(threshold * MINUTE_MS), ctx);
}

function project(c: SlaClock, ctx: ClockContext): SlaClock {
  return { ...c, dueAt: crossedAt(c, targetMs(c), ctx), warnAt: crossedAt(c, warnMs(c, ctx), ctx) };
}

/** Close the open run at `at`, counted on the calendar in force. */
function closeRun(c: SlaClock, at: Date, ctx: ClockContext): Pick<SlaClock, 'runs' | 'usedMinutes' | 'usedMs'> {
  const ms = clockCalendar(c, ctx).businessMsBetween(c.since, at);
  const runs = at.getTime() > c.since.getTime() ? [...c.runs, { from: c.since, to: at, ms, cal: c.cal ?? 0 }] : c.runs;
  const usedMs = (c.usedMs ?? 0) + ms;
  return { runs, usedMs, usedMinutes: usedMs / MINUTE_MS };
}

/** A new running clock, counting on `ctx`'s calendar. */
export function startClock(kind: ClockKind, targetMinutes: number, at: Date, ctx: ClockContext): SlaClock {
  return project(
    {
      kind,
      targetMinutes,
      usedMinutes: 0,
      usedMs: 0,
      state: 'running',
      since: at,
      pausedBy: null,
      warnAt: null,
      dueAt: null,
      warned: false,
      breached: false,
      breachedAt: null,
      firstBreachedAt: null,
      runs: [],
      calendars: [ctx.calendar.spec],
      cal: 0,
    },
    ctx,
  );
}

/** Business time used so far, in whole milliseconds. */
export function usedMsAt(clock: SlaClock, now: Date, ctx: ClockContext): number {
  const c = adoptClock(clock, ctx);
  const banked = c.usedMs ?? 0;
  return c.state === 'running' ? banked + clockCalendar(c, ctx).businessMsBetween(c.since, now) : banked;
}

/** Business minutes used so far (exact ms / 60000: for display). */
export function usedMinutes(c: SlaClock, now: Date, ctx: ClockContext): number {
  return usedMsAt(c, now, ctx) / MINUTE_MS;
}

/**
 * Pause a running clock (e.g. Waiting for Customer). A paused clock moved to another pausing status
 * keeps its pause start and takes the new reason; a stopped clock is left alone.
 */
export function pauseClock(clock: SlaClock, at: Date, reason: string, ctx: ClockContext): SlaClock {
  const c = adoptClock(clock, ctx);
  if (c.state === 'paused') return { ...c, pausedBy: reason };
  if (c.state !== 'running') return c;
  return project({ ...c, ...closeRun(c, at, ctx), state: 'paused', since: at, pausedBy: reason }, ctx);
}

/** Resume a paused clock, or restart a stopped one (a reopened ticket); no-op when running. */
export function resumeClock(clock: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  const c = adoptClock(clock, ctx);
  if (c.state === 'running') return c;
  return project({ ...c, state: 'running', since: at, pausedBy: null }, ctx);
}

/** Stop the clock (its target was met or missed for good). */
export function stopClock(clock: SlaClock, at: Date, ctx: ClockContext): SlaClock {
  const c = adoptClock(clock, ctx);
  if (c.state === 'stopped') return c;
  const closed = c.state === 'running' ? closeRun(c, at, ctx) : {};
  return project({ ...c, ...closed, state: 'stopped', since: at, pausedBy: null }, ctx);
}

/**
 * A new target (severity, priority or tier changed) and, in `ctx`, the calendar that counts from `now` (a 24x7
 * severity, a client's calendar). Time already used stays as it was counted; later time counts on the new
 * calendar; the instants move to when the new thresholds were or will be crossed on that history. A clock no
 * longer at risk can warn again, and one no longer breached can breach again; the first breach stays recorded.
 * `from` is the context the clock counted on before (only used for a clock stored before clocks kept calendars).
 */
export function retargetClock(
  clock: SlaClock,
  targetMinutes: number,
  now: Date,
  ctx: ClockContext,
  from: ClockContext = ctx,
): SlaClock {
  let c = adoptClock(clock, from);
  const calendars = [...(c.calendars ?? [])];
  let index = calendars.findIndex((s) => sameSpec(s, ctx.calendar.spec));
  if (index < 0) index = calendars.push(ctx.calendar.spec) - 1;
  if (index !== c.cal) {
    if (c.state === 'running') c = { ...c, ...closeRun(c, now, ctx), since: now };
    c = { ...c, calendars, cal: index };
  }
  const next = project({ ...c, targetMinutes }, ctx);
  const used = usedMsAt(next, now, ctx);
  if (used < warnMs(next, ctx)) next.warned = false;
  if (used < targetMs(next)) {
    next.breached = false;
    next.breachedAt = null;
  } else if (next.breached) {
    next.breachedAt = next.dueAt;
  }
  return next;
}

export type ClockCondition = 'on_track' | 'at_risk' | 'breached';

/** Breached from the due instant on (used ≥ target), at risk from the warning instant: exact, in ms. */
export function clockCondition(c: SlaClock, now: Date, ctx: ClockContext): ClockCondition {
  const used = usedMsAt(c, now, ctx);
  if (used >= targetMs(c)) return 'breached';
  if (used >= warnMs(c, ctx)) return 'at_risk';
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
export function explainClock(
  clock: SlaClock,
  now: Date,
  ctx: ClockContext,
  timeZone: string,
  because?: string,
): string {
  const c = adoptClock(clock, ctx);
  const usedMs = usedMsAt(c, now, ctx);
  const leftMs = targetMs(c) - usedMs;
  const used = usedMs / MINUTE_MS;
  const left = leftMs / MINUTE_MS;
  const label = c.kind === 'response' ? 'First response' : 'Resolution';
  const target = because ? `; target ${formatMinutes(c.targetMinutes)} (${because})` : '';
  const at = (d: Date) => formatBusinessInstant(d, timeZone, now);
  // A breach a later retarget undid is still history: said, not hidden.
  const earlier =
    leftMs > 0 && c.firstBreachedAt ? ` (breached at ${at(c.firstBreachedAt)} before its target changed)` : '';
  if (c.state === 'stopped') {
    return `${label}: ${leftMs > 0 ? 'met' : `missed${c.dueAt ? ` at ${at(c.dueAt)}` : ''}`} (${formatMinutes(used)} used of ${formatMinutes(c.targetMinutes)})${earlier}${because ? ` (${because})` : ''}`;
  }
  if (c.state === 'paused') {
    const wouldBeDue = clockCalendar(c, ctx).addBusinessMs(now, Math.max(0, leftMs));
    return `${label}: paused since ${at(c.since)} (${c.pausedBy ?? 'paused'}); ${
      leftMs > 0
        ? `${formatMinutes(left)} left; due ${at(wouldBeDue)} if resumed now${earlier}`
        : `breached at ${at(c.dueAt ?? c.since)}, ${formatMinutes(-left)} over`
    }${target}`;
  }
  if (leftMs <= 0) {
    return `${label}: BREACHED at ${at(c.dueAt ?? now)}, ${formatMinutes(-left)} over${target}`;
  }
  const risk = usedMs >= warnMs(c, ctx) ? 'AT RISK; ' : '';
  return `${label}: ${risk}${formatMinutes(left)} left; due ${at(c.dueAt ?? now)}${earlier}${target}`;
}
