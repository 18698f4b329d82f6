import { reconnectDelayMs } from '../../../src/adapters/slack/socket';

describe('Socket Mode reconnection back-off', () => {
  it('reconnects at once after a clean drop, then doubles from 1 s and never waits more than 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(reconnectDelayMs)).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(reconnectDelayMs(1000)).toBe(30_000);
  });
});
