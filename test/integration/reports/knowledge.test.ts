import { articleSolved } from '../../../src/app/knowledge';
import { raiseTicket } from '../../../src/app/raise-ticket';
import { buildReport } from '../../../src/app/reports/figures';
import { reportTables } from '../../../src/app/reports/tables';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';

const rita = { platform: 'slack' as const, userId: 'U0REQUESTER', name: 'Rita Reyes' };
const names = { status: (s: string) => s, team: (t: string) => t, ladder: (l: number) => String(l) };

describe('reports: knowledge answers per article', () => {
  let h: TestHelpline;
  beforeAll(async () => {
    h = await startTestHelpline({ now: new Date('2026-03-03T10:00:00Z'), prefix: 'reportsknowledge' });
  });
  afterAll(() => h?.stop());

  it('counts deflections per article (each request once) and the articles followed by a ticket anyway', async () => {
    for (const key of ['slack:deflect:U1:1.1', 'slack:deflect:U2:2.2', 'slack:deflect:U2:2.2'])
      await articleSolved(h.app, { key, article: 'workflow-password', who: rita });
    await articleSolved(h.app, { key: 'teams:deflect:29:1:card', article: 'soc2-report', who: rita });
    await raiseTicket(h.app, {
      requester: rita,
      text: 'my workflow password reset link never arrives',
      knowledgeArticle: 'workflow-password',
      opKey: 'report-test:raise:1',
    });
    // A raise retried with the same key is one ticket and one note.
    await raiseTicket(h.app, {
      requester: rita,
      text: 'my workflow password reset link never arrives',
      knowledgeArticle: 'workflow-password',
      opKey: 'report-test:raise:1',
    });
    const report = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    const row = (id: string) => report.knowledge.find((k) => k.article === id);
    expect(row('workflow-password')).toEqual({
      article: 'workflow-password',
      title: 'Reset your workflow password',
      deflected: 2,
      followedByTicket: 1,
    });
    expect(row('soc2-report')).toMatchObject({ deflected: 1, followedByTicket: 0 });
    expect(row('product-usage')).toMatchObject({ deflected: 0, followedByTicket: 0 });
    const table = reportTables(report, names).find((t) => t.id === 'knowledge');
    expect(table?.rows).toContainEqual(['Reset your workflow password', 2, 1, 66.7]);
    expect(table?.rows).toContainEqual(['Help with using Nimbello', 0, 0, null]);

    // Outside the range: nothing.
    const before = await buildReport(h.app, { from: '2026-02-02', to: '2026-02-09' });
    expect(before.knowledge.every((k) => k.deflected === 0 && k.followedByTicket === 0)).toBe(true);
  });
});
