import { Activity } from 'botbuilder';
import { DeliveryOutcome, OutgoingMessage, PatientMessenger } from '../../core/proactive/patientMessenger';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { Lang } from '../../core/text/language';
import { Replies } from '../../dialogs/replies';
import { HandoffListener } from './handoffProvider';

/**
 * Tells the patient, in their own conversation and language, what the people at the clinic did:
 * joined, wrote (marked as a named person, not the bot), finished (the bot is back), or could not
 * take the conversation in time (then a callback is offered).
 */
export class HandoffNotices implements HandoffListener {
  constructor(
    private readonly addresses: PatientAddresses,
    private readonly messenger: PatientMessenger,
    private readonly replies: Replies,
  ) {}

  async status(addressKey: string, event: Partial<Activity>): Promise<DeliveryOutcome> {
    const value: unknown = event.value;
    const state = readField(value, 'state');
    const message = readField(value, 'message') ?? '';
    const lang = await this.langOf(addressKey);
    if (!lang) return { kind: 'no-address' };
    const { replies } = this;
    let outgoing: OutgoingMessage;
    switch (state) {
      case 'accepted':
        outgoing = { purpose: 'handoff', text: replies.text(lang, 'handoff.claimed', { name: message }) };
        break;
      case 'completed':
        outgoing = {
          purpose: 'handoff',
          text: message
            ? replies.text(lang, 'handoff.resolved', { name: message })
            : replies.text(lang, 'handoff.resolvedNoName'),
        };
        break;
      case 'failed':
        outgoing = {
          purpose: 'handoff',
          text: [replies.text(lang, 'handoff.timedOut'), replies.text(lang, 'handoff.callbackOffer')].join('\n\n'),
          buttons: [replies.text(lang, 'handoff.callbackButton'), replies.text(lang, 'handoff.notNow')],
        };
        break;
      default:
        return { kind: 'failed', error: 'unknown handoff state' };
    }
    return this.messenger.deliver(addressKey, [outgoing]);
  }

  async agentMessage(addressKey: string, message: { text: string; agentName: string }): Promise<DeliveryOutcome> {
    const lang = await this.langOf(addressKey);
    if (!lang) return { kind: 'no-address' };
    const label = this.replies.text(lang, 'handoff.staffLabel', { name: message.agentName });
    return this.messenger.deliver(addressKey, [
      { purpose: 'staff-reply', text: `**${label}:** ${message.text}`, staff: { name: message.agentName } },
    ]);
  }

  private async langOf(addressKey: string): Promise<Lang | undefined> {
    return (await this.addresses.get(addressKey))?.lang;
  }
}

function readField(value: unknown, field: 'state' | 'message'): string | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) return undefined;
  const read: unknown = (value as Record<string, unknown>)[field];
  return typeof read === 'string' ? read : undefined;
}
