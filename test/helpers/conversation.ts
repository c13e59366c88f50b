import { Activity, ActivityTypes, MemoryStorage, Storage, TestAdapter } from 'botbuilder';
import pino, { Logger } from 'pino';
import { createBot } from '../../bot/createBot';
import { BookingDesk, ForgetOutcome, SubmitOutcome } from '../../core/booking/bookingDesk';
import { BookingRequest } from '../../core/booking/bookingRequest';
import { OutboxRecord } from '../../core/booking/outbox';
import { GapRecorder, GapStore } from '../../core/gaps/gapLog';
import { TEST_NOW } from './clock';
import { realContent } from './content';

/**
 * A booking desk that keeps every request it is given. Like the real one, a repeated requestId
 * gets the first answer again; `answer` decides what a new request gets (or throws). A request
 * answered "confirmed", or marked with `reachClinic`, has reached the clinic and cannot be forgotten.
 */
export class FakeBookingDesk implements BookingDesk {
  readonly submitted: BookingRequest[] = [];
  /** Requests withdrawn by `forget`. */
  readonly withdrawn: string[] = [];
  private readonly answered = new Map<string, SubmitOutcome>();
  private readonly atClinic = new Set<string>();

  constructor(
    readonly delivers = true,
    private readonly answer: (request: BookingRequest) => SubmitOutcome = () => ({ kind: 'received' }),
  ) {}

  async submit(request: BookingRequest): Promise<SubmitOutcome> {
    this.submitted.push(request);
    let outcome = this.answered.get(request.requestId);
    if (!outcome) {
      outcome = this.answer(request);
      this.answered.set(request.requestId, outcome);
    }
    return outcome;
  }

  async forget(requestIds: readonly string[]): Promise<ForgetOutcome> {
    const outcome: ForgetOutcome = { removed: [], delivered: [] };
    for (const id of new Set(requestIds)) {
      if (this.atClinic.has(id) || this.answered.get(id)?.kind === 'confirmed') {
        outcome.delivered.push(id);
      } else {
        outcome.removed.push(id);
        if (!this.withdrawn.includes(id)) this.withdrawn.push(id);
      }
    }
    return outcome;
  }

  /** The request as the outbox would keep it: delivered once it reached the clinic, else pending. */
  async get(requestId: string): Promise<OutboxRecord | undefined> {
    const request = this.submitted.find((r) => r.requestId === requestId);
    if (!request || this.withdrawn.includes(requestId)) return undefined;
    const reached = this.atClinic.has(requestId) || this.answered.get(requestId)?.kind === 'confirmed';
    const at = request.createdAt;
    return { request, status: reached ? 'delivered' : 'pending', createdAt: at, updatedAt: at, attempts: 1 };
  }

  /** The clinic got this request (staff picked it up, or the booking system accepted it later). */
  reachClinic(requestId: string): void {
    this.atClinic.add(requestId);
  }

  /** The distinct requests the clinic would see. */
  requestIds(): string[] {
    return [...new Set(this.submitted.map((r) => r.requestId))];
  }
}

/** The real bot on the repository's content, in memory, with a fixed clock. */
export async function testBot(
  now: Date | (() => Date) = TEST_NOW,
  bookings: BookingDesk = new FakeBookingDesk(),
  log: Logger = pino({ level: 'silent' }),
  extra: { storage?: Storage; gaps?: GapStore; maxBookingsPerHour?: number } = {},
) {
  const { engine, i18n, content } = await realContent();
  const { bot, gaps, replies } = createBot({
    engine: () => engine,
    i18n,
    storage: extra.storage ?? new MemoryStorage(),
    log,
    maxMessageChars: 2000,
    defaultLang: 'en',
    now: typeof now === 'function' ? now : () => now,
    bookings,
    gaps: extra.gaps,
    maxBookingsPerHour: extra.maxBookingsPerHour,
    bookingRecords: bookings instanceof FakeBookingDesk ? bookings : undefined,
  });
  return { bot, content, gaps, replies };
}

/** A patient's side of a conversation: each `say` returns the bot's replies to that message. */
export class Conversation {
  replies: Partial<Activity>[] = [];

  private constructor(
    private readonly adapter: TestAdapter,
    private readonly gaps: GapRecorder,
  ) {}

  static async start(
    options: {
      locale?: string;
      now?: Date | (() => Date);
      channelId?: string;
      timeZone?: string;
      bookings?: BookingDesk;
      log?: Logger;
      /** The state store, for tests that look at what is kept. */
      storage?: Storage;
      gaps?: GapStore;
      maxBookingsPerHour?: number;
      /** Another conversation of the same patient (default "conversation"). */
      conversationId?: string;
    } = {},
  ): Promise<Conversation> {
    const { bot, gaps } = await testBot(options.now, options.bookings, options.log, options);
    const adapter = new TestAdapter((context) => bot.run(context), {
      channelId: options.channelId ?? 'test',
      conversation: {
        id: options.conversationId ?? 'conversation',
        isGroup: false,
        conversationType: 'personal',
        name: '',
      },
      from: { id: 'patient', name: 'Patient' },
      recipient: { id: 'bot', name: 'Bot' },
      locale: options.locale ?? 'en-US',
      serviceUrl: 'https://test.invalid',
    });
    adapter.locale = options.locale ?? 'en-US';
    const chat = new Conversation(adapter, gaps);
    chat.timeZone = options.timeZone;
    return chat;
  }

  timeZone?: string;

  /** Sends a message (or an activity) and returns the texts of everything the bot replied. */
  async say(message: string | Partial<Activity>): Promise<string[]> {
    const activity =
      typeof message === 'string' ? this.adapter.makeActivity(message) : { ...this.adapter.makeActivity(), ...message };
    activity.type = activity.type ?? ActivityTypes.Message;
    if (this.timeZone) activity.localTimezone = this.timeZone;
    await this.adapter.processActivity(activity);
    this.replies = this.adapter.activeQueue.splice(0);
    return this.replies.map((a) => a.text ?? '');
  }

  /** Writes the questions recorded for staff so far to the gap store (the bot batches them on a timer). */
  flushGaps(): Promise<void> {
    return this.gaps.flush();
  }

  /** The button titles of the last reply that had any. */
  buttons(): string[] {
    const withButtons = [...this.replies].reverse().find((a) => (a.suggestedActions?.actions.length ?? 0) > 0);
    return withButtons?.suggestedActions?.actions.map((a) => a.title ?? '') ?? [];
  }
}
