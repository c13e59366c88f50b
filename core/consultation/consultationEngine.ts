import { AftercareGuide } from '../aftercare/aftercareGuide';
import { Command, CommandPhrases, CommandRecognizer } from '../commands/commandRecognizer';
import { ContentSet } from '../content/contentLoader';
import { FaqEntry, Flow, FLOWS, NotCoveredTopic, RedFlag, Source } from '../content/schemas';
import { fillClinicDetails } from '../content/templates';
import { FaqMatcher, FLOW_LABEL_PREFIX, MatchDecision, MatchPolicy } from '../matching/faqMatcher';
import { finish, Steps } from '../matching/steps';
import { AccountClassifier, WARNING_LIKENESS_MIN } from '../safety/accountClassifier';
import { RedFlagDetector } from '../safety/redFlagDetector';
import { guessLanguage, Lang, LANGS } from '../text/language';
import { containsPhrase, editDistance, normalizeText, phraseAt, tokenize } from '../text/normalize';
import {
  joinsTwoSubjects,
  looksLikeFollowUp,
  pointsBack,
  questionAfterClause,
  splitQuestions,
  storyEnd,
  storyQuestions,
} from './questionParts';

export type AnswerReply = Extract<EngineReply, { kind: 'answer' }>;

/** What a whole message asks, beyond a single question: several answers, topics the content doesn't cover. */
export type Understood =
  | Exclude<EngineReply, { kind: 'red-flag' | 'answer' | 'clarify' | 'fallback' }>
  | { kind: 'answers'; lang: Lang; answers: AnswerReply[]; notCovered: string[]; via: 'whole' | 'parts' | 'follow-up' }
  | (Extract<EngineReply, { kind: 'clarify' }> & { notCovered: string[] })
  | { kind: 'fallback'; lang: Lang; confidence: number; notCovered: string[] };

/** The answer given just before, for follow-ups that lean on it ("and how long does that last?"). */
export interface PreviousAnswer {
  faqId: string;
  /** The patient's question (already scrubbed of personal data). */
  question: string;
}

/**
 * A long one-word not-covered term is still found with a slip ("isotetrinoína"), when the word keeps its
 * first letters and its last: one slip from this length, two from `TWO_SLIPS_FROM`.
 */
const ONE_SLIP_FROM = 9;
const TWO_SLIPS_FROM = 12;
const SLIP_KEEPS_FIRST = 3;
/** Words whose slips are remembered, at most (patients reuse words). */
const SLIP_CACHE_LIMIT = 5000;

/** The first word of the synonym group that names the treatment. */
const TREATMENT = 'microneedling';

/** How far down the ranking, and how likely, the entry of a not-covered topic may be to be answered instead. */
const TOPIC_ENTRY_RANKS = 5;
const TOPIC_ENTRY_MIN = 0.1;

/** How far down the whole message's ranking, and how likely, the entry of its one question must be. */
const STORY_ENTRY_RANKS = 5;
const STORY_ENTRY_MIN = 0.05;

/**
 * A follow-up read with the previous question still gets its own entry when, alone, it is at least this
 * likely and this close to one of the entry's phrasings ("¿y hacer ejercicio?" after the make-up answer).
 */
const OWN_TOPIC_MIN = 0.3;
const OWN_TOPIC_SIMILARITY = 0.5;

/** Topics whose answers are about one subject (what it is, what it treats), not an aspect of every subject. */
const SUBJECT_TOPICS: ReadonlySet<string> = new Set(['about', 'benefits']);

/** A follow-up answered on its own must be at least this sure; otherwise it is read with the previous question. */
const FOLLOW_UP_ALONE = 0.6;
/** How many of a follow-up's likeliest entries are checked for a subject it names. */
const SUBJECT_RANKS = 3;
/**
 * "Does it help with dark spots and pores?": a short question joining two things gets the runner-up's
 * answer too when the message names its own subject as it names the top entry's, and it is at least
 * this likely.
 */
const SECOND_SUBJECT_MIN = 0.03;
/**
 * Topics whose answers have no "how long" of their own (what it is, what it helps, who it suits, the
 * clinic's details): "how long?" after one asks about the appointment, not about the last answer.
 */
const UNTIMED_TOPICS: ReadonlySet<string> = new Set(['about', 'benefits', 'candidacy', 'clinic']);
/** How likely, alone, a follow-up's reading related to the last answer must be to be taken. */
const RELATED_ASPECT_MIN = 0.02;
/** …and how sure it must be of that entry when it is not sure enough to answer alone (its first rank only). */
const UNSURE_ASPECT_MIN = 0.2;

