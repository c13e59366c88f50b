import { Activity, ActivityTypes, TestAdapter } from 'botbuilder';
import pino from 'pino';
import { createBot } from '../../bot/createBot';
import { AnalyticsReader } from '../../core/analytics/analyticsReader';
import { AnalyticsRecorder } from '../../core/analytics/analyticsRecorder';
import { StoreItems } from '../../core/storage/keyValueStore';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { TEST_NOW } from '../helpers/clock';
import { realContent } from '../helpers/content';
import { FakeBookingDesk } from '../helpers/conversation';

/** A state store whose first write of conversation state loses an eTag race (another instance was faster). */
class RacingStore extends SqliteStorage {
  raced = false;
  override async write(changes: StoreItems): Promise<void> {
    const key = Object.keys(changes).find((k) => k.includes('/conversations/'));
    if (key && !this.raced) {
      this.raced = true;
      throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
    }
    return super.write(changes);
  }
}

/** The real bot with staff's figures on, in one store; each `say` returns the texts replied. */
async function chat(store = new SqliteStorage(':memory:'), channelId = 'webchat') {
  const { engine, i18n } = await realContent();
  const recorder = new AnalyticsRecorder(store, { now: () => TEST_NOW });
  const { bot } = createBot({
    engine: () => engine,
    i18n,
    storage: store,
    log: pino({ level: 'silent' }),
    maxMessageChars: 2000,
    defaultLang: 'en',
    now: () => TEST_NOW,
    bookings: new FakeBookingDesk(),
    analytics: recorder,
  });
  const adapter = new TestAdapter((context) => bot.run(context), {
    channelId,
    conversation: { id: 'conversation-7', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'patient-7', name: 'Patient' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: 'en-US',
    serviceUrl: 'https://test.invalid',
  });
  const say = async (message: string | Partial<Activity>): Promise<string[]> => {
    const activity =
      typeof message === 'string' ? adapter.makeActivity(message) : { ...adapter.makeActivity(), ...message };
    activity.type = activity.type ?? ActivityTypes.Message;
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(0).map((a) => a.text ?? '');
  };
  const summary = async () => {
    await recorder.flush();
    return new AnalyticsReader(store).summary('24h', TEST_NOW);
  };
  return { say, summary, store };
}

describe('staff figures from a conversation', () => {
  it('counts the conversation once, a question answered and a question nobody curated', async () => {
    const { say, summary } = await chat();
    expect((await say('how long does the redness last?')).join(' ')).toMatch(/Source/);
    expect((await say('what is the capital of France?')).join(' ')).toMatch(/don't have an answer/);
    const s = await summary();
    expect(s.totals).toMatchObject({ conversations: 1, messages: 2, answered: 1, fallback: 1 });
    expect(s.rates).toEqual({ answered: 0.5, didYouMean: 0, fallback: 0.5 });
    expect(s.topEntries).toHaveLength(1);
    expect(s.topEntries[0].title.en).not.toBe('');
    expect(s.channels).toEqual([{ channel: 'webchat', conversations: 1, messages: 2 }]);
    expect(s.languages).toContainEqual({ lang: 'en', conversations: 1, messages: 2 });
  });

  it("counts 👍 and 👎 on the entry answered (Teams' feedback buttons, a reaction, words)", async () => {
    const { say, summary } = await chat(undefined, 'msteams');
    await say('how long does the redness last?');
    const feedback = (reaction: string): Partial<Activity> => ({
      type: ActivityTypes.Invoke,
      name: 'message/submitAction',
      value: { actionName: 'feedback', actionValue: { reaction, feedback: '{}' } },
    });
    await say(feedback('like'));
    await say({ type: ActivityTypes.MessageReaction, reactionsAdded: [{ type: 'like' }] });
    await say("that didn't help");
    const s = await summary();
    expect(s.topEntries).toEqual([expect.objectContaining({ answered: 1, thumbsUp: 2, thumbsDown: 1 })]);
    expect(s.totals).toMatchObject({ thumbsUp: 2, thumbsDown: 1, messages: 2, command: 1 });
  });

  it('counts a message once when its turn is run again after losing an eTag race', async () => {
    const store = new RacingStore(':memory:');
    const { say, summary } = await chat(store);
    expect((await say('how long does the redness last?')).join(' ')).toMatch(/Source/);
    expect(store.raced).toBe(true);
    const s = await summary();
    expect(s.totals).toMatchObject({ conversations: 1, messages: 1, answered: 1 });
  });

  it("never lets a patient's words reach the stored figures", async () => {
    const { say, summary, store } = await chat();
    await say('Hi, I am Zebediah Quiggins, zeb.quiggins@example.com, does microneedling hurt?');
    await say('my phone is 555 867 5309 and my kitten Bartholomew has fleas');
    await say('theres pus coming out and I feel feverish');
    const s = await summary();
    expect(s.totals).toMatchObject({ messages: 3, redFlags: 1 });
    const keys = await store.keys('analytics/');
    expect(keys.length).toBeGreaterThan(0);
    const stored = JSON.stringify(await store.read(keys));
    for (const word of [
      'Zebediah',
      'Quiggins',
      'example.com',
      '867',
      'Bartholomew',
      'kitten',
      'fleas',
      'pus',
      'conversation-7',
      'patient-7',
    ])
      expect(stored).not.toContain(word);
  });
});
