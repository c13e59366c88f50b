import * as fc from 'fast-check';
import { HttpBot, HttpReply } from '../helpers/httpBot';
import { ALL_NAUGHTY_STRINGS } from '../helpers/naughtyStrings';

/**
 * Random and hostile activities thrown at the whole bot through its real HTTP endpoint. Every one
 * must get a well-formed response (never a 500 with internals, never a turn error, never an
 * unhandled rejection), and the conversation must survive it: a normal question still gets its
 * sourced answer, and a flow in progress can still go on or be stopped.
 */

const SOURCED = /Source:|Fuente:/;
const TURN_ERROR = /something went wrong|algo ha fallado/i;
const INTERNALS = /\bat \S+ \(|node_modules|[\\/]work[\\/]|TypeError|ReferenceError|validateAndFixActivity|\bstack\b/;
const STOPPED = {
  screening: /we've left that|lo dejamos/,
  booking: /haven't sent anything|no he enviado nada/,
} as const;
const BOOKING_SCRIPT = [
  'Ana García',
  'ana@example.com',
  'No thanks',
  'weekday mornings',
  'Microneedling',
  'No note',
  'yes',
];

let bot: HttpBot;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  bot = await new HttpBot().start();
});
afterAll(async () => {
  await bot.stop();
  process.off('unhandledRejection', onUnhandled);
});
let logsFrom = 0;
beforeEach(() => {
  logsFrom = bot.logs.length;
});
afterEach(() => {
  expect(unhandled).toEqual([]);
  // No turn failed, and nothing else was logged as an error, during the test.
  expect(
    bot.logs
      .slice(logsFrom)
      .split('\n')
      .filter((line) => /"level":50/.test(line)),
  ).toEqual([]);
});

let conversations = 0;
/** A fresh conversation and user for one run. */
function fresh(prefix: string): { conv: string; user: string } {
  conversations += 1;
  return { conv: `${prefix}-${conversations}`, user: `${prefix}-user-${conversations}` };
}

/** Status below 500, no internals in the body, JSON activities when it is a 200, and no turn error. */
function expectWellFormed(reply: HttpReply): void {
  expect(reply.status).toBeLessThan(500);
  expect(reply.body).not.toMatch(INTERNALS);
  if (reply.status === 200 && reply.body !== '') expect(() => JSON.parse(reply.body)).not.toThrow();
  for (const a of reply.activities) expect(a.text ?? '').not.toMatch(TURN_ERROR);
  expect(reply.ms).toBeLessThan(5_000);
}

/** The conversation still answers a normal question with its source. */
async function expectStillAnswers(conv: string, user: string): Promise<void> {
  const answer = await bot.say(conv, user, 'does it hurt?');
  expect(answer.join('\n')).toMatch(SOURCED);
}

async function startFlow(flow: 'screening' | 'booking', conv: string, user: string, progress: number): Promise<void> {
  if (flow === 'screening') {
    await bot.say(conv, user, 'am I a good candidate?');
    for (let i = 0; i < progress; i++) await bot.say(conv, user, 'no');
  } else {
    await bot.say(conv, user, 'i want to book');
    for (const answer of BOOKING_SCRIPT.slice(0, progress)) await bot.say(conv, user, answer);
  }
  expect(await bot.flowWaiting(conv, user)).toBe(true);
}

// ---- arbitraries -------------------------------------------------------------------------------

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileText = fc.oneof(
  fc.constantFrom(...ALL_NAUGHTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: anyCodeUnit, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const weird = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 3 }),
);
const account = fc.oneof(
  weird,
  fc.record({ id: fc.oneof(weird, fc.string({ maxLength: 20 })), name: weird }, { requiredKeys: [] }),
);
/** Adaptive Card submits and the like: `value` objects of shapes the bot never asked for. */
const cardValue = fc.oneof(
  weird,
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ action: fc.constantFrom('submit', 'book', 'yes'), data: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    actionName: fc.constantFrom('feedback', 'other'),
    actionValue: fc.oneof(weird, fc.record({ reaction: weird, feedback: weird })),
  }),
);
const activityType = fc.oneof(
  fc.constantFrom(
    'message',
    'message',
    'message',
    'conversationUpdate',
    'invoke',
    'messageReaction',
    'event',
    'typing',
    'endOfConversation',
    'installationUpdate',
    'messageUpdate',
    'messageDelete',
    'deleteUserData',
    'handoff',
    'trace',
    'command',
    'suggestion',
  ),
  fc.string({ maxLength: 20 }),
  weird,
);
const members = fc.oneof(weird, fc.array(fc.oneof(account, weird), { maxLength: 4 }));
const reactions = fc.oneof(
  weird,
  fc.array(fc.oneof(fc.record({ type: fc.oneof(fc.constantFrom('like', 'dislike', 'angry', 'sad'), weird) }), weird), {
    maxLength: 3,
  }),
);
const invokeName = fc.oneof(
  fc.constantFrom(
    'message/submitAction',
    'adaptiveCard/action',
    'signin/verifyState',
    'signin/tokenExchange',
    'composeExtension/query',
    'task/fetch',
    'healthCheck',
    'application/search',
    'config/fetch',
    'actionableMessage/executeAction',
  ),
  fc.string({ maxLength: 30 }),
  weird,
);

