import { Lang } from '../text/language';
import { Clinic } from './schemas';

/** Fills {{placeholders}} in curated text with the clinic profile; unknown names are left visible for content:check. */
export function fillClinicDetails(text: string, clinic: Clinic, lang: Lang): string {
  const values: Record<string, string> = {
    clinicName: clinic.name,
    phone: clinic.phone,
    email: clinic.email,
    bookingUrl: clinic.bookingUrl,
    hours: clinic.hours[lang],
    address: clinic.address,
    emergencyNumber: clinic.emergencyNumber,
  };
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
