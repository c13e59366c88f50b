import {
  changeRequest,
  examplePhone,
  freeText,
  looksLikeQuestion,
  plainText,
  readablePhone,
  readName,
  sendRequest,
} from '../../../core/booking/bookingAnswers';

describe('reading booking answers', () => {
  it('removes markup, entities and control characters before anything is shown back', () => {
    expect(plainText('<b>Ana</b>\u0007  <img src=x onerror=alert(1)> García &lt;3')).toBe('Ana García 3');
    expect(plainText('[click](https://evil.example) *now*')).toBe('click (https://evil.example) now');
  });

  it(
    'removes what would render or hide text in a chat: ' + 'Markdown, bidi overrides, invisible and broken characters',
    () => {
      expect(plainText('__Ana__ ~~García~~ `x` \\o/')).toBe('Ana García x o/');
      expect(plainText('![x](https://evil.example/x.png)')).toBe('! x (https://evil.example/x.png)');
      expect(plainText('Ana\u202egnitsoh \u2066x\u2069 pa\u200bin\ufeff')).toBe('Anagnitsoh x pain');
      expect(plainText('does it hurt \ud800?')).toBe('does it hurt \ufffd?');
      expect(plainText('line\u2028break')).toBe('line break');
      // Whole characters survive: emoji (with joiners), accents, other scripts.
      expect(plainText('👨‍👩‍👧 José 田中')).toBe('👨‍👩‍👧 José 田中');
    },
  );

  it('reads a page of "<" in linear time', () => {
    const started = performance.now();
    expect(plainText('<'.repeat(200_000))).toBe('');
    expect(readName('<'.repeat(200_000))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses free text that is empty or too long', () => {
    expect(freeText('  <br>  ', 10)).toBeUndefined();
    expect(freeText('x'.repeat(11), 10)).toBeUndefined();
    expect(freeText(' weekday   mornings ', 300)).toBe('weekday mornings');
  });

  it('takes the name out of "my name is …" and "me llamo …"', () => {
    expect(readName('My name is Ana García.')).toBe('Ana García');
    expect(readName('hi, I’m Bea')).toBe('Bea');
    expect(readName('me llamo Lucía Pérez')).toBe('Lucía Pérez');
    expect(readName("Siobhán O'Neill-Smith")).toBe("Siobhán O'Neill-Smith");
  });

  it('does not take an email, a number or a long sentence for a name', () => {
    expect(readName('ana@example.com')).toBeUndefined();
    expect(readName('555 0100')).toBeUndefined();
    expect(readName('I would like to know more about the treatment first')).toBeUndefined();
  });

  it('tells questions from answers', () => {
    expect(looksLikeQuestion('does it hurt?')).toBe(true);
    expect(looksLikeQuestion('¿duele')).toBe(true);
    expect(looksLikeQuestion('how long does it take')).toBe(true);
    expect(looksLikeQuestion('cuánto dura')).toBe(true);
    expect(looksLikeQuestion('weekday mornings')).toBe(false);
    expect(looksLikeQuestion('I have sensitive skin')).toBe(false);
  });

  it('knows which detail the patient wants to change, in either language', () => {
    expect(changeRequest('change my phone')).toBe('phone');
    expect(changeRequest('cambiar el teléfono')).toBe('phone');
    expect(changeRequest('the email is wrong')).toBe('email');
    expect(changeRequest('Change contact')).toBe('contact');
    expect(changeRequest('Cambiar días y horas')).toBe('times');
    expect(changeRequest('Change answer sharing')).toBe('screening');
    expect(changeRequest('name')).toBe('name');
    expect(changeRequest('my name is on the card already')).toBeUndefined();
  });

  it('recognises sending', () => {
    expect(sendRequest('Send request')).toBe(true);
    expect(sendRequest('Enviar solicitud')).toBe(true);
    expect(sendRequest('go ahead')).toBe(true);
    expect(sendRequest('send it to a different email')).toBe(false);
  });

  it("gives an example number of the clinic's country and writes numbers for reading", () => {
    expect(examplePhone('US')).toBe('(201) 555-0123');
    expect(examplePhone('ES')).toBe('612 34 56 78');
    expect(readablePhone('+12015550123')).toBe('+1 201 555 0123');
  });
});
