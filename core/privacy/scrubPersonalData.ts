import { isStopword } from '../text/language';
import { scrubStreetAddresses } from './streetAddresses';

/**
 * Questions nobody answered are kept for staff to read, so anything that identifies the patient is
 * replaced before storage (street addresses: streetAddresses.ts). Precision matters as much as recall:
 * a question that lost "I'm worried" or "4-6 weeks" is no use to the staff reading it.
 */

// Unicode-aware so "maría.pérez@correo.es" counts as one address. The look-behind starts a match only
// at the start of a run, which keeps a long run without "@" linear instead of quadratic.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Dates are matched before phone numbers so "2026-11-21" or "21.11.2026" (eight digits with
 * separators) are kept; only plausible day and month numbers count, so "12-34-5678" is still a phone.
 */
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?:0?[1-9]|1[0-2])';
const DATE = `\\d{4}[-/.]${MONTH}[-/.]${DAY}|${DAY}[-/.]${DAY}[-/.](?:\\d{4}|\\d{2})`;
/**
 * A run of digit groups joined by the separators people type in phone numbers: space, dot, dash,
 * parentheses. "/" and ":" are not among them, so "12/11" and "10:30" never join a run.
 */
const SEP = '(?:[ \\t]?-[ \\t]?|\\.|[ \\t]|\\)[ \\t]?-?|[ \\t]?\\()';
const DIGIT_RUN = `(?:\\+[ \\t]?|\\(\\+?)?\\d+(?:${SEP}\\d+)*\\)?`;
const NUMBERS = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:(${DATE})(?!\\d)|(${DIGIT_RUN})([A-Za-z](?![\\p{L}\\p{N}]))?)`,
  'gu',
);

/** "10.30 - 11.45": opening hours typed with dots have eight digits too. */
const TIME_RANGE = /^(?:[01]?\d|2[0-3])[.:][0-5]\d[ \t]?-[ \t]?(?:[01]?\d|2[0-3])[.:][0-5]\d$/;

/** E.164 allows at most 15 digits; longer runs are card or account numbers. */
const MAX_PHONE_DIGITS = 15;
const MIN_PHONE_DIGITS = 7;
const MIN_ID_DIGITS = 8;

function scrubNumbers(text: string): string {
  return text.replace(
    NUMBERS,
    (whole: string, date: string | undefined, run: string | undefined, letter: string | undefined) => {
      if (date !== undefined || run === undefined) return whole;
      const groups = run.match(/\d+/g) ?? [];
      const digits = groups.join('').length;
      const suffix = letter ?? '';
      if (digits < MIN_PHONE_DIGITS || looksLikeYearsOrDate(groups) || TIME_RANGE.test(run)) return whole;
      const separated = groups.length > 1 || /[()]/.test(run);
      const international = run.startsWith('+') || run.startsWith('(+');
      // A bare run of 8+ digits (optionally with a DNI-style letter) is an ID; with a "+" it is a phone.
      if (digits > MAX_PHONE_DIGITS || (!separated && !international && digits >= MIN_ID_DIGITS)) return '[number]';
      return `[phone]${suffix}`;
    },
  );
}

/** "2019 2020 2021" and "12 11 2025" are years and dates typed with spaces, not phone numbers. */
function looksLikeYearsOrDate(groups: readonly string[]): boolean {
  const isYear = (g: string): boolean => /^(19|20)\d\d$/.test(g);
  if (groups.length > 1 && groups.every(isYear)) return true;
  if (groups.length !== 3 || !isYear(groups[2])) return false;
  const [a, b] = [Number(groups[0]), Number(groups[1])];
  return (
    groups[0].length <= 2 && groups[1].length <= 2 && a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12)
  );
}

type LeadIn = 'firm' | 'capitalised' | 'loose';

/**
 * How much evidence each lead-in gives that a name follows. "firm" ones accept a name typed in
 * lower case; "capitalised" ones need a capital ("call me back" is not a name); "loose" ones
 * ("I'm", "soy") also introduce states and origins, so they lean hardest on the stop-list.
 */
const LEAD_INS: ReadonlyArray<[string, LeadIn]> = [
  ['my name is', 'firm'],
  ["my name['’]s", 'firm'],
  ['i am called', 'firm'],
  ["i['’]?m called", 'firm'],
  ['me llamo', 'firm'],
  ['mi nombre es', 'firm'],
  ['name:', 'firm'],
  ['nombre:', 'firm'],
  ['call me', 'capitalised'],
  ['this is', 'capitalised'],
  ['i am', 'loose'],
  ["i['’]?m", 'loose'],
  ['soy', 'loose'],
];
// A word lead-in must end at a word boundary ("soya" is not "soy"); "name:" may touch the name.
const LEAD_IN = new RegExp(
  `(?<![\\p{L}\\p{N}])(${LEAD_INS.map(([p]) => p).join('|')})(?:(?<=:)|(?![\\p{L}\\p{N}]))[ \\t]*`,
  'giu',
);

const LEAD_IN_KINDS = LEAD_INS.map(([pattern, kind]) => ({ exact: new RegExp(`^(?:${pattern})$`, 'iu'), kind }));

function leadInKind(matched: string): LeadIn {
  return LEAD_IN_KINDS.find((k) => k.exact.test(matched))?.kind ?? 'loose';
}

/** A title makes the next word a name even after "soy la", e.g. "soy la Dra. Pérez". */
const TITLE = /(?:(?:la|el|the)[ \t]+)?(?:dra|dr|doctora|doctor|sra|srta|sr|mrs|mr|ms|miss|mx)\b\.?[ \t]+/iuy;
const WORD = /\p{L}+(?:['’-]\p{L}+)*/uy;
const GAP = /[ \t]+/y;
/** Joining words inside a name: "Ana de la Cruz", "Ludwig van Beethoven". */
const PARTICLES: ReadonlySet<string> = new Set([
  'de',
  'del',
  'la',
  'las',
  'los',
  'van',
  'von',
  'der',
  'da',
  'di',
  'du',
  'le',
]);
// Four, not three: Spanish names often run to two given names and two surnames ("María José Gómez Ruiz").
const MAX_CAPITALISED_WORDS = 4;
const MAX_LOWERCASE_WORDS = 2;

/**
 * Words that follow "I'm", "soy", "this is", "call me" without being a name, checked lower-cased
 * because people capitalise for emphasis or type in title case. The general stopwords of both
 * languages are added on top.
 */
const NOT_NAMES: ReadonlySet<string> = new Set(
  [
    // English: states, origins, roles, and the words that open a clause after "I'm".
    `worried allergic pregnant new nervous not on in a an the from over under 18 45 scared afraid anxious
     concerned considering thinking wondering interested curious sure unsure confused sorry fine good ok okay
     well great ready done excited happy tired red swollen sore itchy healing peeling bad sick ill back here
     there still also just really so very too now currently already going having doing trying looking getting
     planning breastfeeding nursing diabetic vegan male female man woman mom mum mother dad father patient
     client student nurse doctor english spanish british american irish scottish welsh canadian australian
     mexican colombian argentinian normal safe true right wrong urgent important serious painful expensive day
     week month year about after before around at with without and or but because if when how what why where
     which who can could do does did is are was were will would should have has had need want wanted hoping
     sensitive prone acne oily dry older younger young old age aged taking using`,
    // Spanish, without accents because words are compared folded.
    `alergica alergico buena bueno buenas buenos embarazada embarazado nueva nuevo nerviosa nervioso
     preocupada preocupado candidata candidato de la el una un uno los las del al en con sin por para sobre
     menor mayor paciente pacienta clienta cliente madre mama padre papa mujer hombre chica chico estudiante
     enfermera enfermero medico medica doctora diabetica diabetico vegana vegano celiaca celiaco sensible
     propensa propenso espanola espanol inglesa ingles extranjera extranjero mexicana mexicano colombiana
     colombiano argentina argentino consciente lactante primeriza lista listo roja rojo hinchada hinchado feliz
     cansada cansado muy tan bastante mas menos nada nadie yo tu usted ella que como cuando donde cual quien
     cuanto cuanta cuantos cuantas tengo tiene quiero queria puedo hola gracias ya aun todavia solo hoy ayer
     manana segura seguro grave`,
    // Treatments are title-cased often enough ("This is Microneedling?") to need listing.
    'microneedling microagujas dermapen botox filler fillers prp laser retinol peeling mesoterapia',
  ].flatMap((group) => group.trim().split(/\s+/)),
);

function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function isCommonWord(word: string): boolean {
  const f = fold(word);
  return NOT_NAMES.has(f) || isStopword('en', f) || isStopword('es', f);
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

function readAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  const m = pattern.exec(text);
  return m ? m[0] : undefined;
}

/** Where the name after a lead-in starts and ends, or undefined when what follows is not a name. */
function findName(text: string, at: number, kind: LeadIn): { start: number; end: number } | undefined {
  let pos = at;
  let effective = kind;
  const title = readAt(TITLE, text, pos);
  if (title !== undefined) {
    pos += title.length;
    effective = 'firm';
  }
  const first = readAt(WORD, text, pos);
  if (first === undefined || isCommonWord(first)) return undefined;
  const capitalised = isCapitalised(first);
  if (!capitalised && effective !== 'firm') return undefined;
  // "I'm Going", "I'm Having": a title-cased verb, not a name.
  if (effective === 'loose' && first.length >= 5 && /ing$/i.test(first)) return undefined;

  const start = pos;
  let end = pos + first.length;
  let words = 1;
  for (let next = nextNameWord(text, end); next !== undefined; next = nextNameWord(text, end)) {
    if (isCommonWord(next.word)) break;
    const room = isCapitalised(next.word)
      ? words < MAX_CAPITALISED_WORDS
      : effective === 'firm' && words < MAX_LOWERCASE_WORDS;
    if (!room) break;
    end = next.end;
    words++;
  }
  return { start, end };
}

interface Word {
  word: string;
  end: number;
}

function wordAfterGap(text: string, at: number): Word | undefined {
  const gap = readAt(GAP, text, at);
  if (gap === undefined) return undefined;
  const word = readAt(WORD, text, at + gap.length);
  return word === undefined ? undefined : { word, end: at + gap.length + word.length };
}

/** The next word after `at`, stepping over particles when a capitalised word follows them. */
function nextNameWord(text: string, at: number): Word | undefined {
  const first = wordAfterGap(text, at);
  for (let probe = first; probe !== undefined && PARTICLES.has(probe.word);) {
    const after = wordAfterGap(text, probe.end);
    if (after !== undefined && isCapitalised(after.word)) return after;
    probe = after;
  }
  return first;
}

function scrubNames(text: string): string {
  let out = '';
  let copied = 0;
  LEAD_IN.lastIndex = 0;
  for (let m = LEAD_IN.exec(text); m !== null; m = LEAD_IN.exec(text)) {
    const afterLeadIn = m.index + m[0].length;
    const name = findName(text, afterLeadIn, leadInKind(m[1]));
    if (name === undefined) continue;
    out += `${text.slice(copied, name.start)}[name]`;
    copied = name.end;
    LEAD_IN.lastIndex = name.end;
  }
  return out + text.slice(copied);
}

/**
 * Replaces emails, street addresses, phone numbers, long ID/card numbers and self-introduced names
 * with placeholders.
 */
export function scrubPersonalData(text: string): string {
  // Emails first: their digits and words must not be read as phones or names. Addresses next: a
  // street's name is not a person's, and "Calle 85 # 15-32" is not a phone number.
  return scrubNames(scrubNumbers(scrubStreetAddresses(text.replace(EMAIL, '[email]'))));
}

/** True when the text holds something `scrubPersonalData` would replace. */
export function containsPersonalData(text: string): boolean {
  return scrubPersonalData(text) !== text;
}
