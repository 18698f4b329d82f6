import { raiseTicket } from '../../../src/app/raise-ticket';
import { buildReport } from '../../../src/app/reports/figures';
import { reportTables } from '../../../src/app/reports/tables';
import {
  decideRoadmap,
  escalateToDevelopment,
  recordQuoteOutcome,
  recordQuoteSent,
  switchRoute,
} from '../../../src/app/ticket-actions';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };
const sam = { platform: 'slack' as const, userId: 'U0LEVEL2', name: 'Sam Singh' };
const dana = { platform: 'slack' as const, userId: 'U0DEV1', name: 'Dana Drew' };
const names = { status: (s: string) => s, team: (t: string) => t, ladder: (l: number) => String(l) };

describe('reports: roadmap decisions, route switches, quotes by currency and missed development targets', () => {
  let h: TestHelpline;
  beforeAll(async () => {
    // Monday 2 March 2026, 10:00 London.
    h = await startTestHelpline({ now: new Date('2026-03-02T10:00:00Z'), prefix: 'reportsdev' });
  });
  afterAll(() => h?.stop());

  const raise = async (text: string) => {
    const r = await raiseTicket(h.app, { requester: rita, text });
    if (!r.ticket) throw new Error(`expected a ticket, got ${r.kind}`);
    return r.ticket.number;
  };
  const ok = async (p: Promise<{ ticket?: unknown; error?: unknown }>) => {
    const r = await p;
    expect(r).toMatchObject({ ticket: expect.anything() });
  };

  it('sums what Development decided in the range, from the database', async () => {
    // Change requests: two declined for the same reason, one accepted for the roadmap.
    for (const [i, decision, reason] of [
      [1, 'declined', 'Not on the roadmap this year'],
      [2, 'declined', 'Not on the roadmap this year'],
      [3, 'accepted', 'Fits the reporting theme'],
    ] as const) {
      const n = await raise(
        `The invoice screen should show a running total, request ${i}, we use a spreadsheet meanwhile`,
      );
      await ok(escalateToDevelopment(h.app, { number: n, actor: sam }, 'change_request'));
      await ok(decideRoadmap(h.app, { number: n, actor: dana }, { decision, target: null, reason }));
    }
    // A performance investigation that needs a code change after all.
    const perf = await raise('Month-end report takes an hour to load, we run it overnight as a workaround');
    await ok(escalateToDevelopment(h.app, { number: perf, actor: sam }, 'performance_infrastructure'));
    await ok(
      switchRoute(h.app, { number: perf, actor: sam }, { to: 'code_change', reason: 'The query needs rewriting' }),
    );
    // A code change nobody takes up.
    const idle = await raise('The export of invoices fails every night, we re-run it by hand as a workaround');
    await ok(escalateToDevelopment(h.app, { number: idle, actor: sam }, 'code_change'));
    // Quotes: two in GBP (one accepted, one declined), one in EUR awaiting its answer.
    for (const [amount, currency, decision] of [
      [1200, 'GBP', 'accepted'],
      [300.5, 'GBP', 'declined'],
      [450, 'EUR', null],
    ] as const) {
      const q = await raiseTicket(h.app, {
        requester: rita,
        text: 'Could you write a custom query for our month-end figures?',
      });
      const n = q.ticket!.number;
      await ok(recordQuoteSent(h.app, { number: n, actor: lee }, { amount, currency, sentTo: 'finance@acme.example' }));
      if (decision)
        await ok(recordQuoteOutcome(h.app, { number: n, actor: lee }, { decision, reason: 'Their answer' }));
    }

    // Tuesday 12:00: the idle code change missed its acceptance target (8 business hours: Tuesday 09:30); the
    // switched one was taken up by the switch; neither allocation target (16 business hours) is due yet.
    h.clock.set(new Date('2026-03-03T12:00:00Z'));
    await h.scheduler.runNow(['sla-sweep']);

    const r = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-02' });
    expect(r.development.roadmap).toEqual([
      { decision: 'declined', reason: 'Not on the roadmap this year', count: 2 },
      { decision: 'accepted', reason: 'the roadmap (a future release): Fits the reporting theme', count: 1 },
    ]);
    expect(r.development.routeSwitches).toEqual([
      { from: 'Performance & infrastructure', to: 'Code change / bug fix', count: 1 },
    ]);
    expect(r.development.quotes).toEqual([
      { currency: 'EUR', sent: 1, accepted: 0, declined: 0, sentAmount: 450, acceptedAmount: 0, declinedAmount: 0 },
      {
        currency: 'GBP',
        sent: 2,
        accepted: 1,
        declined: 1,
        sentAmount: 1500.5,
        acceptedAmount: 1200,
        declinedAmount: 300.5,
      },
    ]);
    expect(r.development.missedTargets).toEqual([{ route: 'Code change / bug fix', target: 'accept', count: 1 }]);

    const tables = Object.fromEntries(reportTables(r, names).map((t) => [t.id, t]));
    expect(tables['roadmap-decisions']?.title).toContain('1 accepted, 2 declined');
    expect(tables.quotes?.rows).toEqual([
      ['EUR', 1, 0, 0, 1, 450, 0, 0],
      ['GBP', 2, 1, 1, 0, 1500.5, 1200, 300.5],
    ]);
    expect(tables['development-targets-missed']?.rows).toEqual([['Code change / bug fix', 'Taken up', 1]]);
  });
});
