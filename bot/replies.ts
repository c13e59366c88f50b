import { ActionTypes, Activity, CardAction, Entity, MessageFactory } from 'botbuilder';
import { ContentSet } from '../core/content/contentLoader';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { Localizer } from './i18n';

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

  private remember(key: string, compute: () => string): string {
    const version = this.content().version;
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.memoVersion = version;
    }
    let text = this.memo.get(key);
    if (text === undefined) {
      text = compute();
      this.memo.set(key, text);
    }
    return text;
  }

  private clinicValues(lang: Lang): Record<string, string> {
    const c = this.content().clinic;
    return { clinicName: c.name, phone: c.phone, email: c.email, hours: c.hours[lang], emergencyNumber: c.emergencyNumber };
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

  private menuEntries(): FaqEntry[] {
    const content = this.content();
    return content.menu.welcome.flatMap((id) => content.faqById.get(id) ?? []);
  }

  welcome(lang: Lang): Partial<Activity>[] {
    const sample = this.content().clinic.sample ? `\n\n${this.t(lang, 'welcome.sampleNotice')}` : '';
    const intro = MessageFactory.text(this.t(lang, 'welcome.text') + sample);
    const menu = MessageFactory.suggestedActions(this.topicButtons(this.menuEntries(), lang), this.t(lang, 'welcome.menu'));
    return [this.withLocale(intro, lang), this.withLocale(menu, lang)];
  }

  /** A plain line from the locales, optionally followed by the topic menu. */
  simple(lang: Lang, key: string, withMenu = false): Partial<Activity> {
    const text = this.t(lang, key);
    const activity = withMenu
      ? MessageFactory.suggestedActions(this.topicButtons(this.menuEntries(), lang), text)
      : MessageFactory.text(text);
    return this.withLocale(activity, lang);
  }

  answer(text: string, entry: FaqEntry, sources: readonly Source[], related: readonly FaqEntry[], lang: Lang): Partial<Activity> {
    const sourceLine = this.remember(`${lang}|source|${entry.id}`, () =>
      this.t(lang, 'answer.source', { sources: sources.map((s, i) => `[${i + 1}] ${s.name}`).join(this.t(lang, 'answer.sourceJoin')) }),
    );
    const body = `${text}\n\n${sourceLine}`;
    const activity =
      related.length > 0 ? MessageFactory.suggestedActions(this.topicButtons(related, lang), body) : MessageFactory.text(body);
    activity.entities = [citationEntity(sources, lang)];
    activity.channelData = { faqId: entry.id };
    return this.withLocale(activity, lang);
  }

  clarify(options: readonly FaqEntry[], lang: Lang): Partial<Activity> {
    const buttons = [
      ...this.topicButtons(options, lang),
      { type: ActionTypes.ImBack, title: this.t(lang, 'clarify.none'), value: this.t(lang, 'clarify.none') },
    ];
    return this.withLocale(MessageFactory.suggestedActions(buttons, this.t(lang, 'clarify.text')), lang);
  }

  fallback(lang: Lang): Partial<Activity> {
    return this.simple(lang, 'fallback.text', true);
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

/** The schema.org Message entity with Claim citations that Teams renders as citations. */
export function citationEntity(sources: readonly Source[], lang: Lang): Entity {
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    citation: sources.map((s, i) => ({
      '@type': 'Claim',
      position: i + 1,
      appearance: { '@type': 'DigitalDocument', name: s.name, abstract: s.abstract[lang] },
    })),
  };
}
