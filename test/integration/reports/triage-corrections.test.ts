import { raiseTicket } from '../../../src/app/raise-ticket';
import { buildReport } from '../../../src/app/reports/figures';
import { reportTables } from '../../../src/app/reports/tables';
import { setSeverity } from '../../../src/app/ticket-actions';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const lee = { platform: 'slack' as const, userId: 'U0LEVEL1', name: 'Lee Lewis' };

describe("reports: how often agents correct triage's suggestion", () => {
  let h: TestHelpline;
  beforeAll(async () => {
    h = await startTestHelpline({ now: new Date('2026-03-03T10:00:00Z'), prefix: 'reportstriage' });
  });
  afterAll(() => h?.stop());

  it('counts the tickets raised in the range and the severity corrections made on them', async () => {
    const numbers: string[] = [];
    for (const text of [
      'The supplier import failed this morning',
      'Typo on the invoice header',
      'Cannot find the report',
    ]) {
      const r = await raiseTicket(h.app, { requester: rita, text });
      numbers.push(r.ticket?.number as string);
    }
    // Lee disagrees with triage's severity on two of the three (choosing a value it did not suggest).
    for (const number of numbers.slice(0, 2)) {
      const t = await h.app.tickets.get(number);
      const other = t?.severity === 1 ? 2 : 1;
      await setSeverity(h.app, { number, actor: lee }, other);
    }
    const report = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    expect(report.triage).toEqual({ raised: 3, severity: 2, category: 0 });
    const names = { status: (s: string) => s, team: (t: string) => t, ladder: (l: number) => String(l) };
    const table = reportTables(report, names).find((t) => t.id === 'triage-corrections');
    expect(table?.rows).toEqual([[3, 2, 0, 66.7]]);
  });
});
