import { seriousAxeViolations } from '../helpers/axe';
import { HttpBot } from '../helpers/httpBot';
import {
  artifactPath,
  Browser,
  BrowserContext,
  collectPageErrors,
  describeInBrowser,
  launchChromium,
  Page,
  screenshot,
} from '../helpers/browser';

jest.setTimeout(180_000);

const REDNESS = 'how long does redness last after microneedling?';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';
/** One message (the patient's or the bot's) in Web Chat's transcript. */
const ACTIVITY = '.webchat__basic-transcript__activity';
/** Generous: a real browser on a busy CI machine. Nothing here measures time. */
const WAIT = { timeout: 30_000 };

/** A button of the suggested actions under the bot's last message. */
function suggested(page: Page, name: string) {
  return page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name });
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.locator(SEND_BOX);
  await box.fill(text);
  await box.press('Enter');
}

describeInBrowser('the chat page in Chromium', () => {
  const bot = new HttpBot();
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    await bot.start();
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await bot.stop();
  });

  /** A new visitor (own browser profile, a phone's screen when asked) on the page, once the bot has greeted them. */
  async function openChat(viewport?: {
    width: number;
    height: number;
  }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${bot.url}/`);
    await page
      .getByText(/virtual assistant/)
      .first()
      .waitFor(WAIT);
    return { context, page, errors };
  }

  it('greets, answers with its source, a button works, and a reload keeps the conversation', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${bot.url}/`);
    await expect(page.title()).resolves.toBe('Chat with Sample Skin Clinic');

    await page
      .getByText(/virtual assistant of Sample Skin Clinic/)
      .first()
      .waitFor(WAIT);
    await screenshot(page, 'webchat-1-greeting');

    await ask(page, REDNESS);
    const answer = page.getByText(/Redness, a bit like a mild sunburn/).first();
    await answer.waitFor(WAIT);
    await page
      .getByText(/Source: \[1\]/)
      .first()
      .waitFor(WAIT);

    // A suggested action under the answer asks its question when tapped.
    await suggested(page, 'Will my skin swell?').click();
    await page
      .getByText(/swelling/i)
      .first()
      .waitFor(WAIT);
    await screenshot(page, 'webchat-2-answers');

    await page.reload();
    await page
      .getByText(/Redness, a bit like a mild sunburn/)
      .first()
      .waitFor(WAIT);
    await page.getByText(REDNESS).first().waitFor(WAIT);
    // The greeting is not repeated: the same conversation, not a new one.
    await expect(
      page
        .locator(ACTIVITY)
        .filter({ hasText: /virtual assistant of Sample Skin Clinic/ })
        .count(),
    ).resolves.toBe(1);
    await screenshot(page, 'webchat-3-after-reload');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('after a token expired while the page slept, reloads into the same conversation', async () => {
    const { context, page, errors } = await openChat();
    const conversationOf = (url: string) => /\/conversations\/([^/?]+)/.exec(url)?.[1];
    // The next poll is refused as Direct Line refuses an expired token.
    let refused: string | undefined;
    await page.route('**/v3/directline/conversations/*/activities?watermark=*', async (route) => {
      if (refused === undefined) {
        refused = conversationOf(route.request().url());
        await route.fulfill({ status: 403, contentType: 'application/json', body: '{"error":"forbidden"}' });
      } else {
        await route.continue();
      }
    });
    const renewed = page.waitForResponse((r) => r.url().endsWith('/api/directline/token') && r.status() === 200, WAIT);
    expect(await (await renewed).json()).toMatchObject({ resumed: true, conversationId: refused });
    await ask(page, REDNESS);
    await page
      .getByText(/Redness, a bit like a mild sunburn/)
      .first()
      .waitFor(WAIT);
    // The refused poll itself, and Web Chat's client ending that connection as the page reloads.
    expect(errors.filter((e) => !/403|conversation ended/.test(e))).toEqual([]);
    await context.close();
  });

  it('passes axe-core with no serious or critical violation, before and after an answer', async () => {
    const { context, page, errors } = await openChat({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await ask(page, REDNESS);
    await page
      .getByText(/Redness, a bit like a mild sunburn/)
      .first()
      .waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows what a patient types as text, never as HTML', async () => {
    const { context, page, errors } = await openChat();
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b> <script>window.__pwned=2</script>';
    await ask(page, hostile);
    await page.getByText('<img src=x', { exact: false }).first().waitFor(WAIT);
    // The bot answers (or declines) and the page is unharmed.
    await page.locator(ACTIVITY).nth(3).waitFor(WAIT);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator(`${ACTIVITY} b:text-is("bold")`).count()).toBe(0);
    // The text is shown as typed.
    await expect(page.locator(ACTIVITY).filter({ hasText: '<b>bold</b>' }).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the booking summary as a card whose buttons work', async () => {
    const { context, page, errors } = await openChat();
    const steps: [string, RegExp][] = [
      ['I would like to book a consultation', /name/i],
      ['Ana García', /email|phone/i],
      ['ana@example.com', /phone|also/i],
      ['No thanks', /days|times/i],
      ['weekday mornings', /treatment/i],
      ['Microneedling', /note|add/i],
      ['No note', /contact|consent|agree/i],
    ];
    for (const [text, next] of steps) {
      const before = await page.locator(ACTIVITY).count();
      await ask(page, text);
      // The patient's message and the bot's next question.
      await page
        .locator(ACTIVITY)
        .nth(before + 1)
        .waitFor(WAIT);
      await page.getByText(next).last().waitFor(WAIT);
    }
    await ask(page, 'yes');
    const card = page.locator('.ac-adaptiveCard').last();
    await card.waitFor(WAIT);
    await expect(card.innerText()).resolves.toMatch(/Ana García[\s\S]*ana@example\.com/);
    await screenshot(page, 'webchat-4-booking-card');
    await suggested(page, 'Send request').click();
    await page
      .getByText(/received/i)
      .last()
      .waitFor(WAIT);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows day-by-day aftercare as a timeline card with today marked, on a phone', async () => {
    const { context, page, errors } = await openChat({ width: 390, height: 844 });
    await ask(page, "I had microneedling 3 days ago and it's still a bit red, is that normal?");
    await page
      .locator('.ac-adaptiveCard')
      .getByText(/you are here/)
      .first()
      .waitFor(WAIT);
    await expect(page.locator('.ac-adaptiveCard').getByText('What is normal now:').count()).resolves.toBeGreaterThan(0);
    await page
      .getByText(/within what is usually expected/)
      .first()
      .waitFor(WAIT);
    await screenshot(page, 'webchat-aftercare-timeline');
    // The whole card: the transcript scrolls inside the page, so the page is made tall enough to show it.
    await page.setViewportSize({ width: 390, height: 2300 });
    await page.locator('.ac-adaptiveCard').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('webchat-aftercare-card') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${bot.url}/`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await page.getByText(/Hola/).first().waitFor(WAIT);
    await ask(page, '¿cuánto dura el enrojecimiento después del microneedling?');
    await page
      .getByText(/Fuente: \[1\]/)
      .first()
      .waitFor(WAIT);
    await screenshot(page, 'webchat-5-spanish');
    expect(errors).toEqual([]);
    await context.close();
  });
});
