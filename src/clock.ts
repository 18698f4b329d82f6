import type { Clock } from './domain/clock';

/** The process's real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be set and moved: tests, demos and `HELPLINE_TEST_CLOCK`. It keeps running from where it was set. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - this.base.now().getTime();
  }
  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
  /** How far this clock is from its base, in ms (what replicas share, see store/shared-clock.ts). */
  get offset(): number {
    return this.offsetMs;
  }
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
