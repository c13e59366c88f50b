import { Entity } from 'botbuilder';
import { Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';

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
