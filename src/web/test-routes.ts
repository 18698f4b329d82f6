import type restify from 'restify';
import { z } from 'zod';
import type { MovableClock } from '../clock';
import type { Scheduler } from '../scheduler/registry';
import type { SharedClock } from '../store/shared-clock';
import { type BodySpec, JSON_BODY } from './body';

/** The test routes take a few fields. */
const SMALL_JSON: BodySpec = { ...JSON_BODY, maxBytes: 10_000 };

const clockBody = z.union([
  z.strictObject({ now: z.iso.datetime({ offset: true }) }),
  z.strictObject({ advanceMinutes: z.number().finite().min(-525_600).max(525_600) }),
]);
const runBody = z.strictObject({ jobs: z.array(z.string()).optional() }).optional();

/**
 * HELPLINE_TEST_CLOCK=1 only (refused in production at config time): move the clock and run the
 * due jobs now, so a person sees a breach alert without waiting and tests drive the scheduler.
 */
export function mountTestRoutes(
  server: restify.Server,
  deps: {
    clock: MovableClock;
    scheduler: Scheduler;
    drain: () => Promise<number>;
    /** The clock shared with other replicas through the database (absent: this process's clock alone). */
    shared?: SharedClock;
  },
): void {
  const json = (req: restify.Request): unknown => req.body ?? undefined;
  server.post({ path: '/test/clock', readBody: SMALL_JSON }, async (req: restify.Request, res: restify.Response) => {
    const parsed = clockBody.safeParse(json(req));
    if (!parsed.success) {
      res.json(400, { error: 'send {"now": "<ISO instant>"} or {"advanceMinutes": n}' });
      return;
    }
    await deps.shared?.load(); // advance from where the replicas are, not from this one's last refresh
    if ('now' in parsed.data) deps.clock.set(new Date(parsed.data.now));
    else deps.clock.advanceMinutes(parsed.data.advanceMinutes);
    await deps.shared?.save();
    res.json(200, { now: deps.clock.now().toISOString() });
  });
  server.post(
    { path: '/test/scheduler/run', readBody: SMALL_JSON },
    async (req: restify.Request, res: restify.Response) => {
      const parsed = runBody.safeParse(json(req));
      if (!parsed.success) {
        res.json(400, { error: 'send {} or {"jobs": ["sla-sweep", ...]}' });
        return;
      }
      await deps.shared?.load();
      const ran = await deps.scheduler.runNow(parsed.data?.jobs);
      const delivered = await deps.drain();
      res.json(200, { now: deps.clock.now().toISOString(), ran, delivered });
    },
  );
}
