import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import {
  DialogContext,
  DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  WaterfallStep,
  WaterfallStepContext,
} from 'botbuilder-dialogs';
import { BookingField, freeText } from '../core/booking/bookingAnswers';
import { SubmitOutcome } from '../core/booking/bookingDesk';
import { composeBookingRequest } from '../core/booking/composeBookingRequest';
import { Lang } from '../core/text/language';
import { bookingLimitReachedFor, countRequest, rememberRequest } from './bookingLedger';
import { bookingQuestions } from './bookingQuestions';
import { BookingAnswers, BookingReply, BookingReplySchema, BookingState, BookingStateSchema } from './bookingState';
import { FlowPrompt } from './flowPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { ConversationMemory, languageOf, TurnServices } from './turnServices';
import { rememberAddress } from './patientContact';

export const BOOKING_DIALOG = 'bookingDialog';
const BOOKING_WATERFALL = 'bookingWaterfall';
const NAME_PROMPT = 'bookingNamePrompt';
const CONTACT_PROMPT = 'bookingContactPrompt';
const EMAIL_PROMPT = 'bookingEmailPrompt';
const PHONE_PROMPT = 'bookingPhonePrompt';
const TIMES_PROMPT = 'bookingTimesPrompt';
const TREATMENT_PROMPT = 'bookingTreatmentPrompt';
const NOTE_PROMPT = 'bookingNotePrompt';
const CONTACT_CONSENT_PROMPT = 'bookingContactConsentPrompt';
const SHARE_CONSENT_PROMPT = 'bookingShareConsentPrompt';
const CONFIRM_PROMPT = 'bookingConfirmPrompt';

type BookingStep = WaterfallStep<BookingState>;

/** An answer already given, passed on to the next step as if its question had just been answered. */
const given = (answers: BookingAnswers): BookingReply => ({ kind: 'set', answers });

/**
 * A consultation request: name, an email or phone (the other offered), preferred days and times,
 * treatment, an optional note, consent to be contacted and, when the patient did the screening
 * and agreed to keep it, a separate consent to share it; then everything to check and change
 * before it goes to the clinic. Tells the patient exactly what happened to it.
 */
