import { Activity, ConversationAccount, EventFactory } from 'botbuilder';
import { z } from 'zod';
import { HandoffQueue } from '../../core/handoff/handoffQueue';
import { HANDOFF_REASONS, HandoffNotice, HandoffRecord, TRANSCRIPT_ROLES } from '../../core/handoff/handoffRecord';
import { DeliveryOutcome } from '../../core/proactive/patientMessenger';
import { LANGS } from '../../core/text/language';
import { HandoffListener, HandoffProvider, HandoffStatusState } from './handoffProvider';

/** The handoff context the bot puts in a handoff.initiate event's `value`. */
export const HandoffContextSchema = z.object({
  reason: z.enum(HANDOFF_REASONS),
  lang: z.enum(LANGS),
  summary: z.string().max(1000),
});
export type HandoffContext = z.infer<typeof HandoffContextSchema>;

/** The transcript attachment of handoff.initiate: Bot Framework activities, `from.id` naming the speaker's role. */
const TranscriptSchema = z.object({
  activities: z
    .array(
      z.object({
        text: z.string().max(2000),
        timestamp: z.union([z.string(), z.date()]).optional(),
        from: z.object({ id: z.enum(TRANSCRIPT_ROLES) }),
      }),
    )
    .max(50),
});

/**
 * The built-in provider: the staff console's inbox (core/handoff/HandoffQueue in STATE_STORE, so
 * any instance can queue a conversation and any other can answer it). Staff actions in the inbox
 * come back as `handoff.status` events and agent messages to the bot's listener.
 */
export class InboxHandoffProvider implements HandoffProvider {
  private listener: HandoffListener | undefined;

  constructor(readonly queue: HandoffQueue) {}

  listen(listener: HandoffListener): void {
    this.listener = listener;
  }

  async initiate(event: Partial<Activity>, addressKey: string): Promise<void> {
    const context = HandoffContextSchema.parse(event.value);
    const attached: unknown = event.attachments?.find((a) => a.name === 'Transcript')?.content;
    const transcript = TranscriptSchema.safeParse(attached);
    await this.queue.open({
      addressKey,
      lang: context.lang,
      channel: event.channelId ?? 'other',
      reason: context.reason,
      summary: context.summary,
      transcript: transcript.success
        ? transcript.data.activities.map((a) => ({
            role: a.from.id,
            text: a.text,
            ...(a.timestamp ? { at: new Date(a.timestamp).toISOString() } : {}),
          }))
        : [],
    });
  }

  async state(addressKey: string): Promise<'waiting' | 'with-person' | undefined> {
    const record = await this.queue.byAddress(addressKey);
    if (!record) return undefined;
    return record.state === 'claimed' ? 'with-person' : 'waiting';
  }

  async patientMessage(addressKey: string, text: string, options: { redFlag: boolean }): Promise<void> {
    const record = await this.queue.byAddress(addressKey);
    if (record) await this.queue.appendPatientMessage(record.id, text, options);
  }

  async botMessage(addressKey: string, text: string): Promise<void> {
    const record = await this.queue.byAddress(addressKey);
    if (record) await this.queue.appendBotMessage(record.id, text);
  }

  async cancel(addressKey: string): Promise<void> {
    const record = await this.queue.byAddress(addressKey);
    if (record) await this.queue.cancel(record.id);
  }

  /** What staff did in the inbox, told to the bot: the inbox pages' `notifyPatient`. */
  async notice(record: HandoffRecord, notice: HandoffNotice): Promise<DeliveryOutcome> {
    if (!this.listener) return { kind: 'no-address' };
    switch (notice.kind) {
      case 'claimed':
        return this.listener.status(record.addressKey, statusEvent(record, 'accepted', notice.staffName));
      case 'resolved':
        return this.listener.status(
          record.addressKey,
          statusEvent(record, 'completed', record.resolvedBy?.name ?? record.claimedBy?.name ?? ''),
        );
      case 'staff-reply':
        return this.listener.agentMessage(record.addressKey, { text: notice.text, agentName: notice.staffName });
    }
  }

  /** Conversations nobody claimed in time are closed, and the bot is told (a `failed` status). */
  async expire(now: Date, timeoutMs: number): Promise<number> {
    const expired = await this.queue.expireWaiting(now, timeoutMs);
    for (const record of expired)
      await this.listener?.status(record.addressKey, statusEvent(record, 'failed', 'timeout'));
    return expired.length;
  }
}

/**
 * A handoff.status event as botbuilder's EventFactory builds it; the built-in inbox names the
 * conversation by its address key.
 */
function statusEvent(record: HandoffRecord, state: HandoffStatusState, message: string): Partial<Activity> {
  const conversation: ConversationAccount = {
    id: record.addressKey,
    isGroup: false,
    conversationType: 'personal',
    name: '',
  };
  return EventFactory.createHandoffStatus(conversation, state, message);
}
