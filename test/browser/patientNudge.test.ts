import { BookingOutbox } from '../../core/booking/outbox';
import { BOOKING_CONVERSATION, hmacSignature } from '../helpers/bookingRequests';
import { Browser, collectPageErrors, describeInBrowser, launchChromium, screenshot } from '../helpers/browser';
import { DirectLineVisitor } from '../helpers/directLineClient';
import { HttpBot } from '../helpers/httpBot';
import { NudgeReceiver } from '../helpers/nudgeReceiver';

jest.setTimeout(180_000);

const SECRET = 'status-secret-for-tests';
const WAIT = { timeout: 30_000 };
const BOOKING = BOOKING_CONVERSATION.en;

describeInBrowser("a nudge's link in Chromium", () => {
  const bot = new HttpBot();
  const receiver = new NudgeReceiver();
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    await receiver.start();
    await bot.start({
      BOOKING_SIGNING_SECRET: SECRET,
      NUDGE_WEBHOOK_URL: receiver.url,
      PUBLIC_BASE_URL: 'https://chat.clinic.example',
    });
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await bot.stop();
    await receiver.stop();
  });

  it("opens the chat on the clinic's message, in a browser that never had the conversation", async () => {
    const patient = new DirectLineVisitor(bot.url);
    await patient.open();
    for (const text of BOOKING) await patient.say(text);
    const [record] = await new BookingOutbox(bot.storage).listing();
    const body = JSON.stringify({ status: 'confirmed', when: '2026-12-10T15:30:00Z' });
    const res = await fetch(`${bot.url}/api/bookings/${record.request.requestId}/status`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-booking-signature': hmacSignature(body, SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
    // The link names the public address; here the page is on loopback.
    const link = new URL(receiver.received[0]?.json.link ?? '');
    const local = new URL(`${link.pathname}${link.search}`, bot.url);

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(local.toString());
    await page
      .getByText(/confirmed your consultation for Thursday, December 10, 2026/)
      .first()
      .waitFor(WAIT);
    await page.getByText('Ana García').first().waitFor(WAIT);
    // The token leaves the address bar; a reload keeps the conversation as any visit does.
    expect(new URL(page.url()).searchParams.has('resume')).toBe(false);
    await screenshot(page, 'webchat-nudge-link');
    await page.reload();
    await page
      .getByText(/confirmed your consultation/)
      .first()
      .waitFor(WAIT);
    expect(errors).toEqual([]);
    await context.close();
  });
});
