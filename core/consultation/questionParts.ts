import { foldAccents, normalizeText } from '../text/normalize';

/** A question word or verb that opens a new question after "and" / "y" ("…and how long is the downtime"). */
const QUESTION_OPENERS =
  'how|what|whats|when|where|which|why|who|can|could|do|does|did|is|are|will|would|should|shall|may|must|' +
  'como|cuanto|cuanta|cuantos|cuantas|cuando|que|cual|cuales|donde|por que|' +
  'puedo|se puede|hay|es|son|debo|tengo|duele|sirve|cada';
const JOINED_QUESTION = new RegExp(`\\s(?:and|also|plus|y|e|ademas|tambien)\\s+(?=(?:${QUESTION_OPENERS})\\s)`, 'g');
const OPENS_QUESTION = new RegExp(`^(?:${QUESTION_OPENERS})\\s`);

/** Fewer words than this is not a question of its own ("and?"), so it is not split off. */
const MIN_PART_WORDS = 3;
/** After "and" / "y", a question word and one more word is a question ("… and how often?", "… y cada cuánto"). */
const MIN_JOINED_PART_WORDS = 2;
/** At most this many questions of one message are answered; more reads as a page, not a chat turn. */
export const MAX_PARTS = 3;

/**
 * The questions a message asks: its sentences, and questions joined by "and" / "y" that start
 * again with a question word. Statements around them ("I have acne scars.") are not questions.
 */
export function splitQuestions(text: string): string[] {
  const parts = questionPieces(text);
  return parts.length > MAX_PARTS ? [] : parts.map((p) => p.text);
}

/** Fewer words than this before a question is a heading ("Tratamiento extremo: ¿es seguro?"), not a story. */
const MIN_STORY_WORDS = 5;

/**
 * The questions a story ends in ("I looked in the mirror and I was red as a tomato. Is this
 * normal?"): pieces of sentences marked as questions ("?", "¿"), after a story of some length.
 */
export function storyQuestions(text: string): string[] {
  const parts = questionPieces(text);
  const asked = parts.filter((p) => p.marked).map((p) => p.text);
  if (parts.length > MAX_PARTS || asked.length === 0) return [];
  const storyWords = normalizeText(text).split(' ').length - asked.join(' ').split(' ').length;
  return storyWords >= MIN_STORY_WORDS ? asked : [];
}

/**
 * The last sentence of a story that asks nothing ("I walked out thrilled and a bit scared. My face
 * was the colour of a ripe tomato."): patients often end on what is happening to them now.
 */
export function storyEnd(text: string): string | undefined {
  const all = sentencesOf(text);
  if (all.length < 2 || all.length > MAX_STORY_SENTENCES || all.some(isMarkedQuestion)) return undefined;
  const last = normalizeText(all[all.length - 1]);
  return last.split(' ').length >= MIN_PART_WORDS ? last : undefined;
}

/** A clause, then a comma or "and", then a question word: where a question starts after what happened. */
const QUESTION_AFTER_CLAUSE = new RegExp(`(?:[,;]|\\s(?:and|but|so|y|pero))\\s+¿?(?=(?:${QUESTION_OPENERS})\\s)`, 'g');

/**
 * The question a message asks after telling what happened in the same sentence ("I had microneedling
 * this morning, when can I wash my face?"): the words after the last comma or "and" that opens a
 * question, when the message is marked as a question.
 */
export function questionAfterClause(text: string): string | undefined {
  const trimmed = text.trim();
  if (!isMarkedQuestion(trimmed) || sentencesOf(trimmed).length > 1) return undefined;
  // Lower case without accents, commas kept: normalizeText would drop the commas that mark the clause.
  const plain = foldAccents(trimmed);
  const last = [...plain.matchAll(QUESTION_AFTER_CLAUSE)].pop();
  if (last?.index === undefined || last.index === 0) return undefined;
  const question = normalizeText(plain.slice(last.index + last[0].length));
  return question.split(' ').length >= MIN_PART_WORDS ? question : undefined;
}

/** A story of more sentences than this reads as an article, not a patient's message. */
const MAX_STORY_SENTENCES = 4;

/** Words that join two subjects of one question ("dark spots and pores", "las arrugas y la flacidez"). */
const JOINING_WORD = /(^| )(and|or|y|e|o|u|ni)( |$)/;
/** A question of at most this many words is a chat question, not a paragraph. */
const SHORT_QUESTION_WORDS = 14;

