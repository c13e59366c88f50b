import { Activity, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import pino from 'pino';
import { CheckedConversationState, CheckedUserState } from '../../bot/checkedState';
import { TurnRunner } from '../../bot/turnRunner';
import { TEST_NOW } from '../helpers/clock';

const CONVERSATION: Partial<Activity> = {
  channelId: 'test',
  conversation: { id: 'shared', isGroup: false, conversationType: 'personal', name: '' },
  from: { id: 'patient', name: 'Patient' },
  recipient: { id: 'bot', name: 'Bot' },
};

/** One bot instance: a turn appends the message to a list kept in conversation state. */
function instance(
  storage: MemoryStorage,
  clock: { now: number },
  during?: () => Promise<void>,
  scope: 'shared' | 'process' = 'shared',
) {
  const conversationState = new CheckedConversationState(storage);
  const runner = new TurnRunner(
    conversationState,
    new CheckedUserState(storage),
    pino({ level: 'silent' }),
    60_000,
    () => new Date(clock.now),
    scope,
  );
  const list = conversationState.createProperty<string[]>('list');
  let turns = 0;
  const adapter = new TestAdapter(
    (context: TurnContext) =>
      runner.run(context, async () => {
        turns++;
        const before = await list.get(context, []);
        await context.sendActivity(`saw ${before.join(',') || 'nothing'}`);
        if (during && turns === 1) await during();
        await list.set(context, [...before, context.activity.text ?? '']);
      }),
    CONVERSATION,
  );
  return {
    adapter,
    list: async () =>
      (
        (await storage.read(['test/conversations/shared/']))['test/conversations/shared/'] as
          { list?: string[] } | undefined
      )?.list,
    turns: () => turns,
  };
}

describe('turns as transactions over conversation state', () => {
  it('re-runs a turn that lost a race with another instance, and the patient sees its reply once', async () => {
    const storage = new MemoryStorage();
    const clock = { now: TEST_NOW.getTime() };
    const other = instance(storage, clock);
    const say = (bot: ReturnType<typeof instance>, text: string) =>
      bot.adapter.processActivity({ ...bot.adapter.makeActivity(text), id: text });
    await say(other, 'first');
    // While this instance handles "mine", the other instance saves "theirs" to the same conversation.
    const racing = instance(storage, clock, () => say(other, 'theirs'));
    await say(racing, 'mine');
    expect(other.adapter.activeQueue.map((a) => a.text)).toEqual(['saw nothing', 'saw first']);
    // The first run's reply ("saw first") was held and dropped; the patient sees the re-run's only.
    expect(racing.adapter.activeQueue.map((a) => a.text)).toEqual(['saw first,theirs']);
    expect(racing.turns()).toBe(2);
    expect(await racing.list()).toEqual(['first', 'theirs', 'mine']);
  });

  it('answers an activity delivered twice only once', async () => {
    const storage = new MemoryStorage();
    const clock = { now: TEST_NOW.getTime() };
    const bot = instance(storage, clock);
    const activity = { ...bot.adapter.makeActivity('hello'), id: 'same-id' };
    await bot.adapter.processActivity(activity);
    await bot.adapter.processActivity({ ...activity });
    expect(bot.adapter.activeQueue.map((a) => a.text)).toEqual(['saw nothing']);
    expect(await bot.list()).toEqual(['hello']);
  });

  it('processes the same id again once the window has passed', async () => {
    const storage = new MemoryStorage();
    const clock = { now: TEST_NOW.getTime() };
    const bot = instance(storage, clock);
    const activity = { ...bot.adapter.makeActivity('hello'), id: 'same-id' };
    await bot.adapter.processActivity(activity);
    clock.now += 61_000;
    await bot.adapter.processActivity({ ...activity });
    expect(await bot.list()).toEqual(['hello', 'hello']);
  });

  it('runs turns of one conversation one at a time in a process', async () => {
    const storage = new MemoryStorage();
    const clock = { now: TEST_NOW.getTime() };
    const bot = instance(storage, clock);
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => bot.adapter.processActivity(bot.adapter.makeActivity(text))));
    expect((await bot.list())?.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(bot.turns()).toBe(4);
  });

  it('with the process scope, answers a redelivery once without writing the seen id to state', async () => {
    const storage = new MemoryStorage();
    const clock = { now: TEST_NOW.getTime() };
    const bot = instance(storage, clock, undefined, 'process');
    const activity = { ...bot.adapter.makeActivity('hello'), id: 'same-id' };
    await Promise.all([bot.adapter.processActivity(activity), bot.adapter.processActivity({ ...activity })]);
    expect(bot.adapter.activeQueue.map((a) => a.text)).toEqual(['saw nothing']);
    const stored = (await storage.read(['test/conversations/shared/']))['test/conversations/shared/'] as Record<
      string,
      unknown
    >;
    expect(stored.seenActivities).toBeUndefined();
    clock.now += 61_000;
    await bot.adapter.processActivity({ ...activity });
    expect(await bot.list()).toEqual(['hello', 'hello']);
  });
});
