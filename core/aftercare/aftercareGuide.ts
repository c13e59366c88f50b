import { AftercareFile, AftercarePhase, AftercareSymptom } from '../content/schemas';
import { Lang } from '../text/language';
import { normalizeText } from '../text/normalize';

export interface SymptomJudgement {
  symptom: AftercareSymptom;
  /** True while the symptom is still within the days the sources call normal. */
  expected: boolean;
}

/** The aftercare timeline: which phase a day falls in, and whether a reported symptom is still expected. */
export class AftercareGuide {
  /** Each symptom's words, normalised once. */
  private readonly words: { symptom: AftercareSymptom; words: string[] }[];

  constructor(private readonly file: AftercareFile) {
    this.words = file.symptoms.map((symptom) => ({
      symptom,
      words: [...symptom.words.en, ...symptom.words.es].map((w) => ` ${normalizeText(w)} `),
    }));
  }

  /** The phase covering `daysAfter`, or undefined past the end of the timeline. */
  phaseFor(daysAfter: number): AftercarePhase | undefined {
    return this.file.phases.find((p) => daysAfter >= p.fromDay && daysAfter <= p.toDay);
  }

  afterLastPhase(lang: Lang): string {
    return this.file.afterLastPhase[lang];
  }

  /** Symptoms the message mentions, in either language, judged against the day after treatment. */
  judge(message: string, daysAfter: number): SymptomJudgement[] {
    const text = ` ${normalizeText(message)} `;
    return this.words
      .filter((s) => s.words.some((w) => text.includes(w)))
      .map(({ symptom }) => ({ symptom, expected: daysAfter <= symptom.normalUntilDay }));
  }
}
