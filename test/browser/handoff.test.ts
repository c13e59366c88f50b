import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import {
  Browser,
  BrowserContext,
  collectPageErrors,
  describeInBrowser,
  launchChromium,
  Page,
  screenshot,
} from '../helpers/browser';
import { addStaff, STAFF_PASSWORD } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';
import { until } from '../helpers/until';

jest.setTimeout(300_000);

/** Wednesday 2 December 2026, 10:00 in New York (the sample clinic's zone): open. */
const OPEN = new Date('2026-12-02T15:00:00Z');
const AGENT = 'marta@clinic.example';
const SEND_BOX = '[data-id="webchat-sendbox-input"]';
/** One message (the patient's or the bot's) in Web Chat's transcript. */
const ACTIVITY = '.webchat__basic-transcript__activity';
/** Generous: two browser pages and a server on a busy CI machine. Nothing here measures time. */
const WAIT = { timeout: 60_000 };

async function ask(page: Page, text: string): Promise<void> {
  const box = page.locator(SEND_BOX);
  await box.fill(text);
  await box.press('Enter');
}

/** The message in Web Chat's transcript that contains `text`. */
const shown = (page: Page, text: string | RegExp) => page.locator(ACTIVITY).filter({ hasText: text });

/**
 * A screenshot of the chat once Web Chat has scrolled its newest message fully into view (it
 * scrolls smoothly, so a picture taken as a message arrives shows it cut off).
 */
async function chatScreenshot(page: Page, name: string): Promise<void> {
  // Measured from here: the page's CSP refuses the string a waitForFunction would evaluate.
  await until(
    async () => {
      const last = await page.locator(ACTIVITY).last().boundingBox();
      const view = await page.locator('.webchat__basic-transcript__scrollable').boundingBox();
      return !!last && !!view && last.y + last.height <= view.y + view.height + 1;
    },
    'the newest message scrolled into view',
    WAIT.timeout,
  );
  await screenshot(page, name);
}

