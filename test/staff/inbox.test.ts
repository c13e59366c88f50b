import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { AgentPresence } from '../../core/handoff/agentPresence';
import { HandoffQueue } from '../../core/handoff/handoffQueue';
import { HandoffNotice, HandoffRecord, OpenHandoff } from '../../core/handoff/handoffRecord';
import { DeliveryOutcome } from '../../core/proactive/patientMessenger';
import { AuditLog } from '../../core/staff/auditLog';
import { addStaff, StaffClient } from '../helpers/staffClient';
import { startApp } from '../helpers/testApp';

const SUMMARY = 'Pregunta si puede tratarse tomando isotretinoína.';
const PATIENT_TEXT = '¿Puedo hacerme microneedling si tomo isotretinoína?';

function asking(addressKey: string, summary = SUMMARY): OpenHandoff {
  return {
    addressKey,
    lang: 'es',
    channel: 'webchat',
    reason: 'asked',
    summary,
    transcript: [{ role: 'patient', text: PATIENT_TEXT }],
  };
}

describe('the staff inbox', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  let queue: HandoffQueue;
  const notices: { record: HandoffRecord; notice: HandoffNotice }[] = [];
  let outcome: DeliveryOutcome = { kind: 'sent' };

  beforeAll(async () => {
    storage = new MemoryStorage();
    ({ app, base } = await startApp(
      { STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000' },
      {
        storage,
        notifyPatient: async (record, notice) => {
          notices.push({ record, notice });
          return outcome;
        },
      },
    ));
    await addStaff(storage, 'ana.lopez@clinic.example', 'agent');
    await addStaff(storage, 'luis@clinic.example', 'agent');
    await addStaff(storage, 'editor@clinic.example', 'editor');
    queue = new HandoffQueue(storage);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    notices.length = 0;
    outcome = { kind: 'sent' };
  });

  const agent = async (email: string): Promise<StaffClient> => {
    const client = new StaffClient(base);
    await client.signIn(email);
    return client;
  };
  const json = async (client: StaffClient, path: string): Promise<Record<string, unknown>> => {
    const res = await client.get(path, { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    return (await res.json()) as Record<string, unknown>;
  };

  it('lets an agent take a waiting conversation, reply and resolve it, while a second agent cannot', async () => {
    const { record } = await queue.open(asking('webchat|conv-inbox-1'));
    const ana = await agent('ana.lopez@clinic.example');
    const list = await ana.page('/staff/inbox');
    expect(list.res.status).toBe(200);
    expect(list.body).toContain(SUMMARY);
    expect(list.body).toContain('asked for a person');
    expect(list.body).toContain('Español · webchat');
    expect(list.body).toContain('/staff/assets/inbox.js');
    // Polling the inbox is Ana being there: patients can now be queued for a person.
    expect((await new AgentPresence(storage).present()).map((a) => a.id)).toContain('ana.lopez@clinic.example');

    const page = await ana.page(`/staff/inbox/${record.id}`);
    expect(page.body).toContain(PATIENT_TEXT);
    expect(page.body).toContain(`/staff/inbox/${record.id}/claim`);
    const claimed = await ana.post(`/staff/inbox/${record.id}/claim`, { _csrf: ana.csrf });
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get('location')).toBe(`/staff/inbox/${record.id}?done=claimed`);
    expect(notices.map((n) => n.notice)).toEqual([{ kind: 'claimed', staffName: 'Ana' }]);

    const luis = await agent('luis@clinic.example');
    await luis.page(`/staff/inbox/${record.id}`);
    const second = await luis.post(`/staff/inbox/${record.id}/claim`, { _csrf: luis.csrf });
    expect(second.headers.get('location')).toBe(`/staff/inbox/${record.id}?problem=taken`);
    const intruder = await luis.post(`/staff/inbox/${record.id}/reply`, { _csrf: luis.csrf, text: 'Hola' });
    expect(intruder.headers.get('location')).toBe(`/staff/inbox/${record.id}?problem=not-yours`);
    expect((await queue.get(record.id))?.claimedBy).toEqual({ id: 'ana.lopez@clinic.example', name: 'Ana' });

    const mine = await ana.page(`/staff/inbox/${record.id}`);
    expect(mine.body).toContain('id="reply-text"');
    expect(mine.body).toContain('Hola, le escribe el equipo de la clínica.');
    const after = (await queue.get(record.id))?.messageCount ?? 0;
    const sent = await ana.post(`/staff/inbox/${record.id}/reply`, { _csrf: ana.csrf, text: 'Hola, soy Ana.' });
    expect(sent.status).toBe(303);
    expect(notices.at(-1)?.notice).toEqual({ kind: 'staff-reply', text: 'Hola, soy Ana.', staffName: 'Ana' });
    expect(notices.at(-1)?.record.addressKey).toBe('webchat|conv-inbox-1');
    const fresh = await json(ana, `/staff/inbox/${record.id}/messages?after=${after}`);
    expect(fresh.state).toBe('claimed');
    expect(fresh.items).toContain('Hola, soy Ana.');
    expect(fresh.after).toBe(after + 1);

    const canned = await ana.post(`/staff/inbox/${record.id}/reply`, { _csrf: ana.csrf, text: '', canned: '3' });
    expect(canned.status).toBe(303);
    expect(notices.at(-1)?.notice).toMatchObject({ kind: 'staff-reply', text: '¿Puedo ayudarle en algo más?' });

    const resolved = await ana.post(`/staff/inbox/${record.id}/resolve`, { _csrf: ana.csrf });
    expect(resolved.headers.get('location')).toBe('/staff/inbox?tab=resolved&done=resolved');
    expect(notices.at(-1)?.notice).toEqual({ kind: 'resolved' });
    expect((await queue.get(record.id))?.state).toBe('resolved');
    expect((await ana.page('/staff/inbox?tab=resolved')).body).toContain(SUMMARY);

    const audit = await new AuditLog(storage).recent();
    const details = audit.filter((e) => e.action === 'handoff').map((e) => e.detail);
    expect(details).toEqual(expect.arrayContaining(['claimed', 'replied', 'resolved']));
    // The audit log names the conversation by a short id, never what was said.
    expect(JSON.stringify(audit)).not.toMatch(/Hola|isotretino/);
  });

  it('shows a visible error and keeps the reply when it cannot reach the patient', async () => {
    const { record } = await queue.open(asking('webchat|conv-inbox-2'));
    const ana = await agent('ana.lopez@clinic.example');
    await ana.page(`/staff/inbox/${record.id}`);
    await ana.post(`/staff/inbox/${record.id}/claim`, { _csrf: ana.csrf });
    outcome = { kind: 'stopped', reason: 'forbidden' };
    const refused = await ana.post(`/staff/inbox/${record.id}/reply`, { _csrf: ana.csrf, text: 'Le llamo ahora.' });
    expect(refused.status).toBe(502);
    const body = await refused.text();
    expect(body).toMatch(/role="alert">The patient&#39;s channel refuses messages for good/);
    expect(body).toContain('Le llamo ahora.</textarea>');
    expect((await queue.get(record.id))?.transcript.some((m) => m.role === 'staff')).toBe(false);

    outcome = { kind: 'failed', error: 'network' };
    const resolved = await ana.post(`/staff/inbox/${record.id}/resolve`, { _csrf: ana.csrf });
    expect(resolved.headers.get('location')).toBe('/staff/inbox?tab=resolved&done=resolved&problem=failed');
    expect((await ana.page(resolved.headers.get('location') ?? '')).body).toMatch(
      /role="alert">The message could not reach/,
    );
  });

  it('refuses a post without the session’s CSRF token, and keeps editors out of the inbox', async () => {
    const { record } = await queue.open(asking('webchat|conv-inbox-3'));
    const ana = await agent('ana.lopez@clinic.example');
    const forged = await ana.post(`/staff/inbox/${record.id}/claim`, { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect((await queue.get(record.id))?.state).toBe('waiting');

    const editor = await agent('editor@clinic.example');
    expect((await editor.get('/staff/inbox')).status).toBe(403);
    expect((await editor.get(`/staff/inbox/${record.id}`)).status).toBe(403);
    expect((await editor.get('/staff/inbox/updates?since=0', { accept: 'application/json' })).status).toBe(403);
    const { body } = await editor.page('/staff/analytics');
    expect(body).not.toContain('href="/staff/inbox"');
    expect(await editor.post(`/staff/inbox/${record.id}/claim`, { _csrf: editor.csrf })).toHaveProperty('status', 403);
    expect((await new AgentPresence(storage).present()).map((a) => a.id)).not.toContain('editor@clinic.example');
  });

  it('answers the inbox poll with nothing new until a conversation changes, then with the list', async () => {
    const ana = await agent('ana.lopez@clinic.example');
    const before = await json(ana, '/staff/inbox/updates?tab=waiting&since=-1');
    expect(before.changed).toBe(true);
    const version = Number(before.version);
    expect(await json(ana, `/staff/inbox/updates?tab=waiting&since=${version}`)).toEqual({ version, changed: false });

    const { record } = await queue.open(asking('webchat|conv-inbox-4', 'Quiere hablar con alguien sobre su cita.'));
    const after = await json(ana, `/staff/inbox/updates?tab=waiting&since=${version}`);
    expect(after.changed).toBe(true);
    expect(Number(after.version)).toBeGreaterThan(version);
    expect(after.list).toContain('Quiere hablar con alguien sobre su cita.');
    expect(after.counts).toMatchObject({ waiting: expect.any(Number), mine: expect.any(Number) });

    await queue.appendPatientMessage(record.id, 'me cuesta respirar', { redFlag: true });
    const messages = await json(ana, `/staff/inbox/${record.id}/messages?after=0`);
    expect(messages.redFlagCount).toBe(1);
    expect(messages.redFlags).toMatch(/role="alert">A warning sign fired/);
    expect(messages.items).toContain('me cuesta respirar');
  });

  it('shows the page in Spanish with the same conversation', async () => {
    const { record } = await queue.open(asking('webchat|conv-inbox-5'));
    const ana = await agent('ana.lopez@clinic.example');
    const { body } = await ana.page(`/staff/inbox/${record.id}?lang=es`);
    expect(body).toContain('Tomar esta conversación');
    expect(body).toContain('pidió hablar con una persona');
  });
});