/** Any field of an activity, with types a channel would never send. */
const hostileFields = fc.record(
  {
    type: activityType,
    id: fc.oneof(fc.uuid(), weird),
    text: fc.oneof(hostileText, weird),
    textFormat: fc.oneof(fc.constantFrom('markdown', 'xml', 'plain'), weird),
    value: cardValue,
    name: invokeName,
    from: account,
    conversation: account,
    recipient: account,
    membersAdded: members,
    membersRemoved: members,
    reactionsAdded: reactions,
    reactionsRemoved: reactions,
    locale: fc.oneof(fc.constantFrom('en-US', 'es-ES', 'es', 'xx-YY', ''), weird),
    localTimezone: fc.oneof(fc.constantFrom('Europe/Madrid', 'Mars/Olympus_Mons', ''), weird),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string({ maxLength: 12 }),
      weird,
    ),
    localTimestamp: fc.oneof(fc.string({ maxLength: 12 }), weird),
    channelData: weird,
    entities: fc.oneof(weird, fc.array(weird, { maxLength: 3 })),
    attachments: fc.oneof(
      weird,
      fc.array(fc.oneof(weird, fc.record({ contentType: weird, content: weird })), { maxLength: 2 }),
    ),
    action: weird,
    replyToId: weird,
  },
  { requiredKeys: [] },
);

/** A hostile message or event arriving in the middle of a flow, in that flow's conversation. */
const midFlowHostile = fc.oneof(
  hostileText.map((text) => ({ text })),
  cardValue.map((value) => ({ text: undefined, value })),
  weird.map((text) => ({ text })),
  fc.record({
    type: fc.constantFrom('invoke', 'messageReaction', 'conversationUpdate', 'event', 'unknownType'),
    name: invokeName,
    value: cardValue,
    reactionsAdded: reactions,
    membersAdded: members,
  }),
);

// ---- properties ---------------------------------------------------------------------------------

