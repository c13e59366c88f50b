import { containsPersonalData, scrubPersonalData } from '../../../core/privacy/scrubPersonalData';

describe('scrubPersonalData', () => {
  it.each([
    ['write to ana.garcia@gmail.com please', 'write to [email] please'],
    ['my email is maría.pérez+citas@correo.es.', 'my email is [email].'],
    ['EMAIL: JOHN_SMITH99@Example.CO.UK', 'EMAIL: [email]'],
  ])('replaces the email in "%s"', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    ['call me on +44 20 7946 0958', 'call me on [phone]'],
    ['my number is +1 (555) 010-0100 thanks', 'my number is [phone] thanks'],
    ['ring 555-0100', 'ring [phone]'],
    ['mi móvil es 612 345 678', 'mi móvil es [phone]'],
    ['llamadme al 0034 612345678', 'llamadme al [phone]'],
    ['(555) 010-0100', '[phone]'],
    ['612.345.678', '[phone]'],
    ['+34612345678', '[phone]'],
    ['+44 (0) 20 7946 0958', '[phone]'],
    ['5550100', '[phone]'],
  ])('replaces the phone number in "%s"', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    ['my name is Ana García', 'my name is [name]'],
    ["I'm Ana", "I'm [name]"],
    ['I’m Ana, is it painful?', 'I’m [name], is it painful?'],
    ['this is John Smith from yesterday', 'this is [name] from yesterday'],
    ['call me Bob', 'call me [name]'],
    ['me llamo Ana', 'me llamo [name]'],
    ['mi nombre es Ana García', 'mi nombre es [name]'],
    ['soy Ana', 'soy [name]'],
    ['soy la Dra. Pérez', 'soy la Dra. [name]'],
    ['Hola, soy María José Gómez Ruiz', 'Hola, soy [name]'],
    ['Hi I am Ana de la Cruz and I had a session', 'Hi I am [name] and I had a session'],
  ])('replaces the name in "%s" and keeps the lead-in', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    ['my name is ana garcia and i have a question', 'my name is [name] and i have a question'],
    ['me llamo ana y quiero saber el precio', 'me llamo [name] y quiero saber el precio'],
    ['mi nombre es maría', 'mi nombre es [name]'],
  ])('replaces a name typed in lower case after an unambiguous lead-in in "%s"', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    ['my ID is 12345678Z', 'my ID is [number]'],
    ['card 4111 1111 1111 1111', 'card [number]'],
    ['booking ref 987654321', 'booking ref [number]'],
  ])('replaces the long digit run in "%s"', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    "I'm 45",
    "I'm worried about the redness",
    "I'm Worried",
    "I'm on day 3",
    "I'm pregnant, can I do it?",
    "I'm from London",
    "I'm Having a reaction",
    'I am not sure',
    'soy alérgica al níquel',
    'Soy Alérgica',
    'soy buena candidata?',
    'soy de Madrid',
    'me llamo la atencion el precio',
    'call me back tomorrow',
    'This is Microneedling right?',
    'this is normal?',
    'it happened 3 days ago',
    'day 5 and still peeling',
    'healing takes 4-6 weeks',
    'it takes 10 to 20 minutes',
    'use SPF 50 every day',
    'I had it on 12/11',
    'booked for 2026-11-21',
    'booked for 21.11.2026',
    'treatments in 2019 2020 2021',
    'open 10.30 - 11.45',
    'about 1.5 mm deep',
    'no info here',
  ])('leaves "%s" unchanged', (text) => {
    expect(scrubPersonalData(text)).toBe(text);
    expect(containsPersonalData(text)).toBe(false);
  });

  it('scrubs an email, a phone number and a name in the same message', () => {
    const text =
      "Hi, I'm Sarah Jones, my email is sarah.j@mail.com and my number is +44 20 7946 0958. Day 3, is that normal?";
    expect(scrubPersonalData(text)).toBe(
      "Hi, I'm [name], my email is [email] and my number is [phone]. Day 3, is that normal?",
    );
    expect(containsPersonalData(text)).toBe(true);
  });

  it('scrubs a Spanish message with every kind at once', () => {
    expect(scrubPersonalData('me llamo Lucía, tel 612 345 678, correo lucia@correo.es, DNI 12345678Z')).toBe(
      'me llamo [name], tel [phone], correo [email], DNI [number]',
    );
  });
});
