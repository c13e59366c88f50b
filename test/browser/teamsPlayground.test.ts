import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { Browser, collectPageErrors, describeInBrowser, launchChromium, Page, screenshot } from '../helpers/browser';
import { realContent, ROOT } from '../helpers/content';
import { freePort } from '../helpers/ports';
import { testConfig } from '../helpers/testApp';

jest.setTimeout(180_000);

const PLAYGROUND_CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
/**
 * Committed and shown in the README; refreshed only on request (the Playground prints the time, so every run differs).
 */
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'teams-playground.png');
/** Generous: a real browser and a second server on a busy CI machine. Nothing here measures time. */
const WAIT = { timeout: 60_000 };
const QUESTION = 'how long does redness last after microneedling?';

/**
 * The Agents Playground CLI in its own process group (so it is ended with any children), in a
 * scratch directory for its log: no browser opened for it, no telemetry.
 */
async function startPlayground(botEndpoint: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [PLAYGROUND_CLI, '-e', botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', String(port)],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
        // Its Application Insights client is created even with telemetry off: no statsbeat either.
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      },
    },
  );
  let out = '';
  const listening = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Playground exited (${code}): ${out.slice(0, 500)}`)));
  });
  return { child, url: `http://127.0.0.1:${listening}/` };
}

async function stopPlayground(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const killer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/** The bot's message whose text contains `text` (the Playground shows a reply's text and its card apart). */
const message = (page: Page, text: string) => page.locator('p', { hasText: text });

describeInBrowser('Microsoft Teams, in the Microsoft 365 Agents Playground', () => {
  let dir = '';
  let bot: App | undefined;
  let playground: ChildProcess | undefined;
  let playgroundUrl = '';
  let browser: Browser;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-playground-'));
    const config = testConfig({
      DATA_DIR: dir,
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
    });
    bot = await createApp(config, { log: pino({ level: 'silent' }) });
    const { port } = await bot.listen();
    ({ child: playground, url: playgroundUrl } = await startPlayground(`http://127.0.0.1:${port}/api/messages`, dir));
    ({ browser, close: closeBrowser } = await launchChromium());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await stopPlayground(playground);
    await bot?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('welcomes on install, answers with its cited sources, and a card button asks its question', async () => {
    const { content, i18n } = await realContent();
    const redness = content.faqById.get('redness-duration');
    if (!redness) throw new Error('content has no redness-duration entry');
    const related = content.faqById.get(redness.related[0]);
    if (!related) throw new Error(`content has no ${redness.related[0]} entry`);
    /** The start of a text, as far as a word ends within 40 characters: enough to tell messages apart. */
    const opening = (text: string): string => text.slice(0, 41).replace(/\s+\S*$/, '');

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    // The Playground's page loads fonts and an animation from Microsoft's CDN: answered here, empty.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) =>
      route.fulfill({
        status: 200,
        body: '',
        contentType: route.request().url().endsWith('.js') ? 'text/javascript' : 'application/octet-stream',
      }),
    );
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(playgroundUrl);

    // Install: the welcome, with the topics as card buttons.
    const welcome = message(page, opening(i18n.t('en', 'welcome.text', { clinicName: content.clinic.name })));
    await welcome.first().waitFor(WAIT);
    await page
      .getByRole('button', { name: content.faqById.get('pain')?.en.title ?? 'Does it hurt?' })
      .first()
      .waitFor(WAIT);
    await screenshot(page, 'teams-playground-1-welcome');

    // A typed question: the curated answer, its source line with Teams citations.
    const box = page.locator('[data-lexical-editor="true"]');
    await box.click();
    await box.fill(QUESTION);
    await box.press('Enter');
    await message(page, opening(redness.en.answer)).first().waitFor(WAIT);
    const sourceLine = message(page, content.sources.get(redness.sources[0])?.name ?? 'Source:').last();
    await sourceLine.waitFor(WAIT);
    const firstCitation = sourceLine.locator('a[role="button"]', { hasText: '1' }).first();
    await firstCitation.waitFor(WAIT);
    await firstCitation.hover();
    const abstract = content.sources.get(redness.sources[0])?.abstract.en ?? '';
    await page.getByText(opening(abstract)).first().waitFor(WAIT);
    // The pop-up fades in: the picture is taken once no animation is running.
    await page.waitForFunction("document.getAnimations().every((a) => a.playState !== 'running')", undefined, WAIT);
    const best = await screenshot(page, 'teams-playground-2-answer-cited');

    // A related topic's card button: the bot gets the tap and answers that question.
    await page.getByRole('button', { name: related.en.title, exact: true }).last().click();
    await message(page, opening(related.en.answer)).first().waitFor(WAIT);
    await screenshot(page, 'teams-playground-3-button-answered');

    // Day-by-day aftercare: the timeline card, with today marked, rendered by Teams' card renderer.
    await box.click();
    await box.fill("I had microneedling 3 days ago and it's still a bit red");
    await box.press('Enter');
    const youAreHere = i18n.t('en', 'flows.aftercare.youAreHere', { day: '3' });
    await page.getByText(youAreHere, { exact: false }).first().waitFor(WAIT);
    await page.getByText(i18n.t('en', 'flows.aftercare.normal')).first().waitFor(WAIT);
    await screenshot(page, 'teams-playground-4-aftercare-card');

    // One welcome, though Teams (here the Playground) announced the install twice.
    expect(await welcome.count()).toBe(1);
    expect(errors).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1' || !fs.existsSync(DOCS_SCREENSHOT)) {
      fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      fs.copyFileSync(best, DOCS_SCREENSHOT);
    }
    await context.close();
  });
});
