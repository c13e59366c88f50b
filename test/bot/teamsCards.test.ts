import { Conversation } from '../helpers/conversation';

describe('cards in Microsoft Teams', () => {
  it('puts the booking confirmation\'s choices on the card, since Teams shows no suggested actions with it', async () => {
    const chat = await Conversation.start({ channelId: 'msteams' });
    for (const text of ['i want to book', 'Ana García', 'ana@example.com', 'No thanks', 'weekday mornings', 'Microneedling', 'No note']) await chat.say(text);
    await chat.say('yes');
    const withCard = chat.replies.find((a) => (a.attachments?.length ?? 0) > 0);
    const card = withCard?.attachments?.[0].content as { actions?: { type: string; title: string; data: { msteams: { type: string; value: string } } }[] };
    expect(card.actions?.map((a) => a.title)).toEqual(expect.arrayContaining(['Send request', 'Change name', 'Cancel']));
    expect(card.actions?.every((a) => a.type === 'Action.Submit' && a.data.msteams.type === 'imBack')).toBe(true);
    expect(withCard?.suggestedActions).toBeUndefined();
    // Tapping the card's button sends its text back, as typing it would.
    const send = card.actions?.find((a) => a.title === 'Send request');
    expect((await chat.say(send?.data.msteams.value ?? '')).join(' ')).toMatch(/received/);
  });

  it('keeps suggested actions under the card in Web Chat', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    for (const text of ['i want to book', 'Ana García', 'ana@example.com', 'No thanks', 'weekday mornings', 'Microneedling', 'No note']) await chat.say(text);
    await chat.say('yes');
    expect(chat.buttons()).toContain('Send request');
  });
});