export type EngineReply =
  | { kind: 'red-flag'; lang: Lang; level: RedFlag['level']; guidance: string; signs: string[] }
  | { kind: 'command'; lang: Lang; command: Command }
  | { kind: 'flow'; lang: Lang; flow: Flow }
  | {
      kind: 'answer';
      lang: Lang;
      entry: FaqEntry;
      text: string;
      sources: Source[];
      related: FaqEntry[];
      confidence: number;
    }
  | {
      kind: 'clarify';
      lang: Lang;
      options: FaqEntry[];
      /** Options whose own subject the message names. */
      named?: FaqEntry[];
      confidence: number;
    }
  | { kind: 'fallback'; lang: Lang; confidence: number };

/**
 * Decides the reply to one patient message, without knowing anything about channels or SDKs:
 * warning signs first, then conversation commands, then a button title, then the FAQ matcher.
 */
export class ConsultationEngine {
  private readonly redFlags: RedFlagDetector;
  private readonly accounts: AccountClassifier;
  /** The sign a message fires when it reads like the warning examples (`generic`: "skin not healing as expected"). */
  private readonly catchAll: RedFlag | undefined;
  private readonly commands: CommandRecognizer;
  private readonly matcher: FaqMatcher;
  /** The aftercare timeline of this content set. */
  readonly aftercare: AftercareGuide;
  private readonly titles = new Map<string, { entry: FaqEntry; lang: Lang }>();
  private readonly flowTitles = new Map<string, { flow: Flow; lang: Lang }>();
  /** Answers with clinic details filled in, per language and entry; the content set never changes under an engine. */
  private readonly prepared = new Map<string, { text: string; sources: Source[]; related: FaqEntry[] }>();
  /** The terms of the not-covered topics (normalised words, either language), by their first word. */
  private readonly notCoveredTerms = new Map<string, { words: string[]; topic: NotCoveredTopic }[]>();
  /** Topics about a skin condition itself (`asks`): their question openings, as normalised words. */
  private readonly conditionQuestions: { openings: string[][]; unless: string[][]; topic: NotCoveredTopic }[] = [];
  /** Words that, right after one of a topic's terms, make it another thing ("get rid of my acne scars"). */
  private readonly topicUnless = new Map<NotCoveredTopic, string[][]>();
  /** The treatment's names (its synonyms, both languages), as normalised words. */
  private readonly treatmentNames: string[][];
  /** The long one-word terms by their first letters, for slips (see `ONE_SLIP_FROM`). */
  private readonly longTerms = new Map<string, { word: string; topic: NotCoveredTopic }[]>();
  private readonly slipCache = new Map<string, NotCoveredTopic[]>();

  /** Builds an engine whose matcher training pauses between slices (see `Steps`). */
  static *building(
    content: ContentSet,
    commandPhrases: Record<Lang, CommandPhrases>,
    policy?: MatchPolicy,
  ): Steps<ConsultationEngine> {
    const matcher = yield* FaqMatcher.training(content, policy);
    const accounts = yield* AccountClassifier.training(content.redFlags, content.faq);
    return new ConsultationEngine(content, commandPhrases, policy, matcher, accounts);
  }

  constructor(
    readonly content: ContentSet,
    commandPhrases: Record<Lang, CommandPhrases>,
    policy?: MatchPolicy,
    /** A matcher already trained from this content (by `building`). */
    matcher?: FaqMatcher,
    /** The warning-sign examples' detector, already trained from this content (by `building`). */
    accounts?: AccountClassifier,
  ) {
    this.redFlags = new RedFlagDetector(content.redFlags);
    this.accounts = accounts ?? finish(AccountClassifier.training(content.redFlags, content.faq));
    this.catchAll = content.redFlags.flags.find((f) => f.generic && f.level === 'urgent');
    this.commands = new CommandRecognizer(commandPhrases);
    this.matcher = matcher ?? new FaqMatcher(content, policy);
    this.aftercare = new AftercareGuide(content.aftercare);
    // The treatment's names: the synonym group of "microneedling" in each language.
    this.treatmentNames = LANGS.flatMap((lang) =>
      (content.synonyms[lang].find((g) => normalizeText(g[0]) === TREATMENT) ?? [TREATMENT]).map((w) => tokenize(w)),
    );
    for (const entry of content.faq) {
      for (const lang of LANGS) this.titles.set(normalizeText(entry[lang].title), { entry, lang });
    }
    for (const flow of content.flows.flows) {
      for (const lang of LANGS) this.flowTitles.set(normalizeText(flow[lang].title), { flow: flow.id, lang });
    }
    // A message is read once, word by word, against the terms that start with each word.
    for (const topic of content.scope.notCovered) {
      if (topic.asks) {
        const words = (list: 'terms' | 'unless') =>
          LANGS.flatMap((lang) => topic[lang][list].map((t) => tokenize(t)).filter((w) => w.length > 0));
        this.conditionQuestions.push({ openings: words('terms'), unless: words('unless'), topic });
        continue;
      }
      const unless = LANGS.flatMap((lang) => topic[lang].unless.map((t) => tokenize(t)).filter((w) => w.length > 0));
      if (unless.length > 0) this.topicUnless.set(topic, unless);
      for (const term of LANGS.flatMap((lang) => topic[lang].terms)) {
        const words = tokenize(term);
        if (words.length === 0) continue;
        const starting = this.notCoveredTerms.get(words[0]) ?? [];
        starting.push({ words, topic });
        this.notCoveredTerms.set(words[0], starting);
        if (words.length === 1 && words[0].length >= ONE_SLIP_FROM) {
          const key = words[0].slice(0, SLIP_KEEPS_FIRST);
          this.longTerms.set(key, [...(this.longTerms.get(key) ?? []), { word: words[0], topic }]);
        }
      }
    }
  }

