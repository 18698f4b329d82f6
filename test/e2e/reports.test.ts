import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startTestHelpline, type TestHelpline } from '../helpers/harness';
import { SEEDED_NOW, seedReportData } from '../integration/reports/dataset';
import { type Browser, launchChromium } from './browser';

/**
 * The reports dashboard in a real browser (Debian's Chromium driven by playwright-core), as a manager would use
 * it: ask the bot for the link in the playground, open it, read the weeks' SLA and CSAT of a data set made with
 * the movable clock (figures computed by hand in integration/reports/dataset.ts), download a CSV, then try the
 * link again, changed, and after expiry. The link opens a page whose button starts the session (a scanner's GET
 * spends nothing). Screenshots go to test-artifacts/reports/ (one to docs/reports.png with
 * UPDATE_DOCS_SCREENSHOT=1).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'reports');
const LINK = /https?:\/\/\S+\/reports\/open\?token=[A-Za-z0-9._%-]+/;

jest.setTimeout(120_000);

describe('Reports in the browser', () => {
  let helpline: TestHelpline;
  let page: Page;
  let browser: Browser;
  let problems: string[] = [];
  /** Refusal pages (401) and the too-long range (400) answer so on purpose; Chromium logs that as a console error. */
  const expectedRefusal = (url: string) => url.includes('/reports/open') || url.includes('from=2025-01-06');

  const shot = async (name: string) => {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };

  async function askForLink(): Promise<string> {
    await page.goto(`${helpline.base}/`);
    await page.locator('#identity').selectOption('mike.fox');
    await page.locator('.nav-item[data-key="mike.fox"]').click();
    const input = page.getByLabel('Message Helpline');
    const before = await page.locator('#messages .message', { hasText: 'reports link' }).count();
    await input.fill('report');
    await input.press('Enter');
    const reply = page.locator('#messages .message', { hasText: 'reports link' }).nth(before);
    await reply.waitFor();
    const url = LINK.exec((await reply.textContent()) ?? '')?.[0];
    if (!url) throw new Error('no link in the reply');
    return url;
  }

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    helpline = await startTestHelpline({ now: SEEDED_NOW, prefix: 'e2ereports' });
    await seedReportData(helpline);
    browser = await launchChromium({ acceptDownloads: true, expectedFrom: expectedRefusal });
    page = browser.page;
    problems = browser.problems;
  });

  afterAll(async () => {
    await browser?.close();
    await helpline?.stop();
  });

  it('a manager opens the link, reads the weeks, sees the charts and downloads the CSV', async () => {
    const link = await askForLink();
    // A link scanner (Safe Links, a chat preview) fetches the link first: that spends nothing.
    const scanned = await fetch(link.replace(/^https?:\/\/[^/]+/, helpline.base));
    expect(scanned.status).toBe(200);
    await page.goto(link);
    await expectText(page.locator('h1'), /Open the reports/);
    await expectText(page.locator('main'), /This link is for Mike Fox/);
    await shot('00-open-link');
    await page.getByRole('button', { name: 'Open the reports' }).click();
    await page.waitForURL(/\/reports$/);
    expect(new URL(page.url()).pathname).toBe('/reports');
    await page.locator('body[data-ready="true"]').waitFor();

    // Choose the two seeded weeks with the keyboard: the form submits on Enter.
    await page.locator('#from').fill('2026-03-02');
    await page.locator('#to').fill('2026-03-09');
    await page.locator('#to').press('Enter');
    await page.waitForURL(/from=2026-03-02&to=2026-03-09/);
    await page.locator('body[data-ready="true"]').waitFor();
    await expectText(page.locator('#meta'), /For Mike Fox\. Weeks of 2026-03-02 to 2026-03-09/);

    // The hand-computed figures (dataset.ts): week 1 T1 + T2, week 2 T3.
    expect(await rows(page, 'sla-weekly')).toEqual([
      ['2026-03-02', '2', '1', '1', '40', '2', '0', '315', '0', '0'],
      ['2026-03-09', '1', '1', '0', '10', '1', '0', '40', '0', '0'],
    ]);
    expect(await rows(page, 'csat-weekly')).toEqual([
      ['2026-03-02', '2', '0', '1', '0', '0', '1', '3.5'],
      ['2026-03-09', '1', '1', '0', '0', '0', '0', '1'],
    ]);
    const atRisk = await rows(page, 'at-risk');
    expect(atRisk.map((r) => [r[5], r[6], r[7]])).toEqual([
      ['Breached', 'First response', '60'],
      ['At risk', 'First response', '25'],
    ]);
    expect((await rows(page, 'csat-low')).map((r) => [r[1], r[2]])).toEqual([
      ['1', 'Still broken for us'],
      ['2', 'Too slow to answer'],
    ]);

    // The charts are drawn with the same data.
    const charted = await page.evaluate(() => {
      const get = (id: string) =>
        (
          window as unknown as { Chart: { getChart(id: string): { data: { datasets: Array<{ data: unknown[] }> } } } }
        ).Chart.getChart(id)?.data.datasets.map((d) => d.data);
      return { sla: get('chart-sla'), csat: get('chart-csat') };
    });
    expect(charted.sla).toEqual([
      [1, 1],
      [1, 0],
      [2, 1],
      [0, 0],
    ]);
    expect(charted.csat).toEqual([[3.5, 1]]);
    const painted = await page.locator('#chart-sla').evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) if ((px[i + 3] ?? 0) > 0) coloured++;
      return coloured;
    });
    expect(painted).toBeGreaterThan(1000);
    const docShot = await shot('01-dashboard');

    // The CSV download matches the table, cell for cell.
    const downloadLink = page.locator('a[data-csv="csat-weekly"]');
    await downloadLink.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('helpline-csat-weekly.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe(
      'Week of,Responses,Score 1,Score 2,Score 3,Score 4,Score 5,Average\r\n2026-03-02,2,0,1,0,0,1,3.5\r\n2026-03-09,1,1,0,0,0,0,1\r\n',
    );

    // A ticket in the at-risk table links to its page.
    await page.locator('#table-at-risk table a').first().click();
    await expectText(page.locator('h1'), /SR-\d+: Supplier portal slow/);
    await shot('02-ticket');

    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') fs.copyFileSync(docShot, path.join(ROOT, 'docs', 'reports.png'));

    // A range past 26 weeks: the page says what to change.
    await page.goto(new URL('/reports?from=2025-01-06&to=2026-03-09', link).href); // where the cookie was set
    await expectText(page.locator('#meta'), /at most 26 weeks/);
    expect(await page.locator('body').getAttribute('data-ready')).toBe('error');

    // The same link again, a changed one, and one past its 15 minutes: each a clear page, no figures.
    await page.goto(link);
    await expectText(page.locator('h1'), /already used/);
    expect(await page.locator('form[action="/reports/open"]').count()).toBe(0);
    await expectText(page.locator('.notice'), /Ask the bot again/);
    await page.goto(`${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    await expectText(page.locator('h1'), /not valid/);
    await shot('03-changed-link');
    const late = await askForLink();
    helpline.clock.advanceMinutes(16);
    await page.goto(late);
    await expectText(page.locator('h1'), /expired/);
    await shot('04-expired-link');
    helpline.clock.set(SEEDED_NOW);

    expect(problems).toEqual([]);
  });
});

async function rows(page: Page, table: string): Promise<string[][]> {
  return page
    .locator(`table[data-table="${table}"] tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
}

async function expectText(locator: Locator, re: RegExp): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  for (;;) {
    last =
      (await locator
        .first()
        .textContent({ timeout: 15_000 })
        .catch(() => '')) ?? '';
    if (re.test(last)) return;
    if (Date.now() > deadline) throw new Error(`expected ${re} in "${last.slice(0, 300)}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