/**
 * A short question that joins two things ("does it help with dark spots and pores?", "¿es normal la
 * hinchazón y el enrojecimiento?"): it may ask about both.
 */
export function joinsTwoSubjects(text: string): boolean {
  const normalized = normalizeText(text);
  const asks = isMarkedQuestion(text.trim()) || OPENS_QUESTION.test(`${normalized} `);
  return asks && normalized.split(' ').length <= SHORT_QUESTION_WORDS && JOINING_WORD.test(normalized);
}

function isMarkedQuestion(sentence: string): boolean {
  return /\?\s*$/.test(sentence) || sentence.startsWith('¿');
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[?!.:])\s+|(?=¿)|\s*[—–]\s*|\s+-\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A heading of more words than this is a sentence of its own. */
const MAX_HEADING_WORDS = 8;

function questionPieces(text: string): { text: string; marked: boolean }[] {
  const sentences = sentencesOf(text);
  // A sentence ended by a full stop, in a message that asks with a question mark elsewhere, is a
  // statement even when it opens like a question ("Tengo estrías desde hace años. ¿Se pueden quitar?").
  const marksItsQuestions = sentences.some(isMarkedQuestion);
  const parts: { text: string; marked: boolean }[] = [];
  // A short heading before the questions ("Microneedling for acne scars: does it work?") names their subject.
  let heading = '';
  for (const sentence of sentences) {
    const asked = isMarkedQuestion(sentence);
    if (!asked && /:\s*$/.test(sentence) && normalizeText(sentence).split(' ').length <= MAX_HEADING_WORDS) {
      heading = normalizeText(sentence);
      continue;
    }
    if (!asked && marksItsQuestions && /\.\s*$/.test(sentence)) continue;
    normalizeText(sentence)
      .split(JOINED_QUESTION)
      .forEach((piece, i) => {
        const least = i > 0 ? MIN_JOINED_PART_WORDS : MIN_PART_WORDS;
        if (piece === '' || (piece.split(' ').length < least && !asked)) return;
        if (asked || OPENS_QUESTION.test(`${piece} `))
          parts.push({ text: heading ? `${heading} ${piece}` : piece, marked: asked });
      });
  }
  return parts;
}

/** Words that open a follow-up leaning on the answer before ("and how long does that last?", "¿y eso es normal?"). */
const FOLLOW_UP_OPENING = new RegExp(
  `^(${[
    'and|also|plus|what about|how about|and what about',
    'y|y si|y que|y eso|y el|y la|y los|y las|que tal|tambien|ademas',
  ].join('|')})\\b`,
);
/** Words that point back at the last answer. */
const POINTING_BACK = /\b(that|this|it|those|they|them|eso|esto|esa|ese|aquello|lo)\b/;
const SHORT_FOLLOW_UP_WORDS = 7;
/**
 * "How long?", "how long should I wait?", "¿cuánto dura?": how long, and nothing else. Such a question
 * names no subject, so its subject is the last answer's (the downtime, the peeling, make-up).
 */
const BARE_HOW_LONG = new RegExp(
  `^(${[
    'how long( (for|then|exactly|roughly|more|before|after|before that|after that))?',
    'how long (do|should|must|would|will) i (have to |need to )?wait( for)?',
    'for how long',
    'how many (days|weeks)( more)?',
    'cuanto( tiempo| rato)?( mas| antes| despues)?',
    'cuanto (dura|duran|tarda|tardan)',
    'cuanto (tengo|hay) que esperar',
    'cuantos (dias|dias mas|semanas)',
    'por cuanto tiempo',
  ].join('|')})$`,
);

/** Whether a message reads as a follow-up to the previous answer rather than a question of its own. */
export function looksLikeFollowUp(text: string): 'opening' | 'pointing' | 'bare' | undefined {
  const normalized = normalizeText(text);
  if (FOLLOW_UP_OPENING.test(normalized)) return 'opening';
  if (normalized.split(' ').length <= SHORT_FOLLOW_UP_WORDS && POINTING_BACK.test(normalized)) return 'pointing';
  if (BARE_HOW_LONG.test(normalized)) return 'bare';
  return undefined;
}

/** Whether a message points back at the last answer ("that", "eso"): "and how long does that last?" leans on it. */
export function pointsBack(text: string): boolean {
  return POINTING_BACK.test(normalizeText(text));
}
