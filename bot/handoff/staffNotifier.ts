import { createHmac } from 'node:crypto';
import { AppConfig } from '../../core/config';
import { HandoffReason } from '../../core/handoff/handoffRecord';
import { Lang } from '../../core/text/language';
import { Logger } from '../logger';

const TIMEOUT_MS = 5_000;

/**
 * Tells staff a patient is waiting, when HANDOFF_NOTIFY_URL is set: a Teams channel's incoming
 * webhook (Workflows), or the clinic's own endpoint. The body is an Adaptive Card message that Teams
 * shows as is, plus plain fields for any other receiver; never who the patient is or what they
 * wrote, only why and in which language, and the inbox link. Signed with HANDOFF_NOTIFY_SECRET
 * (`X-Clinic-Signature: sha256=<hex HMAC of the body>`) when set. A failure is logged, never shown to the patient.
 */
export function staffNotifier(
  config: Pick<AppConfig, 'handoff' | 'publicBaseUrl'>,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
): ((waiting: { reason: HandoffReason; lang: Lang; channel: string }) => Promise<void>) | undefined {
  const { notifyUrl, notifySecret } = config.handoff;
  if (!notifyUrl) return undefined;
  const inboxUrl = config.publicBaseUrl ? new URL('/staff/inbox', config.publicBaseUrl).toString() : undefined;
  return async (waiting) => {
    const language = waiting.lang === 'es' ? 'Spanish' : 'English';
    const text = `A patient is waiting to talk to a person (${waiting.reason}, ${language}).`;
    const body = JSON.stringify({
      type: 'message',
      event: 'handoff.waiting',
      reason: waiting.reason,
      lang: waiting.lang,
      channel: waiting.channel,
      ...(inboxUrl ? { inboxUrl } : {}),
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            version: '1.4',
            body: [{ type: 'TextBlock', text, wrap: true }],
            ...(inboxUrl ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the inbox', url: inboxUrl }] } : {}),
          },
        },
      ],
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (notifySecret)
      headers['x-clinic-signature'] = `sha256=${createHmac('sha256', notifySecret).update(body, 'utf8').digest('hex')}`;
    try {
      const res = await fetchImpl(notifyUrl, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) log.warn({ event: 'handoff-notify-failed', status: res.status }, 'staff were not notified');
    } catch (err) {
      log.warn(
        { event: 'handoff-notify-failed', error: err instanceof Error ? err.name : 'error' },
        'staff were not notified',
      );
    }
  };
}
