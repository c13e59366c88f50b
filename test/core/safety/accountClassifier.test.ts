import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { ContentSet } from '../../../core/content/contentLoader';
import { finish } from '../../../core/matching/steps';
import { AccountClassifier, WARNING_LIKENESS_MIN } from '../../../core/safety/accountClassifier';
import { realContent } from '../../helpers/content';

// Invented accounts, in the shape of the real ones: harm told as a story that no warning-sign phrase
// names ("the lady" and "the machine" are in no phrase), and calm stories of the same length.
const WARNING = [
  'The lady kept pressing the machine on my cheeks and afterwards everything was peeling off in sheets for a month',
  'She pressed the machine so hard that my chin peeled off in sheets and I could not go to work for weeks',
  'My cousin went to a salon, the lady pressed the machine too hard, her forehead peeled off in sheets for weeks',
  'The lady used the machine on my neck and it peeled off in sheets, I still cannot look at myself',
];
const CALM = [
  'The lady was lovely and the machine was quiet, I went back to work the next morning',
  'I booked with the lady at the front desk and she explained the machine before we started',
  'My skin looked a bit pink that evening and by the weekend I was back to my usual routine',
  'The lady told me to wear sunscreen and I did, my cheeks look smoother already',
];
const MESSAGE = 'the lady pressed the machine on my forehead and it all peeled off in sheets for weeks';

function withExamples(content: ContentSet, warning: string[], calm: string[]): ContentSet {
  const none = { warning: [], calm: [] };
  return { ...content, redFlags: { ...content.redFlags, examples: { en: { warning, calm }, es: none } } };
}

describe('the warning examples detector', () => {
  it('scores a message by how much it reads like the warning examples, in their language only', async () => {
    const { content } = await realContent();
    const examples = withExamples(content, WARNING, CALM).redFlags;
    const classifier = finish(AccountClassifier.training(examples, content.faq));
    expect(classifier.warningLikeness(MESSAGE, 'en')).toBeGreaterThanOrEqual(WARNING_LIKENESS_MIN);
    expect(classifier.warningLikeness('the lady at the desk explained the machine', 'en')).toBeLessThan(
      WARNING_LIKENESS_MIN,
    );
    expect(classifier.warningLikeness('how long does the redness last?', 'en')).toBeLessThan(0.1);
    // No Spanish examples: Spanish messages are left to the phrases.
    expect(classifier.warningLikeness(MESSAGE, 'es')).toBe(0);
  });

  it('gives the catch-all sign to a message no phrase catches, and only with examples to learn from', async () => {
    const { content, i18n } = await realContent();
    const taught = new ConsultationEngine(withExamples(content, WARNING, CALM), i18n.commands);
    const flagged = taught.checkRedFlags(MESSAGE, 'en');
    expect(flagged?.level).toBe('urgent');
    expect(flagged?.signs).toEqual(['skin that is not healing as expected']);
    expect(taught.checkRedFlags('how long does the redness last?', 'en')).toBeUndefined();

    const untaught = new ConsultationEngine(withExamples(content, [], []), i18n.commands);
    expect(untaught.checkRedFlags(MESSAGE, 'en')).toBeUndefined();
  });
});
