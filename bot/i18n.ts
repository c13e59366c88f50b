import * as fs from 'node:fs';
import * as path from 'node:path';
import i18next, { i18n, TFunction } from 'i18next';
import { z } from 'zod';
import { CommandPhrases, COMMANDS, FLOW_REPLIES, FlowReplyPhrases } from '../core/commands/commandRecognizer';
import { Lang, LANGS } from '../core/text/language';

export interface Localizer {
  t(lang: Lang, key: string, values?: Record<string, string>): string;
  commands: Record<Lang, CommandPhrases>;
  replies: Record<Lang, FlowReplyPhrases>;
}

const CommandsSchema = z.object(
  Object.fromEntries(COMMANDS.map((c) => [c, z.array(z.string().min(1))])) as Record<
    (typeof COMMANDS)[number],
    z.ZodArray<z.ZodString>
  >,
);
const RepliesSchema = z.object(
  Object.fromEntries(FLOW_REPLIES.map((c) => [c, z.array(z.string().min(1))])) as Record<
    (typeof FLOW_REPLIES)[number],
    z.ZodArray<z.ZodString>
  >,
);
const TranslationSchema = z.record(z.string(), z.unknown());

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Loads `locales/<lang>/translation.json` into an isolated i18next instance. A missing key throws
 * in tests and development, so a forgotten translation never reaches a patient as a raw key.
 */
export async function createLocalizer(localesDir: string, strict: boolean): Promise<Localizer> {
  const instance: i18n = i18next.createInstance();
  const resources = Object.fromEntries(
    LANGS.map((lang) => [
      lang,
      { translation: TranslationSchema.parse(readJson(path.join(localesDir, lang, 'translation.json'))) },
    ]),
  );
  const missing: string[] = [];
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: strict ? false : 'en',
    supportedLngs: [...LANGS],
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => missing.push(`${lngs.join(',')}:${key}`),
    returnNull: false,
  });
  const fixed: Record<Lang, TFunction> = { en: instance.getFixedT('en'), es: instance.getFixedT('es') };
  const readCommands = (lang: Lang): CommandPhrases =>
    CommandsSchema.parse(readJson(path.join(localesDir, lang, 'commands.json')));
  const commands: Record<Lang, CommandPhrases> = { en: readCommands('en'), es: readCommands('es') };
  const readReplies = (lang: Lang): FlowReplyPhrases =>
    RepliesSchema.parse(readJson(path.join(localesDir, lang, 'replies.json')));
  const replies: Record<Lang, FlowReplyPhrases> = { en: readReplies('en'), es: readReplies('es') };
  return {
    commands,
    replies,
    t(lang, key, values) {
      const before = missing.length;
      const resolved = fixed[lang](key, values ?? {});
      if (strict && missing.length > before) throw new Error(`Missing translation "${key}" for "${lang}"`);
      return typeof resolved === 'string' ? resolved : String(resolved);
    },
  };
}
