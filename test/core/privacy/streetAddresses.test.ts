import * as fs from 'node:fs';
import * as path from 'node:path';
import { containsPersonalData, scrubPersonalData } from '../../../core/privacy/scrubPersonalData';
import { scrubStreetAddresses } from '../../../core/privacy/streetAddresses';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../../helpers/content';

/** Every `text` in a parsed YAML document. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'text' && typeof v === 'string' ? [v] : textsIn(v)));
}

/** Every patient message of the evaluation sets: real and realistic clinic questions. */
function evaluationMessages(): string[] {
  const files = ['heldout.yaml', 'dev-set.yaml', 'realworld/dev.yaml', 'realworld/heldout.yaml'];
  return files.flatMap((file) => textsIn(parseYaml(fs.readFileSync(path.join(ROOT, 'test', 'eval', file), 'utf8'))));
}

describe('scrubStreetAddresses', () => {
  it.each([
    ['I live at 1234 Elm St., Apt 5 — can you send the leaflet?', 'I live at [address] — can you send the leaflet?'],
    ['my address is 1600 Pennsylvania Avenue NW, Washington, DC 20500', 'my address is [address]'],
    ['send it to 42 Oak Court', 'send it to [address]'],
    ['i live at 1234 elm st', 'i live at [address]'],
    ['it is 221B Baker Street, London', 'it is [address], London'],
    ['350 5th Ave, Suite 3400', '[address]'],
    ['mail to PO Box 4471, thanks', 'mail to [address], thanks'],
    ['P.O. Box 12 please', '[address] please'],
    ['po box 98765', '[address]'],
  ])('replaces the US address in "%s"', (text, expected) => {
    expect(scrubStreetAddresses(text)).toBe(expected);
  });

  it.each([
    ['vivo en C/ Mayor 12, 3º B, ¿me llamáis?', 'vivo en [address], ¿me llamáis?'],
    ['Calle de Alcalá, 45, Madrid', '[address], Madrid'],
    ['mi dirección: Avda. de la Constitución 3', 'mi dirección: [address]'],
    ['en la calle Gran Vía nº 28, 2º izda', 'en la [address]'],
    ['Paseo de Gracia 92, bajo', '[address]'],
    ['c/ san bernardo 5', '[address]'],
    ['Plaza Mayor 1, 2º 1ª', '[address]'],
  ])('replaces the Spanish address in "%s"', (text, expected) => {
    expect(scrubStreetAddresses(text)).toBe(expected);
  });

  it.each([
    ['estoy en Av. Insurgentes Sur 1602, Col. Crédito Constructor', 'estoy en [address]'],
    ['Calle 85 # 15-32, Bogotá', '[address], Bogotá'],
    ['Cra. 7 No. 72-41 piso 5', '[address]'],
    ['Jr. de la Unión 300, Lima', '[address], Lima'],
    ['Av. Corrientes 1234, piso 5, dto. B', '[address]'],
    ['Calzada de Tlalpan 2045, C.P. 04220', '[address]'],
  ])('replaces the Latin American address in "%s"', (text, expected) => {
    expect(scrubStreetAddresses(text)).toBe(expected);
  });

  it.each([
    'day 3 after 2 sessions',
    "it's day 5 and still peeling",
    '2 blocks down the street from the clinic',
    'can I drive 2 hours after the treatment?',
    'I have a 2 hour drive home',
    'I walked 3 miles down Main Street',
    'wait 4 weeks before the next session',
    'use SPF 50 every day',
    '¿Puedo salir a la calle 2 días después?',
    '¿puedo salir a la calle sin protector 3 días después?',
    'cuando salgo a la calle me pica la cara',
    'hice el Camino de Santiago 2 semanas después',
    'camino 30 minutos al día, ¿es malo?',
    'tomo vitamina C por vía oral 2 veces al día',
    'la plaza 2 veces por semana',
    'Av. Pérez es mi doctora',
    'healing takes 4-6 weeks',
    'booked for 2026-11-21',
  ])('leaves "%s" unchanged', (text) => {
    expect(scrubStreetAddresses(text)).toBe(text);
  });

  it('leaves every message of the evaluation sets unchanged', () => {
    const messages = evaluationMessages();
    expect(messages.length).toBeGreaterThan(1_000);
    expect(messages.filter((m) => scrubStreetAddresses(m) !== m)).toEqual([]);
  });

  it('takes a few milliseconds at most over a long message built to make it backtrack', () => {
    for (const text of [
      'c/ ' + 'de la '.repeat(400) + 'x',
      'Calle Mayor 1' + ' 2º 1ª'.repeat(400),
      '1 ' + 'Elm '.repeat(500),
    ]) {
      const started = process.hrtime.bigint();
      scrubStreetAddresses(text);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
    }
  });
});

describe('scrubPersonalData and street addresses', () => {
  it('scrubs an address with a name and a phone number, in English', () => {
    const text = "I'm Ana Smith, 1234 Elm St., Apt 5, call 555-0100. Day 3 after 2 sessions, is it normal?";
    expect(scrubPersonalData(text)).toBe("I'm [name], [address], call [phone]. Day 3 after 2 sessions, is it normal?");
    expect(containsPersonalData(text)).toBe(true);
  });

  it('scrubs an address with a name and a phone number, in Spanish', () => {
    expect(
      scrubPersonalData('me llamo Lucía, vivo en C/ Mayor 12, 3º B, tel 612 345 678. ¿Puedo salir a la calle?'),
    ).toBe('me llamo [name], vivo en [address], tel [phone]. ¿Puedo salir a la calle?');
  });

  it('does not read a Colombian plate number as a phone number', () => {
    expect(scrubPersonalData('Calle 85 # 15-32 apto 301')).toBe('[address]');
  });

  it.each(['day 3 after 2 sessions', '¿Puedo salir a la calle 2 días después del tratamiento?'])(
    'finds nothing personal in "%s"',
    (text) => {
      expect(containsPersonalData(text)).toBe(false);
    },
  );
});
