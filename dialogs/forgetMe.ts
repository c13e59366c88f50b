import { PatientAddresses } from '../core/proactive/patientAddresses';
import { TurnContext } from 'botbuilder';
import { ForgetOutcome } from '../core/booking/bookingDesk';
import { recentBookingTimes } from '../core/booking/bookingLimit';
import { Lang } from '../core/text/language';
import { TurnServices, UserProfile } from './turnServices';

/** A confirmed "forget me": the bot erases the patient's state once the turn's work is done. */
export interface ForgetRequest {
  /** Times of requests sent within the last hour: kept (alone) so forgetting cannot lift the cap on requests. */
  keepBookingTimes: string[];
}

/** How long "Are you sure?" waits for its yes. */
const CONFIRM_WINDOW_MS = 10 * 60 * 1000;

/** "Forget me": says what would be deleted and asks for a yes, remembering the question for this conversation. */
export async function askToForget(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, {
    ...profile,
    forgetAsked: { conversationId: conversationIdOf(context), at: services.now().toISOString() },
  });
  await context.sendActivity(
    services.replies.line(lang, 'forget.ask', undefined, services.replies.replyButtons(lang, ['yes', 'no'])),
  );
  services.log.info({ event: 'forget', step: 'asked' }, 'asked to confirm forgetting');
}

/** Whether "Are you sure?" was asked in this conversation and still waits for its answer. */
export function forgetAwaited(profile: UserProfile, conversationId: string, now: Date): boolean {
  const asked = profile.forgetAsked;
  return (
    asked !== undefined &&
    asked.conversationId === conversationId &&
    now.getTime() - Date.parse(asked.at) < CONFIRM_WINDOW_MS
  );
}

/** Drops the "Are you sure?" question: whatever the next message is, it is asked only once. */
export async function dropForgetQuestion(context: TurnContext, services: TurnServices): Promise<void> {
  const profile = await services.profile.get(context, {});
  if (profile.forgetAsked?.conversationId === conversationIdOf(context))
    await services.profile.set(context, { ...profile, forgetAsked: undefined });
}

/** A no to "Are you sure?": nothing is deleted. */
export async function declineForget(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  await context.sendActivity(services.replies.line(lang, 'forget.kept'));
  services.log.info({ event: 'forget', step: 'declined' }, 'nothing forgotten');
}

/**
 * Withdraws the patient's requests that have not reached the clinic and says plainly what was
 * deleted and what cannot be; returns what the bot must erase at the end of the turn, or
 * undefined when nothing could be withdrawn (then nothing is erased).
 */
export async function forgetPatient(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
): Promise<ForgetRequest | undefined> {
  const { replies, log } = services;
  const profile = await services.profile.get(context, {});
  let outcome: ForgetOutcome;
  try {
    outcome = await services.bookings.forget(profile.bookingRequests ?? []);
  } catch (err) {
    // Nothing is erased, so the request ids stay known for another try.
    log.error(
      { event: 'forget', outcome: 'failed', error: err instanceof Error ? err.name : typeof err },
      'could not withdraw booking requests',
    );
    await context.sendActivity(replies.line(lang, 'forget.failed'));
    return undefined;
  }
  // Where the clinic could write to this conversation goes too, with every check-in and any wait for a person.
  const addressKey = PatientAddresses.keyOf(context.activity.channelId, conversationIdOf(context));
  await services.followups?.forget(addressKey);
  await services.handoff?.leave(addressKey);
  await services.addresses?.forget(addressKey);
  const keepBookingTimes = recentBookingTimes(profile.bookingTimes, services.now());
  const counted = (ids: readonly string[], one: string, many: string): string[] =>
    ids.length === 0
      ? []
      : [ids.length === 1 ? replies.text(lang, one) : replies.text(lang, many, { count: String(ids.length) })];
  const lines = [
    replies.text(lang, 'forget.done'),
    ...counted(outcome.removed, 'forget.withdrawnOne', 'forget.withdrawnMany'),
    ...counted(outcome.delivered, 'forget.deliveredOne', 'forget.deliveredMany'),
    replies.text(lang, 'forget.gaps'),
    ...(keepBookingTimes.length > 0 ? [replies.text(lang, 'forget.timesKept')] : []),
  ];
  await context.sendActivity(replies.prompt(lines.join('\n\n'), lang));
  log.info(
    { event: 'forget', outcome: 'forgotten', removed: outcome.removed.length, delivered: outcome.delivered.length },
    'patient data forgotten',
  );
  return { keepBookingTimes };
}

function conversationIdOf(context: TurnContext): string {
  return context.activity.conversation?.id ?? '';
}
