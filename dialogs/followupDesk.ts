import { FollowupScheduler } from '../core/followups/followupScheduler';

/** What the dialogs need of aftercare check-ins (the scheduler in STATE_STORE). */
export type FollowupDesk = Pick<FollowupScheduler, 'consent' | 'optOut' | 'forget' | 'consentOf'>;
