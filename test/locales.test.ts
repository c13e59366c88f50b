import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { LOCALES_DIR } from './helpers/content';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const read = (lang: string, ns: string) =>
  JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, lang, `${ns}.json`), 'utf8')) as unknown;

describe('locales', () => {
  it.each(['translation', 'commands', 'replies'])('have the same %s keys in English and Spanish', (ns) => {
    expect(keys(read('es', ns)).sort()).toEqual(keys(read('en', ns)).sort());
  });

  it('throw on a missing key instead of showing it to a patient', async () => {
    const i18n = await createLocalizer(LOCALES_DIR, true);
    expect(() => i18n.t('en', 'no.such.key')).toThrow(/Missing translation "no.such.key"/);
    expect(i18n.t('es', 'thanks.text')).toMatch(/De nada/);
  });
});
