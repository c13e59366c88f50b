/**
 * The name a patient sees on a staff reply: the first name of the staff member's display name,
 * or of their email's local part ("ana.lopez@clinic.example" → "Ana") for accounts without one;
 * never their email or surname.
 */
export function patientFacingName(displayName: string, email: string): string {
  const source = displayName.includes('@') || displayName.trim() === '' ? (email.split('@')[0] ?? '') : displayName;
  const first = source.trim().split(/[\s._+-]+/)[0] ?? '';
  const name = first.slice(0, 40);
  return name ? name.charAt(0).toLocaleUpperCase() + name.slice(1) : '';
}