  /**
   * A topic about a skin condition itself that the message asks ("what causes enlarged pores?"), when
   * it does not name the treatment; see `asks` in scope.yaml.
   */
  private conditionQuestion(message: string): NotCoveredTopic | undefined {
    if (this.conditionQuestions.length === 0) return undefined;
    const words = tokenize(message);
    const has = (phrase: string[]) => containsPhrase(words, phrase);
    if (this.namesTreatment(words)) return undefined;
    return this.conditionQuestions.find((q) => q.openings.some(has) && !q.unless.some(has))?.topic;
  }

  /** Whether the message names another procedure (a `procedure` topic) and not microneedling. */
  namesOtherProcedure(message: string): boolean {
    return this.notCoveredTopics(message).some((t) => t.procedure) && !this.namesTreatment(tokenize(message));
  }

  /** Whether the words name the treatment (one of its synonyms, either language). */
  private namesTreatment(words: readonly string[]): boolean {
    return this.treatmentNames.some((name) => containsPhrase(words, name));
  }

  /** The topics a message asks about that the content does not cover ("PRP"). */
  notCoveredTopics(message: string): NotCoveredTopic[] {
    if (this.notCoveredTerms.size === 0) return [];
    const words = tokenize(message);
    const topics = new Set(this.namedTerms(words).map((n) => n.topic));
    for (const word of words)
      if (!this.notCoveredTerms.has(word)) for (const topic of this.slippedTerm(word)) topics.add(topic);
    // In the order of scope.yaml, as staff listed them.
    return this.content.scope.notCovered.filter((t) => topics.has(t));
  }

  /** Where the words name a not-covered topic's term, spelt as staff wrote it. */
  private namedTerms(words: readonly string[]): { topic: NotCoveredTopic; at: number; length: number }[] {
    const named: { topic: NotCoveredTopic; at: number; length: number }[] = [];
    words.forEach((word, i) => {
      for (const term of this.notCoveredTerms.get(word) ?? []) {
        if (!phraseAt(words, i, term.words)) continue;
        // "get rid of my acne scars" asks about scars: the term runs on into an `unless` word.
        const next = i + term.words.length;
        if (!(this.topicUnless.get(term.topic) ?? []).some((u) => phraseAt(words, next, u)))
          named.push({ topic: term.topic, at: i, length: term.words.length });
      }
    });
    return named;
  }

  /** The topics of the long one-word terms a word is a slip of ("isotetrinoina" for isotretinoina). */
  private slippedTerm(word: string): NotCoveredTopic[] {
    if (word.length < ONE_SLIP_FROM) return [];
    let topics = this.slipCache.get(word);
    if (!topics) {
      const slips = word.length >= TWO_SLIPS_FROM ? 2 : 1;
      topics = (this.longTerms.get(word.slice(0, SLIP_KEEPS_FIRST)) ?? [])
        .filter((t) => t.word.at(-1) === word.at(-1) && editDistance(word, t.word, slips) <= slips)
        .map((t) => t.topic);
      if (this.slipCache.size >= SLIP_CACHE_LIMIT) this.slipCache.clear();
      this.slipCache.set(word, topics);
    }
    return topics;
  }

