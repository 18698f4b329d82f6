import mongoose from 'mongoose';
import { raiseTicket } from '../../../src/app/raise-ticket';
import { digestFigures } from '../../../src/app/scheduled-jobs';
import {
  addMessage,
  assignToMe,
  changeStatus,
  confirmFixed,
  requestInfo,
  resolve,
} from '../../../src/app/ticket-actions';
import { noticeToOutboxDoc } from '../../../src/store/ticket.mapper';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
const at = (iso: string) => new Date(iso);

describe('scheduled jobs on the real database', () => {
  let h: TestHelpline;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    h = await startTestHelpline({ now: at('2026-03-02T09:00:00Z'), prefix: 'jobs' });
    conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
  });
  afterAll(async () => {
    await conn.close();
    await h.stop();
  });

  const run = async (job: string) => {
    const res = await fetch(`${h.base}/test/scheduler/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobs: [job] }),
    });
    const body = (await res.json()) as { ran: Array<{ job: string; processed: number; failed: number }> };
    expect(body.ran[0]).toMatchObject({ job, failed: 0 });
    return body.ran[0]!;
  };
  const outbox = (filter: object) => conn.collection('outbox').find(filter).toArray();
  const raise = async (text: string) => {
    const r = await raiseTicket(h.app, { requester: rita, text });
    return r.ticket!.number;
  };

  it('computes the digest averages in business time, and posts one digest a day', async () => {
    h.clock.set(at('2026-03-02T09:00:00Z'));
    const a = await raise('The approval workflow is broken, we use email as a workaround');
    const b = await raise('The supplier import failed to import this morning');
    h.clock.set(at('2026-03-02T09:10:00Z'));
    await assignToMe(h.app, { number: a, actor: lee }); // first response after 10 min
    h.clock.set(at('2026-03-02T09:20:00Z'));
    await assignToMe(h.app, { number: b, actor: lee }); // 20 min
    h.clock.set(at('2026-03-02T11:00:00Z'));
    await resolve(h.app, { number: a, actor: lee }, 'Fixed the rule'); // resolution 120 min
    // b: 09:00 → 17:15 is 495 business min, then Tue 08:45 → 09:45 is 60 more: 555 min.
    h.clock.set(at('2026-03-03T09:45:00Z'));
    await resolve(h.app, { number: b, actor: lee }, 'Re-imported');

    const f = await digestFigures({ ...h.app }, at('2026-03-02T00:00:00Z'), at('2026-03-03T10:00:00Z'));
    expect(f.resolvedCount).toBe(2);
    expect(f.avgFirstResponse).toBeCloseTo(15, 1);
    expect(f.avgResolution).toBeCloseTo((120 + 555) / 2, 1);
    expect(f.targets).toEqual({ response: 30, resolution: 3000 });
    expect(f.openByPriority.reduce((x, y) => x + y, 0)).toBe(f.openTotal);

    h.clock.set(at('2026-03-04T08:45:00Z'));
    await run('daily-digest');
    await run('daily-digest');
    const digests = await outbox({ type: 'digest.daily' });
    expect(digests.map((d) => d._id)).toEqual(['digest:2026-03-04']);
    expect(String(digests[0]?.text)).toContain('Daily support digest, Wed 4 Mar 2026');
    expect(String(digests[0]?.text)).toMatch(/By priority: P1: \d+, P2: \d+, P3: \d+, P4: \d+/);
    expect(String(digests[0]?.text)).toContain("The targets are the seed's averages");
  });

  it('reminds a requester once after the waiting time, asks for CSAT once, and auto-closes after 7 days', async () => {
    h.clock.set(at('2026-03-09T09:00:00Z'));
    const n = await raise('Can you add permissions for our new user Tom');
    await requestInfo(h.app, { number: n, actor: lee }, 'Which team is Tom in?');
    h.clock.set(at('2026-03-10T16:00:00Z')); // Mon 495 + Tue 435 = 930 business minutes: under the 960 of the policy
    await run('waiting-reminder');
    expect(await outbox({ ticket: n, type: 'requester.reminder' })).toHaveLength(0);
    h.clock.set(at('2026-03-11T09:00:00Z')); // Mon 09:00 → Wed 09:00 = 495 + 510 + 15 = 1020: due
    await run('waiting-reminder');
    await run('waiting-reminder');
    expect(await outbox({ ticket: n, type: 'requester.reminder' })).toHaveLength(1);

    await addMessage(h.app, { number: n, actor: rita }, 'Tom is in Accounts Payable');
    await resolve(h.app, { number: n, actor: lee }, 'Added');
    await confirmFixed(h.app, { number: n, actor: rita });
    h.clock.set(at('2026-03-11T10:30:00Z'));
    await run('csat-prompt');
    await run('csat-prompt');
    // "Yes, fixed" asked for the rating: the job and the close do not ask again.
    expect(await outbox({ ticket: n, type: 'requester.csat' })).toHaveLength(1);

    h.clock.set(at('2026-03-18T09:00:00Z')); // 7 days less a minute or so: still pending
    await run('auto-close');
    expect((await h.app.tickets.get(n))?.status).toBe('pending_closure');
    h.clock.set(at('2026-03-18T09:05:00Z'));
    const closed = await run('auto-close');
    expect(closed.processed).toBe(1);
    const t = await h.app.tickets.get(n);
    expect(t?.status).toBe('closed');
    const told = await outbox({ ticket: n, type: 'requester.update', text: { $regex: 'is now closed' } });
    expect(told).toHaveLength(1);
    expect(await outbox({ ticket: n, type: 'requester.csat' })).toHaveLength(1);
  });

  it('asks for CSAT once when an agent moved the ticket to Pending Closure, however often the job runs', async () => {
    h.clock.set(at('2026-03-23T09:00:00Z'));
    const n = await raise('The purchase ledger export has the wrong date format');
    await resolve(h.app, { number: n, actor: lee }, 'Changed the format');
    await changeStatus(h.app, { number: n, actor: lee }, 'pending_closure');
    h.clock.set(at('2026-03-23T09:30:00Z')); // under csatPromptAfter
    await run('csat-prompt');
    expect(await outbox({ ticket: n, type: 'requester.csat' })).toHaveLength(0);
    h.clock.set(at('2026-03-23T10:30:00Z'));
    await Promise.all([run('csat-prompt'), run('csat-prompt')]);
    await run('csat-prompt');
    expect(await outbox({ ticket: n, type: 'requester.csat' })).toHaveLength(1);
    h.clock.set(at('2026-03-30T10:30:00Z'));
    await run('auto-close');
    expect((await h.app.tickets.get(n))?.status).toBe('closed');
    expect(await outbox({ ticket: n, type: 'requester.csat' })).toHaveLength(1);
  });

  it('housekeeping forgets processed events older than 7 days and drafts older than 30', async () => {
    h.clock.set(at('2026-03-20T09:00:00Z'));
    await h.app.operations.begin('old-event', at('2026-03-01T09:00:00Z'));
    await h.app.operations.begin('new-event', at('2026-03-19T09:00:00Z'));
    await h.app.drafts.save({
      userKey: 'slack:U1:old',
      platform: 'slack',
      data: {},
      updatedAt: at('2026-02-01T09:00:00Z'),
    });
    await h.app.drafts.save({
      userKey: 'slack:U1:new',
      platform: 'slack',
      data: {},
      updatedAt: at('2026-03-19T09:00:00Z'),
    });
    await run('housekeeping');
    expect(await h.app.drafts.get('slack:U1:old')).toBeNull();
    expect(await h.app.drafts.get('slack:U1:new')).not.toBeNull();
    const left = await conn
      .collection('processed_events')
      .find({ _id: { $in: ['old-event', 'new-event'] } as never })
      .toArray();
    expect(left.map((d) => d._id)).toEqual(['new-event']);
  });

  it('notices a crash left parked on their ticket reach the outbox at the next minute, not the nightly job', async () => {
    h.clock.set(at('2026-03-20T09:00:00Z'));
    const number = await raise('The stock report will not open for the warehouse team');
    // As a process that died between saving the ticket and moving its notices would leave it.
    const notice = noticeToOutboxDoc(
      {
        key: `${number}:parked-test`,
        type: 'requester.update',
        ticket: number,
        audience: { kind: 'channel', channel: 'managers' },
        text: 'parked by a process that died',
      },
      at('2026-03-20T09:00:00Z'),
    );
    const tickets = conn.collection<{ _id: string }>('tickets');
    await tickets.updateOne(
      { _id: number },
      { $set: { hasPending: true, pendingEvents: [], pendingNotices: [notice] } },
    );
    const recovery = h.scheduler.jobs.find((j) => j.name === 'parked-recovery');
    expect(recovery?.schedule).toBe('* * * * *');
    const ran = await run('parked-recovery');
    expect(ran.processed).toBe(1);
    // In the outbox, and (the run drains it after the job) delivered.
    expect((await outbox({ _id: notice._id })).map((o) => o.status)).toEqual(['delivered']);
    expect(await tickets.findOne({ _id: number })).toMatchObject({ hasPending: false, pendingNotices: [] });
    expect((await run('parked-recovery')).processed).toBe(0); // nothing parked: one look at the index
  });

  it('a worker that dies holding a lease loses nothing: the lease expires and another delivers it', async () => {
    const now = at('2026-03-20T10:00:00Z');
    await h.app.outbox.enqueue(
      [
        {
          key: 'lease-test',
          type: 'requester.update',
          ticket: null,
          audience: { kind: 'channel', channel: 'managers' },
          text: 'x',
        },
      ],
      now,
    );
    const first = await h.app.outbox.claim(now, 'worker-a', 60_000);
    expect(first?.key).toBe('lease-test');
    expect(await h.app.outbox.claim(new Date(now.getTime() + 30_000), 'worker-b', 60_000)).toBeNull();
    const second = await h.app.outbox.claim(new Date(now.getTime() + 61_000), 'worker-b', 60_000);
    expect(second).toMatchObject({ key: 'lease-test', attempts: 2 });
    await h.app.outbox.delivered('lease-test', 'worker-a', now); // the dead worker's late mark is ignored
    expect((await outbox({ _id: 'lease-test' }))[0]?.status).toBe('delivering');
    await h.app.outbox.delivered('lease-test', 'worker-b', now);
    expect((await outbox({ _id: 'lease-test' }))[0]?.status).toBe('delivered');
  });
});
