import { isStopword } from '../text/language';

/**
 * Street addresses in English (US style) and Spanish (Spain and Latin America), found by their
 * shape: a street type, a name and a number, in the order each country writes them. A street word
 * alone ("salir a la calle", "2 blocks down the street") or a number that counts something ("camino
 * 30 minutos", "Calle 2 días después") is not an address: clinic questions must come through whole.
 */

/** A pattern matching `word` in any letter case, so the rest of a pattern can still tell capitals. */
function anyCase(word: string): string {
  return word.replace(/\p{L}/gu, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/**
 * Alternatives in any letter case from a space-separated list; an entry may use `\.` and `?`
 * (written `.` and `.?` here, escaped below) but no character classes.
 */
function anyOf(list: string): string {
  return list
    .trim()
    .split(/\s+/)
    .map((w) => anyCase(w.replace(/\./g, '\\.')))
    .join('|');
}

const SP = '[ \\t]';
const END = '(?![\\p{L}\\p{N}])';
/** A word of a street's name: "Elm", "O'Higgins", "Crédito", "5th", "42nd", "2ª", "Insurgentes". */
const NAME_WORD = "(?:[\\p{L}][\\p{L}'’.-]*|\\d{1,3}(?:st|nd|rd|th|ª|º|°))";
/** A capitalised word of a town's or neighbourhood's name. */
const PLACE_WORD = "\\p{Lu}[\\p{L}'’.-]*";

// --- US style: "1234 Elm St., Apt 5", "1600 Pennsylvania Avenue NW", "PO Box 123" -------------

const US_SUFFIXES = anyOf(`street st avenue ave av road rd boulevard blvd drive dr lane ln court ct place pl
  way terrace ter parkway pkwy highway hwy circle cir square sq trail trl plaza pike alley`);
/** Suffixes that are everyday words too: they need a capital somewhere ("12 Oak Court", "7 park Drive"). */
const US_WORDLIKE_SUFFIXES: ReadonlySet<string> = new Set(
  'court place way circle square trail plaza pike alley drive terrace'.split(' '),
);
const US_UNIT =
  `(?:,?${SP}*(?:${anyOf('apartment apt suite ste unit floor fl room rm building bldg')})\\.?${SP}*#?${SP}*` +
  `[\\p{L}\\d-]{1,6}${END}|,?${SP}*#${SP}*\\d{1,6}[A-Za-z]?${END})`;
/** ", Springfield, IL 62704": the town, state and ZIP code that often follow. */
const US_TOWN = `(?:,${SP}*(?:${PLACE_WORD}${SP}+){0,3}${PLACE_WORD},?${SP}+[A-Z]{2}${SP}+\\d{5}(?:-\\d{4})?${END})`;
const US_ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}])\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?` +
    `((?:${SP}+${NAME_WORD}){1,4}?)` +
    `${SP}+(${US_SUFFIXES})${END}\\.?` +
    `(?:${SP}+(?:N|S|E|W|NE|NW|SE|SW)${END}\\.?)?` +
    `${US_UNIT}?${US_TOWN}?`,
  'gu',
);
const PO_BOX = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:[Pp]\\.?${SP}?[Oo]\\.?${SP}?|${anyCase('post office')}${SP}+)${anyCase('box')}` +
    `${SP}*#?${SP}*\\d{1,8}${END}`,
  'gu',
);

// --- Spain and Latin America: "C/ Mayor 12, 3º B", "Av. Insurgentes Sur 1602, Col. Roma", "Calle 85 # 15-32"

const ES_TYPES = anyOf(`calle c/ cl. avenida avda.? avd.? av.? paseo pº p° plaza pza.? ronda camino carretera
  ctra.? travesía travesia glorieta vía via rambla passeig carrer callejón callejon jirón jiron jr. calzada calz.
  bulevar boulevard blvr?. prolongación prolongacion prol. circuito privada pasaje psje. diagonal dg.
  transversal tv. carrera cra.? kr.`);
/** Types written with a stop or slash: an abbreviation is evidence enough for a name in lower case. */
const ABBREVIATED_TYPE = /[./]/;
const ES_PARTICLE = `(?:${anyOf('de del la las los el y')})`;
// Particles ("de la") are name words here and left out when the words are checked. One way only to
// split the name into words (a space between each), so a long line cannot make the search backtrack.
const ES_NAME = `((?:${SP}*${NAME_WORD}(?:${SP}+${NAME_WORD}){0,6}?)?)`;
const ES_NUMBER =
  `,?${SP}*(?:${anyOf('nº n° no. núm.? num.? número numero')})?${SP}*` +
  `(\\d{1,5}[A-Za-z]?(?:${SP}+${anyCase('bis')})?)${END}`;
