import { Activity, ActivityTypes, EventFactory, Transcript, TurnContext } from 'botbuilder';
import { daysBetween, todayIn } from '../../core/aftercare/treatmentDate';
import { Clinic } from '../../core/content/schemas';
import { HandoffAvailability, handoffAvailability } from '../../core/handoff/handoffAvailability';
import { HandoffReason, TranscriptInput } from '../../core/handoff/handoffRecord';
import { Lang, localeOf } from '../../core/text/language';
import { HandoffDesk, PersonState } from '../../dialogs/handoffDesk';
import { HandoffContext } from './inboxHandoffProvider';
import { HandoffProvider } from './handoffProvider';

export interface ClinicHandoffDeskOptions {
  provider: HandoffProvider;
  presence: { anyonePresent(): Promise<boolean> };
  clinic: () => Clinic;
  now?: () => Date;
  /**
   * The conversation so far where the service keeps it (the embedded web chat's history): staff
   * then see the whole chat, not only what the bot remembers.
   */
  history?: (channelId: string, conversationId: string) => Promise<TranscriptInput[] | undefined>;
  /** Staff are told a patient is waiting (a Teams channel or the clinic's webhook), when configured. */
  notifyStaff?: (waiting: { reason: HandoffReason; lang: Lang; channel: string }) => Promise<void>;
}

/** "Talk to a person" for the dialogs: availability from opening hours and the inbox, the rest through the provider. */
export class ClinicHandoffDesk implements HandoffDesk {
  private readonly now: () => Date;

  constructor(private readonly options: ClinicHandoffDeskOptions) {
    this.now = options.now ?? (() => new Date());
  }

  availability(): Promise<HandoffAvailability> {
    const clinic = this.options.clinic();
    return handoffAvailability({
      hours: clinic.openingHours,
      timeZone: clinic.timeZone,
      now: this.now(),
      presence: this.options.presence,
    });
  }

  state(addressKey: string): Promise<PersonState | undefined> {
    return this.options.provider.state(addressKey);
  }

  async request(
    context: TurnContext,
    addressKey: string,
    details: { lang: Lang; reason: HandoffReason; summary: string; transcript: TranscriptInput[] },
  ): Promise<void> {
    const handoffContext: HandoffContext = { reason: details.reason, lang: details.lang, summary: details.summary };
    const kept = await this.options.history?.(context.activity.channelId, context.activity.conversation?.id ?? '');
    const lines = kept && kept.length > 0 ? kept : details.transcript;
    // The transcript travels as Bot Framework activities, as every handoff provider reads it.
    const transcript: Transcript = {
      activities: lines.map((line) => ({
        type: ActivityTypes.Message,
        text: line.text,
        timestamp: line.at ? new Date(line.at) : undefined,
        from: { id: line.role, name: line.role, role: line.role === 'patient' ? 'user' : 'bot' },
      })) as Activity[],
    };
    const event = EventFactory.createHandoffInitiation(context, handoffContext, transcript);
    await this.options.provider.initiate(event, addressKey);
    await this.options.notifyStaff?.({
      reason: details.reason,
      lang: details.lang,
      channel: context.activity.channelId,
    });
  }

  relay(addressKey: string, text: string, redFlag: boolean): Promise<void> {
    return this.options.provider.patientMessage(addressKey, text, { redFlag });
  }

  botSaid(addressKey: string, text: string): Promise<void> {
    return this.options.provider.botMessage(addressKey, text);
  }

  leave(addressKey: string): Promise<void> {
    return this.options.provider.cancel(addressKey);
  }

  formatOpening(at: Date, lang: Lang): { inDays: number; day: string; time: string } {
    const timeZone = this.options.clinic().timeZone;
    const locale = localeOf(lang);
    return {
      inDays: daysBetween(todayIn(this.now(), timeZone), todayIn(at, timeZone)),
      day: new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone }).format(at),
      time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(at),
    };
  }
}
