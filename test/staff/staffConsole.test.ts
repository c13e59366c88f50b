import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { draftEntry } from '../../bot/staff/entryForm';
import { readContentDir } from '../../core/content/contentFiles';
import { StaffAccounts } from '../../core/staff/staffAccounts';
import { LANGS } from '../../core/text/language';
import { startApp } from '../helpers/testApp';
import { addStaff, StaffClient, STAFF_PASSWORD } from '../helpers/staffClient';

/** Every console page; each must refuse a visitor without a session and show no data. */
const PAGES = [
  '/staff/content',
  '/staff/gaps',
  '/staff/bookings',
  '/staff/bookings.csv',
  '/staff/analytics',
  '/staff/accounts',
  '/staff/audit',
  '/staff/inbox',
  '/staff/inbox/updates',
  '/staff/followups',
];
const ACTIONS = [
  '/staff/accounts/add',
  '/staff/accounts/role',
  '/staff/bookings/handled',
  '/staff/bookings/requeue',
  '/staff/bookings/release',
  '/staff/inbox/00000000-0000-4000-8000-000000000000/claim',
  '/staff/inbox/00000000-0000-4000-8000-000000000000/reply',
  '/staff/inbox/00000000-0000-4000-8000-000000000000/resolve',
];

describe('the staff console over HTTP', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;

  beforeAll(async () => {
    storage = new MemoryStorage();
    ({ app, base } = await startApp(
      { STAFF_LOCKOUT_FAILURES: '3', STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' },
      { storage },
    ));
    await addStaff(storage, 'admin@clinic.example', 'admin');
    await addStaff(storage, 'editor@clinic.example', 'editor');
    await addStaff(storage, 'agent@clinic.example', 'agent');
    await addStaff(storage, 'locked@clinic.example', 'agent');
  });
  afterAll(() => app.close());

  it('sends a browser without a session to the sign-in page, and gives anything else a bare 401', async () => {
    const visitor = new StaffClient(base);
    for (const page of PAGES) {
      const browser = await visitor.get(page);
      if (page.endsWith('.csv')) expect(browser.status).toBe(303);
      else expect([303, 404]).toContain(browser.status);
      if (browser.status === 303) expect(browser.headers.get('location')).toMatch(/^\/staff\/sign-in\?next=/);
      const script = await visitor.get(page, { accept: 'application/json' });
      if (script.status !== 404) {
        expect(script.status).toBe(401);
        expect(await script.text()).not.toMatch(/clinic\.example|<table/);
      }
    }
  });

  it('refuses every action without a session', async () => {
    const visitor = new StaffClient(base);
    for (const action of ACTIONS) {
      const res = await visitor.post(action, { _csrf: 'x', email: 'x@clinic.example', id: 'x' });
      expect(res.status).toBe(401);
    }
  });

  it('signs in with a new HttpOnly, SameSite=Strict session cookie and a new id each time', async () => {
    const staff = new StaffClient(base);
    const first = await staff.signIn('admin@clinic.example');
    expect(first.status).toBe(303);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    // Plain http from this machine in development: no Secure flag (and so no __Host- prefix).
    expect(cookie).not.toMatch(/Secure/);
    const again = await staff.signIn('admin@clinic.example');
    const second = again.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
    expect(second?.split(';')[0]).not.toBe(cookie?.split(';')[0]);
  });

  it('marks the session cookie Secure with the __Host- prefix behind an https proxy', async () => {
    const { app: proxied, base: proxiedBase } = await startApp({ TRUST_PROXY: '1' }, { storage });
    try {
      const staff = new StaffClient(proxiedBase);
      const form = await (await staff.get('/staff/sign-in', { 'x-forwarded-proto': 'https' })).text();
      const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] ?? '';
      const res = await fetch(`${proxiedBase}/staff/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-proto': 'https',
          cookie: `__Host-staff_form=${token}`,
        },
        body: new URLSearchParams({ _form: token, email: 'admin@clinic.example', password: STAFF_PASSWORD }).toString(),
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-staff_session='));
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toMatch(/Domain=/);
    } finally {
      await proxied.close();
    }
  });

  it('serves every page with a strict content security policy', async () => {
    const staff = new StaffClient(base);
    await staff.signIn('admin@clinic.example');
    const { res } = await staff.page('/staff/accounts');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a form posted without its CSRF token, or with another session’s', async () => {
    const staff = new StaffClient(base);
    await staff.signIn('admin@clinic.example');
    await staff.page('/staff/accounts');
    const other = new StaffClient(base);
    await other.signIn('admin@clinic.example');
    await other.page('/staff/accounts');
    const fields = { email: 'new@clinic.example', role: 'agent', password: STAFF_PASSWORD };
    expect((await staff.post('/staff/accounts/add', fields)).status).toBe(403);
    expect((await staff.post('/staff/accounts/add', { ...fields, _csrf: other.csrf })).status).toBe(403);
    expect(await new StaffAccounts(storage).find('new@clinic.example')).toBeUndefined();
    expect((await staff.post('/staff/accounts/add', { ...fields, _csrf: staff.csrf })).status).toBe(303);
    expect(await new StaffAccounts(storage).find('new@clinic.example')).toBeDefined();
  });

  it('refuses a form posted from another origin even with a valid token', async () => {
    const staff = new StaffClient(base);
    await staff.signIn('admin@clinic.example');
    await staff.page('/staff/accounts');
    const res = await staff.post(
      '/staff/accounts/role',
      { _csrf: staff.csrf, email: 'agent@clinic.example', role: 'admin' },
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    const crossSite = await staff.post(
      '/staff/accounts/role',
      { _csrf: staff.csrf, email: 'agent@clinic.example', role: 'admin' },
      { origin: '', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect((await new StaffAccounts(storage).find('agent@clinic.example'))?.role).toBe('agent');
  });

  it('locks an account after repeated failures, even against the right password', async () => {
    const attacker = new StaffClient(base);
    for (let i = 0; i < 3; i++) {
      const res = await attacker.signIn('locked@clinic.example', 'wrong password!!');
      expect(res.status).toBe(401);
    }
    const res = await attacker.signIn('locked@clinic.example');
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/locked/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('staff_session='))).toBe(false);
  });

  it('answers an unknown email like a wrong password', async () => {
    const res = await new StaffClient(base).signIn('nobody@clinic.example');
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/email or the password is not right/);
  });

  it('keeps an editor out of accounts and the audit log, and an agent out of content', async () => {
    const editor = new StaffClient(base);
    await editor.signIn('editor@clinic.example');
    expect((await editor.get('/staff/accounts')).status).toBe(403);
    expect((await editor.get('/staff/audit')).status).toBe(403);
    await editor.page('/staff/bookings').catch(() => undefined);
    const { body } = await editor.page('/staff/analytics');
    expect(body).not.toContain('/staff/accounts"');
    const post = await editor.post('/staff/accounts/role', {
      _csrf: editor.csrf,
      email: 'editor@clinic.example',
      role: 'admin',
    });
    expect(post.status).toBe(403);
    expect((await new StaffAccounts(storage).find('editor@clinic.example'))?.role).toBe('editor');

    const agent = new StaffClient(base);
    await agent.signIn('agent@clinic.example');
    expect((await agent.get('/staff/content')).status).toBe(403);
    expect((await agent.get('/staff/bookings')).status).toBe(200);
  });

  it("shows an entry's caution box as the content has it, and saves it unticked", async () => {
    const editor = new StaffClient(base);
    await editor.signIn('editor@clinic.example');
    const box = /<input type="checkbox" id="f-caution" name="caution"[^>]*>/;
    const pregnancy = await editor.page('/staff/content/entry/pregnancy-breastfeeding');
    expect(box.exec(pregnancy.body)?.[0]).toContain('checked');
    expect(box.exec((await editor.page('/staff/content/entry/pain')).body)?.[0]).not.toContain('checked');

    const entry = draftEntry(readContentDir(path.join(__dirname, '..', '..', 'content')), 'pregnancy-breastfeeding')!;
    const form = new URLSearchParams({
      _csrf: editor.csrf,
      revision: /name="revision" value="(\d+)"/.exec(pregnancy.body)?.[1] ?? '',
      topic: entry.topic,
      reviewed: entry.reviewed,
      related: entry.related.join(', '),
    });
    for (const s of entry.sources) form.append('sources', s);
    for (const lang of LANGS)
      for (const f of ['title', 'questions', 'answer'] as const) {
        const value = entry.langs[lang][f];
        form.set(`${lang}.${f}`, Array.isArray(value) ? value.join('\n') : value);
      }
    const saved = await editor.post('/staff/content/entry/pregnancy-breastfeeding', form);
    expect(saved.status).toBe(303);
    const after = await editor.page('/staff/content/entry/pregnancy-breastfeeding');
    expect(box.exec(after.body)?.[0]).not.toContain('checked');
    const changes = (await editor.page('/staff/content/changes')).body;
    expect(changes).toMatch(/Answer first when a question also names it: <del>ticked<\/del> → <ins>not ticked<\/ins>/);
    await editor.post('/staff/content/discard', {
      _csrf: editor.csrf,
      revision: /name="revision" value="(\d+)"/.exec(after.body)?.[1] ?? '',
    });
  });

  it('ends the session at sign-out', async () => {
    const staff = new StaffClient(base);
    await staff.signIn('admin@clinic.example');
    await staff.page('/staff/accounts');
    const kept = staff.cookieHeader();
    expect((await staff.post('/staff/sign-out', { _csrf: staff.csrf })).status).toBe(303);
    const replay = await fetch(`${base}/staff/accounts`, { redirect: 'manual', headers: { cookie: kept } });
    expect(replay.status).toBe(401);
  });

  it('records sign-ins and failed sign-ins in the audit log', async () => {
    const admin = new StaffClient(base);
    await admin.signIn('admin@clinic.example');
    const { body } = await admin.page('/staff/audit');
    expect(body).toContain('failed sign-in');
    expect(body).toContain('signed in');
  });
});

describe('sign-in rate limit', () => {
  it('refuses further sign-in attempts from one address with 429 and Retry-After', async () => {
    const storage = new MemoryStorage();
    const { app, base } = await startApp({ STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '2' }, { storage });
    try {
      await addStaff(storage, 'admin@clinic.example', 'admin');
      const client = new StaffClient(base);
      expect((await client.signIn('admin@clinic.example', 'wrong password!!')).status).toBe(401);
      expect((await client.signIn('admin@clinic.example', 'wrong password!!')).status).toBe(401);
      const refused = await client.signIn('admin@clinic.example');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.getSetCookie().some((c) => c.startsWith('staff_session='))).toBe(false);
    } finally {
      await app.close();
    }
  });
});
