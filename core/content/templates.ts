import { Lang } from '../text/language';
import { Clinic } from './schemas';

/** The {{placeholders}} curated text and UI strings may use, filled from the clinic profile. The one list of them. */
export const CLINIC_PLACEHOLDERS = [
  'clinicName',
  'phone',
  'email',
  'bookingUrl',
  'hours',
  'address',
  'emergencyNumber',
] as const;
export type ClinicPlaceholder = (typeof CLINIC_PLACEHOLDERS)[number];

/** The value of every clinic placeholder, in `lang`. */
export function clinicPlaceholders(clinic: Clinic, lang: Lang): Record<ClinicPlaceholder, string> {
  return {
    clinicName: clinic.name,
    phone: clinic.phone,
    email: clinic.email,
    bookingUrl: clinic.bookingUrl,
    hours: clinic.hours[lang],
    address: clinic.address,
    emergencyNumber: clinic.emergencyNumber,
  };
}

/** Fills {{placeholders}} in curated text with the clinic profile; unknown names are left visible for content:check. */
export function fillClinicDetails(text: string, clinic: Clinic, lang: Lang): string {
  const values: Record<string, string> = clinicPlaceholders(clinic, lang);
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
