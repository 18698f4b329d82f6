/**
 * The reports row of `npm run bench`: one whole dashboard (buildReport: per-week SLA and CSAT aggregations for
 * four weeks, open by status and age, the ladder, the at-risk candidates, acknowledgements, low scores) timed
 * against its ceiling, the raw driver running the heaviest single pipeline alone ($match open, $group by status).
 */
import mongoose from 'mongoose';
import { buildReport } from '../src/app/reports/figures';
import type { loadPolicy } from '../src/config/policy';
import { createBusinessCalendar } from '../src/domain/sla/business-calendar';
import { registerModels } from '../src/store/models';
import { MongoReportStore } from '../src/store/reports.repository';

export async function reportsBench(
  uri: string,
  policy: ReturnType<typeof loadPolicy>,
  now: Date,
): Promise<{ reportMs: number; rawMs: number; open: number; pipelines: number }> {
  const conn = await mongoose.createConnection(uri, { maxPoolSize: 4 }).asPromise();
  try {
    const reports = new MongoReportStore(registerModels(conn));
    let t = performance.now();
    const raw = await conn
      .collection('tickets')
      .aggregate([{ $match: { open: true } }, { $group: { _id: '$status', count: { $sum: 1 } } }])
      .toArray();
    const rawMs = performance.now() - t;
    t = performance.now();
    const report = await buildReport({
      policy,
      clock: { now: () => now },
      calendar: createBusinessCalendar(policy.calendar),
      reports,
    });
    const reportMs = performance.now() - t;
    const open = raw.reduce((a, r) => a + Number(r.count), 0);
    if (report.today.openTotal !== open) throw new Error(`report open ${report.today.openTotal} ≠ raw ${open}`);
    // per week one SLA and one CSAT aggregation, then open by status, ladder, at risk, acknowledgements, low scores
    return { reportMs, rawMs, open, pipelines: report.weeks.length * 2 + 5 };
  } finally {
    await conn.close();
  }
}