  /**
   * Everything a message asks, after the warning-sign check: a command, a guided conversation,
   * one or several answers (each question of "does it hurt and how long is the downtime?"), a
   * follow-up read against the previous answer, or honest refusal; topics the content does not
   * cover are named so the reply can say so.
   */
  understand(message: string, userLang: Lang, previous?: PreviousAnswer): Understood {
    const whole = this.answerQuestion(message, userLang);
    const single = this.withFollowUp(message, userLang, whole, previous);
    if (single.kind === 'flow' && single.flow === 'aftercare') {
      // "I had microneedling this morning, when can I wash my face?" opens the guide, and asks one thing.
      const asked = this.questionAfterTreatment(message, userLang);
      if (asked?.kind === 'answer') {
        const notCovered = this.notCoveredTopics(message).map((t) => t[asked.lang].name);
        return { kind: 'answers', lang: asked.lang, answers: [asked], notCovered, via: 'parts' };
      }
      // "I had microneedling this morning, can I get Botox next week?" asks what the content does not cover.
      const notCovered = asked ? this.notCoveredTopics(asked.question).map((t) => t[asked.lang].name) : [];
      if (asked && notCovered.length > 0) return { kind: 'fallback', lang: asked.lang, confidence: 0, notCovered };
    }
    if (single.kind !== 'answer' && single.kind !== 'clarify' && single.kind !== 'fallback') return single;
    const topics = this.notCoveredTopics(message);
    const names = (lang: Lang): string[] => topics.map((t) => t[lang].name);
    // "¿Qué es la limpieza facial?" asks about another procedure: an entry that only its name points at
    // (the clinic's own cleansing step) answers nothing it asks.
    if (single.kind === 'answer' && single === whole && this.onlyInOtherProcedureName(message, single, topics))
      return { kind: 'fallback', lang: single.lang, confidence: single.confidence, notCovered: names(single.lang) };
    // "What causes enlarged pores?" answered from what microneedling does for pores says what it leaves out.
    const asked = this.conditionQuestion(message);
    const named = (lang: Lang, answers: readonly AnswerReply[]): string[] =>
      asked && answers.some((a) => a.entry.topic === asked.asks) ? [...names(lang), asked[lang].name] : names(lang);
    // Unanswered as a whole: the question a story ends in, else each of several questions
    // ("Sounds scary — what is it and how does it work?").
    const parts =
      single.kind === 'answer'
        ? this.answerParts(message, userLang, 2)
        : (this.answerParts(message, userLang, 1) ??
          this.answerParts(message, userLang, 2) ??
          (topics.length > 0 ? this.coveredQuestions(message, userLang) : undefined));
    // Answers in the language of the first, saying what the content does not cover.
    const answered = (answers: AnswerReply[], via: 'whole' | 'parts' | 'follow-up'): Understood => ({
      kind: 'answers',
      lang: answers[0].lang,
      answers,
      notCovered: named(answers[0].lang, answers),
      via,
    });
    // Answered as a whole too, the parts win when one of them is that answer, or when each of them is
    // surer than it ("What is micro-needling, and how does it work?" read whole leans to benefits).
    const partsWin =
      parts !== undefined &&
      (single.kind !== 'answer' ||
        parts.some((p) => p.entry.id === single.entry.id) ||
        parts.every((p) => p.confidence > single.confidence));
    if (parts && partsWin) {
      return answered(parts, 'parts');
    }
    const topicAnswer = this.topicEntryAnswer(message, single, topics);
    if (topicAnswer) return answered([topicAnswer], 'whole');
    const healing = single.kind === 'answer' ? this.healingAnswer(message, single) : undefined;
    if (healing) return answered([healing], 'whole');
    if (single.kind === 'answer') {
      const caution = single === whole ? this.candidacyCaution(message, single) : undefined;
      if (caution) return answered([caution, single], 'whole');
      const both = single === whole ? this.bothSubjects(message, single) : undefined;
      if (both) return answered(both, 'whole');
      return answered([single], single === whole ? 'whole' : 'follow-up');
    }
    if (single.kind === 'clarify') {
      // "¿Es normal la hinchazón y el enrojecimiento?" names two options' own subjects: it asks about
      // both, and "did you mean" one of them would make the patient choose. One named option is
      // still offered beside the others.
      const options = single.named ?? [];
      // "I have a cold, can I still come?" offers who should wait, and says a cold is not covered.
      if (options.length < 2) return { ...single, notCovered: names(single.lang) };
      return answered(
        options.map((e) => this.answer(e, single.lang, single.confidence)),
        'whole',
      );
    }
    return { kind: 'fallback', lang: single.lang, confidence: single.confidence, notCovered: names(single.lang) };
  }

  /**
   * Whether a message about another procedure, not naming microneedling, is answered only because of
   * words in that procedure's name: without them it is not answered by the same entry.
   */
  private onlyInOtherProcedureName(message: string, reply: AnswerReply, topics: NotCoveredTopic[]): boolean {
    const words = tokenize(message);
    if (!topics.some((t) => t.procedure) || this.namesTreatment(words)) return false;
    const named = new Set<number>();
    for (const { topic, at, length } of this.namedTerms(words))
      if (topic.procedure) for (let k = at; k < at + length; k++) named.add(k);
    const rest = words.filter((_, i) => !named.has(i)).join(' ');
    const without = this.answerQuestion(rest, reply.lang);
    return without.kind !== 'answer' || without.entry.id !== reply.entry.id;
  }

  /**
   * "I had microneedling this morning, when can I wash my face?" reads whole as the start of the
   * aftercare conversation, but asks one thing after saying what happened: that question's answer.
   */
  private questionAfterTreatment(
    message: string,
    userLang: Lang,
  ): AnswerReply | { kind: 'unanswered'; lang: Lang; question: string } | undefined {
    const question = questionAfterClause(message);
    if (!question) return undefined;
    const lang = guessLanguage(message, tokenize(message)) ?? userLang;
    const reply = this.answerQuestion(question, lang);
    return reply.kind === 'answer' ? reply : { kind: 'unanswered', lang, question };
  }

