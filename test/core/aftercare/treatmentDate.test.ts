import { mentionsDate, parseTreatmentDate, todayIn, toIso } from '../../../core/aftercare/treatmentDate';

// Monday 2 March 2026 (the day after the end of February).
const monday = { year: 2026, month: 3, day: 2 };
const when = (text: string, lang: 'en' | 'es' = 'en', today = monday) => {
  const r = parseTreatmentDate(text, today, lang);
  return r.kind === 'date' ? `${toIso(r.date)} (${r.daysAgo})` : r.kind;
};

describe('parseTreatmentDate', () => {
  it.each([
    ['today', '2026-03-02 (0)'],
    ['I had it done yesterday', '2026-03-01 (1)'],
    ['the day before yesterday', '2026-02-28 (2)'],
    ['3 days ago', '2026-02-27 (3)'],
    ['three days ago', '2026-02-27 (3)'],
    ['a week ago', '2026-02-23 (7)'],
    ["it's day 3 and still red", '2026-02-27 (3)'],
    ['last Monday', '2026-02-23 (7)'],
    ['on Saturday', '2026-02-28 (2)'],
    ['2/27', '2026-02-27 (3)'],
    ['Feb 27', '2026-02-27 (3)'],
    ['27th February', '2026-02-27 (3)'],
    ['2026-02-15', '2026-02-15 (15)'],
    ["I'm 3 days post microneedling and peeling", '2026-02-27 (3)'],
    ["it's been 2 days since my treatment", '2026-02-28 (2)'],
    ['a week out and still flaky', '2026-02-23 (7)'],
    ['3 days after my session my skin feels tight', '2026-02-27 (3)'],
    ["it's the third day and I'm still red", '2026-02-27 (3)'],
    ['one week later and I still have tiny bumps', '2026-02-23 (7)'],
    ['2 days after and my face is itchy', '2026-02-28 (2)'],
  ])('reads "%s" in English', (text, expected) => {
    expect(when(text)).toBe(expected);
  });

  it.each([
    ['hoy', '2026-03-02 (0)'],
    ['ayer', '2026-03-01 (1)'],
    ['anteayer', '2026-02-28 (2)'],
    ['hace 2 días', '2026-02-28 (2)'],
    ['hace dos dias', '2026-02-28 (2)'],
    ['hace una semana', '2026-02-23 (7)'],
    ['el lunes pasado', '2026-02-23 (7)'],
    ['el sábado', '2026-02-28 (2)'],
    ['27/2', '2026-02-27 (3)'],
    ['el 27 de febrero', '2026-02-27 (3)'],
    ['es el día 5 y sigo roja', '2026-02-25 (5)'],
    ['llevo 2 días con la cara pelándose', '2026-02-28 (2)'],
    ['ya van tres días y sigo hinchada', '2026-02-27 (3)'],
    ['3 días después de mi sesión tengo la piel tirante', '2026-02-27 (3)'],
    ['es el tercer día y sigo roja', '2026-02-27 (3)'],
    ['2 días después y me pica la cara', '2026-02-28 (2)'],
  ])('reads "%s" in Spanish', (text, expected) => {
    expect(when(text, 'es')).toBe(expected);
  });

  it('reads numeric dates month-first in English and day-first in Spanish', () => {
    const today = { year: 2026, month: 11, day: 21 };
    expect(when('3/11', 'en', today)).toBe('2026-03-11 (255)');
    expect(when('3/11', 'es', today)).toBe('2026-11-03 (18)');
  });

  it('takes a date later in the year as last year', () => {
    expect(when('Dec 30', 'en', { year: 2026, month: 1, day: 2 })).toBe('2025-12-30 (3)');
  });

  it('crosses a leap-year February', () => {
    expect(when('2 days ago', 'en', { year: 2028, month: 3, day: 1 })).toBe('2028-02-28 (2)');
  });

  it('says when a date is in the future', () => {
    expect(parseTreatmentDate('2026-03-10', monday, 'en').kind).toBe('future');
  });

  it('says nothing when there is no date', () => {
    expect(when('what should I do')).toBe('none');
    expect(when('it may help')).toBe('none');
  });

  it('does not date a treatment from a question in general or a day told in the past', () => {
    expect(when('is it normal to be red 3 days after treatment?')).toBe('none');
    expect(when('on the first day I was very red, now it is fine')).toBe('none');
    expect(when('el primer día estuve muy roja', 'es')).toBe('none');
  });
});

describe('todayIn', () => {
  const instant = new Date('2026-03-01T23:30:00Z');
  it('uses the patient time zone to decide what "today" is', () => {
    expect(todayIn(instant, 'UTC')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(todayIn(instant, 'Europe/Madrid')).toEqual({ year: 2026, month: 3, day: 2 });
    expect(todayIn(instant, 'America/Los_Angeles')).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(todayIn(instant, 'Mars/Olympus')).toEqual({ year: 2026, month: 3, day: 1 });
  });
});

describe('mentionsDate', () => {
  it.each(['3 days ago', 'last Monday', 'hace dos días', 'el lunes', 'ayer', 'Nov 12', "it's day 5"])(
    'sees a possible date in "%s"',
    (text) => {
      expect(mentionsDate(text)).toBe(true);
    },
  );

  it.each(['how long will my face be red after', '¿cuánto dura la rojez?', 'may I wear makeup'])(
    'sees none in "%s"',
    (text) => {
      expect(mentionsDate(text)).toBe(false);
    },
  );
});

describe('words that are also names of JavaScript object properties', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('"%s" is not a date', (text) => {
    expect(mentionsDate(text)).toBe(false);
    expect(when(text)).toBe('none');
    expect(when(text, 'es')).toBe('none');
  });

  it('"constructor days ago" is no number of days', () => {
    expect(when('constructor days ago')).not.toMatch(/^\d{4}-/);
  });
});

describe('measures that look like day and month', () => {
  it.each(['I used 1.5 mm needles', 'con agujas de 0.5 mm', 'a 2.5% retinol'])('"%s" names no date', (text) => {
    expect(when(text)).toBe('none');
    expect(when(text, 'es')).toBe('none');
  });

  it('still reads a date written with a dot', () => {
    expect(when('I had it on 2.27')).toBe('2026-02-27 (3)');
  });
});
