import {
  Activity,
  ActivityTypes,
  MemoryStorage,
  ResourceResponse,
  Storage,
  StoreItems,
  TestAdapter,
  TurnContext,
} from 'botbuilder';
import { App } from '../../bot/app';
import { turnErrorHandler } from '../../bot/turnErrorHandler';
import { FakeBookingDesk, testBot } from '../helpers/conversation';
import { RecordingServer } from '../helpers/fakeChannelAuth';
import { captureLog } from '../helpers/logCapture';
import { messageActivity, postActivity, replyTexts, startApp } from '../helpers/testApp';

/** Memory storage that can be made to fail: the next N reads or writes, or everything. */
class FlakyStorage implements Storage {
  private readonly inner = new MemoryStorage();
  failReads = 0;
  failWrites = 0;
  down = false;

  async read(keys: string[]): Promise<StoreItems> {
    if (this.down || this.failReads-- > 0) throw new Error('storage unavailable (read)');
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    if (this.down || this.failWrites-- > 0) throw new Error('storage unavailable (write)');
    return this.inner.write(changes);
  }

  async delete(keys: string[]): Promise<void> {
    if (this.down) throw new Error('storage unavailable (delete)');
    return this.inner.delete(keys);
  }
}

const APOLOGY_EN = new RegExp(
  String.raw`^Sorry, something went wrong on my side \(reference ([0-9a-f]{8})\)\. ` +
    String.raw`Please try again, or contact the clinic on .+\d`,
);
const APOLOGY_ES = new RegExp(
  String.raw`^Lo siento, algo ha fallado por mi parte \(referencia ([0-9a-f]{8})\)\. ` +
    String.raw`Inténtalo de nuevo o contacta con la clínica en el .+\d`,
);
const NO_LIMITS = { RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' };

describe('one handler for a failed turn', () => {
  const storage = new FlakyStorage();
  const logged = captureLog();
  let app: App;
  let base: string;
  let conversation = 0;

  beforeAll(async () => {
    ({ app, base } = await startApp(NO_LIMITS, { storage, log: logged.log }));
  });
  afterAll(() => app.close());
  afterEach(() => {
    storage.failReads = 0;
    storage.failWrites = 0;
    storage.down = false;
  });

  /** A fresh conversation in the given locale; returns a function that sends one message and gives the reply texts. */
  function patient(locale: string) {
    const id = `turn-error-${++conversation}`;
    return async (text: string): Promise<string[]> => {
      const res = await postActivity(
        base,
        messageActivity(text, { locale, conversation: { id }, from: { id: `patient-${id}` } }),
      );
      expect(res.status).toBe(200);
      return replyTexts(res);
    };
  }

  function turnErrorLogged(ref: string): Record<string, unknown> | undefined {
    return logged.lines().find((line) => line.event === 'turn-error' && line.ref === ref);
  }

  it('apologises in English with a reference, logs the error under it, and answers the next message', async () => {
    const say = patient('en-US');
    storage.failWrites = 1;
    const replies = await say('does it hurt?');
    expect(replies).toHaveLength(1);
    const ref = APOLOGY_EN.exec(replies[0])?.[1];
    expect(ref).toBeDefined();

    const line = turnErrorLogged(ref ?? '');
    expect(line).toMatchObject({
      level: 50,
      err: { name: 'Error', message: 'storage unavailable (write)' },
      activityType: 'message',
    });
    expect(JSON.stringify(line)).toContain('FlakyStorage.write');
    // The error is logged, the patient's words are not.
    expect(logged.text()).not.toContain('does it hurt');

    expect((await say('does it hurt?')).join('\n')).toContain('Source:');
  });

  it('apologises in Spanish to a Spanish-speaking patient', async () => {
    const say = patient('es-ES');
    storage.failWrites = 1;
    const replies = await say('¿duele?');
    const ref = APOLOGY_ES.exec(replies[0])?.[1];
    expect(ref).toBeDefined();
    expect(turnErrorLogged(ref ?? '')).toBeDefined();
    expect((await say('¿duele?')).join('\n')).toContain('Fuente:');
  });

  it('apologises in the patient’s language even when the storage is down altogether', async () => {
    const say = patient('es-MX');
    storage.down = true;
    const replies = await say('¿cuántas sesiones necesito?');
    expect(replies).toHaveLength(1);
    const ref = APOLOGY_ES.exec(replies[0])?.[1];
    expect(ref).toBeDefined();
    expect(turnErrorLogged(ref ?? '')).toBeDefined();
    storage.down = false;
    expect((await say('¿cuántas sesiones necesito?')).join('\n')).toContain('Fuente:');
  });

  it('gives each failure its own reference', async () => {
    const say = patient('en-US');
    storage.failWrites = 1;
    const first = APOLOGY_EN.exec((await say('does it hurt?'))[0])?.[1];
    storage.failWrites = 1;
    const second = APOLOGY_EN.exec((await say('does it hurt?'))[0])?.[1];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('keeps the patient’s place in a guided conversation when a turn fails mid-way', async () => {
    const say = patient('en-US');
    expect((await say('am i a good candidate?')).join(' ')).toMatch(/Question 1 of \d+/);
    storage.failWrites = 1;
    const apology = (await say('no'))[0];
    expect(apology).toMatch(APOLOGY_EN);
    const ref = APOLOGY_EN.exec(apology)?.[1] ?? '';
    // The log says which guided conversation the turn failed in, and that it was not reset.
    expect(turnErrorLogged(ref)).toMatchObject({ dialog: 'screeningDialog', failure: 'failed' });
    expect(logged.lines().some((line) => line.event === 'turn-error-reset' && line.ref === ref)).toBe(false);
    // Nothing of the failed turn was kept: the same answer again moves on to the next question.
    expect((await say('no')).join(' ')).toMatch(/Question 2 of \d+/);
    expect((await say('does it hurt?')).join('\n')).toContain('Source:');
    expect((await say('no')).join(' ')).toMatch(/Question 3 of \d+/);
  });

  it('sends the apology to the channel in normal delivery mode', async () => {
    const connector = await new RecordingServer().start();
    try {
      storage.failWrites = 1;
      const res = await postActivity(
        base,
        messageActivity('does it hurt?', {
          serviceUrl: connector.url,
          deliveryMode: 'normal',
          conversation: { id: 'turn-error-normal' },
        }),
      );
      expect(res.status).toBe(200);
      expect(connector.received).toHaveLength(1);
      expect(connector.received[0].path).toMatch(/^\/v3\/conversations\/turn-error-normal\/activities\//);
      expect(connector.received[0].body.text).toMatch(APOLOGY_EN);
    } finally {
      await connector.stop();
    }
  });
});

/** A channel that is unreachable for the next `failSends` replies, as a Teams or Direct Line outage. */
class FlakyChannelAdapter extends TestAdapter {
  failSends = 0;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (this.failSends > 0) {
      this.failSends--;
      throw new Error('connect ECONNREFUSED (channel unreachable)');
    }
    return super.sendActivities(context, activities);
  }
}

describe('a failed turn keeps the patient’s place', () => {
  const logged = captureLog();

  /** The real bot behind a channel that can fail, with the service's turn-error handler. */
  async function start(storage: Storage = new MemoryStorage()) {
    const desk = new FakeBookingDesk();
    const { bot, replies } = await testBot(undefined, desk, logged.log, { storage });
    const adapter = new FlakyChannelAdapter((context) => bot.run(context), {
      channelId: 'test',
      conversation: { id: 'place-kept', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'patient', name: 'Patient' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: 'en-US',
    });
    adapter.onTurnError = turnErrorHandler(bot, replies, logged.log);
    const say = async (text: string): Promise<string[]> => {
      await adapter.processActivity({ ...adapter.makeActivity(text), type: ActivityTypes.Message });
      return adapter.activeQueue.splice(0).map((a) => a.text ?? '');
    };
    return { adapter, desk, say };
  }

  it('carries on with a booking after a reply could not be sent, and sends the request whole', async () => {
    const { adapter, desk, say } = await start();
    expect(await say('i want to book')).not.toEqual([]);
    adapter.failSends = 1;
    // The question after the name never reached the patient: an apology did.
    const lost = await say('Ana García');
    expect(lost).toEqual([expect.stringMatching(APOLOGY_EN)]);
    const ref = APOLOGY_EN.exec(lost[0])?.[1] ?? '';
    expect(logged.lines().find((line) => line.event === 'turn-error' && line.ref === ref)).toMatchObject({
      failure: 'reply-not-sent',
      dialog: 'bookingDialog',
    });
    // The name was kept: the patient's next messages carry on from the contact details.
    for (const text of ['ana@example.com', 'No thanks', 'weekday mornings', 'Microneedling', 'No note', 'yes']) {
      expect(await say(text)).not.toContainEqual(expect.stringMatching(APOLOGY_EN));
    }
    expect(desk.submitted).toHaveLength(0);
    expect((await say('Send request')).join(' ')).toMatch(/has been received/);
    expect(desk.submitted).toHaveLength(1);
    expect(desk.submitted[0].patient).toEqual({ name: 'Ana García', email: 'ana@example.com' });
    expect(logged.text()).not.toContain('ana@example.com');
  });

  it('starts afresh only when the stored conversation names a flow this version does not have', async () => {
    const storage = new MemoryStorage();
    await storage.write({
      'test/conversations/place-kept/': {
        dialogState: { dialogStack: [{ id: 'retiredDialog', state: {} }] },
        eTag: '*',
      },
      'test/users/patient/': { profile: { flowIn: 'place-kept' }, eTag: '*' },
    });
    const { say } = await start(storage);
    const failed = await say('hello');
    expect(failed).toEqual([expect.stringMatching(APOLOGY_EN)]);
    const ref = APOLOGY_EN.exec(failed[0])?.[1] ?? '';
    expect(logged.lines().find((line) => line.event === 'turn-error' && line.ref === ref)).toMatchObject({
      failure: 'unreadable-state',
    });
    expect(logged.lines().some((line) => line.event === 'turn-error-reset' && line.ref === ref)).toBe(true);
    expect((await say('does it hurt?')).join('\n')).toContain('Source:');
  });
});
