import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (playwright cannot download a browser here), with the flags this machine needs. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  /** Console errors and warnings, page errors and failed requests seen so far (a test expects none). */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile, a 1440×900 British-English page, downloads allowed when asked, and its
 * problems recorded. The playground's event stream is cut when the page closes: that is not a problem; nor is a
 * console message from a page `expectedFrom` says answers with an error on purpose.
 */
export async function launchChromium(
  opts: { acceptDownloads?: boolean; expectedFrom?: (url: string) => boolean } = {},
): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (msg) => {
    if ((msg.type() === 'error' || msg.type() === 'warning') && !opts.expectedFrom?.(msg.location().url))
      problems.push(`console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!req.url().endsWith('/playground/events')) problems.push(`request failed: ${req.url()}`);
  });
  return {
    context,
    page,
    userDataDir,
    problems,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
