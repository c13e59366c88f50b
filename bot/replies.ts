import { ActionTypes, Activity, CardAction, Entity, MessageFactory } from 'botbuilder';
import { FlowReply } from '../core/commands/commandRecognizer';
import { ContentSet } from '../core/content/contentLoader';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang, localeOf } from '../core/text/language';
import { AftercareReply, Replies } from '../dialogs/replies';
import { aftercareTimelineCard } from './aftercareCard';
import { CARD_CHANNELS, summaryCard } from './cards';
import { citationEntity } from './citations';
import { Localizer } from './i18n';
import { ReplyTexts } from './replyTexts';

/**
 * Makes the Bot Framework activities the dialogs send: the lines (ReplyTexts), answers with a
 * readable source line and Teams-style citations (citations.ts), cards where the channel renders
 * them (cards.ts, aftercareCard.ts), and suggested actions for the next questions.
 */
export class BotReplies implements Replies {
  private readonly texts: ReplyTexts;
  /**
   * Buttons and citation of an answer, and the menus: the same for every patient, so built once per content version.
   */
  private readonly answerParts = new Map<string, { buttons: CardAction[]; entity: Entity }>();
  private readonly menus = new Map<Lang, CardAction[]>();
  private partsVersion = '';

  constructor(
    i18n: Localizer,
    private readonly content: () => ContentSet,
  ) {
    this.texts = new ReplyTexts(i18n, content);
  }

  /** Forgets the parts built from an older content version (after a live reload). */
  private forgetIfContentChanged(): void {
    const version = this.texts.contentVersion;
    if (version !== this.partsVersion) {
      this.answerParts.clear();
      this.menus.clear();
      this.partsVersion = version;
    }
  }

  private t(lang: Lang, key: string, values?: Record<string, string>): string {
    return this.texts.t(lang, key, values);
  }

  private remember(key: string, compute: () => string): string {
    return this.texts.remember(key, compute);
  }

  private topicButtons(entries: readonly FaqEntry[], lang: Lang): CardAction[] {
    return entries.map((e) => ({ type: ActionTypes.ImBack, title: e[lang].title, value: e[lang].title }));
  }

  private withLocale(activity: Partial<Activity>, lang: Lang): Partial<Activity> {
    activity.locale = localeOf(lang);
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
    return this.t(lang, 'answer.source', {
      sources: sources.map((s, i) => `[${i + 1}] ${s.name}`).join(this.t(lang, 'answer.sourceJoin')),
    });
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

  clarify(options: readonly FaqEntry[], lang: Lang, notCovered: readonly string[] = []): Partial<Activity> {
    const buttons = [
      ...this.topicButtons(options, lang),
      { type: ActionTypes.ImBack, title: this.t(lang, 'clarify.none'), value: this.t(lang, 'clarify.none') },
    ];
    const text = this.afterNotCovered(lang, notCovered, this.t(lang, 'clarify.text'));
    return this.withLocale(MessageFactory.suggestedActions(buttons, text), lang);
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

  /**
   * The button that starts the booking conversation: labelled
   * and sent as the flow's title, which the engine routes to it.
   */
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
    return this.withLocale(
      buttons.length > 0 ? MessageFactory.suggestedActions(buttons, text) : MessageFactory.text(text),
      lang,
    );
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
  summary(
    title: string,
    intro: string,
    facts: { title: string; value: string }[],
    lang: Lang,
    channelId: string,
    buttons: CardAction[],
  ): Partial<Activity> {
    const asText = `${intro}\n\n**${title}**\n${facts.map((f) => `- ${f.title}: ${f.value}`).join('\n')}`;
    if (!CARD_CHANNELS.has(channelId)) return this.prompt(asText, lang, buttons);
    const activity = this.prompt(intro, lang, buttons);
    activity.attachments = [summaryCard(title, facts)];
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
      return this.t(lang, j.expected ? 'flows.aftercare.expected' : 'flows.aftercare.longer', {
        ...values,
        symptom,
        until: String(j.until),
      });
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
    const heading = phase
      ? this.t(lang, 'flows.aftercare.header', { ...values, phase: phase.title })
      : this.t(lang, 'flows.aftercare.past', values);
    const followUp = this.t(lang, 'flows.aftercare.followUp');
    if (!current || !CARD_CHANNELS.has(channelId)) {
      const body = current
        ? lists.map((l) => `**${l.title}**\n${l.items.map((i) => `- ${i}`).join('\n')}`)
        : [r.afterLast ?? ''];
      return this.cited([...judgements, `**${heading}**`, ...body, followUp].join('\n\n'), r.sources, lang);
    }
    const activity = this.cited([...judgements, followUp].join('\n\n'), r.sources, lang);
    activity.attachments = [
      aftercareTimelineCard({
        heading,
        youAreHere: this.t(lang, 'flows.aftercare.youAreHere', values),
        stages: r.stages.map((s, i) => ({
          title: s.title,
          days: this.t(lang, 'flows.aftercare.days', { from: String(s.fromDay), to: String(s.toDay) }),
          current: i === current.index,
        })),
        lists,
        call: {
          title: this.t(lang, 'redFlag.callClinic'),
          tel: `tel:${this.content().clinic.phone.replace(/[^\d+]/g, '')}`,
        },
      }),
    ];
    return activity;
  }

  fallback(lang: Lang, notCovered: readonly string[] = []): Partial<Activity> {
    if (notCovered.length === 0) return this.simple(lang, 'fallback.text', true);
    return this.prompt(
      this.afterNotCovered(lang, notCovered, this.t(lang, 'fallback.text')),
      lang,
      this.menuButtons(lang),
    );
  }

  /** A reply's text after the sentence naming what the content does not cover, when anything is named. */
  afterNotCovered(lang: Lang, notCovered: readonly string[], text: string): string {
    return notCovered.length > 0 ? `${this.notCovered(lang, notCovered)}\n\n${text}` : text;
  }

  /** "The clinic's information doesn't cover PRP: please ask at your consultation." */
  private notCovered(lang: Lang, topics: readonly string[]): string {
    return this.t(lang, 'answer.notCovered', { topics: topics.join(this.t(lang, 'answer.topicJoin')) });
  }

  redFlag(guidance: string, level: 'emergency' | 'urgent', lang: Lang): Partial<Activity> {
    const clinic = this.content().clinic;
    const tel = (n: string): string => `tel:${n.replace(/[^\d+]/g, '')}`;
    const buttons: CardAction[] = [
      { type: ActionTypes.OpenUrl, title: this.t(lang, 'redFlag.callClinic'), value: tel(clinic.phone) },
    ];
    if (level === 'emergency') {
      buttons.unshift({
        type: ActionTypes.OpenUrl,
        title: this.t(lang, 'redFlag.callEmergency'),
        value: tel(clinic.emergencyNumber),
      });
    }
    const activity = MessageFactory.suggestedActions(buttons, guidance);
    activity.channelData = { redFlag: level };
    return this.withLocale(activity, lang);
  }

  error(lang: Lang, ref: string): Partial<Activity> {
    return this.withLocale(MessageFactory.text(this.t(lang, 'error.text', { ref })), lang);
  }
}
