import { TurnContext } from 'botbuilder';
import { AnalyticsEvent, EntryRef } from '../core/analytics/analyticsEvents';
import type { TurnServices } from './turnServices';

const PENDING = Symbol('analyticsPending');

/**
 * Counts an event for staff's figures once the turn is saved. A turn re-run after an eTag
 * conflict starts without what the failed run counted (TurnRunner drops the turn state it
 * added), so a message counts once however often its turn runs.
 */
export function countInTurn(
  context: TurnContext,
  services: Pick<TurnServices, 'analytics'>,
  event: AnalyticsEvent,
): void {
  if (!services.analytics) return;
  const pending: AnalyticsEvent[] | undefined = context.turnState.get(PENDING);
  if (pending) pending.push(event);
  else context.turnState.set(PENDING, [event]);
}

/** Hands what the turn counted to the recorder; the bot calls it once the turn's state is saved. */
export function commitTurnCounts(context: TurnContext, services: Pick<TurnServices, 'analytics'>): void {
  const pending: AnalyticsEvent[] | undefined = context.turnState.get(PENDING);
  context.turnState.delete(PENDING);
  if (pending) for (const event of pending) services.analytics?.record(event);
}

/** The entry as counted: its id and current titles (none when it was deleted since it was given). */
export function entryRef(services: Pick<TurnServices, 'engine'>, faqId: string): EntryRef {
  return (
    services.engine().content.faq.find((e) => e.id === faqId) ?? { id: faqId, en: { title: '' }, es: { title: '' } }
  );
}

/** Counts 👍 for the last answer given to this patient (a reaction, Teams' feedback button, "that helped"). */
export async function recordHelpful(context: TurnContext, services: TurnServices): Promise<void> {
  if (!services.analytics) return;
  const faqId = (await services.profile.get(context, {})).lastAnswer?.faqId;
  if (faqId) countInTurn(context, services, { kind: 'feedback', reaction: 'up', entry: entryRef(services, faqId) });
}
