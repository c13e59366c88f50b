import { Lang } from '../text/language';
import { normalizeText } from '../text/normalize';

/** A calendar day, without time or zone. */
export interface CalendarDay {
  year: number;
  month: number; // 1–12
  day: number;
}

export type DateParse =
  { kind: 'date'; date: CalendarDay; daysAgo: number } | { kind: 'future'; date: CalendarDay } | { kind: 'none' };

const DAY_MS = 86_400_000;

export function toIso(d: CalendarDay): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function fromIso(iso: string): CalendarDay | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? validDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

function epochDay(d: CalendarDay): number {
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}

function fromEpochDay(n: number): CalendarDay {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function validDay(year: number, month: number, day: number): CalendarDay | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 ? { year, month, day } : undefined;
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return epochDay(to) - epochDay(from);
}

// Building a formatter is costly and patients share a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      f = formatterFor('UTC');
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

const todayCache = new Map<string, CalendarDay>();

/** Today's date where the patient is: their IANA time zone when the channel sends one, else the clinic's. */
export function todayIn(now: Date, timeZone: string): CalendarDay {
  // The date cannot change within a minute; formatting is the costly part.
  const key = `${timeZone}|${Math.floor(now.getTime() / 60_000)}`;
  const known = todayCache.get(key);
  if (known) return known;
  const parts = formatterFor(timeZone).formatToParts(now);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const today = { year: get('year'), month: get('month'), day: get('day') };
  if (todayCache.size > 1000) todayCache.clear();
  todayCache.set(key, today);
  return today;
}

/**
 * A word table with no prototype: a patient's word is looked up in it, and "constructor" or
 * "toString" must not find Object's own properties (they made "constructor" read as a date).
 */
function words(table: Record<string, number>): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, table);
}

const NUMBERS: Record<string, number> = words({
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  twenty: 20,
  thirty: 30,
  couple: 2,
  few: 3,
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  catorce: 14,
  quince: 15,
  veinte: 20,
  treinta: 30,
  par: 2,
});

const WEEKDAYS: Record<string, number> = words({
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sun: 0,
  mon: 1,
  tue: 2,
  tues: 2,
  wed: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  fri: 5,
  sat: 6,
  domingo: 0,
  lunes: 1,
  martes: 2,
  miercoles: 3,
  jueves: 4,
  viernes: 5,
  sabado: 6,
});

const MONTHS: Record<string, number> = words({
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  enero: 1,
  febrero: 2,
  marzo: 3,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
  ene: 1,
  abr: 4,
  ago: 8,
  dic: 12,
});

const UNIT_DAYS: Record<string, number> = words({
  day: 1,
  days: 1,
  dia: 1,
  dias: 1,
  week: 7,
  weeks: 7,
  semana: 7,
  semanas: 7,
  month: 30,
  months: 30,
  mes: 30,
  meses: 30,
});

const RELATIVE_DAYS = new Set(['today', 'yesterday', 'ago', 'last', 'hoy', 'ayer', 'anteayer', 'antier', 'hace']);

/**
 * A cheap look for anything the parser could read as a date (a digit, a weekday, a month, "ago",
 * "ayer"…), so callers can skip the full parse for ordinary questions.
 */
export function mentionsDate(text: string): boolean {
  if (/\d/.test(text)) return true;
  return normalizeText(text)
    .split(' ')
    .some((w) => RELATIVE_DAYS.has(w) || w in WEEKDAYS || w in UNIT_DAYS || (w in MONTHS && w !== 'may'));
}

/** Words just after "3 days" that count it from the treatment: "3 days post", "2 days since", "a week later". */
const SINCE_TREATMENT_AFTER: ReadonlySet<string> = new Set(['post', 'since', 'out', 'later']);
/** Words two before "2 days" that count it from the treatment: "it's been 2 days", "llevo 2 días", "van 3 días". */
const SINCE_TREATMENT_BEFORE: ReadonlySet<string> = new Set(['been', 'llevo', 'lleva', 'llevamos', 'van', 'ya']);
/**
 * What "3 days after" must be followed by to count from the patient's own treatment: "after my
 * session", "después de mi sesión", or the patient going on to say how they are ("2 days after and
 * my face is itchy", "2 días después y me pica"). "Is it normal to be red 3 days after treatment?"
 * asks in general.
 */
const TREATMENT_AFTER_WORDS: ReadonlySet<string> = new Set(['my', 'mi']);
const REPORT_AFTER_WORDS: ReadonlySet<string> = new Set(['and', 'i', 'im', 'still', 'y', 'me', 'sigo', 'tengo']);
/** Words just before "third day" that make it today: "it's the third day", "my third day", "voy por el tercer día". */
const ORDINAL_NOW: ReadonlySet<string> = new Set(['s', 'is', 'its', 'my', 'es', 'mi', 'voy', 'estoy', 'llevo']);
/** "It's the third day", "es el tercer día": the day after treatment it names (the day of treatment is day 0). */
const ORDINALS: Record<string, number> = words({
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  primer: 1,
  primero: 1,
  segundo: 2,
  tercer: 3,
  tercero: 3,
  cuarto: 4,
  quinto: 5,
  sexto: 6,
  septimo: 7,
});

function amount(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return NUMBERS[word];
}

/**
 * Understands when a treatment was, relative to `today`: "today", "yesterday", "3 days ago",
 * "3 days post", "it's been 2 days", "last Monday", "on Monday", "day 3", "it's the third day",
 * "12/11", "Nov 12", "hace 2 días", "llevo 2 días", "el lunes", "12 de noviembre". Numeric dates
 * read day-first in Spanish and month-first in English.
 */
