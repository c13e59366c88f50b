import { z } from 'zod';

/** admin: everything; editor: content and unanswered questions; agent: bookings (and live chats). */
export const STAFF_ROLES = ['admin', 'editor', 'agent'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** The console's areas; each page and action belongs to one. */
export const STAFF_AREAS = [
  'content',
  'gaps',
  'inbox',
  'followups',
  'bookings',
  'analytics',
  'accounts',
  'audit',
] as const;
export type StaffArea = (typeof STAFF_AREAS)[number];

const GRANTS: Record<StaffRole, readonly StaffArea[]> = {
  admin: STAFF_AREAS,
  editor: ['content', 'gaps', 'analytics'],
  // The inbox (talking to patients) is for agents; editors keep to content, away from conversations.
  // The follow-up forecast is reception's planning (who may write back when); editors change the
  // check-ins' days and texts in content and have no need of the schedule, so it stays with the inbox roles.
  agent: ['inbox', 'followups', 'bookings', 'analytics'],
};

/** Whether a role may see and act in an area of the console. */
export function can(role: StaffRole, area: StaffArea): boolean {
  return GRANTS[role].includes(area);
}

/** The areas a role sees in the console's navigation, in order. */
export function areasOf(role: StaffRole): StaffArea[] {
  return STAFF_AREAS.filter((area) => can(role, area));
}
