import { Activity } from 'botbuilder';
import { Conversation } from '../helpers/conversation';

interface CardAct {
  type: string;
  title: string;
  url?: string;
  data?: { reply?: string };
}

/** Every button on the reply's cards, in order. */
function cardButtons(activity: Partial<Activity> | undefined): CardAct[] {
  return (activity?.attachments ?? []).flatMap((a) => {
    const card = a.content as { body?: { type: string; actions?: CardAct[] }[]; actions?: CardAct[] };
    return [
      ...(card.body ?? []).flatMap((e) => (e.type === 'ActionSet' ? (e.actions ?? []) : [])),
      ...(card.actions ?? []),
    ];
  });
}

const BOOKING = [
  'i want to book',
  'Ana García',
  'ana@example.com',
  'No thanks',
  'weekday mornings',
  'Microneedling',
  'No note',
];

describe('cards in Microsoft Teams', () => {
  it("puts the booking confirmation's choices on the card, since Teams shows no suggested actions", async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    for (const text of BOOKING) await chat.say(text);
    await chat.say('yes');
    const withCard = chat.replies.find((a) => (a.attachments?.length ?? 0) > 0);
    expect(withCard?.attachments).toHaveLength(1);
    const buttons = cardButtons(withCard);
    expect(buttons.map((a) => a.title)).toEqual(expect.arrayContaining(['Send request', 'Change name', 'Cancel']));
    expect(buttons.every((a) => a.type === 'Action.Submit' && a.data?.reply === a.title)).toBe(true);
    expect(withCard?.suggestedActions).toBeUndefined();
    // Tapping the card's button sends its data, without text; it is read as if typed.
    const send = buttons.find((a) => a.title === 'Send request');
    expect((await chat.say({ type: 'message', value: send?.data })).join(' ')).toMatch(/received/);
  });

  it('shows every reply with choices as card buttons: answers, clarifications, flows', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    for (const text of ['does it hurt?', 'am I a good candidate?', 'walk me through it']) {
      await chat.say(text);
      const withChoices = chat.replies.filter((a) => cardButtons(a).length > 0);
      expect(withChoices.length).toBeGreaterThan(0);
      expect(chat.replies.every((a) => a.suggestedActions === undefined)).toBe(true);
    }
  });

  it('keeps the phone buttons of urgent guidance as links', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    await chat.say('I have trouble breathing and my lips are swelling');
    const buttons = chat.replies.flatMap(cardButtons);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((b) => b.type === 'Action.OpenUrl' && b.url?.startsWith('tel:'))).toBe(true);
  });

  it('keeps suggested actions under the card in Web Chat', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    for (const text of BOOKING) await chat.say(text);
    await chat.say('yes');
    expect(chat.buttons()).toContain('Send request');
    expect(cardButtons(chat.replies.find((a) => (a.attachments?.length ?? 0) > 0))).toEqual([]);
  });
});
