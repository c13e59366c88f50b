import { MemoryStorage } from 'botbuilder';
import fc from 'fast-check';
import { Conversation } from '../helpers/conversation';
import { NAUGHTY_STRINGS } from '../helpers/naughtyStrings';

/** Every guided conversation, started the way a patient starts it, in both languages. */
const FLOWS = [
  { flow: 'screening', en: 'am I a good candidate?', es: '¿soy buena candidata para el microneedling?', questions: 16 },
  { flow: 'walkthrough', en: 'walk me through it', es: 'explícamelo paso a paso', questions: 1 },
  { flow: 'aftercare', en: 'Aftercare by day', es: 'Cuidados día a día', questions: 1 },
  { flow: 'booking', en: 'I want to book a consultation', es: 'quiero pedir una consulta', questions: 10 },
] as const;

/** A patient stuck on a question is asked it at most twice more: the third reply not understood moves on. */
const REPLIES_PER_QUESTION = 3;

/**
 * Junk a patient might type at any prompt: random text, naughty
 * strings, words of no language. Never a question (those get answers).
 */
const junk = fc
  .oneof(
    fc.string({ minLength: 2, maxLength: 40 }),
    fc.constantFrom(...Object.values(NAUGHTY_STRINGS).flat()),
    fc.stringMatching(/^[bcdfghjklmnpqrstvwxz]{2,8}( [bcdfghjklmnpqrstvwxz]{2,8}){0,3}$/),
  )
  .filter((t) => t.trim().length >= 2 && !/[?¿]/.test(t));

/** Where the user state of the test conversation's patient is kept. */
const USER_KEY = 'test/users/patient/';

async function flowIn(storage: MemoryStorage): Promise<boolean> {
  const items = await storage.read([USER_KEY]);
  const state: unknown = items[USER_KEY];
  if (typeof state !== 'object' || state === null || !('profile' in state)) return false;
  const { profile } = state;
  return typeof profile === 'object' && profile !== null && 'flowIn' in profile && profile.flowIn === 'conversation';
}

describe('no dead ends in any guided conversation', () => {
  it.each(FLOWS.flatMap((f) => (['en', 'es'] as const).map((lang) => [f.flow, lang, f] as const)))(
    '%s (%s): junk at every prompt never gets the same reply three times running, ' +
      'and the flow ends within a bounded number of turns',
    async (_name, lang, flow) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(junk, {
            minLength: flow.questions * REPLIES_PER_QUESTION + 3,
            maxLength: flow.questions * REPLIES_PER_QUESTION + 3,
          }),
          async (messages) => {
            const storage = new MemoryStorage();
            const chat = await Conversation.start({ locale: lang === 'es' ? 'es-ES' : 'en-US', storage });
            await chat.say(flow[lang]);
            expect(await flowIn(storage)).toBe(true);
            const firstReplies: string[] = [];
            for (const message of messages) {
              if (!(await flowIn(storage))) break;
              const replies = await chat.say(message);
              firstReplies.push(replies[0] ?? '');
              const last3 = firstReplies.slice(-3);
              if (last3.length === 3) expect(new Set(last3).size).toBeGreaterThan(1);
            }
            expect(await flowIn(storage)).toBe(false);
          },
        ),
        { numRuns: 4, seed: 20261204 },
      );
    },
  );

  it.each(FLOWS.flatMap((f) => (['en', 'es'] as const).map((lang) => [f.flow, lang, f] as const)))(
    '%s (%s): "stop" ends the flow at any point',
    async (_name, lang, flow) => {
      const stop = lang === 'es' ? 'parar' : 'stop';
      await fc.assert(
        fc.asyncProperty(fc.array(junk, { maxLength: 5 }), async (before) => {
          const storage = new MemoryStorage();
          const chat = await Conversation.start({ locale: lang === 'es' ? 'es-ES' : 'en-US', storage });
          await chat.say(flow[lang]);
          for (const message of before) await chat.say(message);
          const active = await flowIn(storage);
          const replies = await chat.say(stop);
          expect(await flowIn(storage)).toBe(false);
          if (active) expect(replies.join(' ')).not.toBe('');
        }),
        { numRuns: 6, seed: 42 },
      );
    },
  );
});
