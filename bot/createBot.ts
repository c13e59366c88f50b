import { FollowupDesk } from '../dialogs/followupDesk';
import { HandoffDesk } from '../dialogs/handoffDesk';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { Storage } from 'botbuilder';
import { DialogState } from 'botbuilder-dialogs';
import { BookingDesk } from '../core/booking/bookingDesk';
import { AnalyticsSink } from '../core/analytics/analyticsEvents';
import { countingBookingDesk } from '../core/analytics/countingBookingDesk';
import { BookingOutbox } from '../core/booking/outbox';
import { DEFAULT_RETENTION_DAYS } from '../core/retention/retentionSweep';
import { FLOW_REPLIES, PhraseRecognizer } from '../core/commands/commandRecognizer';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { GapRecorder, GapStore, MemoryGapStore } from '../core/gaps/gapLog';
import { Lang } from '../core/text/language';
import { ConversationMemory, UserProfile } from '../dialogs/turnServices';
import { CheckedConversationState, CheckedUserState } from './checkedState';
import { ConsultationBot } from './consultationBot';
import { Localizer } from './i18n';
import { Logger } from './logger';
import { BotReplies } from './replies';
import { keepEntityFields } from './teamsActivities';
import { TurnRunner } from './turnRunner';

/** Enough for a patient who needs to correct a request twice; a flood of requests stops at the fourth. */
export const DEFAULT_MAX_BOOKINGS_PER_HOUR = 3;

export interface BotParts {
  bot: ConsultationBot;
  replies: BotReplies;
  gaps: GapRecorder;
}

/** Wires the bot, its state and its replies; shared by the server and the conversation tests. */
export function createBot(options: {
  engine: () => ConsultationEngine;
  i18n: Localizer;
  storage: Storage;
  log: Logger;
  maxMessageChars: number;
  defaultLang: Lang;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Where questions nobody answered go (a file under DATA_DIR in the service). */
  gaps?: GapStore;
  gapConfidenceBelow?: number;
  /** Where consultation requests go; required, so no deployment silently keeps them in memory. */
  bookings: BookingDesk;
  /** A repeated activity id within this window is answered once (default 10 minutes). */
  dedupeWindowMs?: number;
  /** `shared`: seen activity ids kept in conversation state (several instances); `process`: in memory. */
  dedupeScope?: 'shared' | 'process';
  /** Consultation requests one patient may send per rolling hour (default 3). */
  maxBookingsPerHour?: number;
  /** The kept booking records ("what do you know about me?" says where requests are); none by default. */
  bookingRecords?: Pick<BookingOutbox, 'get'>;
  /** RETENTION_CONVERSATION_DAYS and RETENTION_BOOKING_DAYS, told to a patient who asks what is kept. */
  retention?: { conversationDays: number; bookingDays: number };
  /** Staff's figures: messages, outcomes, feedback and requests are counted here (never text); none by default. */
  analytics?: AnalyticsSink;
  /** Where patients who asked to be contacted are reached outside a turn; none in tests that do not need it. */
  addresses?: PatientAddresses;
  /** "Talk to a person" (the staff inbox by default); none in tests that do not need it. */
  handoff?: HandoffDesk;
  /** Aftercare check-ins (the scheduler in STATE_STORE); none in tests that do not need them. */
  followups?: FollowupDesk;
}): BotParts {
  keepEntityFields();
  const replies = new BotReplies(options.i18n, () => options.engine().content);
  const gaps = new GapRecorder(options.gaps ?? new MemoryGapStore(), options.now, (err) =>
    options.log.error(
      { event: 'gap-record-failed', message: err instanceof Error ? err.message : String(err) },
      'could not record a gap',
    ),
  );
  const conversationState = new CheckedConversationState(options.storage);
  const userState = new CheckedUserState(options.storage);
  const now = options.now ?? (() => new Date());
  const bot = new ConsultationBot(
    conversationState,
    userState,
    {
      engine: options.engine,
      replies,
      flowReplies: new PhraseRecognizer(options.i18n.replies, FLOW_REPLIES),
      log: options.log,
      maxMessageChars: options.maxMessageChars,
      defaultLang: options.defaultLang,
      clinicTimeZone: () => options.engine().content.clinic.timeZone,
      now,
      profile: userState.createProperty<UserProfile>('profile'),
      memory: conversationState.createProperty<ConversationMemory>('memory'),
      gaps,
      gapConfidenceBelow: options.gapConfidenceBelow ?? 0.6,
      bookings: options.analytics ? countingBookingDesk(options.bookings, options.analytics) : options.bookings,
      analytics: options.analytics,
      addresses: options.addresses,
      handoff: options.handoff,
      followups: options.followups,
      maxBookingsPerHour: options.maxBookingsPerHour ?? DEFAULT_MAX_BOOKINGS_PER_HOUR,
      bookingRecords: options.bookingRecords ?? { get: async () => undefined },
      retention: options.retention ?? {
        conversationDays: DEFAULT_RETENTION_DAYS.conversation,
        bookingDays: DEFAULT_RETENTION_DAYS.booking,
      },
    },
    conversationState.createProperty<DialogState>('dialogState'),
    new TurnRunner(
      conversationState,
      userState,
      options.log,
      options.dedupeWindowMs ?? 600_000,
      now,
      options.dedupeScope ?? 'shared',
    ),
  );
  return { bot, replies, gaps };
}