  /**
   * "Can I treat my acne scars while pregnant?" is answered by what microneedling does for scars, and
   * first by whether it is for the patient at all: the entry on who may have it that the message also
   * names, likely enough and close to one of its phrasings.
   */
  private candidacyCaution(message: string, reply: { lang: Lang; entry: FaqEntry }): AnswerReply | undefined {
    if (reply.entry.topic !== 'benefits') return undefined;
    for (const r of this.matcher.score(message, reply.lang, SUBJECT_RANKS).ranked) {
      const entry = this.content.faqById.get(r.id);
      if (entry?.caution && r.named && r.probability >= CAUTION.probability && r.similarity >= CAUTION.similarity)
        return this.answer(entry, reply.lang, r.probability);
    }
    return undefined;
  }

  /**
   * The answer and the runner-up's, in the order the message names them, when it joins two subjects
   * and names the runner-up's as plainly as the answer's (see `SECOND_SUBJECT_MIN`).
   */
  private bothSubjects(message: string, reply: AnswerReply): [AnswerReply, AnswerReply] | undefined {
    if (!joinsTwoSubjects(message)) return undefined;
    const [top, next] = this.matcher.score(message, reply.lang, 2).ranked;
    if (top?.id !== reply.entry.id || !top.named || !next?.named || next.probability < SECOND_SUBJECT_MIN)
      return undefined;
    const entry = this.content.faqById.get(next.id);
    if (!entry) return undefined;
    const second = this.answer(entry, reply.lang, next.probability);
    // "Dark spots and pores" answers the spots first.
    const order = this.matcher.namedInOrder(message, reply.lang);
    return order.indexOf(next.id) < order.indexOf(top.id) ? [second, reply] : [reply, second];
  }

  /**
   * A message that tells of the skin after the treatment ("After the session I had some swelling and
   * redness on my cheeks") is not asking what microneedling can do for a condition: an answer about
   * benefits or candidacy gives way to the likeliest entry about healing, aftercare or results.
   */
  private healingAnswer(message: string, reply: { lang: Lang; entry: FaqEntry }): AnswerReply | undefined {
    if (!BEFORE_TREATMENT_TOPICS.has(reply.entry.topic) || !toldAfterTreatment(message)) return undefined;
    return this.likeliestAnswer(message, reply.lang, STORY_ENTRY_RANKS, HEALING_ENTRY_MIN, (e) =>
      AFTER_TREATMENT_TOPICS.has(e.topic),
    );
  }

  /** The likeliest of the top `ranks` entries that `fits` and is at least `min` likely, answered. */
  private likeliestAnswer(
    message: string,
    lang: Lang,
    ranks: number,
    min: number,
    fits: (entry: FaqEntry) => boolean,
  ): AnswerReply | undefined {
    for (const r of this.matcher.score(message, lang, ranks).ranked) {
      const entry = this.content.faqById.get(r.id);
      if (entry && r.probability >= min && fits(entry)) return this.answer(entry, lang, r.probability);
    }
    return undefined;
  }

  /**
   * A question about a topic the content does not cover, close to the entry that says what the
   * content does know about it ("how often should I roll at home?" → at-home devices), gets that entry.
   */
  private topicEntryAnswer(
    message: string,
    reply: { kind: string; lang: Lang; entry?: FaqEntry },
    topics: readonly NotCoveredTopic[],
  ): AnswerReply | undefined {
    const preferred = new Set(topics.flatMap((t) => (t.entry ? [t.entry] : [])));
    if (preferred.size === 0 || (reply.entry && preferred.has(reply.entry.id))) return undefined;
    return this.likeliestAnswer(message, reply.lang, TOPIC_ENTRY_RANKS, TOPIC_ENTRY_MIN, (e) => preferred.has(e.id));
  }

