import { Activity } from 'botbuilder';
import { DeliveryOutcome } from '../../core/proactive/patientMessenger';

/** Where a handoff stands, as `handoff.status` events carry it (Bot Framework's handoff protocol). */
export type HandoffStatusState = 'accepted' | 'failed' | 'completed';

/** What a provider reports back about a conversation it holds. */
export interface HandoffListener {
  /** A `handoff.status` event (EventFactory.createHandoffStatus): a person accepted it, it ended, or it failed. */
  status(addressKey: string, event: Partial<Activity>): Promise<DeliveryOutcome>;
  /** A person's message for the patient. */
  agentMessage(addressKey: string, message: { text: string; agentName: string }): Promise<DeliveryOutcome>;
}

/**
 * The seam to whatever system gives conversations to people: the built-in staff inbox by default,
 * or later Dynamics 365 Omnichannel or a self-hosted Chatwoot (API-channel inbox) behind the same
 * interface. The bot hands over with a `handoff.initiate` event as botbuilder's EventFactory builds
 * it (handoff context in `value`, transcript as a JSON attachment) and hears back `handoff.status`
 * events and agents' messages through the listener.
 */
export interface HandoffProvider {
  initiate(event: Partial<Activity>, addressKey: string): Promise<void>;
  /** The conversation's open handoff: waiting for a person, or with one. */
  state(addressKey: string): Promise<'waiting' | 'with-person' | undefined>;
  patientMessage(addressKey: string, text: string, options: { redFlag: boolean }): Promise<void>;
  botMessage(addressKey: string, text: string): Promise<void>;
  /** The patient went back to the bot. */
  cancel(addressKey: string): Promise<void>;
  listen(listener: HandoffListener): void;
}
