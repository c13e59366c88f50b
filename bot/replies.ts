import { ActionTypes, Activity, CardAction, CardFactory, Entity, MessageFactory } from 'botbuilder';
import { FlowReply } from '../core/commands/commandRecognizer';
import { ContentSet } from '../core/content/contentLoader';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { aftercareTimelineCard } from './aftercareCard';
import { Localizer } from './i18n';

/** Day-by-day aftercare, as the guidance computes it from the timeline. */
export interface AftercareReply {
  day: number;
  /** The treatment date, YYYY-MM-DD. */
  date: string;
  /** Every stage of the timeline; `current` is today's, absent past the end of the timeline. */
  stages: { title: string; fromDay: number; toDay: number }[];
  current?: { index: number; do: string[]; avoid: string[]; normal: string[]; notNormal: string[] };
  /** Past the end of the timeline: what the content says then. */
  afterLast?: string;
  /** The symptoms the patient mentioned: within what is expected today, or lasting longer than usual. */
  judgements: { symptom: string; until: number; expected: boolean }[];
  sources: readonly Source[];
}

/**
 * Turns the engine's decisions into Bot Framework activities: text with a readable source line,
 * Teams-style citation entities, and suggested actions for the next questions.
 */
export class Replies {
  constructor(
    private readonly i18n: Localizer,
    private readonly content: () => ContentSet,
  ) {}

  /** Texts that depend only on the content set, language and key, kept until the content changes. */
  private readonly memo = new Map<string, string>();
  private memoVersion = '';

  /** Buttons and citation of an answer: the same for every patient, so built once per content version. */
  private readonly answerParts = new Map<string, { buttons: CardAction[]; entity: Entity }>();
  private readonly menus = new Map<Lang, CardAction[]>();

