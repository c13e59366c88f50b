import {
  joinsTwoSubjects,
  looksLikeFollowUp,
  pointsBack,
  questionAfterClause,
  splitQuestions,
  storyQuestions,
} from '../../../core/consultation/questionParts';

describe('questions in one message', () => {
  it.each([
    ['does it hurt and how long is the downtime?', ['does it hurt', 'how long is the downtime']],
    ['¿Duele? ¿Cuántas sesiones necesito?', ['duele', 'cuantas sesiones necesito']],
    ['I have acne scars. Can microneedling help?', ['can microneedling help']],
    ['can i wear makeup and sunscreen after', ['can i wear makeup and sunscreen after']],
    ['¿Cuántas sesiones necesito y cada cuánto?', ['cuantas sesiones necesito', 'cada cuanto']],
    // A statement that opens like a question ("tengo…") beside a marked question is not one.
    ['Tengo estrías en la panza desde hace años. ¿Se pueden quitar?', ['se pueden quitar']],
    ['does it hurt. how long is the downtime', ['does it hurt', 'how long is the downtime']],
    // Without a question mark, a question word and one more after "and" / "y" is still a question …
    ['cuantas sesiones necesito y cada cuanto', ['cuantas sesiones necesito', 'cada cuanto']],
    ['how many sessions and how often', ['how many sessions', 'how often']],
    // … but a lone word is not.
    ['does it hurt and why', ['does it hurt and why']],
  ])('finds the questions of "%s"', (text, parts) => {
    expect(splitQuestions(text)).toEqual(parts);
  });

  it('gives up on a message with more questions than a chat turn answers', () => {
    expect(splitQuestions('Does it hurt? Is it safe? How long? What does it cost?')).toEqual([]);
  });

  it('tells a follow-up from a question of its own', () => {
    expect(looksLikeFollowUp('and how long does that last?')).toBe('opening');
    expect(looksLikeFollowUp('¿y eso es normal?')).toBe('opening');
    expect(looksLikeFollowUp('is that normal?')).toBe('pointing');
    expect(looksLikeFollowUp('how many sessions will I need for acne scars on my cheeks')).toBeUndefined();
    for (const bare of [
      'How long?',
      'how long should I wait?',
      '¿Cuánto dura?',
      '¿cuánto tengo que esperar?',
      'cuantos dias',
    ])
      expect(looksLikeFollowUp(bare)).toBe('bare');
    for (const own of ['how long does the swelling last?', '¿cuánto dura la sesión?', 'how long until I see results'])
      expect(looksLikeFollowUp(own)).toBeUndefined();
  });
  it('reads a short heading before the questions as naming their subject', () => {
    expect(splitQuestions('Microneedling for acne scars: does it work and is it safe?')).toEqual([
      'microneedling for acne scars does it work',
      'microneedling for acne scars is it safe',
    ]);
    // A longer lead-in is a sentence of its own, not a heading.
    const story = 'I went to a clinic last week and this is what happened to me there: is it normal?';
    expect(splitQuestions(story)).toEqual(['is it normal']);
  });

  it('finds the question asked after saying what happened, in the same sentence', () => {
    expect(questionAfterClause('I had microneedling this morning, when can I wash my face?')).toBe(
      'when can i wash my face',
    );
    expect(questionAfterClause('had it done yesterday and can I wear makeup tomorrow?')).toBe(
      'can i wear makeup tomorrow',
    );
    // Too short to be a question of its own, not asked, or already its own sentence.
    expect(questionAfterClause('I had microneedling today, what now?')).toBeUndefined();
    expect(questionAfterClause('I had microneedling this morning, when can I wash my face')).toBeUndefined();
    expect(questionAfterClause('when can I wash my face?')).toBeUndefined();
    expect(questionAfterClause('me hice microneedling hoy. ¿Cuándo me puedo lavar la cara?')).toBeUndefined();
  });

  it('finds the question a story ends in, but not after a heading', () => {
    expect(storyQuestions('I looked in the car mirror and my face was as red as a tomato. Is this normal?')).toEqual([
      'is this normal',
    ]);
    expect(storyQuestions('Tratamiento extremo: ¿es seguro?')).toEqual([]);
    expect(storyQuestions('I have had acne scars for years and tried everything')).toEqual([]);
  });

  it('tells a message pointing back at the last answer', () => {
    expect(pointsBack('and how long does that last?')).toBe(true);
    expect(pointsBack('and what about makeup?')).toBe(false);
  });

  it('tells a short question joining two things from a statement or a long paragraph', () => {
    expect(joinsTwoSubjects('does it help with dark spots and pores?')).toBe(true);
    expect(joinsTwoSubjects('¿es normal la hinchazón y el enrojecimiento?')).toBe(true);
    expect(joinsTwoSubjects('is swelling or bruising normal')).toBe(true);
    expect(joinsTwoSubjects('does it help with dark spots?')).toBe(false);
    expect(joinsTwoSubjects('Itching, redness, and swelling are normal parts of the healing process.')).toBe(false);
    expect(
      joinsTwoSubjects(
        'is it normal that after my first session my cheeks and my forehead and chin still feel very tight?',
      ),
    ).toBe(false);
  });
});
