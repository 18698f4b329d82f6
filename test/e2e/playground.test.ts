import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startTestHelpline, type TestHelpline } from '../helpers/harness';
import { demoPolicy, MONDAY_0900_LONDON } from '../integration/playground/kit';
import { type Browser, launchChromium } from './browser';

/**
 * The playground in a real browser (Debian's Chromium driven by playwright-core), as a new user would
 * use it: raise a ticket in plain words, triage and escalate it by clicking the card, move the clock,
 * see the breach alert. Screenshots go to test-artifacts/ (one is copied to docs/playground.png).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'playground');

jest.setTimeout(120_000);

describe('Playground in the browser', () => {
  let helpline: TestHelpline;
  let page: Page;
  let browser: Browser;
  let problems: string[] = [];

  const shot = async (name: string) => {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
  const open = async (key: string) => {
    await page.locator(`.nav-item[data-key="${key}"]`).click();
    await page.locator(`.nav-item[data-key="${key}"][aria-current="page"]`).waitFor();
  };
  const messageWith = (text: string | RegExp): Locator => page.locator('#messages .message', { hasText: text }).last();

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    helpline = await startTestHelpline({ policy: demoPolicy(), now: MONDAY_0900_LONDON, prefix: 'e2e' });
    browser = await launchChromium();
    page = browser.page;
    problems = browser.problems;
  });

  afterAll(async () => {
    await browser?.close();
    await helpline?.stop();
  });

  it('raise as Rita, triage and escalate as Lee, move the clock, see the breach', async () => {
    await page.goto(`${helpline.base}/`);
    await expectVisible(page.getByRole('heading', { name: /Rita Reyes ↔ Helpline/ }));
    await expectText(page.locator('#identity-role'), /Requester/);
    await expectText(page.locator('#clock-now'), /Mon 2 Mar.*09:0\d/);

    // Rita raises a ticket in plain words: Enter sends, the bot answers with a pre-filled form.
    const input = page.getByLabel('Message Helpline');
    await input.fill('Invoices are not sending to customers since this morning, the export is broken');
    await input.press('Enter');
    await expectVisible(messageWith('Invoices are not sending'));
    const raise = page.getByRole('button', { name: 'Raise ticket' });
    await raise.waitFor();
    await shot('01-rita-intake-form');
    await raise.click();
    const confirmation = messageWith(/SR-\d+/);
    await confirmation.waitFor();
    const number = /SR-\d+/.exec((await confirmation.textContent()) ?? '')![0];
    await shot('02-rita-ticket-raised');

    // Lee (Level 1) opens the triage channel: the card is there; Assign to me, then Escalate.
    await page.locator('#identity').selectOption('lee.level1');
    await expectText(page.locator('#identity-role'), /Level 1 Support/);
    await open('triage');
    const card = messageWith(number);
    await card.getByRole('button', { name: 'Assign to me' }).click();
    await expectText(card, /Lee Lewis/);
    await shot('03-lee-triage-assigned');
    await card.getByRole('button', { name: 'Escalate to Team Ticketing' }).click();
    await expectText(page.locator('.nav-item[data-key="teamTicketing"] .badge'), /1/);

    // The full ticket arrives in Team Ticketing.
    await open('teamTicketing');
    const tt = messageWith(number);
    await expectVisible(tt.getByRole('button', { name: /Take it/ }));
    await shot('04-team-ticketing');

    // An hour passes: the at-risk warning reaches Lee, the breach alert the managers channel.
    await page.getByRole('button', { name: 'Advance 1 hour' }).click();
    await expectText(page.locator('#clock-now'), /10:0\d/);
    await expectEnabled(page.getByRole('button', { name: 'Run scheduler now' }));
    await page.getByRole('button', { name: 'Run scheduler now' }).click();
    await expectEnabled(page.getByRole('button', { name: 'Run scheduler now' }));
    await expectVisible(page.locator('.nav-item[data-key="managers"] .badge'));
    await open('managers');
    const alert = messageWith('SLA BREACH');
    await expectText(alert, new RegExp(`${number}.*Mike Fox|Mike Fox.*${number}`, 's'));
    await expectVisible(alert.getByRole('button', { name: 'Acknowledge' }));
    const docShot = await shot('05-managers-breach');

    await open('lee.level1');
    await expectText(messageWith('is at risk'), new RegExp(number));
    await shot('06-lee-at-risk-warning');

    // Keyboard: the identity switcher and the composer are reachable and labelled.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBeTruthy();

    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') fs.copyFileSync(docShot, path.join(ROOT, 'docs', 'playground.png'));
    expect(problems).toEqual([]);
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 15_000 });
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

async function expectEnabled(locator: Locator): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await locator.isEnabled())) {
    if (Date.now() > deadline) throw new Error('button stayed disabled');
    await new Promise((r) => setTimeout(r, 100));
  }
}