  /** Forgets everything built from an older content version (after a live reload). */
  private forgetIfContentChanged(): void {
    const version = this.content().version;
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.answerParts.clear();
      this.menus.clear();
      this.memoVersion = version;
    }
  }

  private remember(key: string, compute: () => string): string {
    this.forgetIfContentChanged();
    let text = this.memo.get(key);
    if (text === undefined) {
      text = compute();
      this.memo.set(key, text);
    }
    return text;
  }

  private clinicValues(lang: Lang): Record<string, string> {
    const c = this.content().clinic;
    return { clinicName: c.name, phone: c.phone, email: c.email, bookingUrl: c.bookingUrl, hours: c.hours[lang], emergencyNumber: c.emergencyNumber };
  }

  private t(lang: Lang, key: string, values?: Record<string, string>): string {
    if (values) return this.i18n.t(lang, key, { ...this.clinicValues(lang), ...values });
    return this.remember(`${lang}|${key}`, () => this.i18n.t(lang, key, this.clinicValues(lang)));
  }

  private topicButtons(entries: readonly FaqEntry[], lang: Lang): CardAction[] {
    return entries.map((e) => ({ type: ActionTypes.ImBack, title: e[lang].title, value: e[lang].title }));
  }

  private withLocale(activity: Partial<Activity>, lang: Lang): Partial<Activity> {
    activity.locale = lang === 'es' ? 'es-ES' : 'en-US';
    return activity;
  }

  /** The welcome menu: FAQ entries by their title, guided conversations by theirs (built once per version). */
  private menuButtons(lang: Lang): CardAction[] {
    this.forgetIfContentChanged();
    let buttons = this.menus.get(lang);
    if (!buttons) {
      buttons = this.buildMenu(lang);
      this.menus.set(lang, buttons);
    }
    return buttons;
  }

  private buildMenu(lang: Lang): CardAction[] {
    const content = this.content();
    return content.menu.welcome.flatMap((item) => {
      const flow = content.flows.flows.find((f) => `flow:${f.id}` === item);
      const title = flow ? flow[lang].title : content.faqById.get(item)?.[lang].title;
      return title ? [{ type: ActionTypes.ImBack, title, value: title }] : [];
    });
  }

  welcome(lang: Lang): Partial<Activity>[] {
    const sample = this.content().clinic.sample ? `\n\n${this.t(lang, 'welcome.sampleNotice')}` : '';
    const intro = MessageFactory.text(this.t(lang, 'welcome.text') + sample);
    const menu = MessageFactory.suggestedActions(this.menuButtons(lang), this.t(lang, 'welcome.menu'));
    return [this.withLocale(intro, lang), this.withLocale(menu, lang)];
  }

  /** A plain line from the locales, optionally followed by the topic menu. */
  simple(lang: Lang, key: string, withMenu = false): Partial<Activity> {
    return this.prompt(this.t(lang, key), lang, withMenu ? this.menuButtons(lang) : []);
  }

  /** "Source: [1] …; [2] …" for a list of documents, in the patient's language. */
  private sourceLine(sources: readonly Source[], lang: Lang): string {
    return this.t(lang, 'answer.source', { sources: sources.map((s, i) => `[${i + 1}] ${s.name}`).join(this.t(lang, 'answer.sourceJoin')) });
  }

  answer(
    text: string,
    entry: FaqEntry,
    sources: readonly Source[],
    related: readonly FaqEntry[],
    lang: Lang,
    options: { heading?: string; buttons?: CardAction[] } = {},
  ): Partial<Activity> {
    const sourceLine = this.remember(`${lang}|source|${entry.id}`, () => this.sourceLine(sources, lang));
    const body = `${options.heading ? `**${options.heading}**\n\n` : ''}${text}\n\n${sourceLine}`;
    this.forgetIfContentChanged();
    const partsKey = `${lang}|${entry.id}`;
    let parts = this.answerParts.get(partsKey);
    if (!parts) {
      parts = { buttons: this.topicButtons(related, lang), entity: citationEntity(sources, lang) };
      this.answerParts.set(partsKey, parts);
    }
    const buttons = options.buttons ?? parts.buttons;
    const activity = buttons.length > 0 ? MessageFactory.suggestedActions(buttons, body) : MessageFactory.text(body);
    activity.entities = [parts.entity];
    // Teams shows its 👍/👎 feedback buttons under the answer; the bot records 👎 as a gap.
    activity.channelData = { faqId: entry.id, feedbackLoopEnabled: true };
    return this.withLocale(activity, lang);
  }

  clarify(options: readonly FaqEntry[], lang: Lang): Partial<Activity> {
    const buttons = [
      ...this.topicButtons(options, lang),
      { type: ActionTypes.ImBack, title: this.t(lang, 'clarify.none'), value: this.t(lang, 'clarify.none') },
    ];
    return this.withLocale(MessageFactory.suggestedActions(buttons, this.t(lang, 'clarify.text')), lang);
  }

  /** Buttons whose labels the flow recognises when they come back as text. */
  replyButtons(lang: Lang, kinds: readonly FlowReply[]): CardAction[] {
    return kinds.map((k) => {
      const label = this.t(lang, `buttons.${k}`);
      return { type: ActionTypes.ImBack, title: label, value: label };
    });
  }

  /** Buttons labelled with locale strings (keys), each sending its label back as text. */
  labelButtons(lang: Lang, keys: readonly string[]): CardAction[] {
    return keys.map((key) => {
      const label = this.t(lang, key);
      return { type: ActionTypes.ImBack, title: label, value: label };
    });
  }

  /** The button that starts the booking conversation: labelled and sent as the flow's title, which the engine routes to it. */
  bookButton(lang: Lang): CardAction {
    const flow = this.content().flows.flows.find((f) => f.id === 'booking');
    const title = flow ? flow[lang].title : this.t(lang, 'buttons.book');
    return { type: ActionTypes.ImBack, title, value: title };
  }

  /** A line of the locales (with clinic details and values filled in), optionally with buttons. */
  line(lang: Lang, key: string, values?: Record<string, string>, buttons: CardAction[] = []): Partial<Activity> {
    return this.prompt(this.t(lang, key, values), lang, buttons);
  }

  /** Curated text that rests on sources: a "Source:" line and the citation entity, like an answer. */
  cited(text: string, sources: readonly Source[], lang: Lang, buttons: CardAction[] = []): Partial<Activity> {
    const activity = this.prompt(`${text}\n\n${this.sourceLine(sources, lang)}`, lang, buttons);
    activity.entities = [citationEntity(sources, lang)];
    return activity;
  }

  /** A curated text (already in the patient's language) with buttons. */
  prompt(text: string, lang: Lang, buttons: CardAction[] = []): Partial<Activity> {
    return this.withLocale(buttons.length > 0 ? MessageFactory.suggestedActions(buttons, text) : MessageFactory.text(text), lang);
  }

  /** A translated string for dialogs that compose their own messages. */
  text(lang: Lang, key: string, values?: Record<string, string>): string {
    return this.t(lang, key, values);
  }

  /**
   * A summary shown as an Adaptive Card where the channel renders cards, as plain text elsewhere.
   * The buttons go with it as suggested actions; in Teams they become the card's own buttons
   * (teamsActivities.ts).
   */
  summary(title: string, intro: string, facts: { title: string; value: string }[], lang: Lang, channelId: string, buttons: CardAction[]): Partial<Activity> {
    const asText = `${intro}\n\n**${title}**\n${facts.map((f) => `- ${f.title}: ${f.value}`).join('\n')}`;
    if (!CARD_CHANNELS.has(channelId)) return this.prompt(asText, lang, buttons);
    const card = CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'FactSet', facts },
      ],
    });
    const activity = this.prompt(intro, lang, buttons);
    activity.attachments = [card];
    return activity;
  }

  /** The honest "I don't have an answer", naming the topics asked about that the content does not cover. */
  /**
   * Day-by-day aftercare. Where the channel renders cards: a timeline card with today marked and
   * the lists, the judgement of any symptom in the text; elsewhere everything as text.
   */
  aftercare(r: AftercareReply, lang: Lang, channelId: string): Partial<Activity> {
    const values = { day: String(r.day), date: r.date };
    const judgements = r.judgements.map((j) => {
      const symptom = j.symptom.charAt(0).toUpperCase() + j.symptom.slice(1);
      return this.t(lang, j.expected ? 'flows.aftercare.expected' : 'flows.aftercare.longer', { ...values, symptom, until: String(j.until) });
    });
    const current = r.current;
    const phase = current ? r.stages[current.index] : undefined;
    const lists = current
      ? [
          { title: this.t(lang, 'flows.aftercare.do'), items: current.do },
          { title: this.t(lang, 'flows.aftercare.avoid'), items: current.avoid },
          { title: this.t(lang, 'flows.aftercare.normal'), items: current.normal },
          { title: this.t(lang, 'flows.aftercare.notNormal'), items: current.notNormal, attention: true },
        ]
      : [];
    const heading = phase ? this.t(lang, 'flows.aftercare.header', { ...values, phase: phase.title }) : this.t(lang, 'flows.aftercare.past', values);
    const followUp = this.t(lang, 'flows.aftercare.followUp');
    if (!current || !CARD_CHANNELS.has(channelId)) {
      const body = current ? lists.map((l) => `**${l.title}**\n${l.items.map((i) => `- ${i}`).join('\n')}`) : [r.afterLast ?? ''];
      return this.cited([...judgements, `**${heading}**`, ...body, followUp].join('\n\n'), r.sources, lang);
    }
    const activity = this.cited([...judgements, followUp].join('\n\n'), r.sources, lang);
    activity.attachments = [
      aftercareTimelineCard({
        heading,
        youAreHere: this.t(lang, 'flows.aftercare.youAreHere', values),
        stages: r.stages.map((s, i) => ({ title: s.title, days: this.t(lang, 'flows.aftercare.days', { from: String(s.fromDay), to: String(s.toDay) }), current: i === current.index })),
        lists,
        call: { title: this.t(lang, 'redFlag.callClinic'), tel: `tel:${this.content().clinic.phone.replace(/[^\d+]/g, '')}` },
      }),
    ];
    return activity;
  }

  fallback(lang: Lang, notCovered: readonly string[] = []): Partial<Activity> {
    if (notCovered.length === 0) return this.simple(lang, 'fallback.text', true);
    return this.prompt(`${this.notCovered(lang, notCovered)}\n\n${this.t(lang, 'fallback.text')}`, lang, this.menuButtons(lang));
  }

  /** "The clinic's information doesn't cover PRP: please ask at your consultation." */
  notCovered(lang: Lang, topics: readonly string[]): string {
    return this.t(lang, 'answer.notCovered', { topics: topics.join(this.t(lang, 'answer.topicJoin')) });
  }

  redFlag(guidance: string, level: 'emergency' | 'urgent', lang: Lang): Partial<Activity> {
    const clinic = this.content().clinic;
    const tel = (n: string): string => `tel:${n.replace(/[^\d+]/g, '')}`;
    const buttons: CardAction[] = [
      { type: ActionTypes.OpenUrl, title: this.t(lang, 'redFlag.callClinic'), value: tel(clinic.phone) },
    ];
    if (level === 'emergency') {
      buttons.unshift({ type: ActionTypes.OpenUrl, title: this.t(lang, 'redFlag.callEmergency'), value: tel(clinic.emergencyNumber) });
    }
    const activity = MessageFactory.suggestedActions(buttons, guidance);
    activity.channelData = { redFlag: level };
    return this.withLocale(activity, lang);
  }

  error(lang: Lang, ref: string): Partial<Activity> {
    return this.withLocale(MessageFactory.text(this.t(lang, 'error.text', { ref })), lang);
  }
}

