import { randomUUID } from 'node:crypto';
import { CardAction, TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogContext,
  DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  changeRequest,
  examplePhone,
  freeText,
  looksLikeQuestion,
  readablePhone,
  readName,
  sendRequest,
} from '../core/booking/bookingAnswers';
import { SubmitOutcome } from '../core/booking/bookingDesk';
import { composeBookingRequest } from '../core/booking/composeBookingRequest';
import { parseContact } from '../core/booking/contact';
import { Lang } from '../core/text/language';
import { normalizeText } from '../core/text/normalize';
import {
  BOOKING_MAX_CHARS as MAX,
  BookingStage,
  BookingState,
  BookingStateSchema,
  nextBookingStage,
  STAGE_TO_CHANGE,
} from './bookingState';
import { bookingLimitReachedFor, countRequest, rememberRequest } from './bookingLedger';
import { InterruptibleDialog } from './interruptibleDialog';
import { ConversationMemory, isButtonLabel, languageOf, textOf, TurnServices } from './turnServices';

export const BOOKING_DIALOG = 'bookingDialog';
const BOOKING_WATERFALL = 'bookingWaterfall';

/**
 * In a free-text answer only a short reply counts as yes / no / skip: "no thanks" does, but
 * "I have sensitive skin" or "no latex, please" is the answer itself.
 */
const SHORT_REPLY_WORDS = 2;

/** Stages whose answer is free text: a message that is not a question is the answer, not an FAQ query. */
const FREE_TEXT: ReadonlySet<BookingStage> = new Set(['times', 'treatment', 'note']);
/** Questions answered with an email or a phone number. */
const CONTACT_STAGES: ReadonlySet<BookingStage> = new Set(['contact', 'email', 'phone']);
/** Re-asks of one question: the second offers a way out, a third reply not understood moves on. */
const MAX_MISSES = 2;

/**
 * A consultation request: name, an email or phone (the other offered), preferred days and times,
 * treatment, an optional note, consent to be contacted and, when the patient did the screening
 * and agreed to keep it, a separate consent to share it; then everything to check and change
 * before it goes to the clinic. Tells the patient exactly what happened to it.
 */
