import { parseContact, parseEmail, parsePhone } from '../../../core/booking/contact';

describe('reading contact details', () => {
  it('finds an email and a phone number in one message', () => {
    expect(parseContact('Ana.Garcia@Example.COM or (201) 555-0123', 'US')).toEqual({
      email: 'ana.garcia@example.com',
      phone: '+12015550123',
    });
    expect(parseContact('mi móvil es +34 612 34 56 78', 'ES')).toEqual({ email: undefined, phone: '+34612345678' });
    expect(parseEmail('my email is <ana@example.com>.')).toBe('ana@example.com');
  });

  it('never cuts an over-long address down to a valid-looking one', () => {
    expect(parseEmail(`${'a'.repeat(70)}@example.com`)).toBeUndefined();
  });

  it.each([
    ['digits', '1'.repeat(100_000)],
    ['brackets', '('.repeat(100_000)],
    ['dashes', '1-'.repeat(50_000)],
    ['address characters', 'a.'.repeat(50_000)],
    ['almost addresses', 'a@'.repeat(50_000)],
  ])('reads a page of %s in linear time', (_kind, text) => {
    const started = performance.now();
    parseContact(text, 'US');
    parsePhone(text, 'US');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
