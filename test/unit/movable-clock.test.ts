import { MovableClock } from '../../src/clock';

describe('MovableClock', () => {
  let real = 1_000_000;
  const base = { now: () => new Date(real) };

  it('runs on from where it was set, and stands still while paused', () => {
    const clock = new MovableClock(base);
    clock.set(new Date('2026-03-09T13:35:00Z'));
    real += 30_000; // half a minute of a busy machine
    expect(clock.now().toISOString()).toBe('2026-03-09T13:35:30.000Z');

    clock.pause();
    clock.set(new Date('2026-03-09T13:35:00Z'));
    real += 30_000;
    expect(clock.now().toISOString()).toBe('2026-03-09T13:35:00.000Z');
    clock.advanceMinutes(5);
    expect(clock.now().toISOString()).toBe('2026-03-09T13:40:00.000Z');

    clock.resume();
    real += 60_000;
    expect(clock.now().toISOString()).toBe('2026-03-09T13:41:00.000Z');
  });
});