describe('hostile activities over HTTP', () => {
  it('answers any activity well-formed, and the conversation still answers a question afterwards', async () => {
    await fc.assert(
      fc.asyncProperty(hostileFields, async (fields) => {
        const { conv, user } = fresh('any');
        expectWellFormed(await bot.post({ ...bot.activity(conv, user, {}), ...fields }));
        await expectStillAnswers(conv, user);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a screening or booking in progress going, or stoppable, after a hostile message or event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('screening' as const, 'booking' as const),
        fc.integer({ min: 0, max: BOOKING_SCRIPT.length }),
        midFlowHostile,
        fc.boolean(),
        async (flow, progress, hostile, stop) => {
          const { conv, user } = fresh(`mid-${flow}`);
          await startFlow(flow, conv, user, flow === 'screening' ? Math.min(progress, 3) : progress);
          expectWellFormed(await bot.post({ ...bot.activity(conv, user, {}), ...hostile }));
          // A hostile text may well be an answer ("n" answers "no"); whatever it did, a waiting flow must still work.
          if (await bot.flowWaiting(conv, user)) {
            if (stop) {
              expect((await bot.say(conv, user, 'stop')).join('\n')).toMatch(STOPPED[flow]);
              expect(await bot.flowWaiting(conv, user)).toBe(false);
            } else {
              const next = await bot.say(conv, user, flow === 'screening' ? 'no' : 'Ana García');
              expect(next.length).toBeGreaterThan(0);
              for (const text of next) expect(text).not.toMatch(TURN_ERROR);
            }
          }
          await expectStillAnswers(conv, user);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a page-long message mid-flow quickly, and the flow goes on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('screening' as const, 'booking' as const),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('(', '1-', 'a.', '<', 'a@', '+1 ', 'é', '\u202e'),
        async (flow, progress, unit) => {
          const { conv, user } = fresh(`long-${flow}`);
          await startFlow(flow, conv, user, progress);
          // 60,000 characters: at most 180 kB of UTF-8, under the body limit.
          const reply = await bot.post(
            bot.activity(conv, user, { text: unit.repeat(Math.floor(60_000 / unit.length)) }),
          );
          expectWellFormed(reply);
          expect(reply.status).toBe(200);
          expect(reply.activities.map((a) => a.text).join('\n')).toMatch(/too long|demasiado largo/);
          expect(await bot.flowWaiting(conv, user)).toBe(true);
          expect((await bot.say(conv, user, 'stop')).join('\n')).toMatch(STOPPED[flow]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the naughty strings', () => {
  it('are answered well-formed as free questions, and the next question is still answered', async () => {
    for (const text of ALL_NAUGHTY_STRINGS) {
      const { conv, user } = fresh('naughty-free');
      expectWellFormed(await bot.post(bot.activity(conv, user, { text })));
      await expectStillAnswers(conv, user);
    }
  });

  it('are handled as screening answers, and the screening goes on', async () => {
    for (const text of ALL_NAUGHTY_STRINGS) {
      const { conv, user } = fresh('naughty-screening');
      await startFlow('screening', conv, user, 1);
      expectWellFormed(await bot.post(bot.activity(conv, user, { text })));
      expect(await bot.flowWaiting(conv, user)).toBe(true);
      expect((await bot.say(conv, user, 'no')).join('\n')).toMatch(/Question \d+ of 14/);
      expect((await bot.say(conv, user, 'stop')).join('\n')).toMatch(STOPPED.screening);
    }
  });

  it('are handled as booking answers at every step, and the booking can still be stopped', async () => {
    for (const [i, text] of ALL_NAUGHTY_STRINGS.entries()) {
      const { conv, user } = fresh('naughty-booking');
      // Each string lands on another step: name, contact, phone offer, times, treatment, note, consent, confirmation.
      await startFlow('booking', conv, user, i % (BOOKING_SCRIPT.length + 1));
      expectWellFormed(await bot.post(bot.activity(conv, user, { text })));
      expect(await bot.flowWaiting(conv, user)).toBe(true);
      expect((await bot.say(conv, user, 'stop')).join('\n')).toMatch(STOPPED.booking);
      await expectStillAnswers(conv, user);
    }
  });
});

describe('regressions found by the properties', () => {
  it('reads a locale that is not a string as no locale', async () => {
    const { conv, user } = fresh('locale');
    const reply = await bot.post(bot.activity(conv, user, { text: 'does it hurt?', locale: [] }));
    expect(reply.activities.map((a) => a.text).join('\n')).toMatch(SOURCED);
  });

  it('reads entities that are not a list as no client information', async () => {
    const { conv, user } = fresh('entities');
    for (const entities of [0, 'x', { type: 'clientInfo', locale: 'es-ES' }]) {
      const join = { type: 'conversationUpdate', membersAdded: [{}], locale: '', entities };
      expectWellFormed(await bot.post(bot.activity(conv, user, join)));
      const reply = await bot.post(bot.activity(conv, user, { text: 'does it hurt?', locale: '', entities }));
      expect(reply.activities.map((a) => a.text).join('\n')).toMatch(SOURCED);
    }
  });

  it('refuses an adaptive card action whose value is not an object as a bad invoke, not a failed turn', async () => {
    const { conv, user } = fresh('invoke');
    await bot.post(bot.activity(conv, user, { text: 'am i a good candidate?' }));
    const reply = await bot.post(bot.activity(conv, user, { type: 'invoke', name: 'adaptiveCard/action', value: -1 }));
    expect(reply.status).toBeLessThan(500);
    expect(reply.body).not.toMatch(/something went wrong|algo ha fallado/i);
    expect(
      (await bot.post(bot.activity(conv, user, { text: 'does it hurt?' }))).activities.map((a) => a.text).join('\n'),
    ).toMatch(SOURCED);
  });

  it('skips reactions and joined members that are not objects, and still welcomes a real member', async () => {
    const { conv, user } = fresh('lists');
    for (const reactionsAdded of ['x', [null, 5], [{ type: 7 }]]) {
      expectWellFormed(await bot.post(bot.activity(conv, user, { type: 'messageReaction', reactionsAdded })));
    }
    for (const membersAdded of ['x', [null, 5, 'bot']]) {
      const reply = await bot.post(bot.activity(conv, user, { type: 'conversationUpdate', membersAdded }));
      expectWellFormed(reply);
      expect(reply.activities).toEqual([]);
    }
    const welcome = await bot.post(
      bot.activity(conv, user, { type: 'conversationUpdate', membersAdded: [null, { id: user }] }),
    );
    expect(welcome.activities[0]?.text).toMatch(/virtual assistant/);
  });

  it(
    'ignores an activity whose sender or conversation has no usable id, ' + 'so such senders never share one state',
    async () => {
      const { conv, user } = fresh('ids');
      for (const fields of [
        { from: undefined },
        { from: 'x' },
        { from: { id: { a: 1 } } },
        { from: { id: [] } },
        { conversation: { id: {} } },
        { id: { a: 1 } },
        { from: { id: 'u'.repeat(5000) } },
      ]) {
        const reply = await bot.post({ ...bot.activity(conv, user, { text: 'español' }), ...fields });
        expectWellFormed(reply);
        expect(reply.activities).toEqual([]);
      }
      expect(bot.logs.slice(logsFrom)).toMatch(/"event":"malformed-activity","field":"from.id"/);
      // Nobody switched this user's language.
      expect((await bot.say(conv, user, 'help'))[0]).toMatch(/^I can answer/);
    },
  );

  it('answers a card submit or attachment mid-flow by asking for text, and the question stays open', async () => {
    const { conv, user } = fresh('card');
    await startFlow('booking', conv, user, 1);
    const reply = await bot.post(
      bot.activity(conv, user, { text: undefined, value: { action: 'submit', email: 'x' } }),
    );
    expect(reply.activities.map((a) => a.text)).toEqual([expect.stringMatching(/only read text messages/)]);
    expect((await bot.say(conv, user, 'ana@example.com')).join('\n')).toMatch(/phone number/);
  });

  it('refuses a page-long contact detail in linear time (it used to take minutes)', async () => {
    const { conv, user } = fresh('redos');
    await startFlow('booking', conv, user, 1);
    const reply = await bot.post(bot.activity(conv, user, { text: '('.repeat(200_000) }));
    expect(reply.ms).toBeLessThan(2_000);
    expect(reply.activities.map((a) => a.text)).toEqual([expect.stringMatching(/too long for me/)]);
  });
});

describe('what the patient typed, shown back', () => {
  const MARKUP = /[<>*_`~[\]\\]|\]\(|&[a-z]+;|[\u202a-\u202e\u2066-\u2069\u200b]|[\ud800-\udbff](?![\udc00-\udfff])/;
  const HOSTILE_BOOKING = [
    'i want to book',
    '<b>Ana</b> **García** [x](javascript:void) \u202eevil',
    'ana@example.com',
    'No thanks',
    '<img src=x onerror=alert(1)> _mornings_ `after 5` \u2066late\u2069',
    '<script>alert(1)</script>Microneedling',
    '[click me](javascript:alert(1)) ![i](https://evil.example/i.png) &lt;b&gt; \ud800 ~~x~~ <https://evil.example>',
    'yes',
  ];

  it('never renders as HTML or Markdown in the confirmation, as text or as a card', async () => {
    for (const channelId of ['test', 'webchat']) {
      const { conv, user } = fresh(`echo-${channelId}`);
      let last: HttpReply | undefined;
      for (const text of HOSTILE_BOOKING) last = await bot.post(bot.activity(conv, user, { text, channelId }));
      const confirmation = last?.activities[0];
      const values =
        channelId === 'webchat'
          ? (JSON.stringify(confirmation?.attachments?.[0]?.content)
              .match(/"value":"[^"]*"/g)
              ?.map((v) => v.slice(9, -1)) ?? [])
          : (confirmation?.text ?? '').split('\n').flatMap((line) => /^- [^:]+: (.*)$/.exec(line)?.[1] ?? []);
      expect(values).toHaveLength(5); // name, email, times, treatment, note
      for (const value of values) expect(value).not.toMatch(MARKUP);
      expect(values[0]).toBe('Ana García x (javascript:void) evil');
    }
  });
});
