import { TurnContext } from 'botbuilder';
import { followupTexts } from '../core/followups/followupPlan';
import { Lang } from '../core/text/language';
import { normalizeText } from '../core/text/normalize';
import { rememberAddress } from './patientContact';
import { addressKeyOf } from './personHandoff';
import { TurnServices } from './turnServices';

const answersByContent = new WeakMap<object, ReadonlyMap<string, 'yes' | 'no' | 'stop'>>();

/** The check-in buttons of the content being served, normalised, in both languages. */
export function checkInAnswers(services: TurnServices): ReadonlyMap<string, 'yes' | 'no' | 'stop'> {
  const { content } = services.engine();
  let answers = answersByContent.get(content);
  if (!answers) {
    const map = new Map<string, 'yes' | 'no' | 'stop'>();
    for (const lang of ['en', 'es'] as const) {
      const texts = followupTexts(content, lang);
      map.set(normalizeText(texts.yesButton), 'yes');
      map.set(normalizeText(texts.noButton), 'no');
      map.set(normalizeText(texts.optOutButton), 'stop');
    }
    answers = map;
    answersByContent.set(content, answers);
  }
  return answers;
}

/**
 * The patient's answer to "would you like check-ins?": a yes plans them (consent recorded with
 * time, channel and language), a no is respected and nothing is planned.
 */
export async function answerCheckIns(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
  answer: 'yes' | 'no',
): Promise<void> {
  const texts = followupTexts(services.engine().content, lang);
  const { treatmentDate } = await services.memory.get(context, {});
  const addressKey = answer === 'yes' && treatmentDate ? await rememberAddress(context, services, lang) : undefined;
  if (!services.followups || !treatmentDate || !addressKey) {
    await context.sendActivity(services.replies.prompt(texts.declined, lang));
    return;
  }
  const timeZone: unknown = context.activity.localTimezone;
  const planned = await services.followups.consent({
    addressKey,
    channel: context.activity.channelId,
    lang,
    timeZone: typeof timeZone === 'string' ? timeZone : undefined,
    treatmentDate,
  });
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, { ...profile, checkInsIn: context.activity.conversation?.id ?? '' });
  await context.sendActivity(services.replies.prompt(texts.confirmed, lang));
  services.log.info(
    { event: 'check-ins', outcome: 'consented', planned: planned.scheduled.length },
    'check-ins planned',
  );
}

/** "stop" / "no more messages" / the button under a check-in: consent withdrawn, nothing more is sent. */
export async function stopCheckIns(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  const cancelled = await services.followups?.optOut(addressKeyOf(context));
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, { ...profile, checkInsIn: undefined });
  await context.sendActivity(
    services.replies.prompt(followupTexts(services.engine().content, lang).optOutConfirmed, lang),
  );
  services.log.info({ event: 'check-ins', outcome: 'opted-out', cancelled: cancelled ?? 0 }, 'check-ins stopped');
}
