import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BookingOutbox } from '../../core/booking/outbox';
import { DEFAULT_RETENTION_DAYS, RetentionSweep } from '../../core/retention/retentionSweep';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { TEST_NOW } from '../helpers/clock';
import { Conversation } from '../helpers/conversation';

const DAY = 86_400_000;
const CONVERSATION_KEY = 'test/conversations/conversation/';
const USER_KEY = 'test/users/patient/';

describe("a conversation's last activity", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'last-activity-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a conversation whose patient only asks questions, and lets it go 30 days after the last one', async () => {
    let clock = TEST_NOW.getTime();
    const now = (): Date => new Date(clock);
    const storage = new SqliteStorage(path.join(dir, 'state.sqlite'), () => clock);
    const sweep = (owner: string): Promise<unknown> =>
      new RetentionSweep(
        storage,
        storage,
        new BookingOutbox(storage, now),
        {
          conversationDays: DEFAULT_RETENTION_DAYS.conversation,
          bookingDays: DEFAULT_RETENTION_DAYS.booking,
          gapsDays: DEFAULT_RETENTION_DAYS.gaps,
        },
        { owner, now },
      ).run();
    try {
      const chat = await Conversation.start({ storage, now });
      await chat.say("it's day 5 and still peeling");
      // The same question every ten days changes nothing else the bot keeps.
      for (const day of [10, 20, 30, 40]) {
        clock = TEST_NOW.getTime() + day * DAY;
        expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
      }
      clock = TEST_NOW.getTime() + 65 * DAY;
      await sweep('first');
      expect((await storage.read([CONVERSATION_KEY]))[CONVERSATION_KEY]).toMatchObject({
        memory: { treatmentDate: '2026-02-28' },
      });
      expect((await storage.read([USER_KEY]))[USER_KEY]).toBeDefined();

      clock = TEST_NOW.getTime() + 71 * DAY;
      await sweep('second');
      expect(await storage.read([CONVERSATION_KEY, USER_KEY])).toEqual({});
    } finally {
      storage.close();
    }
  });
});
