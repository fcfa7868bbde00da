import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core:
 * `npx playwright install` cannot download browsers here, and nothing may
 * reach the network at run time.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium headless, sandbox-free in a container, and off the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A running Chromium; each `newContext` is a separate browser profile (its own cookies), like a second handler's PC. */
export interface TestBrowser {
  readonly browser: Browser;
  newContext(): Promise<BrowserContext>;
  /** Closes every context and the browser (call in afterAll). */
  close(): Promise<void>;
}

/**
 * Launches Chromium for end-to-end tests. Playwright's `launch` gives the
 * browser a fresh temporary user-data dir (and removes it on close), so no
 * profile state leaks between runs.
 */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (.ci/run does)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  return {
    browser,
    newContext: () => browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' }),
    async close() {
      for (const context of browser.contexts()) await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/**
 * Records what a page reports as wrong: script errors and console errors (a
 * CSP violation is one), so a test can assert the page ran
 * cleanly under its security policy.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused API call (409, 403) is logged by Chromium as a failed load; that is the page working, not a problem.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  return { problems };
}
