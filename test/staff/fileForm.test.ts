import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { fileForm } from '../../bot/staff/fileForm';
import { StaffContext } from '../../bot/staff/staffContext';
import { createStaffLocalizer, StaffLocalizer } from '../../bot/staff/staffI18n';
import { Lang, LANGS } from '../../core/text/language';
import { CONTENT_DIR, LOCALES_DIR } from '../helpers/content';

/** Every key of the shipped content files, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

const files = fs.readdirSync(CONTENT_DIR).filter((f) => f.endsWith('.yaml'));
const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(CONTENT_DIR, f), 'utf8')]));

describe('the content file form', () => {
  let i18n: StaffLocalizer;
  beforeAll(async () => {
    i18n = await createStaffLocalizer(LOCALES_DIR, true);
  });

  const ctx = (lang: Lang): StaffContext => ({
    session: {
      email: 'nurse@clinic.example',
      role: 'editor',
      name: 'Nurse',
      via: 'local',
      csrf: 'token',
      createdAt: '2026-12-05T09:00:00.000Z',
      lastSeenAt: '2026-12-05T09:00:00.000Z',
    },
    lang,
    t: i18n.t(lang),
    now: new Date('2026-12-05T09:00:00.000Z'),
    clinicName: 'Clinic',
    url: new URL('http://localhost/staff/content/file/redflags'),
  });
  const form = (lang: Lang, text: string) =>
    fileForm(ctx(lang), { file: 'redflags.yaml', text, revision: 1, problems: [], action: '/x' }).value;

  it.each(LANGS)('names every field of the shipped files in the console language (%s)', (lang) => {
    const names = (
      JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, lang, 'staff.json'), 'utf8')) as {
        content: { fileField: Record<string, string> };
      }
    ).content.fileField;
    const keys = [...keysOf([...texts.values()].map((t) => parse(t) as unknown))].filter(
      (k) => !LANGS.includes(k as Lang),
    );
    expect(keys.filter((k) => !(k in names))).toEqual([]);
  });

  it('labels the warning-sign lists in Spanish for a Spanish console, and in English for an English one', () => {
    const text = texts.get('redflags.yaml') ?? '';
    const es = form('es', text);
    expect(es).toContain('Comienzos de pregunta');
    expect(es).toContain('Negaciones');
    expect(es).not.toContain('Asking openers');
    expect(form('en', text)).toContain('Asking openers');
  });

  it('spells out a key the console has no name for instead of failing', () => {
    const html = form('es', 'version: 1\nsomeNewList:\n  en: [a]\n  es: [b]\nodd.key: x\n');
    expect(html).toContain('Some new list › English');
    expect(html).toContain('Odd.key');
  });
});
