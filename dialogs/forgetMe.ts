import { TurnContext } from 'botbuilder';
import { ForgetOutcome } from '../core/booking/bookingDesk';
import { recentBookingTimes } from '../core/booking/bookingLimit';
import { Lang } from '../core/text/language';
import { TurnServices } from './turnServices';

/** Turn-state key: the patient confirmed "forget me"; the bot erases their state once the turn's work is done. */
export const FORGET_STATE = 'clinicBot.forget';

export interface ForgetRequest {
  /** Times of requests sent within the last hour: kept (alone) so forgetting cannot lift the cap on requests. */
  keepBookingTimes: string[];
}

/** How long "Are you sure?" waits for its yes. */
const CONFIRM_WINDOW_MS = 10 * 60 * 1000;

/** "Forget me": says what would be deleted and asks for a yes, remembering the question for this conversation. */
export async function askToForget(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, { ...profile, forgetAsked: { conversationId: conversationIdOf(context), at: services.now().toISOString() } });
  await context.sendActivity(services.replies.line(lang, 'forget.ask', undefined, services.replies.replyButtons(lang, ['yes', 'no'])));
  services.log.info({ event: 'forget', step: 'asked' }, 'asked to confirm forgetting');
}

/**
 * The answer to "Are you sure?" when this conversation was just asked: a yes forgets, a no keeps
 * everything. Anything else drops the question and is handled as usual (undefined), so only an
 * explicit yes ever deletes.
 */
export async function answerForget(context: TurnContext, services: TurnServices, text: string, lang: Lang): Promise<'forgotten' | 'kept' | undefined> {
  const profile = await services.profile.get(context, {});
  const asked = profile.forgetAsked;
  if (!asked || asked.conversationId !== conversationIdOf(context)) return undefined;
  await services.profile.set(context, { ...profile, forgetAsked: undefined });
  if (!(services.now().getTime() - Date.parse(asked.at) < CONFIRM_WINDOW_MS)) return undefined;
  const reply = services.flowReplies.recognize(text)?.command;
  if (reply === 'yes') return (await forgetPatient(context, services, lang)) ? 'forgotten' : 'kept';
  if (reply !== 'no' && reply !== 'stop') return undefined;
  await context.sendActivity(services.replies.line(lang, 'forget.kept'));
  services.log.info({ event: 'forget', step: 'declined' }, 'nothing forgotten');
  return 'kept';
}

/**
 * Withdraws the patient's requests that have not reached the clinic, says plainly what was
 * deleted and what cannot be, and asks the bot (through turn state) to erase the patient's user
 * state and this conversation's state at the end of the turn.
 */
async function forgetPatient(context: TurnContext, services: TurnServices, lang: Lang): Promise<boolean> {
  const { replies, log } = services;
  const profile = await services.profile.get(context, {});
  let outcome: ForgetOutcome;
  try {
    outcome = await services.bookings.forget(profile.bookingRequests ?? []);
  } catch (err) {
    // Nothing is erased, so the request ids stay known for another try.
    log.error({ event: 'forget', outcome: 'failed', error: err instanceof Error ? err.name : typeof err }, 'could not withdraw booking requests');
    await context.sendActivity(replies.line(lang, 'forget.failed'));
    return false;
  }
  const keepBookingTimes = recentBookingTimes(profile.bookingTimes, services.now());
  const counted = (ids: readonly string[], one: string, many: string): string[] =>
    ids.length === 0 ? [] : [ids.length === 1 ? replies.text(lang, one) : replies.text(lang, many, { count: String(ids.length) })];
  const lines = [
    replies.text(lang, 'forget.done'),
    ...counted(outcome.removed, 'forget.withdrawnOne', 'forget.withdrawnMany'),
    ...counted(outcome.delivered, 'forget.deliveredOne', 'forget.deliveredMany'),
    replies.text(lang, 'forget.gaps'),
    ...(keepBookingTimes.length > 0 ? [replies.text(lang, 'forget.timesKept')] : []),
  ];
  await context.sendActivity(replies.prompt(lines.join('\n\n'), lang));
  const request: ForgetRequest = { keepBookingTimes };
  context.turnState.set(FORGET_STATE, request);
  log.info({ event: 'forget', outcome: 'forgotten', removed: outcome.removed.length, delivered: outcome.delivered.length }, 'patient data forgotten');
  return true;
}

function conversationIdOf(context: TurnContext): string {
  return context.activity.conversation?.id ?? '';
}
