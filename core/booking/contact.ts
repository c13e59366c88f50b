import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/min';
import { z } from 'zod';

const email = z.email();

/** Finds an email address in what the patient typed; returns it lower-cased, or undefined. */
export function parseEmail(text: string): string | undefined {
  // Starts only where a run of address characters starts (linear on long input); 64 is the longest local part.
  const candidate = text
    .match(/(?<![^\s<>(),;:"'])[^\s<>(),;:"']{1,64}@[^\s<>(),;:"']{1,255}/)?.[0]
    ?.replace(/[.]+$/, '');
  if (!candidate) return undefined;
  const normalized = candidate.toLowerCase();
  return email.safeParse(normalized).success ? normalized : undefined;
}

/**
 * Reads a phone number as typed ("555 010 0123", "+34 612 34 56 78", "(555) 010-0123") and
 * returns it in E.164, or undefined when it is not a valid number. Numbers without a country
 * prefix are read as numbers of the clinic's country.
 */
export function parsePhone(text: string, country: string): string | undefined {
  // Bounded, so a long run of digits and brackets costs linear time; no phone number is longer.
  const candidate = text.match(/\+?[\d\s().\-/]{6,40}\d/)?.[0];
  if (!candidate) return undefined;
  const phone = parsePhoneNumberFromString(candidate.trim(), country as CountryCode);
  return phone?.isValid() ? phone.number : undefined;
}

/** Both contact details found in one message ("ana@example.com or 555 010 0123"). */
export function parseContact(text: string, country: string): { email?: string; phone?: string } {
  const mail = parseEmail(text);
  const rest = mail ? text.replace(new RegExp(mail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), ' ') : text;
  return { email: mail, phone: parsePhone(rest, country) };
}