export class BookingDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(BOOKING_DIALOG, 'booking', services);
    this.addDialog(new WaterfallDialog(BOOKING_WATERFALL, [this.askStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = BOOKING_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    // Said before the first question, not after the patient has typed everything in.
    if (await bookingLimitReachedFor(innerDc.context, this.services))
      return this.refuseOverLimit(innerDc.context, lang);
    const state = BookingStateSchema.parse({ requestId: randomUUID() });
    await innerDc.context.sendActivity(this.services.replies.line(lang, 'flows.booking.intro'));
    this.services.log.info(
      { event: 'booking', step: 'started', requestId: state.requestId },
      'booking request started',
    );
    return super.onBeginDialog(innerDc, state);
  }

  protected override stoppedKey(): string {
    return 'flows.booking.cancelled';
  }

  protected understands(text: string, _lang: Lang, innerDc: DialogContext): boolean {
    const parsed = BookingStateSchema.safeParse(this.currentOptions(innerDc));
    if (!parsed.success || this.services.engine().recognizeCommand(text)) return false;
    const { stage } = parsed.data;
    switch (stage) {
      case 'name':
        return !looksLikeQuestion(text) && readName(text) !== undefined;
      case 'contact':
      case 'email':
      case 'phone': {
        const found = parseContact(text, this.country());
        return found.email !== undefined || found.phone !== undefined || !looksLikeQuestion(text);
      }
      case 'confirm':
        return changeRequest(text) !== undefined || sendRequest(text);
      default:
        return FREE_TEXT.has(stage) && !looksLikeQuestion(text);
    }
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    const state = BookingStateSchema.parse(this.currentOptions(innerDc) ?? {});
    return innerDc.replaceDialog(BOOKING_WATERFALL, { ...state, reasked: false });
  }

  private async refuseOverLimit(context: TurnContext, lang: Lang): Promise<DialogTurnResult> {
    await context.sendActivity(this.services.replies.line(lang, 'flows.booking.limit'));
    this.services.log.warn(
      { event: 'booking', outcome: 'over-limit', perHour: this.services.maxBookingsPerHour },
      'booking request refused: too many in the last hour',
    );
    return { status: DialogTurnStatus.complete };
  }

  private country(): string {
    return this.services.engine().content.clinic.country;
  }

  /** Screening answers the patient agreed to keep for booking, if any. */
  private async keptScreening(context: TurnContext): Promise<ConversationMemory['screening']> {
    return (await this.services.memory.get(context, {})).screening;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = BookingStateSchema.parse(step.options ?? {});
    if (state.reasked) return Dialog.EndOfTurn;
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const ask = (key: string, buttons: string[] = []): Promise<unknown> =>
      step.context.sendActivity(
        replies.line(
          lang,
          `flows.booking.${key}`,
          undefined,
          replies.labelButtons(
            lang,
            buttons.map((b) => `flows.booking.buttons.${b}`),
          ),
        ),
      );
    switch (state.stage) {
      case 'name':
        await ask('askName');
        break;
      case 'contact':
        await ask('askContact');
        break;
      case 'email':
        await (state.email === undefined ? ask('offerEmail', ['noThanks']) : ask('askEmail'));
        break;
      case 'phone':
        await (state.phone === undefined ? ask('offerPhone', ['noThanks']) : ask('askPhone'));
        break;
      case 'times':
        await ask('askTimes');
        break;
      case 'treatment':
        await ask('askTreatment', ['microneedling', 'notSure']);
        break;
      case 'note':
        await ask('askNote', ['noNote']);
        break;
      case 'contactConsent':
      case 'shareConsent':
        await step.context.sendActivity(
          replies.line(
            lang,
            state.stage === 'contactConsent' ? 'flows.booking.askContactConsent' : 'flows.booking.askShareScreening',
            undefined,
            replies.replyButtons(lang, ['yes', 'no']),
          ),
        );
        break;
      case 'confirm':
        await this.sendConfirmation(step.context, state, lang);
        break;
    }
    return Dialog.EndOfTurn;
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = BookingStateSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const text = textOf(step.context);
    const reply = this.services.flowReplies.recognize(text)?.command;
    const brief = normalizeText(text).split(' ').length <= SHORT_REPLY_WORDS ? reply : undefined;
    const screening = (await this.keptScreening(step.context)) !== undefined;
    const problem = (key: string, values?: Record<string, string>): Promise<DialogTurnResult> =>
      this.reask(step, state, lang, key, values);

    switch (state.stage) {
      case 'name': {
        const name = brief ? undefined : readName(text);
        if (!name) return problem('nameInvalid');
        state.name = name;
        break;
      }
      case 'contact': {
        const found = parseContact(text, this.country());
        if (!found.email && !found.phone && state.typed && this.isLabel(text, lang, 'keepAsTyped')) {
          state.contactAsTyped = state.typed;
          break;
        }
        if (!found.email && !found.phone)
          return problem(this.contactProblem(text), { examplePhone: examplePhone(this.country()) });
        state.email = found.email;
        state.phone = found.phone;
        state.otherOffered = found.email !== undefined && found.phone !== undefined;
        break;
      }
      case 'email':
      case 'phone': {
        const found = parseContact(text, this.country());
        // "No thanks" keeps what the patient already gave (at least one detail is always there here);
        // so does a reply that is no attempt at an email or phone ("not sure", "tuesday evenings"):
        // this detail is optional, and asking again would trap the patient.
        const attempted = /@|\d/.test(text);
        if (
          !found.email &&
          !found.phone &&
          state.typed &&
          !state.contactAsTyped &&
          this.isLabel(text, lang, 'keepAsTyped')
        ) {
          state.contactAsTyped = state.typed;
          state.otherOffered = true;
          break;
        }
        if (!found.email && !found.phone && (reply === 'no' || reply === 'skip' || !attempted)) {
          state.otherOffered = true;
          break;
        }
        if (!found.email && !found.phone)
          return problem(state.stage === 'email' ? 'emailInvalid' : 'phoneInvalid', {
            examplePhone: examplePhone(this.country()),
          });
        state.email = found.email ?? state.email;
        state.phone = found.phone ?? state.phone;
        state.otherOffered = true;
        break;
      }
      case 'times': {
        const anyTime = this.isLabel(text, lang, 'anyTime');
        const times = anyTime
          ? this.services.replies.text(lang, 'flows.booking.buttons.anyTime')
          : brief
            ? undefined
            : freeText(text, MAX.times);
        if (!times) return problem(text.length > MAX.times ? 'tooLong' : 'timesInvalid', { max: String(MAX.times) });
        state.daysAndTimes = times;
        break;
      }
      case 'treatment': {
        const notSure = brief === 'unsure' || brief === 'skip' || this.isLabel(text, lang, 'notSure');
        const treatment = notSure
          ? this.services.replies.text(lang, 'flows.booking.buttons.notSure')
          : brief
            ? undefined
            : freeText(text, MAX.treatment);
        if (!treatment)
          return problem(text.length > MAX.treatment ? 'tooLong' : 'treatmentInvalid', { max: String(MAX.treatment) });
        state.treatment = treatment;
        break;
      }
      case 'note': {
        if (brief === 'yes') return problem('typeNote');
        if (brief === 'no' || brief === 'skip' || this.isLabel(text, lang, 'noNote')) {
          state.note = undefined;
        } else {
          const note = freeText(text, MAX.note);
          if (!note) return problem('tooLong', { max: String(MAX.note) });
          state.note = note;
        }
        state.noteAsked = true;
        break;
      }
      case 'contactConsent':
        if (reply === 'no') return this.noContactConsent(step, state, lang);
        if (reply !== 'yes') return problem('yesOrNo');
        state.contactConsentAt = this.services.now().toISOString();
        break;
      case 'shareConsent':
        if (reply !== 'yes' && reply !== 'no') return problem('yesOrNo');
        state.shareScreening = reply === 'yes';
        break;
      case 'confirm':
        return this.confirm(step, state, lang, reply, screening);
    }
    this.services.log.debug(
      { event: 'booking', step: state.stage, requestId: state.requestId },
      'booking step answered',
    );
    return this.nextQuestion(step, state, screening);
  }

  private nextQuestion(step: WaterfallStepContext, state: BookingState, screening: boolean): Promise<DialogTurnResult> {
    return step.replaceDialog(BOOKING_WATERFALL, {
      ...state,
      reasked: false,
      misses: 0,
      typed: undefined,
      stage: nextBookingStage(state, screening),
    });
  }

  /**
   * Says what was wrong (with an example) and waits for the answer to the same question. The
   * second time it offers the way out that fits the question; a third time it moves on.
   */
  private async reask(
    step: WaterfallStepContext,
    state: BookingState,
    lang: Lang,
    key: string,
    values?: Record<string, string>,
  ): Promise<DialogTurnResult> {
    const { replies } = this.services;
    const misses = state.misses + 1;
    const typed = CONTACT_STAGES.has(state.stage) ? freeText(textOf(step.context), 200) : undefined;
    this.services.log.debug(
      { event: 'booking', step: state.stage, outcome: 'asked-again', misses, requestId: state.requestId },
      'booking answer not understood',
    );
    if (misses > MAX_MISSES) return this.moveOn(step, { ...state, typed: typed ?? state.typed }, lang);
    const yesNo =
      state.stage === 'contactConsent' || state.stage === 'shareConsent'
        ? replies.replyButtons(lang, ['yes', 'no'])
        : [];
    // The second contact detail is optional: "No thanks" is offered with every re-ask of it.
    const optional =
      state.stage === 'email' || state.stage === 'phone'
        ? replies.labelButtons(lang, ['flows.booking.buttons.noThanks'])
        : [];
    const activity =
      misses === 1
        ? replies.line(lang, `flows.booking.${key}`, values, [...yesNo, ...optional])
        : replies.line(
            lang,
            `flows.booking.again.${state.stage}`,
            { examplePhone: examplePhone(this.country()), max: String(MAX.note) },
            [...yesNo, ...this.wayOut(state, lang)],
          );
    await step.context.sendActivity(activity);
    return step.replaceDialog(BOOKING_WATERFALL, { ...state, reasked: true, misses, typed: typed ?? state.typed });
  }

  /** The buttons offered with the second re-ask: a way out that fits the question. */
  private wayOut(state: BookingState, lang: Lang): CardAction[] {
    const { replies } = this.services;
    const buttons = (keys: string[]): CardAction[] =>
      replies.labelButtons(
        lang,
        keys.map((k) => `flows.booking.buttons.${k}`),
      );
    switch (state.stage) {
      case 'name':
        return buttons(['cancel']);
      case 'contact':
        return buttons(['keepAsTyped', 'cancel']);
      case 'email':
      case 'phone':
        return buttons(state.contactAsTyped ? ['noThanks'] : ['noThanks', 'keepAsTyped']);
      case 'times':
        return buttons(['anyTime']);
      case 'treatment':
        return buttons(['microneedling', 'notSure']);
      case 'note':
        return buttons(['noNote']);
      case 'confirm':
        return replies.labelButtons(lang, this.confirmButtons(false));
      default:
        return [];
    }
  }

  /**
   * A third reply not understood: the question is answered the safe way, or the request stops, rather than asked again.
   */
  private async moveOn(step: WaterfallStepContext, state: BookingState, lang: Lang): Promise<DialogTurnResult> {
    const { replies } = this.services;
    const screening = (await this.keptScreening(step.context)) !== undefined;
    const say = (key: string): Promise<unknown> =>
      step.context.sendActivity(replies.line(lang, `flows.booking.movedOn.${key}`));
    this.services.log.info(
      { event: 'booking', step: state.stage, outcome: 'moved-on', requestId: state.requestId },
      'booking question not understood three times',
    );
    switch (state.stage) {
      case 'contact':
        if (!state.typed) break;
        await say('keptAsTyped');
        return this.nextQuestion(step, { ...state, contactAsTyped: state.typed }, screening);
      case 'email':
      case 'phone':
        await say('leftOut');
        return this.nextQuestion(step, { ...state, otherOffered: true }, screening);
      case 'times':
        await say('anyTime');
        return this.nextQuestion(
          step,
          { ...state, daysAndTimes: replies.text(lang, 'flows.booking.buttons.anyTime') },
          screening,
        );
      case 'treatment':
        await say('notSure');
        return this.nextQuestion(
          step,
          { ...state, treatment: replies.text(lang, 'flows.booking.buttons.notSure') },
          screening,
        );
      case 'note':
        await say('noNote');
        return this.nextQuestion(step, { ...state, note: undefined, noteAsked: true }, screening);
      case 'contactConsent':
        return this.noContactConsent(step, state, lang);
      case 'shareConsent':
        await say('notShared');
        return this.nextQuestion(step, { ...state, shareScreening: false }, screening);
      default:
        break;
    }
    // A name, a contact or the final check that cannot be read three times: stop rather than trap the patient.
    await say('stopped');
    return step.endDialog();
  }

  /** Which example helps: an address with "@" is an email gone wrong, digits a phone gone wrong. */
  private contactProblem(text: string): string {
    if (text.includes('@')) return 'emailInvalid';
    if (/\d{3}/.test(text)) return 'phoneInvalid';
    return 'contactInvalid';
  }

  private isLabel(text: string, lang: Lang, button: string): boolean {
    return isButtonLabel(this.services, text, lang, `flows.booking.buttons.${button}`);
  }

  private async noContactConsent(
    step: WaterfallStepContext,
    state: BookingState,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    await step.context.sendActivity(this.services.replies.line(lang, 'flows.booking.noContactConsent'));
    this.services.log.info(
      { event: 'booking', outcome: 'no-contact-consent', requestId: state.requestId },
      'booking request not sent',
    );
    return step.endDialog();
  }

  private confirmButtons(screening: boolean): string[] {
    const changes = [
      'changeName',
      'changeContact',
      'changeTimes',
      'changeTreatment',
      'changeNote',
      ...(screening ? ['changeScreening'] : []),
    ];
    return ['send', ...changes, 'cancel'].map((b) => `flows.booking.buttons.${b}`);
  }

  private async sendConfirmation(context: TurnContext, state: BookingState, lang: Lang): Promise<void> {
    const { replies } = this.services;
    const field = (key: string): string => replies.text(lang, `flows.booking.field_${key}`);
    const facts = [
      { title: field('name'), value: state.name ?? '' },
      ...(state.email ? [{ title: field('email'), value: state.email }] : []),
      ...(state.phone ? [{ title: field('phone'), value: readablePhone(state.phone) }] : []),
      ...(state.contactAsTyped ? [{ title: field('contactAsTyped'), value: state.contactAsTyped }] : []),
      { title: field('times'), value: state.daysAndTimes ?? '' },
      { title: field('treatment'), value: state.treatment ?? '' },
      { title: field('note'), value: state.note ?? replies.text(lang, 'flows.booking.noNote') },
    ];
    const screening = (await this.keptScreening(context)) !== undefined;
    if (screening) {
      facts.push({
        title: field('screening'),
        value: replies.text(
          lang,
          state.shareScreening ? 'flows.booking.screeningShared' : 'flows.booking.screeningNotShared',
        ),
      });
    }
    const buttons = replies.labelButtons(lang, this.confirmButtons(screening));
    await context.sendActivity(
      replies.summary(
        replies.text(lang, 'flows.booking.summaryTitle'),
        replies.text(lang, 'flows.booking.confirmIntro'),
        facts,
        lang,
        context.activity.channelId,
        buttons,
      ),
    );
  }

  private async confirm(
    step: WaterfallStepContext,
    state: BookingState,
    lang: Lang,
    reply: string | undefined,
    screening: boolean,
  ): Promise<DialogTurnResult> {
    const text = textOf(step.context);
    const { replies } = this.services;
    const field = changeRequest(text);
    if (field && !(field === 'screening' && !screening)) {
      const cleared =
        field === 'contact'
          ? { email: undefined, phone: undefined, contactAsTyped: undefined, otherOffered: false }
          : {};
      const next: BookingState = { ...state, ...cleared, stage: STAGE_TO_CHANGE[field], reasked: false };
      this.services.log.debug(
        { event: 'booking', step: 'change', field, requestId: state.requestId },
        'booking detail to change',
      );
      return step.replaceDialog(BOOKING_WATERFALL, next);
    }
    if (reply === 'yes' || sendRequest(text)) return this.submit(step, state, lang);
    if (reply === 'no') {
      await step.context.sendActivity(
        replies.line(
          lang,
          'flows.booking.whatToChange',
          undefined,
          replies.labelButtons(lang, this.confirmButtons(screening)),
        ),
      );
      return step.replaceDialog(BOOKING_WATERFALL, { ...state, reasked: true });
    }
    return this.reask(step, state, lang, 'confirmNotUnderstood');
  }

  private async submit(step: WaterfallStepContext, state: BookingState, lang: Lang): Promise<DialogTurnResult> {
    const { replies, log } = this.services;
    if (await bookingLimitReachedFor(step.context, this.services)) {
      // Sent from another conversation meanwhile: nothing is submitted.
      await this.refuseOverLimit(step.context, lang);
      return step.endDialog();
    }
    // Known before it is kept: a request saved by a submit that then failed can still be withdrawn.
    await rememberRequest(step.context, this.services, state.requestId);
    let outcome: SubmitOutcome;
    try {
      const request = composeBookingRequest(state, {
        now: this.services.now(),
        lang,
        channel: step.context.activity.channelId,
        screening: await this.keptScreening(step.context),
        questions: this.services.engine().content.screening.questions,
      });
      outcome = await this.services.bookings.submit(request);
    } catch (err) {
      // Only the error's kind: a message could quote the patient's details.
      log.error(
        {
          event: 'booking',
          outcome: 'failed',
          requestId: state.requestId,
          error: err instanceof Error ? err.name : typeof err,
        },
        'booking request could not be saved',
      );
      await step.context.sendActivity(
        replies.line(
          lang,
          'flows.booking.failed',
          undefined,
          replies.labelButtons(lang, ['flows.booking.buttons.send', 'flows.booking.buttons.cancel']),
        ),
      );
      return step.replaceDialog(BOOKING_WATERFALL, { ...state, reasked: true });
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
        requestId: state.requestId,
        shareScreening: state.shareScreening === true,
      },
      'booking request sent',
    );
    await countRequest(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    await this.services.memory.set(step.context, { ...memory, bookingSent: { requestId: state.requestId } });
    return step.endDialog();
  }
}
