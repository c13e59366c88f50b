import { createHash } from 'node:crypto';
import { ConsultationEngine } from '../consultation/consultationEngine';
import { todayIn } from '../aftercare/treatmentDate';
import { DecisionParts } from '../consultation/messageDecision';
import { QuestionReport, reportQuestion } from '../consultation/questionReport';
import { finishInSlices, Steps } from '../matching/steps';
import { Lang } from '../text/language';
import { ContentFiles } from './contentFiles';
import { ContentProblem, ContentSet, inspectContentFiles, InspectOptions } from './contentLoader';
import { Draft } from './contentStore';

/** The test pane's answer: what the bot would reply with the draft, or why the draft cannot answer yet. */
export type DraftTestResult =
  | { kind: 'report'; revision: number; baseVersion?: number; report: QuestionReport }
  | { kind: 'invalid'; revision: number; baseVersion?: number; problems: ContentProblem[] };

/** How the draft's engine decides a message, as the bot does for patients. */
export interface DraftDecisions {
  /** The parts of a message decision around an engine: the locales' short replies and button titles. */
  partsFor(engine: ConsultationEngine): DecisionParts;
  maxMessageChars: number;
  /** The clock for today's date in the clinic's time zone (treatment dates). */
  now?: () => Date;
}

export interface DraftTesterOptions {
  /** Length of a slice of the engine's training. */
  sliceMs?: number;
  inspect?: InspectOptions;
}

type Built = { engine: ConsultationEngine } | { problems: ContentProblem[] };

/** A question asked while a newer draft replaced the one being built is asked again, this often at most. */
const MAX_RETRIES = 3;

/**
 * Answers questions against the draft exactly as `npm run ask` reports them: the first message of a
 * new conversation, decided as a patient's would be. The draft's engine
 * takes seconds to train, so it is built in slices (the server keeps answering patients) and kept
 * until the draft changes; a build for a draft that changed meanwhile is stopped.
 */
export class DraftTester {
  private cached?: { key: string; built: Promise<Built>; abort: AbortController };

  constructor(
    private readonly drafts: { draft(): Promise<Draft> },
    private readonly build: (content: ContentSet) => Steps<ConsultationEngine>,
    private readonly decisions: DraftDecisions,
    private readonly options: DraftTesterOptions = {},
  ) {}

  async ask(question: string, lang: Lang): Promise<DraftTestResult> {
    for (let attempt = 0; ; attempt++) {
      const draft = await this.drafts.draft();
      const at = {
        revision: draft.revision,
        ...(draft.baseVersion !== undefined ? { baseVersion: draft.baseVersion } : {}),
      };
      const { key, built, abort } = this.engineFor(draft);
      try {
        const result = await built;
        if ('problems' in result) return { kind: 'invalid', ...at, problems: result.problems };
        const { engine } = result;
        const today = todayIn((this.decisions.now ?? (() => new Date()))(), engine.content.clinic.timeZone);
        const situation = { today, maxMessageChars: this.decisions.maxMessageChars };
        const report = reportQuestion(this.decisions.partsFor(engine), question, lang, situation);
        return { kind: 'report', ...at, report };
      } catch (err) {
        // Stopped because a newer draft came in (not closed): ask that one.
        const replaced = abort.signal.aborted && this.cached !== undefined && this.cached.key !== key;
        if (!replaced || attempt >= MAX_RETRIES) throw err;
      }
    }
  }

  /** Starts building the current draft's engine (after a save), so the next question is answered sooner. */
  async warm(): Promise<void> {
    await this.engineFor(await this.drafts.draft()).built.catch(() => undefined);
  }

  close(): void {
    this.cached?.abort.abort();
    this.cached = undefined;
  }

  private engineFor(draft: Draft): { key: string; built: Promise<Built>; abort: AbortController } {
    const key = `${draft.revision}:${draft.baseVersion ?? 'seed'}:${filesHash(draft.files)}`;
    if (this.cached?.key === key) return this.cached;
    this.cached?.abort.abort();
    const abort = new AbortController();
    const built = this.buildFor(draft.files, abort.signal);
    // A failed build is not kept: the next question tries again.
    built.catch(() => {
      if (this.cached?.key === key) this.cached = undefined;
    });
    this.cached = { key, built, abort };
    return this.cached;
  }

  private async buildFor(files: ContentFiles, signal: AbortSignal): Promise<Built> {
    // Reading the files is one synchronous step; let the request that asked finish its turn first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
    const { content, problems } = inspectContentFiles(files, this.options.inspect);
    if (!content) return { problems };
    return { engine: await finishInSlices(this.build(content), { sliceMs: this.options.sliceMs, signal }) };
  }
}

function filesHash(files: ContentFiles): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(name).update('\0').update(files[name]).update('\0');
  return hash.digest('hex').slice(0, 16);
}