/** Marks the page so a later check can tell it was updated in place, never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
  });
}

const stillSameDocument = (page: Page): Promise<boolean | undefined> =>
  page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument);

describeInBrowser('talking to a person: a patient in web chat, staff in the console, in Chromium', () => {
  let app: App;
  let base = '';
  let dir = '';
  let browser: Browser;
  let closeBrowser: (() => Promise<void>) | undefined;
  let staff: { context: BrowserContext; page: Page; errors: string[] };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-browser-'));
    const storage = new MemoryStorage();
    ({ app, base } = await startApp(
      {
        DATA_DIR: dir,
        STAFF_AUTH: 'local',
        RATE_LIMIT_IP_PER_MINUTE: '0',
        RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
      },
      { storage, now: () => OPEN },
    ));
    await addStaff(storage, AGENT, 'agent');
    ({ browser, close: closeBrowser } = await launchChromium());

    // The agent signs in and keeps the inbox open: its polling is what makes them present.
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/staff/sign-in`);
    await page.getByLabel('Email').fill(AGENT);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${AGENT}`).waitFor(WAIT);
    staff = { context, page, errors };
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A patient on a phone at the chat page, once the bot has greeted them. */
  async function openChat(
    locale: string,
    greeting: RegExp,
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/`);
    await page.getByText(greeting).first().waitFor(WAIT);
    return { context, page, errors };
  }

  /** The agent at the waiting tab, before the patient asks (the list then has to change by itself). */
  async function inboxWaiting(): Promise<Page> {
    const { page } = staff;
    await page.goto(`${base}/staff/inbox`);
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor(WAIT);
    await page.getByText(/At the inbox now: Marta/).waitFor(WAIT);
    await markPage(page);
    return page;
  }

  it('queues the patient, relays both ways with the agent’s name, keeps red flags first, and hands back', async () => {
    const inbox = await inboxWaiting();
    await inbox.getByText('Nobody is waiting.').waitFor(WAIT);
    const patient = await openChat('en-US', /virtual assistant of Sample Skin Clinic/);
    const chat = patient.page;

    await ask(chat, "I'd like to talk to a person");
    await shown(chat, /asked the clinic team to join this chat/).waitFor(WAIT);
    await shown(chat, /Type cancel to go back to the bot/).waitFor(WAIT);
    await chatScreenshot(chat, 'handoff-1-patient-queued');

    // The waiting conversation appears in the open inbox by itself.
    const row = inbox.getByRole('link', { name: 'The patient asked to talk to a person.' });
    await row.waitFor(WAIT);
    await expect(inbox.locator('[data-count="waiting"]').textContent()).resolves.toBe('1');
    expect(await stillSameDocument(inbox)).toBe(true);
    await screenshot(inbox, 'handoff-2-staff-inbox-waiting');

    // Staff open it, see what the patient asked, and take it.
    await row.click();
    await inbox.getByRole('heading', { level: 1, name: 'Conversation with a patient' }).waitFor(WAIT);
    await inbox.locator('#transcript').getByText("I'd like to talk to a person").waitFor(WAIT);
    await inbox.getByRole('button', { name: 'Take this conversation' }).click();
    await inbox.getByText('You have this conversation: the patient was told you joined.').waitFor(WAIT);
    await shown(chat, 'Marta from the clinic has joined the chat.').waitFor(WAIT);

    // A ready-made reply fills the box; staff send it and the patient sees it under Marta's name.
    await inbox.getByLabel('Ready-made replies (in English)', { exact: true }).selectOption({ index: 1 });
    const canned = 'Hello, this is the clinic team. I have read your conversation and I am here to help.';
    await expect(inbox.locator('#reply-text').inputValue()).resolves.toBe(canned);
    await inbox.getByRole('button', { name: 'Send to the patient' }).click();
    await inbox.getByText('Sent to the patient.').waitFor(WAIT);
    const reply = shown(chat, canned);
    await reply.waitFor(WAIT);
    await expect(reply.locator('strong').textContent()).resolves.toBe('Marta (clinic team):');
    await markPage(inbox);

    // The patient answers; the bot stays quiet and the agent's open page shows it by itself.
    const before = await chat.locator(ACTIVITY).count();
    await ask(chat, 'thank you, my cheek is still a bit red after three days');
    await inbox
      .locator('#transcript')
      .getByText('thank you, my cheek is still a bit red after three days')
      .waitFor(WAIT);
    expect(await stillSameDocument(inbox)).toBe(true);

    // A warning sign: urgent guidance at once, and the agent sees the alarm without reloading.
    await ask(chat, "my lips are swelling and I can't breathe");
    const urgent = shown(chat, /911/);
    await urgent.first().waitFor(WAIT);
    // The patient's two messages, then the urgent guidance: nothing answered the first one.
    const added = (await chat.locator(ACTIVITY).allTextContents()).slice(before);
    expect(added[0]).toMatch(/my cheek is still a bit red/);
    expect(added[1]).toMatch(/lips are swelling/);
    expect(added[2]).toMatch(/911/);
    await inbox
      .getByRole('alert')
      .filter({ hasText: /A warning sign fired in this conversation/ })
      .waitFor(WAIT);
    await inbox.locator('#transcript li.error').getByText('warning sign').waitFor(WAIT);
    await expect(inbox.locator('#red-flag-count').textContent()).resolves.toBe('1');
    expect(await stillSameDocument(inbox)).toBe(true);
    await chatScreenshot(chat, 'handoff-3-patient-with-staff');
    await screenshot(inbox, 'handoff-4-staff-conversation');

    // Staff hand back: the patient is told, and the bot answers again.
    await inbox.getByRole('button', { name: 'Resolve: hand back to the bot' }).click();
    await inbox.getByText('Resolved: the bot answers the patient again and told them so.').waitFor(WAIT);
    // Web Chat's Markdown prints the apostrophe as a typographic one (’).
    await shown(chat, /Marta has finished; you.re back with the bot/).waitFor(WAIT);
    await ask(chat, 'how long does redness last after microneedling?');
    await shown(chat, /Redness, a bit like a mild sunburn/)
      .first()
      .waitFor(WAIT);
    await chatScreenshot(chat, 'handoff-5-patient-back-with-bot');
    await screenshot(inbox, 'handoff-6-staff-resolved');

    expect(patient.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await patient.context.close();
  });

  it('speaks Spanish to a Spanish patient, with ready-made replies in Spanish', async () => {
    const inbox = await inboxWaiting();
    const patient = await openChat('es-ES', /Hola/);
    const chat = patient.page;

    await ask(chat, 'quiero hablar con alguien');
    await shown(chat, /He pedido al equipo de la clínica que se una a este chat/).waitFor(WAIT);

    const row = inbox.getByRole('link', { name: 'El paciente pidió hablar con una persona.' });
    await row.waitFor(WAIT);
    expect(await stillSameDocument(inbox)).toBe(true);
    await row.click();
    await inbox.getByRole('button', { name: 'Take this conversation' }).click();
    await shown(chat, 'Marta, de la clínica, se ha unido al chat.').waitFor(WAIT);

    await inbox.getByLabel('Ready-made replies (in Español)', { exact: true }).selectOption({ index: 2 });
    await inbox.getByRole('button', { name: 'Send to the patient' }).click();
    const reply = shown(chat, 'Gracias por esperar. Lo consulto enseguida; tardaré uno o dos minutos.');
    await reply.waitFor(WAIT);
    await expect(reply.locator('strong').textContent()).resolves.toBe('Marta (equipo de la clínica):');
    await chatScreenshot(chat, 'handoff-7-patient-spanish');
    await screenshot(inbox, 'handoff-8-staff-spanish');

    await inbox.getByRole('button', { name: 'Resolve: hand back to the bot' }).click();
    await shown(chat, /Marta ha terminado; vuelves a hablar con el bot/).waitFor(WAIT);

    expect(patient.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await patient.context.close();
  });
});