  /** A follow-up ("and how long does that last?") is read together with the question it follows. */
  private withFollowUp(
    message: string,
    userLang: Lang,
    alone: Exclude<EngineReply, { kind: 'red-flag' }>,
    previous?: PreviousAnswer,
  ) {
    if (!previous) return alone;
    const shape = looksLikeFollowUp(message);
    if (!shape) return alone;
    // "and how long does that last?" both opens as a follow-up and points back: read it with the
    // question before. So is "how long does it last?" after the peeling answer: alone it finds an
    // entry unrelated to that answer (the appointment's length) while naming no subject of its own.
    const leaning =
      shape === 'bare' ||
      (shape === 'opening' && pointsBack(message)) ||
      (alone.kind === 'answer' &&
        !this.isRelated(alone.entry, previous.faqId) &&
        !this.namesSubject(message, userLang));
    if (alone.kind === 'answer' && alone.confidence >= FOLLOW_UP_ALONE && alone.entry.id !== previous.faqId && !leaning)
      return alone;
    if (alone.kind === 'command' || alone.kind === 'flow') return alone;
    if (shape === 'pointing' && alone.kind === 'answer' && !leaning) return alone;
    const last = this.content.faqById.get(previous.faqId);
    if (shape === 'bare' && (!last || UNTIMED_TOPICS.has(last.topic))) return alone;
    const together = this.answerQuestion(`${previous.question} ${message}`, userLang);
    if (shape === 'bare' && last) return this.bareAsk(message, userLang, alone, together, last);
    if (together.kind !== 'answer') return alone;
    // "¿y hacer ejercicio?" after the make-up answer asks about exercise, which the previous
    // question would drown out; "what about the neck?" after "does it hurt?" still asks about pain.
    if (together.entry.id === previous.faqId && !leaning) return this.ownTopic(message, userLang, previous) ?? together;
    // "¿y cuánto duran?" after "¿cuándo veo resultados?": read together, the previous question drowns
    // the follow-up's own ask; of what the follow-up alone may mean, the entry related to the last
    // answer is meant (how long results last, not how long the appointment takes). "¿y eso es normal?"
    // means nothing alone: it stays with the last answer.
    // Alone, "and how long do they last?" is not sure enough to answer, but its likeliest entry
    // (how long results last) is still the aspect it asks about, when related to the last answer.
    if (together.entry.id === previous.faqId && leaning) {
      const lang = guessLanguage(message, tokenize(message)) ?? userLang;
      const aspect = this.likeliestAnswer(
        message,
        lang,
        alone.kind === 'answer' ? SUBJECT_RANKS : 1,
        alone.kind === 'answer' ? RELATED_ASPECT_MIN : UNSURE_ASPECT_MIN,
        (e) => e.id !== previous.faqId && this.isRelated(e, previous.faqId),
      );
      if (aspect) return aspect;
    }
    return together;
  }

  /**
   * "How long?" after the downtime answer asks how long the downtime lasts, not the appointment's
   * length it finds alone: a bare ask stays with the last answer, unless read together with the
   * question before it finds an aspect related to that answer that the ask alone would not.
   */
  private bareAsk(
    message: string,
    userLang: Lang,
    alone: Exclude<EngineReply, { kind: 'red-flag' }>,
    together: Exclude<EngineReply, { kind: 'red-flag' }>,
    last: FaqEntry,
  ): Exclude<EngineReply, { kind: 'red-flag' }> {
    const aspect =
      together.kind === 'answer' &&
      together.entry.id !== last.id &&
      this.isRelated(together.entry, last.id) &&
      (alone.kind !== 'answer' || alone.entry.id !== together.entry.id);
    return aspect
      ? together
      : this.answer(last, guessLanguage(message, tokenize(message)) ?? userLang, FOLLOW_UP_ALONE);
  }

  /** Whether an entry is the previous answer's, or related to it either way (the entries' `related`). */
  private isRelated(entry: FaqEntry, previousId: string): boolean {
    return (
      entry.id === previousId ||
      entry.related.includes(previousId) ||
      (this.content.faqById.get(previousId)?.related.includes(entry.id) ?? false)
    );
  }

  /** Whether the message names an entry's own subject ("hinchazón", "sunscreen"), not only asks how long, how soon… */
  private namesSubject(message: string, userLang: Lang): boolean {
    const lang = guessLanguage(message, tokenize(message)) ?? userLang;
    return this.matcher.score(message, lang, SUBJECT_RANKS).ranked.some((r) => r.named);
  }

  /** The entry a short follow-up plainly names by itself, when it is not the previous answer's. */
  private ownTopic(message: string, userLang: Lang, previous: PreviousAnswer): AnswerReply | undefined {
    const lang = guessLanguage(message, tokenize(message)) ?? userLang;
    const [top] = this.matcher.score(message, lang, 1).ranked;
    if (
      top &&
      top.id !== previous.faqId &&
      top.probability >= OWN_TOPIC_MIN &&
      top.similarity >= OWN_TOPIC_SIMILARITY
    ) {
      const entry = this.content.faqById.get(top.id);
      if (entry) return this.answer(entry, lang, top.probability);
    }
    return this.newSubject(message, lang, previous);
  }

  /**
   * "What about the neck?" after the acne-scars answer names a subject of its own (where it can be
   * done), while after "does it hurt?" the same words ask about pain there: after an answer on what
   * microneedling is or treats, the one other entry whose own words the follow-up names is meant.
   */
  private newSubject(message: string, lang: Lang, previous: PreviousAnswer): AnswerReply | undefined {
    const last = this.content.faqById.get(previous.faqId);
    if (!last || !SUBJECT_TOPICS.has(last.topic)) return undefined;
    const named = this.matcher.namedInOrder(message, lang).filter((id) => id !== previous.faqId);
    const entry = named.length === 1 ? this.content.faqById.get(named[0]) : undefined;
    return entry ? this.answer(entry, lang, OWN_TOPIC_MIN) : undefined;
  }

