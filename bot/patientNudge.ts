import { createHmac } from 'node:crypto';
import {
  DeliveryOutcome,
  OutgoingMessage,
  OutgoingPurpose,
  PatientMessenger,
} from '../core/proactive/patientMessenger';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { ResumeLinks } from '../core/directLine/resumeLinks';
import { Lang } from '../core/text/language';
import { Logger } from './logger';

const TIMEOUT_MS = 5_000;
/** A web chat conversation is nudged once in this long: its link shows every message since. */
const KEPT_COOLDOWN_MS = 30 * 60_000;

/** What the clinic's SMS or email system receives: never the message, a name or a health detail. */
export interface NudgePayload {
  event: 'patient.nudge';
  purpose: OutgoingPurpose;
  lang: Lang;
  /** kept: the message waits in the web chat (the link opens it); not-delivered: no channel has it. */
  delivery: 'kept' | 'not-delivered';
  link?: string;
  /** The booking requests sent from this conversation: the clinic's system has their contact details. */
  bookingRequestIds: string[];
  sentAt: string;
}

export interface PatientNudgeOptions {
  /** NUDGE_WEBHOOK_URL. */
  url: string;
  /** NUDGE_WEBHOOK_SECRET: the body is signed `X-Clinic-Signature: sha256=<hex>` when set. */
  secret?: string;
  addresses: PatientAddresses;
  /** Links that reopen the embedded web chat (PUBLIC_BASE_URL and the embedded Direct Line). */
  links?: { baseUrl: string; tokens: ResumeLinks };
  log: Logger;
  now?: () => Date;
  fetch?: typeof fetch;
}

/**
 * Delivers through another messenger, then nudges the patient through the clinic's own system
 * (NUDGE_WEBHOOK_URL) when the message could not be shown now: kept in the embedded web chat for
 * when the patient comes back, or not delivered (the channel refused for good, the chat's history
 * is gone). A failed nudge is logged and never changes the delivery's outcome.
 */
export class NudgingMessenger implements PatientMessenger {
  private readonly lastKept = new Map<string, number>();

  constructor(
    private readonly inner: PatientMessenger,
    private readonly options: PatientNudgeOptions,
  ) {}

  async deliver(addressKey: string, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome> {
    const outcome = await this.inner.deliver(addressKey, messages);
    const delivery =
      outcome.kind === 'kept'
        ? 'kept'
        : outcome.kind === 'stopped' || outcome.kind === 'no-address'
          ? 'not-delivered'
          : undefined;
    if (delivery) await this.nudge(addressKey, messages[0]?.purpose ?? 'handoff', delivery);
    return outcome;
  }

  private async nudge(addressKey: string, purpose: OutgoingPurpose, delivery: NudgePayload['delivery']): Promise<void> {
    const { log } = this.options;
    try {
      // No address: the patient never asked to be contacted, or asked to be forgotten.
      const address = await this.options.addresses.get(addressKey);
      if (!address) return;
      const now = (this.options.now ?? (() => new Date()))();
      if (delivery === 'kept' && this.recentlyNudged(addressKey, now.getTime())) return;
      const { links } = this.options;
      const payload: NudgePayload = {
        event: 'patient.nudge',
        purpose,
        lang: address.lang,
        delivery,
        ...(delivery === 'kept' && links
          ? { link: resumeLink(links.baseUrl, links.tokens.issue(address.conversation.id, address.user.id)) }
          : {}),
        bookingRequestIds: address.requestIds ?? [],
        sentAt: now.toISOString(),
      };
      const status = await this.post(JSON.stringify(payload));
      if (status >= 200 && status < 300) {
        log.info({ event: 'patient-nudge', purpose, delivery }, "the clinic's system was asked to nudge the patient");
      } else {
        log.warn({ event: 'patient-nudge-failed', purpose, status }, 'the patient could not be nudged');
      }
    } catch (err) {
      log.warn(
        { event: 'patient-nudge-failed', purpose, error: err instanceof Error ? err.name : 'error' },
        'the patient could not be nudged',
      );
    }
  }

  /** True when this conversation was nudged within the cooldown; otherwise records this nudge. */
  private recentlyNudged(addressKey: string, at: number): boolean {
    const last = this.lastKept.get(addressKey);
    if (last !== undefined && at - last < KEPT_COOLDOWN_MS) return true;
    if (this.lastKept.size > 10_000) {
      for (const [key, when] of this.lastKept) if (at - when >= KEPT_COOLDOWN_MS) this.lastKept.delete(key);
    }
    this.lastKept.set(addressKey, at);
    return false;
  }

  private async post(body: string): Promise<number> {
    const { url, secret } = this.options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret)
      headers['x-clinic-signature'] = `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
    const res = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers,
      body,
      // A redirect is a failure: the body goes only where the clinic configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.status;
  }
}

/** `<PUBLIC_BASE_URL>/?resume=<token>`: the chat page exchanges the token and opens the conversation. */
export function resumeLink(baseUrl: string, token: string): string {
  const url = new URL('/', baseUrl);
  url.searchParams.set('resume', token);
  return url.toString();
}
