import * as fs from 'node:fs';
import * as path from 'node:path';
import i18next, { TFunction } from 'i18next';
import { z } from 'zod';
import { Lang, LANGS } from '../../core/text/language';

export type StaffT = (key: string, values?: Record<string, string | number>) => string;

export interface StaffLocalizer {
  t(lang: Lang): StaffT;
}

/**
 * The console's words: `locales/<lang>/staff.json`, its own i18next namespace. A missing key
 * throws in tests and development, as the bot's own strings do, unless the call gives a
 * `defaultValue` to fall back on.
 */
export async function createStaffLocalizer(localesDir: string, strict: boolean): Promise<StaffLocalizer> {
  const instance = i18next.createInstance();
  const missing: string[] = [];
  await instance.init({
    resources: Object.fromEntries(
      LANGS.map((lang) => [
        lang,
        {
          staff: z
            .record(z.string(), z.unknown())
            .parse(JSON.parse(fs.readFileSync(path.join(localesDir, lang, 'staff.json'), 'utf8'))),
        },
      ]),
    ),
    ns: ['staff'],
    defaultNS: 'staff',
    lng: 'en',
    fallbackLng: strict ? false : 'en',
    supportedLngs: [...LANGS],
    // Pages escape every value themselves (bot/staff/html.ts).
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => missing.push(`${lngs.join(',')}:${key}`),
  });
  const fixed: Record<Lang, TFunction> = { en: instance.getFixedT('en'), es: instance.getFixedT('es') };
  return {
    t: (lang) => (key, values) => {
      const before = missing.length;
      const text = fixed[lang](key, values ?? {});
      if (strict && missing.length > before && values?.defaultValue === undefined)
        throw new Error(`Missing staff translation "${key}" for "${lang}"`);
      return typeof text === 'string' ? text : String(text);
    },
  };
}