/** Channels that render Adaptive Cards; elsewhere summaries are sent as text. */
const CARD_CHANNELS: ReadonlySet<string> = new Set(['msteams', 'webchat', 'directline', 'emulator']);

/**
 * Limits on citations: Teams shows up to 20 per message, names of up to 80 characters and abstracts
 * of up to 160 (learn.microsoft.com, "Enhance AI-generated bot messages"); the Agents Playground
 * refuses a message with more than 10.
 */
export const CITATION_LIMITS = { citations: 10, name: 80, abstract: 160 } as const;

/**
 * The schema.org Message entity with Claim citations that Teams renders as citations: position n
 * is the "[n]" of the answer's source line, names and abstracts are cut to what Teams accepts.
 * No `additionalType: ["AIGeneratedContent"]`: the answers are curated by the clinic, not generated.
 */
export function citationEntity(sources: readonly Source[], lang: Lang): Entity {
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    citation: sources.slice(0, CITATION_LIMITS.citations).map((s, i) => ({
      '@type': 'Claim',
      position: i + 1,
      appearance: {
        '@type': 'DigitalDocument',
        name: clip(s.name, CITATION_LIMITS.name),
        abstract: clip(s.abstract[lang], CITATION_LIMITS.abstract),
      },
    })),
  };
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  let head = '';
  // By code point, so a cut never splits a surrogate pair; the ellipsis takes the last place.
  for (const ch of trimmed) {
    if (head.length + ch.length > max - 1) break;
    head += ch;
  }
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, '')}…`;
}
