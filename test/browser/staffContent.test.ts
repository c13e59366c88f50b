import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { StaffAccounts } from '../../core/staff/staffAccounts';
import { createStorage } from '../../bot/storage';
import { seriousAxeViolations } from '../helpers/axe';
import { Azurite } from '../helpers/azurite';
import { Browser, collectPageErrors, describeInBrowser, launchChromium, Page, screenshot } from '../helpers/browser';
import { STAFF_PASSWORD } from '../helpers/staffClient';
import { messageActivity, postActivity, replyTexts, testConfig } from '../helpers/testApp';
import { until } from '../helpers/until';

jest.setTimeout(600_000);

const WAIT = { timeout: 120_000 };
const NEW_ANSWER = 'Most people feel a light scratching; the numbing cream keeps it mild. (Edited in the console.)';

/**
 * A content editor in the console, and two bot instances sharing one Azure Blob container
 * (Azurite): what is published on one is answered by both within seconds, and rolls back.
 */
describeInBrowser('content in the staff console, published to two instances', () => {
  let azurite: Azurite;
  const apps: App[] = [];
  const bases: string[] = [];
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    azurite = await Azurite.start();
    const config = testConfig({
      STATE_STORE: 'azure-blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: 'console-content',
      CONTENT_POLL_MS: '200',
      STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000',
    });
    const shared = createStorage(config.state);
    const accounts = new StaffAccounts(shared.storage);
    await accounts.add('editor@clinic.example', 'editor', STAFF_PASSWORD);
    await accounts.add('agent@clinic.example', 'agent', STAFF_PASSWORD);
    for (let i = 0; i < 2; i++) {
      const app = await createApp(config, { log: pino({ level: 'silent' }) });
      apps.push(app);
      bases.push(`http://127.0.0.1:${(await app.listen()).port}`);
    }
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await Promise.all(apps.map((a) => a.close()));
    await azurite?.stop();
  });

  async function signIn(email: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Publishing checks and trains the whole content in slices: slow on a busy two-core machine.
    page.setDefaultTimeout(120_000);
    const errors = collectPageErrors(page);
    await page.goto(`${bases[0]}/staff/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${email}`).waitFor(WAIT);
    return { page, errors };
  }

  async function painAnswer(base: string): Promise<string> {
    const res = await postActivity(
      base,
      messageActivity('does microneedling hurt?', { conversation: { id: `c-${Math.random()}` } }),
    );
    return (await replyTexts(res)).join('\n');
  }

  it('edits, shows a problem by its field, tests the draft, publishes to both instances, rolls back', async () => {
    const { page, errors } = await signIn('editor@clinic.example');
    await page.goto(`${bases[0]}/staff/content`);
    await page.getByRole('heading', { name: 'Draft and live content' }).waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-content');

    // An answer over the limit: saved to the draft, refused for publishing, the problem next to the field.
    await page.getByRole('link', { name: 'Does it hurt?' }).click();
    const answer = page.locator('#f-en-answer');
    await answer.waitFor(WAIT);
    await answer.evaluate((el: { removeAttribute(name: string): void }) => el.removeAttribute('maxlength'));
    await answer.fill('x'.repeat(950));
    await page.getByRole('button', { name: 'Save to the draft' }).click();
    await page
      .locator('#f-en-answer-problem')
      .filter({ hasText: /at most 900 characters/ })
      .waitFor(WAIT);
    await expect(page.locator('#f-en-answer').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-entry-problem');

    await page.locator('#f-en-answer').fill(NEW_ANSWER);
    await page.getByRole('button', { name: 'Save to the draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved to the draft' }).waitFor(WAIT);

    // The test pane answers from the draft: the new text, before anyone publishes.
    await page.goto(`${bases[0]}/staff/content`);
    await page.getByLabel('Question').fill('does microneedling hurt?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.locator('#test-result').filter({ hasText: 'Edited in the console' }).waitFor(WAIT);
    await page.locator('#test-result').filter({ hasText: 'Warning sign: no' }).waitFor(WAIT);
    expect(await painAnswer(bases[1])).not.toContain('Edited in the console');
    await screenshot(page, 'staff-test-pane');

    await page.getByLabel('What changed (optional)').fill('Gentler pain answer');
    await page.getByRole('button', { name: 'Publish to patients' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version 1/ })
      .waitFor(WAIT);
    for (const base of bases)
      await until(
        async () => (await painAnswer(base)).includes('Edited in the console'),
        `the new answer on ${base}`,
        20_000,
      );

    // The history shows the change field by field; an earlier version can be brought back.
    await page.goto(`${bases[0]}/staff/content/history`);
    await page.getByRole('rowheader', { name: /v1/ }).waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-history');

    // Publish a second version (a phrasing added), then roll back to version 1.
    await page.goto(`${bases[0]}/staff/content`);
    await page.getByRole('link', { name: 'Does it hurt?' }).click();
    await page
      .locator('#f-en-questions')
      .fill(`${await page.locator('#f-en-questions').inputValue()}\nwill the needles sting my forehead`);
    await page.getByRole('button', { name: 'Save to the draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved to the draft' }).waitFor(WAIT);
    await page.goto(`${bases[0]}/staff/content`);
    await page.getByRole('button', { name: 'Publish to patients' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Published: version 2/ })
      .waitFor(WAIT);
    await page.goto(`${bases[0]}/staff/content/history/2`);
    await page.getByText('will the needles sting my forehead').waitFor(WAIT);
    await screenshot(page, 'staff-diff');
    await page.goto(`${bases[0]}/staff/content/history`);
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Rolled back/ })
      .waitFor(WAIT);
    await page.getByRole('rowheader', { name: /v3/ }).waitFor(WAIT);
    expect(await apps[1].contentStore.liveVersion()).toBe(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps an agent from publishing', async () => {
    const { page } = await signIn('agent@clinic.example');
    await expect(page.getByRole('link', { name: 'Content' }).count()).resolves.toBe(0);
    const res = await page.goto(`${bases[0]}/staff/content`);
    expect(res?.status()).toBe(403);
    const csrf = await page.evaluate(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }
        ).document.querySelector('input[name="_csrf"]')?.value ?? '',
    );
    const post = await page.request.post(`${bases[0]}/staff/content/publish`, {
      form: { _csrf: csrf, revision: '0' },
      headers: { origin: bases[0] },
    });
    expect(post.status()).toBe(403);
    await page.context().close();
  });
});
