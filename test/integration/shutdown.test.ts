import { Inflight } from '../../src/inflight';
import { startTestHelpline } from '../helpers/harness';

describe('graceful shutdown', () => {
  it('lets work that outlived its request finish before the database closes', async () => {
    const h = await startTestHelpline({ prefix: 'shutdown' });
    const outcome: { saved: boolean; error?: unknown } = { saved: false };
    // Start-up work (the search terms backfill) may still be tracked: count from here.
    const already = h.app.inflight.size;
    // Like a Slack listener after its ack: still writing when SIGTERM arrives.
    void h.app.inflight
      .track(
        (async () => {
          await new Promise((r) => setTimeout(r, 300));
          await h.app.drafts.save({ userKey: 'slack:U1:late', platform: 'slack', data: {}, updatedAt: h.clock.now() });
          outcome.saved = true;
        })(),
      )
      .catch((err: unknown) => {
        outcome.error = err;
      });
    expect(h.app.inflight.size).toBe(already + 1);
    await h.stop();
    expect(outcome).toEqual({ saved: true });
    expect(h.app.inflight.size).toBe(0);
  });

  it('does not wait for ever: idle() gives up after its grace period', async () => {
    const inflight = new Inflight();
    void inflight.track(new Promise(() => undefined));
    await inflight.track(Promise.resolve('done'));
    await expect(inflight.track(Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(inflight.size).toBe(1); // only the one that never ends
    expect(await inflight.idle(50)).toBe(false);
  });
});
