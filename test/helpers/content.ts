import * as path from 'node:path';
import { createLocalizer, Localizer } from '../../bot/i18n';
import { ConsultationEngine } from '../../core/consultation/consultationEngine';
import { decisionParts, DecisionParts } from '../../core/consultation/messageDecision';
import { LANGS } from '../../core/text/language';
import { ContentSet, loadContent } from '../../core/content/contentLoader';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CONTENT_DIR = path.join(ROOT, 'content');
export const LOCALES_DIR = path.join(ROOT, 'locales');

let cached: { content: ContentSet; i18n: Localizer; engine: ConsultationEngine } | undefined;

/** The repository's real content, loaded once per test file (training the matcher takes a moment). */
export async function realContent(): Promise<{ content: ContentSet; i18n: Localizer; engine: ConsultationEngine }> {
  if (!cached) {
    const content = loadContent(CONTENT_DIR);
    const i18n = await createLocalizer(LOCALES_DIR, true);
    cached = { content, i18n, engine: new ConsultationEngine(content, i18n.commands) };
  }
  return cached;
}

/** What the one message decision needs, on the repository's real content and locales. */
export async function realDecisionParts(): Promise<DecisionParts> {
  const { engine, i18n } = await realContent();
  return decisionParts(
    engine,
    i18n.replies,
    LANGS.map((l) => i18n.t(l, 'flows.booking.buttons.send')),
  );
}
