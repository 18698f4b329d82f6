import { raiseTicket } from '../../../src/app/raise-ticket';
import { escalateToDevelopment } from '../../../src/app/ticket-actions';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const requester = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const level2 = { platform: 'slack' as const, userId: 'U0LEVEL2', name: 'Sam Singh' };
// Monday 2 March 2026, 09:00 London (GMT): business hours 08:45-17:15.
const MONDAY_9AM = new Date('2026-03-02T09:00:00Z');

async function post(h: TestHelpline, path: string, body: unknown) {
  const res = await fetch(`${h.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('development targets through the scheduler and the real database', () => {
  const started: TestHelpline[] = [];
  afterAll(async () => {
    for (const h of started) await h.stop();
  });
  const start = async (dbUri?: string) => {
    const h = await startTestHelpline({
      now: MONDAY_9AM,
      prefix: 'devtarget',
      ...(dbUri ? { env: { MONGODB_URI: dbUri } } : {}),
    });
    started.push(h);
    return h;
  };

  it('two schedulers sweeping at once alert the Dev Lead once per missed target, not the managers', async () => {
    const a = await start();
    const uri = `${process.env.MONGODB_URI}${a.dbName}`;
    const b = await start(uri);
    const raised = await raiseTicket(a.app, {
      requester,
      text: 'The export of invoices fails every night, we re-run it by hand as a workaround',
    });
    if (raised.kind !== 'raised') throw new Error(`expected a ticket, got ${raised.kind}`);
    const number = raised.ticket.number;
    await escalateToDevelopment(a.app, { number, actor: level2 }, 'code_change');
    const escalated = await a.app.tickets.get(number);
    const accept = escalated?.development?.targets?.accept;
    // 8 business hours from Monday 09:00 is Monday 17:00 (business time from the injected clock and calendar).
    expect(accept?.dueAt.toISOString().slice(0, 16)).toBe('2026-03-02T17:00');
    expect(escalated?.nextCheckAt?.getTime()).toBeLessThanOrEqual(accept!.dueAt.getTime());

    // Monday 17:01: the acceptance target is missed; both replicas sweep at the same instant.
    await Promise.all([a, b].map((h) => post(h, '/test/clock', { advanceMinutes: 481 })));
    const runs = await Promise.all([a, b].map((h) => post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] })));
    for (const r of runs) expect(r.body.ran).toEqual([expect.objectContaining({ failed: 0 })]);
    // And again (a later minute's run): nothing new.
    await Promise.all([a, b].map((h) => post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] })));

    const mongoose = (await import('mongoose')).default;
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      const alerts = await conn.collection('outbox').find({ type: 'dev.target_missed' }).toArray();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ ticket: number, audience: { kind: 'person', personId: 'dev.lead' } });
      expect(String(alerts[0]?.text)).toContain('to be taken up by Development within 8 business hours');
      expect(await conn.collection('ticket_events').countDocuments({ type: 'dev.target_missed' })).toBe(1);
    } finally {
      await conn.close();
    }
    const after = await b.app.tickets.get(number);
    expect(after?.development?.targets?.accept?.missedAt).toEqual(accept?.dueAt);
    // The allocation target (16 business hours, Tuesday 16:30) is the next check.
    expect(after?.nextCheckAt?.toISOString().slice(0, 16)).toBe('2026-03-03T16:30');
  });
});
