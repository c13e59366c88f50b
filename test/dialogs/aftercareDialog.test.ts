import { Conversation } from '../helpers/conversation';

// "Now" is Thursday 5 March 2026, 15:00 UTC (10:00 in New York, the sample clinic's zone).
describe('aftercare by treatment day', () => {
  it('gives first-48-hours guidance to "I had it done yesterday"', async () => {
    const chat = await Conversation.start();
    const replies = await chat.say('I had microneedling yesterday');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/Day 1 after your treatment \(2026-03-04\)/);
    expect(replies[0]).toMatch(/What to do:/);
    expect(replies[0]).toMatch(/Not normal — call the clinic on \+1 555 0100/);
    expect(replies[0]).toMatch(/Source:/);
  });

  it('asks when the treatment was, understands "last Monday", and remembers it', async () => {
    const chat = await Conversation.start();
    expect(await chat.say('aftercare by day')).toEqual([expect.stringMatching(/When was your treatment\?/)]);
    expect((await chat.say('last Monday'))[0]).toMatch(/Day 3 after your treatment \(2026-03-02\)/);
    const later = await chat.say('still peeling, is that ok?');
    expect(later[0]).toMatch(/Source:/);
  });

  it('judges "it\'s day 5 and still peeling" against the same timeline', async () => {
    const chat = await Conversation.start();
    const replies = await chat.say("it's day 5 and still peeling, is that normal?");
    expect(replies[0]).toMatch(/Peeling.*day 5 is within what is usually expected/i);
  });

  it('says a symptom lasting longer than usual needs the clinic, without diagnosing', async () => {
    const chat = await Conversation.start();
    const replies = await chat.say("it's day 9 and my face is still red");
    expect(replies[0]).toMatch(/lasting longer than usual: please contact the clinic on \+1 555 0100/);
    expect(replies[0]).toMatch(/can't assess it in a chat/);
  });

  it('understands Spanish dates: "hace 2 días", "el lunes"', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    expect((await chat.say('me hice el microneedling hace 2 días'))[0]).toMatch(
      /Día 2 después de tu tratamiento \(2026-03-03\)/,
    );
    const other = await Conversation.start({ locale: 'es-ES' });
    await other.say('cuidados día a día');
    expect((await other.say('el lunes'))[0]).toMatch(/Día 3 después de tu tratamiento \(2026-03-02\)/);
  });

  it("uses the patient's time zone for today", async () => {
    // 15:00 UTC on 5 March is already 6 March in Auckland.
    const chat = await Conversation.start({ timeZone: 'Pacific/Auckland' });
    expect((await chat.say('I had it done yesterday'))[0]).toMatch(/\(2026-03-05\)/);
  });

  it('asks again when it cannot read the date, and handles a date still to come', async () => {
    const chat = await Conversation.start();
    await chat.say('aftercare by day');
    expect((await chat.say('hmm not sure, a while back'))[0]).toMatch(/couldn't work out the date/);
    expect((await chat.say('2026-03-20'))[0]).toMatch(/still to come/);
  });

  it('lets a warning sign interrupt while it waits for the date', async () => {
    const chat = await Conversation.start();
    await chat.say('aftercare by day');
    const replies = await chat.say('there is yellow pus on my chin');
    expect(replies[0]).toMatch(/call Sample Skin Clinic now/);
  });

  it('gives the after-timeline message past two months', async () => {
    const chat = await Conversation.start();
    expect((await chat.say('I had it done on 2025-12-01'))[0]).toMatch(/Day 94 after your treatment/);
  });

  it('offers the general advice after a second date it cannot read, and gives it at the third', async () => {
    const chat = await Conversation.start();
    await chat.say('Aftercare by day');
    expect(await chat.say('blorp')).toEqual([expect.stringMatching(/couldn't work out the date/)]);
    expect(await chat.say('zzz')).toEqual([expect.stringMatching(/still couldn't work out/)]);
    expect(chat.buttons()).toEqual(['General aftercare', 'Stop']);
    const general = await chat.say('qwerty');
    expect(chat.replies[0].channelData).toMatchObject({ faqId: 'aftercare-overview' });
    expect(general[1]).toMatch(/When you know the date/);
  });

  it('gives the general advice at once when the patient taps "General aftercare"', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    await chat.say('Cuidados día a día');
    await chat.say('ni idea');
    await chat.say('no sé');
    await chat.say('Cuidados generales');
    expect(chat.replies[0].channelData).toMatchObject({ faqId: 'aftercare-overview' });
  });

  it('shows the healing timeline as a card with today marked where the channel renders cards', async () => {
    const chat = await Conversation.start({ channelId: 'webchat', now: new Date('2026-03-05T15:00:00Z') });
    const replies = await chat.say('I had it done 3 days ago and it is still a bit red');
    expect(replies[0]).toMatch(/Redness on day 3 is within what is usually expected/);
    const card = chat.replies[0].attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(card?.content);
    expect(json).toContain('Day 3: you are here');
    expect(json).toContain('The first 48 hours');
    expect(json).toContain('What is normal now:');
  });

  it("reads a follow-up to the day's guidance against the symptom reported", async () => {
    const chat = await Conversation.start({ now: new Date('2026-03-05T15:00:00Z') });
    await chat.say('hi, I had microneedling 3 days ago and my skin is super dry and flaky, is that ok?');
    await chat.say('and how long does that last?');
    expect(chat.replies[0].channelData).toMatchObject({ faqId: 'peeling-dryness' });
  });

  it("reads a Spanish follow-up to the day's guidance the same way", async () => {
    const chat = await Conversation.start({ locale: 'es-ES', now: new Date('2026-03-05T15:00:00Z') });
    await chat.say('me hice el dermapen hace dos días y sigo con la cara hinchada');
    await chat.say('¿y cuánto dura eso?');
    expect(chat.replies[0].channelData).toMatchObject({ faqId: 'swelling' });
  });

  it('gives the same guidance as text where the channel shows no cards', async () => {
    const chat = await Conversation.start({ now: new Date('2026-03-05T15:00:00Z') });
    const replies = await chat.say('I had it done 3 days ago');
    expect(chat.replies[0].attachments).toBeUndefined();
    expect(replies[0]).toMatch(/Day 3 after your treatment/);
    expect(replies[0]).toMatch(/What is normal now:/);
  });
});
