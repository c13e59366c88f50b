import * as path from 'node:path';
import { ConsultationEngine } from '../../core/consultation/consultationEngine';
import { decisionParts } from '../../core/consultation/messageDecision';
import { decideCase, describe as describeDecision, readEvalFile } from '../../core/evaluation/heldoutEvaluation';
import { LANGS } from '../../core/text/language';
import { realContent } from '../helpers/content';

// Staff add phrasings one at a time in the console; each must change what it is about, not reshuffle
// borderline answers elsewhere. The matcher orders each training epoch by a hash of every example's
// own text, so one more example leaves the others' order as it was. (A seeded shuffle of the whole
// list moved 9 to 11 of the 1,175 development decisions for one added phrasing.)
const CASES = [
  ...readEvalFile(path.join(__dirname, 'dev-set.yaml')).cases,
  ...readEvalFile(path.join(__dirname, 'realworld', 'dev.yaml')).cases,
];

describe('training the matcher', () => {
  it('moves hardly any other answer when staff add one phrasing', async () => {
    const { content, i18n } = await realContent();
    const decide = (engine: ConsultationEngine) => {
      const parts = decisionParts(
        engine,
        i18n.replies,
        LANGS.map((l) => i18n.t(l, 'flows.booking.buttons.send')),
      );
      return CASES.map((c) => describeDecision(decideCase(parts, c)));
    };
    const before = decide(new ConsultationEngine(content, i18n.commands));
    const edited = structuredClone(content);
    edited.faq
      .find((e) => e.id === 'aftercare-makeup')!
      .en.questions.push('i forgot and wore makeup the same day, is that bad');
    const after = decide(new ConsultationEngine(edited, i18n.commands));
    const moved = before.filter((d, i) => d !== after[i]);
    expect(moved.length).toBeLessThanOrEqual(3);
  }, 60_000);
});