export class BookingDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(BOOKING_DIALOG, 'booking', services);
    const questions = bookingQuestions(services);
    this.addDialog(new FlowPrompt(NAME_PROMPT, questions.name));
    this.addDialog(new FlowPrompt(CONTACT_PROMPT, questions.contact));
    this.addDialog(new FlowPrompt(EMAIL_PROMPT, questions.email));
    this.addDialog(new FlowPrompt(PHONE_PROMPT, questions.phone));
    this.addDialog(new FlowPrompt(TIMES_PROMPT, questions.times));
    this.addDialog(new FlowPrompt(TREATMENT_PROMPT, questions.treatment));
    this.addDialog(new FlowPrompt(NOTE_PROMPT, questions.note));
    this.addDialog(new FlowPrompt(CONTACT_CONSENT_PROMPT, questions.contactConsent));
    this.addDialog(new FlowPrompt(SHARE_CONSENT_PROMPT, questions.shareConsent));
    this.addDialog(new FlowPrompt(CONFIRM_PROMPT, questions.confirm));
    const steps: BookingStep[] = [
      this.nameStep.bind(this),
      this.contactStep.bind(this),
      this.emailStep.bind(this),
      this.phoneStep.bind(this),
      this.timesStep.bind(this),
      this.treatmentStep.bind(this),
      this.noteStep.bind(this),
      this.contactConsentStep.bind(this),
      this.shareConsentStep.bind(this),
      this.confirmStep.bind(this),
      this.sendStep.bind(this),
    ];
    this.addDialog(
      new WaterfallDialog<BookingState>(
        BOOKING_WATERFALL,
        steps.map((step) => this.keepingAnswer(step)),
      ),
    );
    this.initialDialogId = BOOKING_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: unknown): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    // Said before the first question, not after the patient has typed everything in.
    if (await bookingLimitReachedFor(innerDc.context, this.services))
      return this.refuseOverLimit(innerDc.context, lang);
    // A callback request (nobody could talk now) is a booking request whose "treatment" says so.
    const callback =
      typeof options === 'object' && options !== null && 'callback' in options && options.callback === true;
    const draft = BookingStateSchema.parse({
      requestId: randomUUID(),
      ...(callback ? { treatment: this.services.replies.text(lang, 'flows.booking.callbackTreatment') } : {}),
    });
    await innerDc.context.sendActivity(
      this.services.replies.line(lang, callback ? 'flows.booking.callbackIntro' : 'flows.booking.intro'),
    );
    this.services.log.info(
      { event: 'booking', step: 'started', requestId: draft.requestId },
      'booking request started',
    );
    return super.onBeginDialog(innerDc, draft);
  }

  protected override stoppedKey(): string {
    return 'flows.booking.cancelled';
  }

  /**
   * Each step first keeps what the question before it was answered (in the options passed along),
   * or ends the request when that answer was to stop; so adding a question takes one step.
   */
  private keepingAnswer(next: BookingStep): BookingStep {
    return async (step) => {
      const reply = BookingReplySchema.safeParse(step.result);
      if (reply.success && reply.data.kind === 'stop') return this.stop(step, reply.data.say);
      if (reply.success && reply.data.kind === 'set') Object.assign(step.options, reply.data.answers);
      return next(step);
    };
  }

  private async nameStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { name, change } = step.options;
    if (name === undefined || change === 'name') return step.prompt(NAME_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ name }));
  }

  private async contactStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { email, phone, contactAsTyped } = step.options;
    if (email === undefined && phone === undefined && contactAsTyped === undefined)
      return step.prompt(CONTACT_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ email, phone, contactAsTyped }));
  }

  /** The email, offered when only a phone (or a contact kept as typed) was given. */
  private async emailStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { email, otherOffered, change } = step.options;
    if ((email === undefined && !otherOffered) || change === 'email')
      return step.prompt(EMAIL_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ email }));
  }

  /** The phone, offered when only an email was given. */
  private async phoneStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { phone, otherOffered, change } = step.options;
    if ((phone === undefined && !otherOffered) || change === 'phone')
      return step.prompt(PHONE_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ phone }));
  }

  private async timesStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { daysAndTimes, change } = step.options;
    if (daysAndTimes === undefined || change === 'times')
      return step.prompt(TIMES_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ daysAndTimes }));
  }

  private async treatmentStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { treatment, change } = step.options;
    if (treatment === undefined || change === 'treatment')
      return step.prompt(TREATMENT_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ treatment }));
  }

  private async noteStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { note, noteAsked, change } = step.options;
    if (!noteAsked || change === 'note') return step.prompt(NOTE_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ note, noteAsked }));
  }

  private async contactConsentStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { contactConsentAt } = step.options;
    if (contactConsentAt === undefined) return step.prompt(CONTACT_CONSENT_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ contactConsentAt }));
  }

  /** Asked only when the patient kept screening answers for booking. */
  private async shareConsentStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { shareScreening, change } = step.options;
    const screening = (await this.keptScreening(step.context)) !== undefined;
    if (screening && (shareScreening === undefined || change === 'screening'))
      return step.prompt(SHARE_CONSENT_PROMPT, FlowPrompt.with(step.options));
    return step.next(given({ shareScreening }));
  }

  /** Everything to check: "send", or "change …" for any answer. */
  private async confirmStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    return step.prompt(CONFIRM_PROMPT, FlowPrompt.with(step.options));
  }

  private async sendStep(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const reply = BookingReplySchema.safeParse(step.result);
    if (reply.success && reply.data.kind === 'change') return this.change(step, reply.data.field);
    if (reply.success && reply.data.kind === 'send') return this.submit(step);
    return step.endDialog();
  }

  /** "Change …": the waterfall again, with every answer carried along, asking only the one to change. */
  private async change(step: WaterfallStepContext<BookingState>, field: BookingField): Promise<DialogTurnResult> {
    const cleared: BookingAnswers =
      field === 'contact' ? { email: undefined, phone: undefined, contactAsTyped: undefined, otherOffered: false } : {};
    this.services.log.debug(
      { event: 'booking', step: 'change', field, requestId: step.options.requestId },
      'booking detail to change',
    );
    return step.replaceDialog(BOOKING_WATERFALL, { ...step.options, ...cleared, change: field, sendFailed: false });
  }

  /** The request ends unsent, and the patient is told why. */
  private async stop(
    step: WaterfallStepContext<BookingState>,
    say: 'noContactConsent' | 'movedOn.stopped',
  ): Promise<DialogTurnResult> {
    const lang = await languageOf(step.context, this.services);
    await step.context.sendActivity(this.services.replies.line(lang, `flows.booking.${say}`));
    this.services.log.info(
      {
        event: 'booking',
        outcome: say === 'noContactConsent' ? 'no-contact-consent' : 'stopped',
        requestId: step.options.requestId,
      },
      'booking request not sent',
    );
    return step.endDialog();
  }

  private async refuseOverLimit(context: TurnContext, lang: Lang): Promise<DialogTurnResult> {
    await context.sendActivity(this.services.replies.line(lang, 'flows.booking.limit'));
    this.services.log.warn(
      { event: 'booking', outcome: 'over-limit', perHour: this.services.maxBookingsPerHour },
      'booking request refused: too many in the last hour',
    );
    return { status: DialogTurnStatus.complete };
  }

  /** Screening answers the patient agreed to keep for booking, if any. */
  private async keptScreening(context: TurnContext): Promise<ConversationMemory['screening']> {
    return (await this.services.memory.get(context, {})).screening;
  }

  private async submit(step: WaterfallStepContext<BookingState>): Promise<DialogTurnResult> {
    const { replies, log } = this.services;
    const draft = step.options;
    const lang = await languageOf(step.context, this.services);
    if (await bookingLimitReachedFor(step.context, this.services)) {
      // Sent from another conversation meanwhile: nothing is submitted.
      await this.refuseOverLimit(step.context, lang);
      return step.endDialog();
    }
    // Known before it is kept: a request saved by a submit that then failed can still be withdrawn.
    await rememberRequest(step.context, this.services, draft.requestId);
    let outcome: SubmitOutcome;
    try {
      const request = composeBookingRequest(draft, {
        now: this.services.now(),
        lang,
        channel: step.context.activity.channelId,
        screening: await this.keptScreening(step.context),
        questions: this.services.engine().content.screening.questions,
      });
      // The clinic's system may answer later (confirmed, declined, moved): the patient is told here.
      const replyTo = await rememberAddress(step.context, this.services, lang);
      if (replyTo) await this.services.addresses?.addRequest(replyTo, draft.requestId);
      outcome = await this.services.bookings.submit(request, replyTo);
    } catch (err) {
      // Only the error's kind: a message could quote the patient's details.
      log.error(
        {
          event: 'booking',
          outcome: 'failed',
          requestId: draft.requestId,
          error: err instanceof Error ? err.name : typeof err,
        },
        'booking request could not be saved',
      );
      // The confirmation is asked again as "couldn't save it: send again?", with the same request id.
      return step.replaceDialog(BOOKING_WATERFALL, { ...draft, change: undefined, sendFailed: true });
    }
    if (outcome.kind === 'confirmed') {
      const reference = outcome.reference ? freeText(outcome.reference, 100) : undefined;
      await step.context.sendActivity(
        reference
          ? replies.line(lang, 'flows.booking.confirmedReference', { reference })
          : replies.line(lang, 'flows.booking.confirmed'),
      );
    } else {
      // "Received" is never worded as confirmed: the clinic has not accepted a time yet.
      const lines = [replies.text(lang, 'flows.booking.received')];
      if (!this.services.bookings.delivers) lines.push(replies.text(lang, 'flows.booking.pickSlot'));
      await step.context.sendActivity(replies.prompt(lines.join('\n\n'), lang));
    }
    log.info(
      {
        event: 'booking',
        outcome: outcome.kind,
        requestId: draft.requestId,
        shareScreening: draft.shareScreening === true,
      },
      'booking request sent',
    );
    await countRequest(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    await this.services.memory.set(step.context, { ...memory, bookingSent: { requestId: draft.requestId } });
    return step.endDialog();
  }
}
