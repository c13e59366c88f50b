import { Activity, ActivityTypes, ConversationReference, TurnContext } from 'botbuilder';
import { DeliveryOutcome, OutgoingMessage, PatientAddress, PatientMessenger } from '../core/proactive/patientMessenger';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { TranscriptActivity, Transcripts } from '../core/directLine/transcripts';
import { ClinicAdapter } from './clinicAdapter';
import { EMBEDDED_SERVICE_URL } from './directLine';
import { Logger } from './logger';

export interface ProactiveMessengerOptions {
  adapter: ClinicAdapter;
  addresses: PatientAddresses;
  /** The embedded Direct Line's histories: a message for its conversations is added there. */
  transcripts?: Transcripts;
  log: Logger;
  /**
   * Throttled (429) sends retried in place before the caller is told to come back later. The
   * connector itself first waits out a 429 that carries Retry-After (up to 3 times); these are the
   * throttles it gives back.
   */
  throttleRetries?: number;
  /** The longest Retry-After waited in place; a longer one goes back to the caller. */
  maxWaitMs?: number;
  /** Waits between throttled attempts (tests pass one that resolves at once). */
  sleep?: (ms: number) => Promise<void>;
}

/** How long to wait after a 429 that says nothing. */
const DEFAULT_THROTTLE_MS = 1_000;

/**
 * Sends messages to a patient's own conversation outside a turn: a true proactive message from the
 * stored conversation reference on Teams, Azure Direct Line and other channels (backing off on 429,
 * stopping for good on 403/404); a message added to the transcript of the embedded web chat, which
 * the page shows while it is open or when the patient comes back to it.
 */
export class ProactiveMessenger implements PatientMessenger {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ProactiveMessengerOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async deliver(addressKey: string, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome> {
    const { addresses, transcripts, log } = this.options;
    const address = await addresses.get(addressKey);
    if (!address) return { kind: 'no-address' };
    if (address.stopped) return { kind: 'stopped', reason: address.stopped.reason };
    const purpose = messages[0]?.purpose ?? 'handoff';
    if (isEmbedded(address)) {
      if (!transcripts || !(await transcripts.exists(address.conversation.id))) return { kind: 'no-address' };
      await transcripts.append(
        address.conversation.id,
        messages.map((m) => transcriptActivity(m, address)),
      );
      return { kind: 'kept' };
    }
    const outcome = await this.send(address, messages);
    if (outcome.kind === 'stopped') {
      await addresses.stop(addressKey, outcome.reason);
      log.warn(
        { event: 'proactive-stopped', channel: address.channelId, purpose, reason: outcome.reason },
        'the channel refused for good: nothing more is sent to this conversation',
      );
    } else if (outcome.kind !== 'sent') {
      log.warn(
        {
          event: 'proactive-not-sent',
          channel: address.channelId,
          purpose,
          outcome: outcome.kind,
          ...(outcome.kind === 'failed' ? { error: outcome.error } : {}),
        },
        'a message to a patient could not be sent now',
      );
    }
    return outcome;
  }

  private async send(address: PatientAddress, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome> {
    const { adapter } = this.options;
    const retries = this.options.throttleRetries ?? 2;
    const maxWaitMs = this.options.maxWaitMs ?? 30_000;
    const reference = conversationReference(address);
    for (let attempt = 0; ; attempt += 1) {
      try {
        // The adapter hands an error in the callback to its onTurnError (which apologises in the
        // conversation) instead of throwing it: the channel's answer is kept here and judged below.
        let refused: Error | undefined;
        await adapter.continueConversationAsync(adapter.appId ?? '', reference, async (context: TurnContext) => {
          try {
            await context.sendActivities(messages.map((m) => channelActivity(m)));
          } catch (err) {
            refused = err instanceof Error ? err : new Error(String(err));
          }
        });
        if (refused !== undefined) throw refused;
        return { kind: 'sent' };
      } catch (err) {
        const status = statusOf(err);
        if (status === 403) return { kind: 'stopped', reason: 'forbidden' };
        if (status === 404) return { kind: 'stopped', reason: 'not-found' };
        if (status !== 429) return { kind: 'failed', error: status ? `HTTP ${status}` : errorName(err) };
        const waitMs = retryAfterMs(err) ?? DEFAULT_THROTTLE_MS * 2 ** attempt;
        if (attempt >= retries || waitMs > maxWaitMs) return { kind: 'retry', afterMs: waitMs };
        await this.sleep(waitMs);
      }
    }
  }
}

/** Whether the address is a conversation of the embedded Direct Line (its replies are kept, never posted). */
function isEmbedded(address: PatientAddress): boolean {
  return address.serviceUrl === EMBEDDED_SERVICE_URL;
}

function conversationReference(address: PatientAddress): Partial<ConversationReference> {
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: {
      id: address.conversation.id,
      isGroup: false,
      conversationType: address.conversation.conversationType ?? 'personal',
      name: '',
      ...(address.conversation.tenantId ? { tenantId: address.conversation.tenantId } : {}),
    },
    user: { id: address.user.id, name: '' },
    bot: { id: address.bot.id, name: address.bot.name ?? '' },
    locale: address.lang,
  };
}

/** What the channel gets: the text, quick replies, and who wrote it (a person at the clinic, or the bot). */
function channelActivity(message: OutgoingMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: message.text,
    ...(message.buttons && message.buttons.length > 0
      ? {
          suggestedActions: {
            to: [],
            actions: message.buttons.map((title) => ({ type: 'imBack', title, value: title })),
          },
        }
      : {}),
    channelData: {
      clinic: {
        purpose: message.purpose,
        ...(message.staff ? { sender: 'staff', staffName: message.staff.name } : {}),
      },
    },
  };
}

function transcriptActivity(message: OutgoingMessage, address: PatientAddress): TranscriptActivity {
  const activity = channelActivity(message);
  return {
    ...(JSON.parse(JSON.stringify(activity)) as TranscriptActivity),
    channelId: address.channelId,
    conversation: { id: address.conversation.id },
    // Web Chat shows the sender's name: a person at the clinic speaks as themselves.
    from: message.staff
      ? { id: `${address.bot.id}:staff`, name: message.staff.name, role: 'bot' }
      : { id: address.bot.id, name: address.bot.name ?? '', role: 'bot' },
  };
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The Retry-After of a throttled response, in ms (seconds or an HTTP date). */
function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: unknown } }).response?.headers;
  let value: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get: (name: string) => unknown }).get('retry-after');
  } else if (headers && typeof headers === 'object') {
    value = (headers as Record<string, unknown>)['retry-after'];
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}
