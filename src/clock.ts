import type { Clock } from './domain/clock';

/** The process's real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be set and moved: tests, demos and `HELPLINE_TEST_CLOCK`. It keeps running from where it was set. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  /** While paused (a test seeding data at exact instants), the instant it shows. */
  private pausedAt: number | null = null;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.pausedAt ?? this.base.now().getTime() + this.offsetMs);
  }
  set(at: Date): void {
    if (this.pausedAt !== null) this.pausedAt = at.getTime();
    else this.offsetMs = at.getTime() - this.base.now().getTime();
  }
  advanceMinutes(minutes: number): void {
    if (this.pausedAt !== null) this.pausedAt += minutes * 60_000;
    else this.offsetMs += minutes * 60_000;
  }
  /** Stop the clock where it is: it shows exactly what `set` gives it until `resume`. */
  pause(): void {
    this.pausedAt ??= this.now().getTime();
  }
  /** Run again from the instant it shows. */
  resume(): void {
    if (this.pausedAt === null) return;
    this.offsetMs = this.pausedAt - this.base.now().getTime();
    this.pausedAt = null;
  }
  /** How far this clock is from its base, in ms (what replicas share, see store/shared-clock.ts). */
  get offset(): number {
    return this.offsetMs;
  }
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
