import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { HandoffQueue } from '../../core/handoff/handoffQueue';
import { HandoffReason } from '../../core/handoff/handoffRecord';
import { addStaff, StaffClient } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';

const MINUTE = 60_000;
const ANA = { id: 'ana.lopez@clinic.example', name: 'Ana' };
const SUMMARY = 'The patient asked about isotretinoin.';

describe('handoff figures on the analytics page', () => {
  let app: App;
  let base: string;
  let queue: HandoffQueue;
  let clock: Date;
  let n = 0;

  const later = (ms: number): void => {
    clock = new Date(clock.getTime() + ms);
  };
  const open = async (reason: HandoffReason): Promise<string> =>
    (
      await queue.open({
        addressKey: `webchat|conv-figures-${++n}`,
        lang: 'en',
        channel: 'webchat',
        reason,
        summary: SUMMARY,
        transcript: [{ role: 'patient', text: 'Can I have microneedling on isotretinoin?' }],
      })
    ).record.id;

  beforeAll(async () => {
    const storage = new MemoryStorage();
    // The console counts back from the real clock (its periods end now); the handoffs' clock starts
    // two days before it, so each wait below is exact whatever today is.
    clock = new Date(Date.now() - 2 * 24 * 60 * MINUTE);
    ({ app, base } = await startApp({ STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' }, { storage, now: () => clock }));
    await addStaff(storage, 'reception@clinic.example', 'agent');
    queue = app.handoffs.queue;

    // Two days ago: counted in the last 7 days, not in the last 24 hours.
    await queue.cancel(await open('asked'));
    clock = new Date(Date.now() - 2 * 60 * MINUTE);
    // Answered after 3 min 20 s, then handed back to the bot.
    const first = await open('asked');
    later(2 * MINUTE);
    await queue.claim(first, ANA);
    later(80_000);
    await queue.appendStaffMessage(first, ANA, 'Hello, this is Ana.');
    await queue.resolve(first, ANA);
    // A warning sign, answered after 45 s and still with staff.
    const second = await open('red-flag');
    later(30_000);
    await queue.claim(second, ANA);
    later(15_000);
    await queue.appendStaffMessage(second, ANA, 'I am reading your messages now.');
    // Cancelled by the patient, and one nobody took in time.
    await queue.cancel(await open('unanswered'));
    await open('asked');
    later(11 * MINUTE);
    await queue.expireWaiting(clock, 10 * MINUTE);
  });
  afterAll(() => app.close());

  /** The handoff figures table of a period, as { label: value }. */
  const figures = async (range: string): Promise<Record<string, string>> => {
    const reception = new StaffClient(base);
    await reception.signIn('reception@clinic.example');
    const { res, body } = await reception.page(`/staff/analytics?range=${range}`);
    expect(res.status).toBe(200);
    expect(body).toContain('<h2>Talking to a person</h2>');
    expect(body).not.toContain(SUMMARY);
    expect(body).not.toContain('isotretinoin');
    const table = body.slice(body.indexOf('id="handoffs-table"'));
    return Object.fromEntries(
      [...table.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>([^<]+)<\/td><\/tr>/g)].map(([, k, v]) => [k, v]),
    );
  };

  it('counts the handoffs of the last 24 hours by reason and outcome, with the wait for a first reply', async () => {
    expect(await figures('24h')).toEqual({
      'Handoffs to staff': '4',
      'Handoffs: asked for a person': '2',
      'Handoffs: the bot could not answer': '1',
      'Handoffs: a warning sign': '1',
      'Taken by staff': '2',
      'Resolved by staff': '1',
      'Cancelled by the patient': '1',
      'Nobody answered in time': '1',
      'Still open': '1',
      'Handoffs with a staff reply': '2',
      'First reply, median wait': '45 s',
      'First reply, 9 in 10 within': '3 min 20 s',
    });
  });

  it('follows the period chosen at the top of the page', async () => {
    const week = await figures('7d');
    expect(week['Handoffs to staff']).toBe('5');
    expect(week['Cancelled by the patient']).toBe('2');
    expect(week['First reply, median wait']).toBe('45 s');
  });
});
