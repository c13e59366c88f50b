import { splitQuestions, storyEnd, storyQuestions } from '../../../core/consultation/questionParts';
import { realContent } from '../../helpers/content';

describe('the parts of a story', () => {
  it('splits at a dash and reads the questions after it', () => {
    expect(splitQuestions('Needles on my face sound scary — what is it and how does it work?')).toEqual([
      'what is it',
      'how does it work',
    ]);
  });

  it('reads the question after a colon that introduces it', () => {
    expect(storyQuestions("Like with anything done to your face, you'd want to know: is it safe?")).toEqual([
      'is it safe',
    ]);
  });

  it('takes the last sentence of a short story that asks nothing', () => {
    expect(storyEnd('Went in this morning feeling brave. Now my cheeks are as red as a beetroot.')).toBe(
      'now my cheeks are as red as a beetroot',
    );
    expect(storyEnd('My cheeks are red.')).toBeUndefined();
    expect(storyEnd('I went in this morning. Is redness normal?')).toBeUndefined();
    expect(storyEnd('One. Two three four. Five six seven. Eight nine ten. Eleven twelve thirteen.')).toBeUndefined();
  });
});

describe('everyday words for the treatment and the skin', () => {
  it.each([
    ['en', 'what problems can a skinpen fix', 'benefits-overview'],
    ['en', 'i look like a lobster after my session, how long will that last', 'redness-duration'],
    ['en', 'my face puffed up overnight like i got stung by bees', 'swelling'],
    ['en', 'who shouldnt have microneedling done', 'not-suitable'],
    ['en', 'how can i tell whether my skin got infected', 'when-to-contact-clinic'],
    ['es', 'me han salido costritas por toda la frente, es normal', 'peeling-dryness'],
    ['es', 'me desperté con los cachetes hinchados', 'swelling'],
    ['es', 'los hombres pueden hacerse la micropunción', 'good-candidate'],
  ] as const)('[%s] "%s" → %s', async (lang, text, id) => {
    const { engine } = await realContent();
    const understood = engine.understand(text, lang);
    expect(understood.kind === 'answers' && understood.answers.map((a) => a.entry.id)).toEqual([id]);
  });

  it('answers the one sentence a symptom story ends on', async () => {
    const { engine } = await realContent();
    const understood = engine.understand(
      'I left the clinic happy and a little nervous. By the evening my face was the colour of a tomato.',
      'en',
    );
    expect(understood.kind === 'answers' && understood.answers.map((a) => a.entry.id)).toEqual(['redness-duration']);
  });
});
