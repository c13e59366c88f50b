import { CountryCode, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/mobile/examples';
import { normalizeText } from '../text/normalize';

/**
 * Reads what a patient types while requesting a consultation: names, free text, which detail
 * they want to change on the confirmation, "send it". SDK-free; the booking dialog uses it.
 */

/** What a patient can ask to change on the confirmation ("change my phone", "cambiar la nota"). */
export const BOOKING_FIELDS = ['name', 'contact', 'email', 'phone', 'times', 'treatment', 'note', 'screening'] as const;
export type BookingField = (typeof BOOKING_FIELDS)[number];

/** Most specific first: "wrong email address" is about the email, not the contact details in general. */
const FIELD_WORDS: readonly (readonly [BookingField, RegExp])[] = [
  ['email', /\b(e ?mail|mail|correo|electronico)\b/],
  ['phone', /\b(phone|telephone|mobile|cell|number|telefono|movil|celular|numero)\b/],
  ['contact', /\b(contact|details|contacto|datos)\b/],
  ['name', /\b(name|nombre)\b/],
  [
    'times',
    /\b(times?|days?|dates?|when|availability|schedule|slot|hora|horas|horario|dia|dias|fecha|cuando|disponibilidad)\b/,
  ],
  ['treatment', /\b(treatment|procedure|tratamiento)\b/],
  ['note', /\b(note|comment|message|nota|comentario|mensaje)\b/],
  ['screening', /\b(screening|answers?|sharing|suitability|cuestionario|respuestas?)\b/],
];

const EDIT_WORDS = new RegExp(
  `\\b(${[
    'change|edit|update|fix|correct|wrong|different|modify|replace',
    'cambiar|cambia|cambiame|cambio|corregir|corrige|modificar|modifica|editar|actualizar',
    'mal|equivocado|equivocada|otro|otra',
  ].join('|')})\\b`,
);

const SEND_WORDS = /\b(send|submit|enviar|envia|enviala|envialo|enviarla|mandar|manda|mandala|mandalo)\b/;
const SEND_PHRASES: ReadonlySet<string> = new Set([
  'confirm',
  'go ahead',
  'book it',
  'looks good',
  'all good',
  'that s right',
  'that s correct',
  'perfect',
  'confirmar',
  'confirmo',
  'adelante',
  'todo bien',
  'esta bien',
  'perfecto',
  'correcto',
]);

/** Question openings, accents removed: a message starting with one is treated as a question, not an answer. */
const QUESTION_START = new RegExp(
  `^(${[
    'what|whats|how|when|where|why|who|which|does|do|did|is|are|can|could|will|would|should|am',
    'que|como|cuando|donde|por que|cuanto|cuanta|cuantos|cuantas|cual|cuales|quien',
  ].join('|')})\\b`,
);

/** "my name is Ana", "soy Ana": the words before the name itself. */
const NAME_LEAD = new RegExp(
  `^(?:(?:hi|hello|hola)[\\s,!.]+)?(?:${[
    "my name is|my name's|name is|i am|i'm|it's|this is|call me",
    'me llamo|mi nombre es|soy',
  ].join('|')})\\s+`,
  'i',
);
const NAME_MAX_WORDS = 6;

/** Characters that change how a chat renders text: bidirectional overrides and isolates, invisible spaces. */
const INVISIBLE = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Half of a UTF-16 pair without the other half (not a character; some channels refuse the message). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as typed, safe to store and to show back in a chat that renders Markdown or HTML: no tags,
 * HTML entities, Markdown emphasis, code or link syntax, control or bidirectional-override
 * characters; spaces collapsed. (Every pattern is linear: `<[^<>]*>` never rescans a run of "<".)
 */
export function plainText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(?:#\d+|#x[\da-f]+|[a-z]+);/gi, ' ')
    .replace(/[<>`*_~\\[\]]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Free text for a field of at most `max` characters, or undefined when it is empty or too long. */
export function freeText(text: string, max: number): string | undefined {
  const clean = plainText(text);
  return clean.length > 0 && clean.length <= max ? clean : undefined;
}

/** The name in "my name is Ana García" / "Ana García", or undefined when it does not read as a name. */
export function readName(text: string): string | undefined {
  const name = plainText(text.replace(/[’‘]/g, "'"))
    .replace(NAME_LEAD, '')
    .replace(/[.!,]+$/, '')
    .trim();
  if (name.length === 0 || name.length > 120 || name.split(' ').length > NAME_MAX_WORDS) return undefined;
  if (!/\p{L}/u.test(name) || /[@\d?¿]/.test(name)) return undefined;
  return name;
}

/** True when the message reads as a question ("does it hurt?", "¿cuánto dura?", "how long is it"). */
export function looksLikeQuestion(text: string): boolean {
  return /\?\s*$|^\s*¿/.test(text) || QUESTION_START.test(normalizeText(text));
}

/** The detail the patient wants to change ("change my phone", "Cambiar días y horas", "wrong email"). */
export function changeRequest(text: string): BookingField | undefined {
  const normalized = normalizeText(text);
  // A bare field name ("phone", "la nota") counts too; a longer message needs a word of changing.
  if (!EDIT_WORDS.test(normalized) && normalized.split(' ').length > 2) return undefined;
  return FIELD_WORDS.find(([, words]) => words.test(normalized))?.[0];
}

/** True when the patient asks to send the request ("Send request", "send it", "enviar solicitud"). */
export function sendRequest(text: string): boolean {
  const normalized = normalizeText(text);
  return SEND_PHRASES.has(normalized) || (SEND_WORDS.test(normalized) && !EDIT_WORDS.test(normalized));
}

/** A phone number of the clinic's country as people write it there, for "for example …" hints. */
export function examplePhone(country: string): string {
  const example = getExampleNumber(country as CountryCode, examples) ?? getExampleNumber('US', examples);
  return example?.formatNational() ?? '';
}

/** An E.164 number written for reading ("+1 201 555 0123"). */
export function readablePhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
