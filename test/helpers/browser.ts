import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and traces of the browser tests (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

const available = fs.existsSync(CHROMIUM_PATH);
const inCi = process.env.CI === 'true';

/**
 * `describe` for suites that need a real browser. Without Chromium a developer machine skips them
 * with a message saying how to run them; in CI (CI=true) a missing Chromium fails the run.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (available) {
    describe(name, body);
    return;
  }
  if (inCi) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(
          `CI=true but no Chromium at ${CHROMIUM_PATH}: .ci/run installs it with apt-get install -y chromium`,
        );
      });
    });
    return;
  }

  console.warn(
    `Skipping "${name}": no Chromium at ${CHROMIUM_PATH} ` +
      '(apt-get install chromium, or set CHROMIUM_PATH). CI=true runs it.',
  );
  describe.skip(name, body);
}

/**
 * Headless Chromium as this machine can run it: the background-networking flags stop Chromium
 * calling Google's hosts (refused on a closed network); Playwright gives each launch a fresh profile.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** Every uncaught page error and console error of a page, for "no page errors" assertions. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/** Where a screenshot called `name` goes (test-artifacts/, made if missing). */
export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${name}.png`);
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = artifactPath(name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export type { Browser, BrowserContext, Page };