  /**
   * Each question of a message that asks several, when each is answered by a different entry; with
   * `atLeast` 1, also the one question of a story that ends in it ("… red as a tomato. Is this normal?"),
   * or the sentence a short story that asks nothing ends on ("… My face was as red as a tomato.").
   */
  private answerParts(message: string, userLang: Lang, atLeast: 1 | 2): AnswerReply[] | undefined {
    const parts = atLeast === 1 ? storyParts(message) : splitQuestions(message);
    if (parts.length < atLeast || (parts.length === 1 && parts[0] === normalizeText(message))) return undefined;
    const answers: AnswerReply[] = [];
    // A lone question read out of its story must fit the whole message too: "what age are you?"
    // after "are you a robot?" is not about who can be treated.
    const fits = atLeast === 1 ? this.likelyEntries(message, userLang) : undefined;
    for (const part of parts) {
      const reply = this.answerQuestion(part, userLang);
      if (reply.kind !== 'answer' || answers.some((a) => a.entry.id === reply.entry.id)) continue;
      if (!fits || fits.has(reply.entry.id)) answers.push(reply);
    }
    return answers.length >= atLeast ? answers : undefined;
  }

  /**
   * The answers to a message's several questions when each one either is answered or names a topic
   * the content does not cover: "how much does it cost and how many sessions do I need?" gets the
   * sessions answer, and the reply names prices as not covered.
   */
  private coveredQuestions(message: string, userLang: Lang): AnswerReply[] | undefined {
    const questions = splitQuestions(message);
    if (questions.length < 2) return undefined;
    const answers: AnswerReply[] = [];
    for (const question of questions) {
      if (this.notCoveredTopics(question).length > 0) continue;
      const reply = this.answerQuestion(question, userLang);
      if (reply.kind !== 'answer') return undefined;
      if (!answers.some((a) => a.entry.id === reply.entry.id)) answers.push(reply);
    }
    return answers.length > 0 ? answers : undefined;
  }

  /** Entries the whole message could be about, by the matcher of the language it is written in. */
  private likelyEntries(message: string, userLang: Lang): Set<string> {
    const lang = guessLanguage(message, tokenize(message)) ?? userLang;
    const { ranked } = this.matcher.score(message, lang, STORY_ENTRY_RANKS);
    return new Set(ranked.filter((r) => r.probability >= STORY_ENTRY_MIN).map((r) => r.id));
  }

  get faqMatcher(): FaqMatcher {
    return this.matcher;
  }

  /** Urgent guidance when the message describes a warning sign, otherwise undefined. */
  checkRedFlags(message: string, userLang: Lang): Extract<EngineReply, { kind: 'red-flag' }> | undefined {
    const lang = guessLanguage(message, tokenize(message)) ?? userLang;
    let flags = this.redFlags.detect(message);
    // No phrase fired, but the message reads like the warning examples staff sorted: the catch-all sign.
    if (!flags.level && this.catchAll && this.accounts.warningLikeness(message, lang) >= WARNING_LIKENESS_MIN)
      flags = { hits: [{ flag: this.catchAll, lang }], level: 'urgent' };
    if (!flags.level) return undefined;
    // "Skin that is not healing as expected" adds nothing beside "redness … lasting weeks".
    const specific = flags.hits.filter((h) => !h.flag.generic);
    const signs = (specific.length > 0 ? specific : flags.hits).map((h) => h.flag[lang].label);
    const template = this.content.redFlags.guidance[flags.level][lang];
    const guidance = fillClinicDetails(template, this.content.clinic, lang).replace('{{signs}}', signs.join(', '));
    return { kind: 'red-flag', lang, level: flags.level, guidance, signs };
  }

  /** The conversation command a message is ("help", "español"…), if it is one. */
  recognizeCommand(message: string): Command | undefined {
    return this.commands.recognize(message)?.command;
  }

  respond(message: string, userLang: Lang): EngineReply {
    return this.checkRedFlags(message, userLang) ?? this.answerQuestion(message, userLang);
  }

