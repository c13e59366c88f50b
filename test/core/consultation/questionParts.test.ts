import { looksLikeFollowUp, splitQuestions } from '../../../core/consultation/questionParts';

describe('questions in one message', () => {
  it.each([
    ['does it hurt and how long is the downtime?', ['does it hurt', 'how long is the downtime']],
    ['¿Duele? ¿Cuántas sesiones necesito?', ['duele', 'cuantas sesiones necesito']],
    ['I have acne scars. Can microneedling help?', ['can microneedling help']],
    ['can i wear makeup and sunscreen after', ['can i wear makeup and sunscreen after']],
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
  });
});
