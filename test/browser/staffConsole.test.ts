import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { seriousAxeViolations } from '../helpers/axe';
import { Browser, collectPageErrors, describeInBrowser, launchChromium, Page, screenshot } from '../helpers/browser';
import { addStaff, STAFF_PASSWORD } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';

jest.setTimeout(300_000);

const WAIT = { timeout: 60_000 };

describeInBrowser('the staff console in Chromium', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    storage = new MemoryStorage();
    ({ app, base } = await startApp({ STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' }, { storage }));
    await addStaff(storage, 'admin@clinic.example', 'admin');
    await addStaff(storage, 'editor@clinic.example', 'editor');
    await addStaff(storage, 'agent@clinic.example', 'agent');
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
  });

  /** Signs in with the keyboard alone: tab to each field, type, Enter. */
  async function signIn(
    email: string,
    viewport = { width: 1024, height: 768 },
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/staff/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor(WAIT);
    // The email field has focus on arrival.
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(STAFF_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText(`Signed in as ${email}`).waitFor(WAIT);
    return { page, errors };
  }

  it('signs in with the keyboard and shows each of an admin’s pages without accessibility violations', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/staff/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-sign-in');
    await context.close();

    const { page: admin, errors } = await signIn('admin@clinic.example');
    for (const [path, heading] of [
      ['/staff/content', 'Content'],
      ['/staff/content/entry/redness-duration', 'Entry: How long does redness last?'],
      ['/staff/content/new', 'New entry'],
      ['/staff/content/file/clinic', 'Clinic details'],
      ['/staff/content/file/redflags', 'Warning signs (red flags)'],
      ['/staff/content/file/aftercare?as=text', 'Aftercare timeline'],
      ['/staff/content/history', 'Version history'],
      ['/staff/content/changes', 'Changes'],
      ['/staff/gaps', 'Unanswered questions'],
      ['/staff/inbox', 'Inbox'],
      ['/staff/followups', 'Follow-ups'],
      ['/staff/bookings', 'Bookings'],
      ['/staff/analytics', 'Analytics'],
      ['/staff/accounts', 'Accounts'],
      ['/staff/audit', 'Audit log'],
    ] as const) {
      await admin.goto(base + path);
      await admin.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
      expect({ path, violations: await seriousAxeViolations(admin) }).toEqual({ path, violations: [] });
      await screenshot(admin, `staff-${path.replace(/^\/staff\//, '').replace(/[^a-z]+/g, '-')}`);
    }
    expect(errors).toEqual([]);
    await admin.context().close();
  });

  it('shows a wrong password as an error next to the form, and stays on the sign-in page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/staff/sign-in`);
    await page.getByLabel('Email').fill('admin@clinic.example');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or the password is not right.' }).waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('lets an admin add an account, and keeps an editor from managing accounts', async () => {
    const { page: admin } = await signIn('admin@clinic.example');
    await admin.goto(`${base}/staff/accounts`);
    await admin.getByLabel('Email').fill('reception@clinic.example');
    await admin.locator('#new-role').selectOption('agent');
    await admin.getByLabel('First password').fill('reception password 1');
    await admin.getByRole('button', { name: 'Add account' }).click();
    await admin.getByRole('status').filter({ hasText: 'The account was added.' }).waitFor(WAIT);
    await admin.getByRole('rowheader', { name: 'reception@clinic.example' }).waitFor(WAIT);
    await admin.context().close();

    const { page: editor } = await signIn('editor@clinic.example');
    await expect(editor.getByRole('link', { name: 'Accounts' }).count()).resolves.toBe(0);
    const res = await editor.goto(`${base}/staff/accounts`);
    expect(res?.status()).toBe(403);
    await editor.getByRole('heading', { name: 'Not for your role' }).waitFor(WAIT);
    await editor.context().close();
  });

  it('works on a tablet in Spanish', async () => {
    const { page } = await signIn('agent@clinic.example', { width: 768, height: 1024 });
    // An agent lands in the inbox; the bookings page is the one with a table to show on a tablet.
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookings' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Solicitudes de cita' }).waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-bookings-tablet-es');
    await page.context().close();
  });
});
