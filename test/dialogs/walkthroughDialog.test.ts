import { Conversation } from '../helpers/conversation';

describe('procedure walkthrough', () => {
  it('goes step by step through before, the day and after, with sources and next/back', async () => {
    const chat = await Conversation.start();
    const first = await chat.say('walk me through it');
    expect(first[0]).toMatch(/step by step/);
    expect(first[1]).toMatch(/^\*\*Before your treatment — step 1 of 6\*\*/);
    expect(first[1]).toMatch(/Source:/);
    expect(chat.buttons()).toEqual(['Next', 'The whole thing at once', 'Stop']);
    expect(await chat.say('next')).toEqual([expect.stringMatching(/step 2 of 6/)]);
    expect(chat.buttons()).toEqual(['Back', 'Next', 'The whole thing at once', 'Stop']);
    expect(await chat.say('back')).toEqual([expect.stringMatching(/step 1 of 6/)]);
  });

  it('covers every stage when walked to the end', async () => {
    const chat = await Conversation.start();
    const seen: string[] = [...(await chat.say('walk me through it'))];
    for (let i = 0; i < 30 && !seen.some((t) => /whole process/.test(t)); i++) seen.push(...(await chat.say('next')));
    const headings = seen.join('\n');
    for (const stage of ['Before your treatment', 'On the day', 'After your treatment'])
      expect(headings).toContain(stage);
    for (const topic of [/numbing/i, /serum/i, /mask/i, /sunscreen|sun/i, /sessions/i]) expect(headings).toMatch(topic);
    expect(seen[seen.length - 1]).toMatch(/whole process/);
  });

  it('shows the whole thing at once, one message per stage', async () => {
    const chat = await Conversation.start();
    await chat.say('what happens step by step');
    const rest = await chat.say('the whole thing at once');
    expect(rest.filter((t) => /Source:/.test(t))).toHaveLength(3);
    expect(rest[rest.length - 1]).toMatch(/whole process/);
  });

  it('answers a question in between and then offers the same step again', async () => {
    const chat = await Conversation.start();
    await chat.say('walk me through it');
    await chat.say('next');
    const replies = await chat.say('how much does it cost?');
    expect(replies[0]).toMatch(/don't have an answer/);
    expect(await chat.say('does the numbing cream take long?')).toEqual([
      expect.stringMatching(/Source:/),
      expect.stringMatching(/step 2 of 6/),
    ]);
  });

  it('walks through in Spanish', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    const first = await chat.say('explícame el proceso paso a paso');
    expect(first[1]).toMatch(/Antes del tratamiento — paso 1 de 6/);
    expect(await chat.say('siguiente')).toEqual([expect.stringMatching(/paso 2 de 6/)]);
  });

  it('shows the rest at once after a third reply it does not understand, instead of asking again', async () => {
    const chat = await Conversation.start();
    await chat.say('walk me through it');
    expect((await chat.say('blorp'))[0]).toMatch(/Tap "Next"/);
    expect((await chat.say('zzz'))[0]).toMatch(/still didn't catch that/);
    const rest = await chat.say('qwerty');
    expect(rest.length).toBeGreaterThan(1);
    expect(rest[rest.length - 1]).toMatch(/That's the whole process/);
  });
});
