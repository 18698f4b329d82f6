import { buildReport } from '../../../src/app/reports/figures';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { SEEDED_NOW, seedReportData } from './dataset';

describe('report figures from database aggregations (hand-computed on the seeded data set)', () => {
  let h: TestHelpline;
  let n: Awaited<ReturnType<typeof seedReportData>>;
  beforeAll(async () => {
    h = await startTestHelpline({ now: SEEDED_NOW, prefix: 'reports' });
    n = await seedReportData(h);
  });
  afterAll(() => h.stop());

  it('SLA per week: tickets resolved that week, met / breached and average business minutes', async () => {
    const r = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    expect(r.weeks.map((w) => w.id)).toEqual(['2026-03-02', '2026-03-09']);
    const [w1, w2] = r.weeks;
    // T1 (20 min, 120 min) and T2 (60 min: breached, 435 + 75 = 510 min)
    expect(w1?.sla).toMatchObject({
      resolved: 2,
      responded: 2,
      responseMet: 1,
      responseBreached: 1,
      responseAvg: 40,
      resolutionMet: 2,
      resolutionBreached: 0,
      resolutionAvg: 315,
    });
    // T3 (10 min, 40 min)
    expect(w2?.sla).toMatchObject({ resolved: 1, responseMet: 1, responseAvg: 10, resolutionAvg: 40 });
    expect(r.total).toMatchObject({ resolved: 3, responseMet: 2, responseBreached: 1, responseAvg: 30 });
  });

  it('rolls the same groups up by severity, priority, team, client and request type', async () => {
    const r = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    const by = (k: keyof typeof r.by) => Object.fromEntries(r.by[k].map((x) => [x.key, x.sla]));
    // "Acme" is recognised as the default policy's example client: the ticket keeps the directory's name.
    expect(by('client')['ACME Manufacturing']).toMatchObject({ resolved: 2, responseAvg: 15, resolutionAvg: 80 });
    expect(by('client').Bravo).toMatchObject({ resolved: 1, responseAvg: 60, responseBreached: 1, resolutionAvg: 510 });
    expect(Object.keys(by('severity'))).toEqual(['2', '3', '4']);
    // nobody changed a priority in the data set: each ticket's is its severity's number
    expect(Object.keys(by('priority'))).toEqual(['2 (High impact)', '3 (Medium impact)', '4 (Low impact)']);
    expect(by('priority')['2 (High impact)']).toEqual(by('severity')['2']);
    expect(by('team')['Level 2 Support']).toMatchObject({ resolved: 1, responseBreached: 1 });
    expect(by('team')['Administrative Staff']).toMatchObject({ resolved: 1, resolutionAvg: 40 });
    expect(by('requestType')['Resolving issues']).toMatchObject({ resolved: 3 });
  });

  it("today's picture: open by status and age, at risk and breached now", async () => {
    const r = await buildReport(h.app);
    // Pending Closure is still open (closed after 7 days). Ages in business hours at Mon 9 Mar 14:00:
    // T1 47.75 h and T2 46.75 h (24-80), T3 5 h, T4 1 h and T5 25 min (under 8).
    expect(r.today.openTotal).toBe(5);
    expect(r.today.open.map((o) => [o.status, o.count, o.byAge])).toEqual([
      ['new', 2, [2, 0, 0, 0]],
      ['pending_closure', 3, [1, 0, 2, 0]],
    ]);
    expect(r.today.atRisk.map((a) => [a.ticket.number, a.condition, a.clock, a.usedMinutes])).toEqual([
      [n.t4, 'breached', 'response', 60],
      [n.t5, 'at_risk', 'response', 25],
    ]);
    expect(r.today.ladder).toEqual([{ escalationLevel: 0, notifiedLevel: 0, count: 5 }]);
  });

  it('CSAT: distribution and average per week, by team and client, low scores with comments', async () => {
    const r = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    expect(r.weeks[0]?.csat).toEqual({ responses: 2, distribution: [0, 1, 0, 0, 1], average: 3.5 });
    expect(r.weeks[1]?.csat).toEqual({ responses: 1, distribution: [1, 0, 0, 0, 0], average: 1 });
    expect(r.csat.total.average).toBe(2.67);
    expect(Object.fromEntries(r.csat.byClient.map((x) => [x.key, x.csat.average]))).toEqual({
      'ACME Manufacturing': 3,
      Bravo: 2,
    });
    expect(r.csat.low.map((t) => [t.number, t.csat?.score, t.csat?.comment])).toEqual([
      [n.t3, 1, 'Still broken for us'],
      [n.t2, 2, 'Too slow to answer'],
    ]);
  });

  it('a range with nothing in it has no averages (not zero)', async () => {
    const r = await buildReport(h.app, { from: '2026-01-05', to: '2026-01-05' });
    expect(r.total).toMatchObject({ resolved: 0, responseAvg: null, resolutionAvg: null });
    expect(r.csat.total).toEqual({ responses: 0, distribution: [0, 0, 0, 0, 0], average: null });
  });
});
