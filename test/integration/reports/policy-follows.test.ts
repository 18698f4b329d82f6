import { personalConversationId } from '../../../src/adapters/playground/directory';
import { digestBody } from '../../../src/app/reports/digest';
import { buildReport } from '../../../src/app/reports/figures';
import { loadPolicy } from '../../../src/config/policy';
import { startTestHelpline, type TestHelpline } from '../../helpers/harness';
import { PlaygroundClient } from '../playground/kit';
import { SEEDED_NOW, seedReportData } from './dataset';

const SECRET = 'reports-secret-for-tests-0123456789abcdef';
const MIKE = personalConversationId('mike.fox');
const LINK = /https?:\/\/\S+\/reports\/open\?token=[A-Za-z0-9._%-]+/;

/** The seeds' policy with a stricter low-CSAT line (1, not 2) and other SLA averages (45 min / 40 h). */
function policyOfAnotherDesk() {
  const p = loadPolicy();
  return {
    ...p,
    csat: { ...p.csat, lowScoreAtOrBelow: 1 },
    sla: { ...p.sla, targets: { response: 45, resolution: 2400 } },
  };
}

describe('the reports read the policy: the low-CSAT line and the SLA averages they are set against', () => {
  let h: TestHelpline;
  let n: Awaited<ReturnType<typeof seedReportData>>;
  let client: PlaygroundClient;
  beforeAll(async () => {
    h = await startTestHelpline({
      now: SEEDED_NOW,
      prefix: 'reportspolicy',
      policy: policyOfAnotherDesk(),
      env: { REPORTS_SECRET: SECRET },
    });
    n = await seedReportData(h);
    client = new PlaygroundClient(h);
    await client.listen();
  });
  afterAll(async () => {
    client?.close();
    await h?.stop();
  });

  it('low CSAT is what the policy says: a 2 is not low at "1 or below", in the figures and in the digest', async () => {
    const r = await buildReport(h.app, { from: '2026-03-02', to: '2026-03-09' });
    expect(r.csat.low.map((t) => [t.number, t.csat?.score])).toEqual([[n.t3, 1]]);
    const digest = await digestBody(
      { ...h.app, publicUrl: () => h.base },
      new Date('2026-03-02T00:00:00Z'),
      new Date('2026-03-10T00:00:00Z'),
    );
    expect(digest).toContain(`Low: ${n.t3} 1`);
    expect(digest).not.toContain(`${n.t2} 2 "`);
  });

  it("the dashboard's average lines are the policy's sla.targets", async () => {
    expect((await client.say('mike.fox', MIKE, 'report')).status).toBe(200);
    const reply = await client.waitFor(MIKE, /reports/, 'the report link');
    const url = new URL(LINK.exec(reply.text ?? '')?.[0] ?? 'http://missing');
    const opened = await fetch(`${h.base}/reports/open`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: url.searchParams.get('token') ?? '' }).toString(),
    });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const data = (await (
      await fetch(`${h.base}/reports/api/report?from=2026-03-02&to=2026-03-09`, { headers: { cookie } })
    ).json()) as { seedAverages: { response: number; resolution: number } };
    expect(data.seedAverages).toEqual({ response: 45, resolution: 2400 });
  });
});
