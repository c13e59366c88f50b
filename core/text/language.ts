import { newStemmer, Stemmer } from 'snowball-stemmers';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

/**
 * Words that carry no meaning for telling one question from another. Deliberately short:
 * "how", "long", "many", "after", "before", "no" decide between entries and are kept.
 */
const STOPWORDS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(
    (
      'a an the is are am was were be been being do does did doing ' +
      'i me my mine myself you your yours it its s re ve ll d m t ' +
      'this that these those of to in on at by for with and or so if about ' +
      'can could should would will shall may might must ' +
      'there their they them we our us he she his her him what which who whom whose ' +
      'just get got also really please hi hello ' +
      'hey thanks thank ok okay um uh well any some one im dont gonna wanna kinda'
    ).split(' '),
  ),
  es: new Set(
    (
      'el la los las lo un una unos unas de del al a en y o u e que es son ' +
      'esta estan estoy soy ser estar me mi mis te tu tus ' +
      'se le les nos por para con su sus este estos estas eso esa ese esto yo usted ustedes hay muy ya tambien pero ' +
      'puedo puede pueden debo debe deberia hola gracias favor porfa pues bueno algo alguna alguno si'
    ).split(' '),
  ),
};

const stemmers: Record<Lang, Stemmer> = {
  en: newStemmer('english'),
  es: newStemmer('spanish'),
};

export function isStopword(lang: Lang, token: string): boolean {
  return STOPWORDS[lang].has(token);
}

const stemCache: Record<Lang, Map<string, string>> = { en: new Map(), es: new Map() };
const STEM_CACHE_LIMIT = 50000;

export function stem(lang: Lang, token: string): string {
  const cache = stemCache[lang];
  let stemmed = cache.get(token);
  if (stemmed === undefined) {
    stemmed = /^\d+$/.test(token) ? token : stemmers[lang].stem(token);
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(token, stemmed);
  }
  return stemmed;
}

/** Function words frequent in one language and rare in the other, for a quick language guess. */
const MARKERS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(
    (
      'the is are do does how what when my i you it can will should after before much many long ' +
      'and of to with have has get this that still'
    ).split(' '),
  ),
  es: new Set(
    (
      'el la los las es son como que cuando mi mis yo puedo cuanto cuantas cuantos despues antes ' +
      'del con para por una se y me tengo tiene esta estoy muy pero hay sigue'
    ).split(' '),
  ),
};

/**
 * Guesses the language of a message from function words and Spanish punctuation.
 * Returns undefined when the evidence is too thin to override the user's language.
 */
export function guessLanguage(text: string, tokens: readonly string[]): Lang | undefined {
  let en = 0;
  let es = /[¿¡ñ]|[áéíóú]/i.test(text) ? 2 : 0;
  for (const t of tokens) {
    if (MARKERS.en.has(t)) en++;
    if (MARKERS.es.has(t)) es++;
  }
  if (en >= 2 && en >= 2 * es) return 'en';
  if (es >= 2 && es >= 2 * en) return 'es';
  return undefined;
}

/** The language of a BCP 47 tag ("es-MX" → es, "en" → en), or undefined for any other language. */
export function langOfTag(tag: unknown): Lang | undefined {
  if (typeof tag !== 'string') return undefined;
  const primary = tag.trim().slice(0, 2).toLowerCase();
  return primary === 'es' || primary === 'en' ? primary : undefined;
}

/** The locale the bot's replies are marked with in a language. */
export function localeOf(lang: Lang): string {
  return lang === 'es' ? 'es-ES' : 'en-US';
}
