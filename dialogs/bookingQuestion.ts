import { Activity, CardAction, TurnContext } from 'botbuilder';
import { examplePhone } from '../core/booking/bookingAnswers';
import { FlowReply } from '../core/commands/commandRecognizer';
import { Lang } from '../core/text/language';
import { normalizeText } from '../core/text/normalize';
import { BOOKING_MAX_CHARS as MAX, BookingReply, BookingState, BookingStateSchema } from './bookingState';
import { MAX_MISSES, Miss, Question, Reading } from './flowPrompt';
import { isButtonLabel, languageOf, textOf, TurnServices } from './turnServices';

/** The questions of a consultation request, in the order they are asked, then the confirmation. */
export type BookingQuestionId =
  | 'name'
  | 'contact'
  | 'email'
  | 'phone'
  | 'times'
  | 'treatment'
  | 'note'
  | 'contactConsent'
  | 'shareConsent'
  | 'confirm';

/** What a booking question knows of the turn it is asked or answered in. */
export interface BookingTurn {
  lang: Lang;
  channelId: string;
  /** The patient agreed to keep their screening answers for booking. */
  screening: boolean;
}

/** A reply, as the booking questions read it. */
export interface BookingReplyText extends BookingTurn {
  text: string;
  /** A short reply the flows recognise (yes, no, skip, not sure…). */
  command?: FlowReply;
  /** The same, only when the reply is short enough to be nothing else ("no latex, please" is a note, not a no). */
  brief?: FlowReply;
  /** Whether the reply is the label of a booking button (`flows.booking.buttons.<name>`), sent back as typed. */
  is(button: string): boolean;
}

/** What makes one booking question: how it is asked and read, its way out, and its safe answer. */
export interface BookingQuestionSpec {
  understands(text: string): boolean;
  ask(turn: BookingTurn, draft: BookingState): Partial<Activity>;
  read(reply: BookingReplyText, draft: BookingState, typed: string | undefined): Reading<BookingReply>;
  /** Buttons of the second re-ask: the way out that fits the question. */
  wayOut(turn: BookingTurn, draft: BookingState): CardAction[];
  /** The safe answer after the last re-ask, and the `flows.booking.movedOn` line that says so. */
  moveOn(turn: BookingTurn, typed: string | undefined): { say?: string; reply: BookingReply };
}

/**
 * In a free-text answer only a short reply counts as yes / no / skip: "no thanks" does, but
 * "I have sensitive skin" or "no latex, please" is the answer itself.
 */
const SHORT_REPLY_WORDS = 2;

/**
 * A question of the consultation request as its prompt asks it. What is said about a reply not
 * understood is the same for every question: what was wrong, with an example; then the question's
 * way out; then its safe answer (logged without anything the patient typed).
 */
export class BookingQuestion implements Question<BookingReply, BookingState> {
  readonly data = BookingStateSchema;
  readonly maxMisses = MAX_MISSES;

  constructor(
    private readonly services: TurnServices,
    private readonly id: BookingQuestionId,
    private readonly spec: BookingQuestionSpec,
  ) {}

  understands(text: string): boolean {
    return this.spec.understands(text);
  }

  async ask(context: TurnContext, draft: BookingState): Promise<void> {
    await context.sendActivity(this.spec.ask(await this.turn(context), draft));
  }

  async read(context: TurnContext, draft: BookingState, typed: string | undefined): Promise<Reading<BookingReply>> {
    const turn = await this.turn(context);
    const text = textOf(context);
    const command = this.services.flowReplies.recognize(text)?.command;
    const reply: BookingReplyText = {
      ...turn,
      text,
      command,
      brief: normalizeText(text).split(' ').length <= SHORT_REPLY_WORDS ? command : undefined,
      is: (button) => isButtonLabel(this.services, text, turn.lang, `flows.booking.buttons.${button}`),
    };
    const reading = this.spec.read(reply, draft, typed);
    if (reading.kind === 'answer' && reading.value.kind === 'set')
      this.services.log.debug({ event: 'booking', step: this.id, requestId: draft.requestId }, 'booking step answered');
    return reading;
  }

  async reask(context: TurnContext, draft: BookingState, misses: number, miss: Miss): Promise<void> {
    const { replies, log } = this.services;
    const turn = await this.turn(context);
    const { id } = this;
    log.debug(
      { event: 'booking', step: id, outcome: 'asked-again', misses, requestId: draft.requestId },
      'booking answer not understood',
    );
    const yesNo =
      id === 'contactConsent' || id === 'shareConsent' ? replies.replyButtons(turn.lang, ['yes', 'no']) : [];
    if (misses === 1) {
      // The second contact detail is optional: "No thanks" is offered with every re-ask of it.
      const optional =
        id === 'email' || id === 'phone' ? replies.labelButtons(turn.lang, ['flows.booking.buttons.noThanks']) : [];
      await context.sendActivity(
        replies.line(turn.lang, `flows.booking.${miss.problem ?? 'yesOrNo'}`, miss.values, [...yesNo, ...optional]),
      );
      return;
    }
    await context.sendActivity(
      replies.line(
        turn.lang,
        `flows.booking.again.${id}`,
        { examplePhone: examplePhone(this.services.engine().content.clinic.country), max: String(MAX.note) },
        [...yesNo, ...this.spec.wayOut(turn, draft)],
      ),
    );
  }

  async moveOn(context: TurnContext, draft: BookingState, typed: string | undefined): Promise<BookingReply> {
    const turn = await this.turn(context);
    this.services.log.info(
      { event: 'booking', step: this.id, outcome: 'moved-on', requestId: draft.requestId },
      'booking question not understood three times',
    );
    const { say, reply } = this.spec.moveOn(turn, typed);
    if (say) await context.sendActivity(this.services.replies.line(turn.lang, `flows.booking.movedOn.${say}`));
    return reply;
  }

  private async turn(context: TurnContext): Promise<BookingTurn> {
    const memory = await this.services.memory.get(context, {});
    return {
      lang: await languageOf(context, this.services),
      channelId: context.activity.channelId,
      screening: memory.screening !== undefined,
    };
  }
}
