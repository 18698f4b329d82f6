import mongoose from 'mongoose';
import { resolve } from '../../../src/app/ticket-actions';
import { loadPolicy } from '../../../src/config/policy';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { lee, seedReportData } from './dataset';

const at = (iso: string) => new Date(iso);
/** The movable clock keeps running after it is set: the mark is the run's instant, to the second. */
const expectNear = (d: Date, iso: string) => expect(Math.abs(d.getTime() - at(iso).getTime())).toBeLessThan(5000);

/** The seeds' policy with Monday 16 March 2026 as a holiday. */
function policyWithHoliday() {
  const p = loadPolicy();
  return { ...p, calendar: { ...p.calendar, holidays: [...p.calendar.holidays, '2026-03-16'] } };
}

describe('the digest covers exactly the time since the previous one, and skips holidays', () => {
  let h: TestHelpline;
  let conn: mongoose.Connection;
  let n: Awaited<ReturnType<typeof seedReportData>>;
  beforeAll(async () => {
    h = await startTestHelpline({ prefix: 'digest', policy: policyWithHoliday() });
    conn = await mongoose.createConnection(`${process.env.MONGODB_URI}${h.dbName}`).asPromise();
    n = await seedReportData(h);
  });
  afterAll(async () => {
    await conn?.close();
    await h?.stop();
  });

  const run = async (when: string) => {
    h.clock.set(at(when));
    const res = await fetch(`${h.base}/test/scheduler/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobs: ['daily-digest'] }),
    });
    const body = (await res.json()) as { ran: Array<{ job: string; processed: number; failed: number }> };
    expect(body.ran[0]).toMatchObject({ job: 'daily-digest', failed: 0 });
    return body.ran[0]!;
  };
  const digests = async () =>
    (await conn.collection('outbox').find({ type: 'digest.daily' }).sort({ _id: 1 }).toArray()).map((d) => ({
      key: String(d._id),
      text: String(d.text),
    }));
  const weeklyKeys = async () =>
    (await conn.collection('outbox').find({ type: 'digest.weekly' }).sort({ _id: 1 }).toArray()).map((d) =>
      String(d._id),
    );
  const mark = async () => (await conn.collection('report_marks').findOne({ _id: 'digest' as never }))?.at as Date;

  it('the first digest covers the day before: SLA against targets, CSAT, top breaches, the link', async () => {
    // The first digest ever is also the first of its week: the weekly summary rides with it.
    expect((await run('2026-03-10T08:45:00Z')).processed).toBe(2);
    const [d] = await digests();
    expect(d?.key).toBe('digest:2026-03-10');
    const text = d?.text ?? '';
    expect(text).toContain('Daily support digest, Tue 10 Mar 2026');
    expect(text).toContain('Covering Mon 9 Mar 08:45 to Tue 10 Mar 08:45.');
    // T3 only: 10 min to respond, 40 to resolve.
    expect(text).toContain(
      'Resolved: 1. First response met 1, breached 0; average 10 business minutes (target 30 business minutes). Resolution met 1, breached 0; average 40 business minutes (target 50 business hours).',
    );
    expect(text).toContain(`CSAT: 1 response, average 1 of 5. Low: ${n.t3} 1 "Still broken for us".`);
    // T4: Mon 13:00 → 17:15 = 255 min used of 30 (225 over); T5: 13:35 → 17:15 = 220 (190 over).
    expect(text).toContain(
      `Top breaches: ${n.t4} Supplier portal slow (first response, 3 business hours 45 min over); ${n.t5} Logo misaligned on PDF (first response, 3 business hours 10 min over).`,
    );
    expect(text).toMatch(/Dashboard: http:\/\/localhost:\d+\/reports/);
    expectNear(await mark(), '2026-03-10T08:45:00Z');
  });

  it('runs once a day: a second run the same day sends nothing and keeps the mark', async () => {
    expect((await run('2026-03-10T09:30:00Z')).processed).toBe(0);
    expect(await digests()).toHaveLength(1);
    expectNear(await mark(), '2026-03-10T08:45:00Z');
  });

  it('a holiday sends nothing; the next digest covers it, Friday to Tuesday', async () => {
    expect((await run('2026-03-13T08:45:00Z')).processed).toBe(1); // Friday: Tue 08:45 → Fri 08:45
    h.clock.set(at('2026-03-13T15:00:00Z'));
    await resolve(h.app, { number: n.t4, actor: lee }, 'Portal cache cleared');
    expect((await run('2026-03-16T08:45:00Z')).processed).toBe(0); // Monday 16 March: the holiday
    expect((await digests()).map((d) => d.key)).toEqual(['digest:2026-03-10', 'digest:2026-03-13']);
    // Tuesday is the week's first open day (Monday the holiday): its digest carries the weekly summary.
    expect((await run('2026-03-17T08:45:00Z')).processed).toBe(2);
    expect(await weeklyKeys()).toEqual(['digest.weekly:2026-03-09', 'digest.weekly:2026-03-16']);
    const last = (await digests()).at(-1);
    expect(last?.key).toBe('digest:2026-03-17');
    expect(last?.text).toContain('Covering Fri 13 Mar 08:45 to Tue 17 Mar 08:45.');
    // T4, resolved on Friday afternoon: its first response (the resolution) came long after the 30 minutes.
    expect(last?.text).toContain('Resolved: 1. First response met 0, breached 1;');
    expect(last?.text).toContain('CSAT: no responses.');
    expectNear(await mark(), '2026-03-17T08:45:00Z');
  });
});
