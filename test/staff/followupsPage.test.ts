import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { TEST_NOW } from '../helpers/clock';
import { addStaff, StaffClient } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';

/** Two patients who said yes: one treated yesterday (days 3 and 7 to come), one today (days 1 and 3 this week). */
const YESTERDAY = { addressKey: 'webchat|conv-followups-maria', treatmentDate: '2026-03-04' };
const TODAY = { addressKey: 'msteams|conv-followups-john', treatmentDate: '2026-03-05' };

describe('the follow-ups page', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  const jobIds: string[] = [];

  beforeAll(async () => {
    storage = new MemoryStorage();
    // Thursday 5 March 2026, 10:00 in New York (the clinic's zone): the check-ins' clock, not the sessions'.
    ({ app, base } = await startApp(
      { STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' },
      { storage, now: () => TEST_NOW },
    ));
    await addStaff(storage, 'reception@clinic.example', 'agent');
    await addStaff(storage, 'editor@clinic.example', 'editor');
    for (const patient of [YESTERDAY, TODAY]) {
      const { scheduled } = await app.followups.consent({
        ...patient,
        channel: 'webchat',
        lang: 'en',
        timeZone: 'America/New_York',
      });
      jobIds.push(...scheduled.map((s) => s.jobId));
    }
  });
  afterAll(() => app.close());

  const signedIn = async (email: string): Promise<StaffClient> => {
    const client = new StaffClient(base);
    await client.signIn(email);
    return client;
  };

  it("shows an agent the check-ins scheduled on each of the clinic's next 7 days, and the list", async () => {
    const reception = await signedIn('reception@clinic.example');
    const { res, body } = await reception.page('/staff/followups');
    expect(res.status).toBe(200);
    expect(body).toContain('<h1>Follow-ups</h1>');
    expect(body).toMatch(/href="\/staff\/followups"\s+aria-current="page"/);
    expect(body).toContain('Days and times are in America/New_York');
    const rows = [
      ...body.matchAll(
        /<th scope="row"><time datetime="([\d-]+)">[^<]+<\/time><\/th>\s*<td>(\d+)<\/td>\s*<td>(\d+)<\/td>/g,
      ),
    ];
    expect(rows.map(([, date, scheduled, sent]) => [date, Number(scheduled), Number(sent)])).toEqual([
      ['2026-03-05', 0, 0],
      ['2026-03-06', 1, 0],
      ['2026-03-07', 1, 0],
      ['2026-03-08', 1, 0],
      ['2026-03-09', 0, 0],
      ['2026-03-10', 0, 0],
      ['2026-03-11', 1, 0],
    ]);
    expect(body).toContain('Thu, Mar 5 (today)');
    // The chart draws the same figures from the page (Chart.js served by the bot, no request of its own).
    expect(body).toContain('"data":[0,1,1,1,0,0,1]');
    expect(body).toContain('/staff/assets/chart.umd.min.js');
    expect(body).toContain('/staff/assets/followups.js');
    expect(body).toContain('4 follow-ups on the next 7 days, earliest first');
    expect(body).toContain('Aftercare, day 1 after treatment');
    expect(body).toContain('Aftercare, day 7 after treatment');
    expect(body.match(/10:00\s?AM/g)).toHaveLength(4);
    expect(body.match(/class="badge pending">scheduled</g)).toHaveLength(4);
    // The day-7 check-in of the patient treated today falls on 12 March, after the window.
    expect(body).not.toContain('2026-03-12');
    expect((await reception.get('/staff/assets/followups.js')).status).toBe(200);
  });

  it('shows no patient: no address, no conversation, only the start of each job id', async () => {
    const reception = await signedIn('reception@clinic.example');
    const { body } = await reception.page('/staff/followups');
    expect(body).not.toMatch(/conv-followups|maria|john|webchat\||msteams\|/i);
    expect(jobIds).toHaveLength(5);
    for (const id of jobIds) expect(body).not.toContain(id);
    expect(body).toContain(`<code>${jobIds[1].slice(0, 8)}</code>`);
  });

  it('is in Spanish with the same figures', async () => {
    const reception = await signedIn('reception@clinic.example');
    const { body } = await reception.page('/staff/followups?lang=es');
    expect(body).toContain('<h1>Seguimientos</h1>');
    expect(body).toContain('4 seguimientos en los próximos 7 días');
    expect(body).toContain('Cuidados posteriores, día 3 después del tratamiento');
  });

  it('refuses an editor, and leaves the link out of their navigation', async () => {
    const editor = await signedIn('editor@clinic.example');
    const refused = await editor.get('/staff/followups');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('follow-ups on the next 7 days');
    expect((await editor.page('/staff/analytics')).body).not.toContain('href="/staff/followups"');
  });
});