  /** Everything after the warning-sign check, for callers that already ran it. */
  answerQuestion(message: string, userLang: Lang): Exclude<EngineReply, { kind: 'red-flag' }> {
    const command = this.commands.recognize(message);
    if (command) return { kind: 'command', lang: command.lang, command: command.command };

    const title = this.titles.get(normalizeText(message));
    if (title) return this.answer(title.entry, title.lang, 1);
    const flowTitle = this.flowTitles.get(normalizeText(message));
    if (flowTitle) return { kind: 'flow', lang: flowTitle.lang, flow: flowTitle.flow };

    const decision = this.matchWithoutPlace(message, userLang);
    switch (decision.kind) {
      case 'answer': {
        const flow = FLOWS.find((f) => decision.id === `${FLOW_LABEL_PREFIX}${f}`);
        if (flow) return { kind: 'flow', lang: decision.lang, flow };
        const entry = this.content.faqById.get(decision.id);
        if (entry) return this.answer(entry, decision.lang, decision.confidence);
        break;
      }
      case 'clarify': {
        const options = decision.ids.flatMap((id) => this.content.faqById.get(id) ?? []);
        // "Did you mean" between an entry and a guided conversation ("how do I know if it's right
        // for me?": who is a good candidate, or the screening questions) answers the entry: a menu of
        // one helps nobody, and nothing at all helps less.
        if (options.length === 1) return this.answer(options[0], decision.lang, decision.confidence);
        if (options.length >= 2)
          return {
            kind: 'clarify',
            lang: decision.lang,
            options,
            named: options.filter((o) => decision.named.includes(o.id)),
            confidence: decision.confidence,
          };
        break;
      }
      case 'none':
        break;
    }
    return { kind: 'fallback', lang: decision.lang, confidence: decision.confidence };
  }

  /**
   * A place name at the end ("… en San Juan?") is dropped only when the message is not answered
   * with it: "Is numbing cream essential in Microneedling?" ends with the treatment, not a town.
   */
  private matchWithoutPlace(message: string, userLang: Lang): MatchDecision {
    const placeless = withoutPlaceName(message);
    const decision = this.matcher.match(message, userLang);
    if (placeless === message || decision.kind === 'answer') return decision;
    const retried = this.matcher.match(placeless, userLang);
    return retried.kind === 'none' ? decision : retried;
  }

  /** The reply for a given entry, e.g. when a patient taps a topic button. */
  answer(entry: FaqEntry, lang: Lang, confidence: number): Extract<EngineReply, { kind: 'answer' }> {
    const key = `${lang}:${entry.id}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = {
        text: fillClinicDetails(entry[lang].answer, this.content.clinic, lang),
        sources: entry.sources.flatMap((id) => this.content.sources.get(id) ?? []),
        related: entry.related.flatMap((id) => this.content.faqById.get(id) ?? []),
      };
      this.prepared.set(key, prepared);
    }
    return { kind: 'answer', lang, entry, ...prepared, confidence };
  }
}

/** The questions a story ends in, else the sentence it ends on when it asks nothing. */
function storyParts(message: string): string[] {
  const asked = storyQuestions(message);
  if (asked.length > 0) return asked;
  const end = storyEnd(message);
  return end ? [end] : [];
}

/** How likely, and how close to one of its phrasings, a named entry on who may have it must be to come first. */
const CAUTION = { probability: 0.1, similarity: 0.3 };

/** How likely an entry about healing must be to answer a message told after the treatment instead. */
const HEALING_ENTRY_MIN = 0.05;
const BEFORE_TREATMENT_TOPICS: ReadonlySet<string> = new Set(['benefits', 'candidacy']);
const AFTER_TREATMENT_TOPICS: ReadonlySet<string> = new Set(['recovery', 'aftercare', 'results', 'safety']);

/** "after my session", "since the treatment", "después del tratamiento", "tras la sesión", "the next morning". */
const AFTER_TREATMENT = new RegExp(
  [
    String.raw`\b(?:after|since|post)\s+(?:(?:the|my|a|her|this|first|1st)\s+)*`,
    String.raw`(?:session|treatment|procedure|appointment|microneedling|micro needling|dermapen|dermaroller)s?\b`,
    String.raw`|\b(?:next|following)\s+(?:day|morning)\b`,
    String.raw`|\b(?:despues|tras|desde)\s+(?:(?:de|el|la|mi|del|una|un|primera|primer)\s+)*`,
    String.raw`(?:sesion|tratamiento|procedimiento|cita|microneedling|dermapen|micropuncion)\b`,
    String.raw`|\b(?:al dia siguiente|a la manana siguiente)\b`,
  ].join(''),
);

function toldAfterTreatment(message: string): boolean {
  return AFTER_TREATMENT.test(normalizeText(message));
}

/** A capitalised word of a place name ("San", "Dublin", "O'Brien"). */
const PLACE_WORD = "\\p{Lu}[\\p{L}.'-]*";
/** Capitalised words, maybe joined by an article or "de" ("San Juan", "Alcalá de Henares"). */
const PLACE_NAME = `${PLACE_WORD}(?:\\s+(?:(?:de|del|la|las|los|el)\\s+)?${PLACE_WORD})*`;
/**
 * "… en San Juan?", "… in Dublin": a place name at the end of a
 * question (clinics' FAQ headings) says nothing about what is asked.
 */
const PLACE_AT_END = new RegExp(`\\s(?:en|in|near|cerca de)\\s+${PLACE_NAME}\\s*(?=[?.!]*\\s*$)`, 'u');

function withoutPlaceName(message: string): string {
  return message.replace(PLACE_AT_END, '');
}