export function parseTreatmentDate(text: string, today: CalendarDay, lang: Lang): DateParse {
  const raw = text.toLowerCase();
  const t = normalizeText(text);
  const words = t.split(' ');
  const ago = (n: number): DateParse => ({ kind: 'date', date: fromEpochDay(epochDay(today) - n), daysAgo: n });
  const onDate = (d: CalendarDay | undefined): DateParse | undefined => {
    if (!d) return undefined;
    const n = daysBetween(d, today);
    return n < 0 ? { kind: 'future', date: d } : { kind: 'date', date: d, daysAgo: n };
  };

  // ISO date, then numeric day/month (order by language), with an optional year.
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(raw);
  if (iso) return onDate(validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]))) ?? { kind: 'none' };
  // A measure is not a date ("1.5 mm needles", "0.5 ml").
  const numeric = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b(?!\s*(?:mm|cm|ml|mg|%|mil))/.exec(raw);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    const [month, day] = lang === 'es' ? [b, a] : [a, b];
    const year = numeric[3] ? (numeric[3].length === 2 ? 2000 + Number(numeric[3]) : Number(numeric[3])) : undefined;
    const parsed = year ? onDate(validDay(year, month, day)) : mostRecent(month, day, today, onDate);
    if (parsed) return parsed;
  }

  // "Nov 12", "12 Nov", "November 12th", "12 de noviembre".
  for (let i = 0; i < words.length; i++) {
    const month = MONTHS[words[i]];
    if (month === undefined || (words[i] === 'may' && lang === 'en' && !/\d/.test(t))) continue;
    const before = words[i - 1] === 'de' ? words[i - 2] : words[i - 1];
    const after = words[i + 1];
    const dayWord = [after, before].find((w) => w !== undefined && /^\d{1,2}(st|nd|rd|th)?$/.test(w));
    if (dayWord) {
      const parsed = mostRecent(month, parseInt(dayWord, 10), today, onDate);
      if (parsed) return parsed;
    }
  }

  if (/\b(day before yesterday|anteayer|antier|antes de ayer)\b/.test(t)) return ago(2);
  if (/\b(yesterday|ayer|last night|anoche)\b/.test(t)) return ago(1);
  if (/\b(today|this morning|this afternoon|earlier today|hoy|esta manana|esta tarde)\b/.test(t)) return ago(0);

  // "3 days ago", "a week ago", "hace 2 días", "hace una semana"; counted from the treatment:
  // "3 days post", "2 days since my treatment", "it's been 2 days", "5 days after my session",
  // "llevo 2 días", "van 3 días", "3 días después del microneedling".
  for (let i = 0; i < words.length; i++) {
    const unit = UNIT_DAYS[words[i]];
    if (unit === undefined) continue;
    const n = amount(words[i - 1] ?? '') ?? (words[i - 1] === 'hace' ? 1 : undefined);
    const [before, next] = [words[i - 2], words[i + 1]];
    // Whose treatment "after" leads to: "after my session", "después de mi sesión".
    const then = words[i + 2] === 'de' ? words[i + 3] : words[i + 2];
    const isAgo =
      next === 'ago' ||
      before === 'hace' ||
      words[i - 1] === 'hace' ||
      next === 'back' ||
      SINCE_TREATMENT_AFTER.has(next) ||
      SINCE_TREATMENT_BEFORE.has(before) ||
      ((next === 'after' || next === 'despues') &&
        ((then !== undefined && TREATMENT_AFTER_WORDS.has(then)) || REPORT_AFTER_WORDS.has(words[i + 2])));
    if (n !== undefined && isAgo) return ago(n * unit);
  }

  // "day 3", "it's day 3", "día 3", "it's the third day", "es el tercer día" (not "on the first day I…").
  const dayN = /\b(?:day|dia)\s+(\d{1,2})\b/.exec(t);
  if (dayN) return ago(Number(dayN[1]));
  const ordinal = words.findIndex(
    (w, i) =>
      w in ORDINALS &&
      (words[i + 1] === 'day' || words[i + 1] === 'dia') &&
      words.slice(Math.max(0, i - 3), i).some((b) => ORDINAL_NOW.has(b)),
  );
  if (ordinal >= 0) return ago(ORDINALS[words[ordinal]]);

  // "last Monday", "on Monday", "el lunes", "el lunes pasado".
  for (let i = 0; i < words.length; i++) {
    const weekday = WEEKDAYS[words[i]];
    if (weekday === undefined || (words[i] === 'sun' && lang === 'en')) continue;
    const todayWeekday = new Date(epochDay(today) * DAY_MS).getUTCDay();
    let back = (todayWeekday - weekday + 7) % 7;
    const explicitlyPast = words[i - 1] === 'last' || words[i + 1] === 'pasado' || words[i - 1] === 'pasado';
    if (back === 0 && explicitlyPast) back = 7;
    return ago(back);
  }
  return { kind: 'none' };
}

function mostRecent(
  month: number,
  day: number,
  today: CalendarDay,
  onDate: (d: CalendarDay | undefined) => DateParse | undefined,
): DateParse | undefined {
  const thisYear = validDay(today.year, month, day);
  if (thisYear && daysBetween(thisYear, today) >= 0) return onDate(thisYear);
  return onDate(validDay(today.year - 1, month, day));
}
