import { TurnContext } from 'botbuilder';
import { Lang } from '../core/text/language';
import { TurnServices } from './turnServices';

/**
 * Keeps where this patient can be reached outside a turn (they asked to be contacted: a booking's
 * answer, check-ins, a person at the clinic); returns the address's key, or undefined when the
 * service keeps no addresses (dialog tests) or the activity lacks what a channel needs.
 */
export async function rememberAddress(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
): Promise<string | undefined> {
  const { activity } = context;
  if (!services.addresses || !activity.serviceUrl || !activity.conversation?.id || !activity.from?.id) return undefined;
  const channelData: unknown = activity.channelData;
  const tenantId: unknown =
    activity.conversation.tenantId ??
    (typeof channelData === 'object' && channelData !== null && 'tenant' in channelData
      ? (channelData.tenant as { id?: unknown } | undefined)?.id
      : undefined);
  const timeZone: unknown = activity.localTimezone;
  return services.addresses.remember({
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversation: {
      id: activity.conversation.id,
      ...(activity.conversation.conversationType ? { conversationType: activity.conversation.conversationType } : {}),
      ...(typeof tenantId === 'string' && tenantId ? { tenantId } : {}),
    },
    user: { id: activity.from.id },
    bot: {
      id: activity.recipient?.id ?? 'bot',
      ...(activity.recipient?.name ? { name: activity.recipient.name } : {}),
    },
    lang,
    ...(typeof timeZone === 'string' && timeZone ? { timeZone } : {}),
  });
}
