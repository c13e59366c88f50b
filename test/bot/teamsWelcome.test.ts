import { Activity, TestAdapter } from 'botbuilder';
import { Conversation, testBot } from '../helpers/conversation';

const installed: Partial<Activity> = { type: 'installationUpdate', action: 'add' };
const botAdded: Partial<Activity> = { type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Bot' }] };
const botAndPatientAdded: Partial<Activity> = {
  type: 'conversationUpdate',
  membersAdded: [
    { id: 'patient', name: 'Patient' },
    { id: 'bot', name: 'Bot' },
  ],
};

/** Everything the bot said in reply to these activities, in order. */
async function repliesTo(chat: Conversation, activities: Partial<Activity>[]): Promise<Partial<Activity>[]> {
  const all: Partial<Activity>[] = [];
  for (const activity of activities) {
    await chat.say(activity);
    all.push(...chat.replies);
  }
  return all;
}

const welcomes = (replies: Partial<Activity>[]): number =>
  replies.filter((a) => /not a diagnosis|no un diagnóstico/.test(a.text ?? '')).length;

describe('the welcome in a Teams personal chat', () => {
  it.each([
    ['the install, then the bot joining', [installed, botAdded]],
    ['the bot joining, then the install', [botAdded, installed]],
    ['the Agents Playground: the install, then the patient and the bot joining', [installed, botAndPatientAdded]],
    ['the bot joining alone', [botAdded]],
    ['the install alone', [installed]],
  ])('greets the patient exactly once on %s', async (_name, activities) => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    const replies = await repliesTo(chat, activities);
    expect(welcomes(replies)).toBe(1);
    expect(replies).toHaveLength(2); // the disclaimer, then the topics
  });

  it('offers the topics as card buttons, since Teams shows no suggested actions', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    const [, menu] = await repliesTo(chat, [installed]);
    expect(menu.suggestedActions).toBeUndefined();
    const card = menu.attachments?.[0].content as {
      body: { actions: { type: string; title: string; data: { reply: string } }[] }[];
    };
    const buttons = card.body.flatMap((set) => set.actions);
    expect(buttons.map((b) => b.title)).toContain('Request a consultation');
    expect(buttons.every((b) => b.type === 'Action.Submit' && b.data.reply === b.title)).toBe(true);
  });

  it('greets in the language of the Teams client when the activity carries no locale', async () => {
    const { bot } = await testBot();
    // No locale in the adapter's template: the install activity has only Teams' clientInfo entity.
    const adapter = new TestAdapter((context) => bot.run(context), {
      channelId: 'msteams',
      conversation: { id: 'teams-es', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'paciente', name: 'Paciente' },
      recipient: { id: 'bot', name: 'Bot' },
    });
    await adapter.processActivity({ ...installed, entities: [{ type: 'clientInfo', locale: 'es-ES' }] });
    expect(adapter.activeQueue[0]?.text).toMatch(/no un diagnóstico/);
  });

  it('says nothing when the app is upgraded or removed', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    expect(
      await repliesTo(chat, [
        { type: 'installationUpdate', action: 'add-upgrade' },
        { type: 'installationUpdate', action: 'remove' },
      ]),
    ).toEqual([]);
  });

  it('answers a tap on a welcome button as if the patient had typed it', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    await repliesTo(chat, [installed]);
    const [answer] = await repliesTo(chat, [{ type: 'message', value: { reply: 'Does it hurt?' } }]);
    expect(answer.channelData).toMatchObject({ faqId: 'pain' });
  });
});

describe('the welcome elsewhere', () => {
  it('greets a Direct Line visitor once when the bot and the visitor join together', async () => {
    const chat = await Conversation.start({ channelId: 'directline' });
    const replies = await repliesTo(chat, [
      {
        type: 'conversationUpdate',
        membersAdded: [
          { id: 'bot', name: 'Bot' },
          { id: 'patient', name: 'Patient' },
        ],
      },
    ]);
    expect(welcomes(replies)).toBe(1);
    expect(replies[1].suggestedActions?.actions.length).toBeGreaterThanOrEqual(3);
  });

  it('does not greet when only the bot joins a Web Chat conversation', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    expect(await repliesTo(chat, [botAdded])).toEqual([]);
  });

  it('ignores an installationUpdate outside Teams', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    expect(await repliesTo(chat, [installed])).toEqual([]);
  });
});
