import { MemoryStorage } from 'botbuilder';
import { Conversation } from '../helpers/conversation';

describe('asked whether it is a person', () => {
  it.each([
    ['are you a real person?', 'en-US', /virtual assistant, not a person[\s\S]*talk to a person/],
    ['Am I talking to a bot', 'en-US', /virtual assistant, not a person/],
    ['¿eres un bot?', 'es-ES', /asistente virtual de .*, no una persona[\s\S]*hablar con una persona/],
    ['con quién estoy hablando', 'es-ES', /asistente virtual/],
  ])('says plainly that it is the clinic’s virtual assistant: "%s"', async (message, locale, expected) => {
    const chat = await Conversation.start({ locale, storage: new MemoryStorage() });
    const replies = await chat.say(message);
    expect(replies[0]).toMatch(expected);
  });

  it('answers in the middle of a guided conversation, then asks its question again', async () => {
    const chat = await Conversation.start({ locale: 'en-US', storage: new MemoryStorage() });
    const first = await chat.say('am I a good candidate?');
    const question = first[first.length - 1];
    const replies = await chat.say('are you a bot?');
    expect(replies[0]).toMatch(/virtual assistant, not a person/);
    expect(replies[replies.length - 1]).toBe(question);
  });
});
