import { createHash } from 'node:crypto';

/** Namespace of the Teams app ids this project derives (fixed once; changing it changes every derived id). */
export const TEAMS_APP_ID_NAMESPACE = '6066e191-42fd-458d-b7cb-6f6c346d283b';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based UUID (RFC 9562 version 5, SHA-1): the same name and namespace always give the same id. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new RangeError(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Teams app id derived from the bot's app id, so packaging again keeps the same app. */
export function teamsAppIdFor(botId: string): string {
  return uuidV5(`teams-app:${botId.toLowerCase()}`, TEAMS_APP_ID_NAMESPACE);
}
