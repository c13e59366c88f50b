import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KeyValueStore } from '../storage/keyValueStore';
import { DeliveryStopReason, PatientAddress } from './patientMessenger';

const PREFIX = 'contact/address/';
/** Booking request ids kept per conversation (the latest). */
const MAX_REQUEST_IDS = 20;

const PatientAddressSchema = z.object({
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(500),
  conversation: z.object({
    id: z.string().min(1).max(500),
    conversationType: z.string().max(40).optional(),
    tenantId: z.string().max(100).optional(),
  }),
  user: z.object({ id: z.string().min(1).max(500) }),
  bot: z.object({ id: z.string().min(1).max(500), name: z.string().max(200).optional() }),
  lang: z.enum(['en', 'es']),
  timeZone: z.string().max(64).optional(),
  savedAt: z.iso.datetime(),
  stopped: z.object({ at: z.iso.datetime(), reason: z.enum(['forbidden', 'not-found']) }).optional(),
  requestIds: z.array(z.string().min(1).max(100)).max(MAX_REQUEST_IDS).optional(),
}) satisfies z.ZodType<PatientAddress>;

/**
 * The conversation references of patients who asked to be contacted (a booking's answer, check-ins,
 * a person at the clinic), so the clinic can write to them outside a turn. One item per
 * conversation; its key is a hash, so no channel's conversation id appears in a key or a link.
 * The retention sweep deletes it with the conversation; "forget me" deletes it at once.
 */
export class PatientAddresses {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The key of a conversation's address: the same on every instance, and reveals nothing. */
  static keyOf(channelId: string, conversationId: string): string {
    return createHash('sha256').update(`${channelId}\n${conversationId}`).digest('base64url').slice(0, 32);
  }

  static storeKey(addressKey: string): string {
    return PREFIX + addressKey;
  }

  /**
   * Keeps (or refreshes) the address the patient is talking from; returns its key. An address
   * the channel refused stays refused unless the patient writes again from it (a reinstall).
   */
  async remember(address: Omit<PatientAddress, 'savedAt' | 'stopped' | 'requestIds'>): Promise<string> {
    const key = PatientAddresses.keyOf(address.channelId, address.conversation.id);
    // The booking requests sent from this conversation stay with it (check-ins and handoffs refresh it too).
    const requestIds = (await this.get(key))?.requestIds;
    const saved: PatientAddress = {
      ...address,
      savedAt: this.now().toISOString(),
      ...(requestIds ? { requestIds } : {}),
    };
    await this.store.write({ [PatientAddresses.storeKey(key)]: { address: saved, eTag: '*' } });
    return key;
  }

  async get(addressKey: string): Promise<PatientAddress | undefined> {
    const item = (await this.store.read([PatientAddresses.storeKey(addressKey)]))[
      PatientAddresses.storeKey(addressKey)
    ];
    const parsed = PatientAddressSchema.safeParse(item?.address);
    return parsed.success ? parsed.data : undefined;
  }

  /** The channel refused for good: nothing more is sent to this conversation. */
  async stop(addressKey: string, reason: DeliveryStopReason): Promise<void> {
    const address = await this.get(addressKey);
    if (!address || address.stopped) return;
    const stopped: PatientAddress = { ...address, stopped: { at: this.now().toISOString(), reason } };
    await this.store.write({ [PatientAddresses.storeKey(addressKey)]: { address: stopped, eTag: '*' } });
  }

  /** A booking request sent from this conversation: the clinic's system can find its contact details by it. */
  async addRequest(addressKey: string, requestId: string): Promise<void> {
    const address = await this.get(addressKey);
    if (!address || address.requestIds?.includes(requestId)) return;
    const requestIds = [...(address.requestIds ?? []), requestId].slice(-MAX_REQUEST_IDS);
    await this.store.write({
      [PatientAddresses.storeKey(addressKey)]: { address: { ...address, requestIds }, eTag: '*' },
    });
  }

  /** "Forget me": the address goes. */
  async forget(addressKey: string): Promise<void> {
    await this.store.delete([PatientAddresses.storeKey(addressKey)]);
  }
}
