import { raiseTicket } from '../../../src/app/raise-ticket';
import { acknowledgeAlert, assignToMe } from '../../../src/app/ticket-actions';
import type { Ticket } from '../../../src/domain/ticket/ticket';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const requester = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const level1 = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
const teamLead = { platform: 'slack' as const, userId: 'U0TEAMLEAD', name: 'Mike Fox' };
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

/** The movable clock keeps running in real time, so compare instants to the minute. */
const minute = (d: Date | null | undefined) => d?.toISOString().slice(0, 16);

describe('SLA sweep through the test clock and the real database', () => {
  const started: TestHelpline[] = [];
  afterAll(async () => {
    for (const h of started) await h.stop();
  });

  async function start(dbUri?: string) {
    const h = await startTestHelpline({
      now: MONDAY_9AM,
      prefix: 'sched',
      ...(dbUri ? { env: { MONGODB_URI: dbUri } } : {}),
    });
    started.push(h);
    return h;
  }

  async function raise(h: TestHelpline, text: string): Promise<Ticket> {
    const r = await raiseTicket(h.app, { requester, text });
    if (r.kind !== 'raised') throw new Error(`expected a ticket, got ${r.kind}`);
    return r.ticket;
  }

  it('refuses a bad clock request with a clear message', async () => {
    const h = await start();
    const bad = await post(h, '/test/clock', { now: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toContain('advanceMinutes');
  });

  it('warns at 75 %, alerts the breach once, climbs the ladder until acknowledged', async () => {
    const h = await start();
    const t = await raise(h, 'The approval workflow is broken for our team, we use email approvals as a workaround');

    // 22 business minutes: not yet at risk (75 % of 30 is 22.5).
    let r = await post(h, '/test/clock', { advanceMinutes: 22 });
    expect(r.status).toBe(200);
    await post(h, '/test/scheduler/run', {});
    let now = await h.app.tickets.get(t.number);
    expect(now?.sla.response.warned).toBe(false);

    await post(h, '/test/clock', { advanceMinutes: 1 });
    r = await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    expect(r.body.ran).toEqual([expect.objectContaining({ job: 'sla-sweep', processed: 1 })]);
    now = await h.app.tickets.get(t.number);
    expect(now?.sla.response.warned).toBe(true);
    expect(now?.sla.response.breached).toBe(false);

    // Running the sweep again at the same instant creates nothing new.
    r = await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    expect(r.body.ran).toEqual([expect.objectContaining({ processed: 0 })]);

    await post(h, '/test/clock', { advanceMinutes: 8 }); // 31 minutes: breached at 09:30
    await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    now = await h.app.tickets.get(t.number);
    expect(now?.sla.response.breached).toBe(true);
    expect(minute(now?.sla.response.breachedAt)).toBe('2026-03-02T09:30');
    expect(now?.alerting).toMatchObject({ notifiedLevel: 1 });
    expect(minute(now?.alerting.nextStepAt)).toBe('2026-03-02T11:30');

    // Two business hours later the Support Manager is told; then the ladder stops when acknowledged.
    await post(h, '/test/clock', { now: '2026-03-02T11:31:00Z' });
    await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    now = await h.app.tickets.get(t.number);
    expect(now?.alerting.notifiedLevel).toBe(2);
    await acknowledgeAlert(h.app, { number: t.number, actor: teamLead });
    await post(h, '/test/clock', { now: '2026-03-02T16:00:00Z' });
    await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    now = await h.app.tickets.get(t.number);
    expect(now?.alerting.notifiedLevel).toBe(2);
    expect(now?.alerting.acknowledgedBy?.name).toBe('Mike Fox');
    // Each notice exactly once in the outbox: one warning, one breach, one ladder step (channel + DM).
    const mongoose = (await import('mongoose')).default;
    const conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    try {
      const sent = await conn.collection('outbox').find({ ticket: t.number }).toArray();
      const count = (type: string) => sent.filter((d) => d.type === type).length;
      expect([count('sla.warning'), count('sla.breach'), count('sla.ladder')]).toEqual([1, 1, 2]);
      expect(sent.find((d) => d.type === 'sla.breach')?.mention).toBe('mike.fox');
      expect(sent.filter((d) => d.type === 'sla.ladder').map((d) => d.level)).toEqual([2, 2]);
    } finally {
      await conn.close();
    }
  });

  it('three replicas sweeping the same database at once create each alert exactly once', async () => {
    const a = await start();
    const uri = `${process.env.MONGODB_URI}${a.dbName}`;
    const b = await start(uri);
    const c = await start(uri);
    const tickets = await Promise.all([1, 2, 3, 4, 5].map((i) => raise(a, `Report ${i} shows the wrong totals`)));
    await Promise.all([a, b, c].map((h) => post(h, '/test/clock', { advanceMinutes: 45 })));
    const runs = await Promise.all([a, b, c].map((h) => post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] })));
    const processed = runs.map((r) => (r.body.ran as Array<{ processed: number }>)[0]?.processed ?? 0);
    const mongoose = (await import('mongoose')).default;
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      const breaches = await conn.collection('outbox').countDocuments({ type: 'sla.breach' });
      expect(breaches).toBe(tickets.length); // the response clock of each ticket breached once
      const warnings = await conn.collection('outbox').countDocuments({ type: 'sla.warning' });
      expect(warnings).toBe(0); // warning and breach both past: only the breach is sent
      const events = await conn.collection('ticket_events').countDocuments({ type: 'sla.breach' });
      expect(events).toBe(tickets.length);
      // Every ticket was handled by at least one replica and no run failed.
      expect(processed.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(tickets.length);
      for (const r of runs) expect(r.body.ran).toEqual([expect.objectContaining({ failed: 0 })]);
    } finally {
      await conn.close();
    }
  });

  it('after an hour of downtime sends what fell due once, with the real breach time', async () => {
    const h = await start();
    const t = await raise(h, 'Users are reporting the invoice list is slow');
    await assignToMe(h.app, { number: t.number, actor: level1 }); // first response met
    // The resolution clock (50 business hours from Mon 09:00) breaches the next Monday at 16:30; wake an hour later.
    await post(h, '/test/clock', { now: '2026-03-09T17:30:00Z' });
    await post(h, '/test/scheduler/run', { jobs: ['sla-sweep'] });
    const now = await h.app.tickets.get(t.number);
    expect(minute(now?.sla.resolution.breachedAt)).toBe('2026-03-09T16:30');
    const mongoose = (await import('mongoose')).default;
    const conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    try {
      const alerts = await conn.collection('outbox').find({ ticket: t.number, type: 'sla.breach' }).toArray();
      expect(alerts).toHaveLength(1);
      expect(String(alerts[0]?.text)).toContain('16:30');
      expect(String(alerts[0]?.text)).toContain('reported late');
    } finally {
      await conn.close();
    }
  });
});
