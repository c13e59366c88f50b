import { decideMatch, DEFAULT_POLICY } from '../../../core/matching/faqMatcher';
import { Featurizer } from '../../../core/matching/featurizer';
import { MatchScores, QuestionMatcher } from '../../../core/matching/questionMatcher';

const scores = (s: Partial<MatchScores> & Pick<MatchScores, 'ranked'>): MatchScores => ({
  lang: 'en',
  outOfScope: 0,
  coverage: 1,
  knownWords: 4,
  ...s,
});

describe('the answer policy', () => {
  it('answers a plainly right entry of a long question with a few unknown words', () => {
    const d = decideMatch(
      scores({
        coverage: 0.4,
        knownWords: 4,
        ranked: [{ id: 'choosing-practitioner', probability: 0.95, similarity: 0.6 }],
      }),
      DEFAULT_POLICY,
    );
    expect(d.kind === 'answer' && d.id).toBe('choosing-practitioner');
  });

  it('does not answer a short question whose unknown word may be what it asks about', () => {
    // "is <some other treatment> safe?": two known words, one unknown, however sure the classifier is.
    const d = decideMatch(
      scores({ coverage: 0.45, knownWords: 2, ranked: [{ id: 'side-effects', probability: 0.98, similarity: 0.9 }] }),
      DEFAULT_POLICY,
    );
    expect(d.kind).toBe('none');
  });

  it('answers an entry close to one of its phrasings with no rival, not a one-option "did you mean"', () => {
    const d = decideMatch(
      scores({
        outOfScope: 0.2,
        ranked: [
          { id: 'what-is-microneedling', probability: 0.38, similarity: 0.55 },
          { id: 'benefits-overview', probability: 0.04, similarity: 0 },
        ],
      }),
      DEFAULT_POLICY,
    );
    expect(d.kind === 'answer' && d.id).toBe('what-is-microneedling');
  });

  it('still asks when two entries are close', () => {
    const d = decideMatch(
      scores({
        ranked: [
          { id: 'aftercare-makeup', probability: 0.35, similarity: 0.4 },
          { id: 'prep-day-of', probability: 0.28, similarity: 0.4 },
        ],
      }),
      DEFAULT_POLICY,
    );
    expect(d.kind).toBe('clarify');
  });
});

describe('the subjects a message names', () => {
  const examples = [
    ...['is swelling normal', 'how long does swelling last', 'my face has swelling', 'swelling after it'].map(
      (text) => ({
        text,
        label: 'swelling',
      }),
    ),
    ...['is redness normal', 'how long does redness last', 'my face has redness', 'redness after it'].map((text) => ({
      text,
      label: 'redness',
    })),
    ...['does it hurt', 'is it painful', 'how much pain', 'pain during it'].map((text) => ({ text, label: 'pain' })),
  ];
  const matcher = new QuestionMatcher('en', examples);

  it('marks the entries whose own words the message uses, not those sharing only common words', () => {
    const named = matcher
      .score('swelling and redness on my face', 3)
      .ranked.filter((r) => r.named)
      .map((r) => r.id);
    expect(named.sort()).toEqual(['redness', 'swelling']);
  });

  it('lists the named options of a "did you mean"', () => {
    const d = decideMatch(
      scores({
        ranked: [
          { id: 'swelling', probability: 0.35, similarity: 0.4, named: true },
          { id: 'redness', probability: 0.3, similarity: 0.4, named: true },
          { id: 'pain', probability: 0.15, similarity: 0.2 },
        ],
      }),
      DEFAULT_POLICY,
    );
    expect(d.kind === 'clarify' && d.named).toEqual(['swelling', 'redness']);
  });
});

describe('what the featurizer reads', () => {
  const featurizer = new Featurizer('en');
  featurizer.fit(['who should not have microneedling', 'does it hurt', 'how long does redness last']);

  it('reads a negative modal contraction, typed with or without the apostrophe, as the verb and "not"', () => {
    expect(featurizer.correctTokens(['who', 'shouldn', 't', 'have', 'it'])).toEqual([
      'who',
      'should',
      'not',
      'have',
      'it',
    ]);
    const spelled = featurizer.analyze('who should not have microneedling').vector;
    expect(featurizer.analyze("who shouldn't have microneedling").vector).toEqual(spelled);
    expect(featurizer.analyze('who shouldnt have microneedling').vector).toEqual(spelled);
  });

  it('does not count chat fillers and intensifiers against how much of a message it knows', () => {
    expect(featurizer.analyze('does it hurt').coverage).toBe(1);
    expect(featurizer.analyze('does it hurt alot lol').coverage).toBe(1);
    expect(featurizer.analyze('does it hurt alot lol').knownWords).toBe(1);
  });
});