/** Colombian plate numbers: "Calle 85 # 15-32", "Cra. 7 No. 72-41". */
const ES_PLATE = `(${SP}*(?:#|${anyOf('nº n° no.?')})${SP}*\\d{1,3}[A-Za-z]?${SP}*-${SP}*\\d{1,3}${END})?`;
const ES_SIDES = anyOf('izda.? izq.? dcha.? izquierda derecha centro');
const ES_UNITS = [
  `\\d{1,2}${SP}*[ºª°](?:${SP}*(?:[A-Za-z]|\\d{1,2}[ºª°]?|${ES_SIDES})${END})?`,
  `(?:${anyOf(`piso planta puerta pta.? escalera esc.? dto.? depto.? departamento apto.? apartamento int.? interior
    of.? oficina casa local mz.? manzana lt.? lote`)})${SP}*[\\p{L}\\d]{1,4}${END}`,
  `(?:${anyOf('bajo entlo. entresuelo ático atico')})${END}`,
].join('|');
const ES_UNIT = `((?:,?${SP}*(?:${ES_UNITS}))*)`;
const ES_AREA_WORDS = anyOf(`col. colonia barrio bº urb. urbanización fracc. fraccionamiento sector del.
  delegación alcaldía`);
/** ", Col. Roma Norte", ", C.P. 06700": the neighbourhood and postcode after the street. */
const ES_AREA =
  `((?:,?${SP}*(?:(?:${ES_AREA_WORDS})${SP}+${PLACE_WORD}(?:${SP}+(?:${ES_PARTICLE}${SP}+)?${PLACE_WORD}){0,3}` +
  `|[Cc]\\.?${SP}?[Pp]\\.?${SP}*\\d{4,5}${END}))*)`;
const ES_ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}])(${ES_TYPES})(?![\\p{L}])${ES_NAME}${ES_NUMBER}${ES_PLATE}${ES_UNIT}${ES_AREA}`,
  'gu',
);

/**
 * Words never part of a street's name, checked folded: what follows a street word or a number in
 * a sentence ("salir a la calle sin protector", "2 blocks down the street", "4 weeks Drive").
 */
const NOT_STREET_WORDS: ReadonlySet<string> = new Set(
  `after before down up along across around near from into onto over under past through toward towards
   until since during without within per than then when while where every each other more less most
   no not yes very much many few some all both half
   day days week weeks month months year years hour hours hr hrs minute minutes min mins second seconds
   session sessions treatment treatments time times block blocks mile miles km mm cm ml mg kg spf drop
   drops pill pills unit units
   despues antes sin hasta desde durante hacia tras sobre entre segun contra cada otro otra otros otras
   mas menos mucho mucha muchos muchas poco poca pocos pocas todo toda todos todas no ni
   dia dias semana semanas mes meses ano anos hora horas minuto minutos segundo segundos sesion sesiones
   tratamiento tratamientos vez veces cuadra cuadras gota gotas pastilla pastillas unidad unidades`
    .trim()
    .split(/\s+/),
);

function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function wordsOf(name: string): string[] {
  return name.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
}

function isCommon(word: string): boolean {
  const f = fold(word.replace(/[.'’-]+$/u, ''));
  return NOT_STREET_WORDS.has(f) || isStopword('en', f) || isStopword('es', f);
}

const isCapitalised = (word: string): boolean => /^\p{Lu}/u.test(word);
const PARTICLES: ReadonlySet<string> = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'y']);

/** What comes right after a number that counts time or things rather than houses. */
const COUNTED_NEXT = /^[ \t]*,?[ \t]*([\p{L}]+)/u;

function countsSomething(rest: string): boolean {
  const next = COUNTED_NEXT.exec(rest)?.[1];
  return next !== undefined && NOT_STREET_WORDS.has(fold(next));
}

function usAddress(whole: string, name: string, suffix: string): string {
  const words = wordsOf(name);
  if (words.some(isCommon)) return whole;
  const capital = isCapitalised(suffix) || words.some(isCapitalised);
  return US_WORDLIKE_SUFFIXES.has(suffix.toLowerCase()) && !capital ? whole : '[address]';
}

function esAddress(
  whole: string,
  type: string,
  name: string,
  _number: string,
  plate: string | undefined,
  unit: string,
  area: string,
  offset: number,
  text: string,
): string {
  const words = wordsOf(name).filter((w) => !PARTICLES.has(w.toLowerCase()));
  const detailed = plate !== undefined || unit !== '' || area !== '';
  // "Calle 85 # 15-32" names no street but its plate number; otherwise a name is needed.
  if (words.length === 0 && plate === undefined) return whole;
  if (words.some(isCommon)) return whole;
  const lowerCase = words.some((w) => !isCapitalised(w) && !/^\d/u.test(w));
  if (lowerCase && !ABBREVIATED_TYPE.test(type) && !detailed) return whole;
  if (!detailed && countsSomething(text.slice(offset + whole.length))) return whole;
  return '[address]';
}

/** Replaces street addresses and post office boxes with "[address]". */
export function scrubStreetAddresses(text: string): string {
  return text.replace(PO_BOX, '[address]').replace(ES_ADDRESS, esAddress).replace(US_ADDRESS, usAddress);
}
