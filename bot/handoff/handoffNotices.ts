import { Activity } from 'botbuilder';
import { DeliveryOutcome, PatientMessenger } from '../../core/proactive/patientMessenger';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { Lang } from '../../core/text/language';
import { statusNotice } from '../../dialogs/personHandoff';
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
    const lang = await this.langOf(addressKey);
    if (!lang) return { kind: 'no-address' };
    const notice = statusNotice(this.replies, lang, event.value);
    if (!notice) return { kind: 'failed', error: 'unknown handoff state' };
    const buttons = notice.buttonKeys.map((key) => this.replies.text(lang, key));
    return this.messenger.deliver(addressKey, [
      { purpose: 'handoff', text: notice.text, ...(buttons.length > 0 ? { buttons } : {}) },
    ]);
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
