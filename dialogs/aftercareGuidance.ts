import { ActionTypes, TurnContext } from 'botbuilder';
import { followupTexts } from '../core/followups/followupPlan';
import { daysBetween, fromIso, parseTreatmentDate, todayIn, toIso } from '../core/aftercare/treatmentDate';
import { Lang } from '../core/text/language';
import { rememberAnswer, timeZoneOf, TurnServices } from './turnServices';

/** Parses a treatment date in the patient's own "today" (their time zone when the channel sends it). */
export function treatmentDateFrom(context: TurnContext, services: TurnServices, text: string, lang: Lang) {
  return parseTreatmentDate(text, todayIn(services.now(), timeZoneOf(context, services)), lang);
}

/**
 * Sends the guidance for the day after treatment: what to do, avoid, what is normal and what is
 * not, and a judgement of any symptom the message mentions against the same timeline.
 */
export async function sendAftercareGuidance(
  context: TurnContext,
  services: TurnServices,
  treatmentIso: string,
  message: string,
  lang: Lang,
): Promise<void> {
  const treatment = fromIso(treatmentIso);
  if (!treatment) return;
  const day = daysBetween(treatment, todayIn(services.now(), timeZoneOf(context, services)));
  const engine = services.engine();
  const { content } = engine;
  const guide = engine.aftercare;
  const { replies } = services;
  const phase = guide.phaseFor(day);
  const phases = content.aftercare.phases;
  const judged = guide.judge(message, day);
  const sourceIds = [...new Set([...(phase?.sources ?? []), ...judged.flatMap((j) => j.symptom.sources)])];
  await context.sendActivity(
    replies.aftercare(
      {
        day,
        date: toIso(treatment),
        stages: phases.map((p) => ({ title: p.title[lang], fromDay: p.fromDay, toDay: p.toDay })),
        current: phase && {
          index: phases.indexOf(phase),
          do: phase.do[lang],
          avoid: phase.avoid[lang],
          normal: phase.normal[lang],
          notNormal: phase.notNormal[lang],
        },
        afterLast: phase ? undefined : guide.afterLastPhase(lang),
        judgements: judged.map((j) => ({
          symptom: j.symptom.label[lang],
          until: j.symptom.normalUntilDay,
          expected: j.expected,
        })),
        sources: sourceIds.flatMap((id) => content.sources.get(id) ?? []),
      },
      lang,
      context.activity.channelId,
    ),
  );
  services.log.info(
    { event: 'aftercare', day, phase: phase?.id ?? 'past', symptoms: judged.map((j) => j.symptom.id) },
    'aftercare guidance',
  );
  // "And how long does that last?" after the guidance is read against the symptom reported.
  const topic = judged.find((j) => j.symptom.entry !== undefined)?.symptom.entry;
  if (topic) await rememberAnswer(context, services, { faqId: topic, text: message, lang, confidence: 1 });
  await offerCheckIns(context, services, treatmentIso, day, lang);
}

/**
 * Once per treatment date, while a check-in day is still ahead: would the patient like the clinic
 * to check in on the days content/followups.yaml lists? Nothing is planned without an explicit yes.
 */
async function offerCheckIns(
  context: TurnContext,
  services: TurnServices,
  treatmentIso: string,
  day: number,
  lang: Lang,
): Promise<void> {
  if (!services.followups) return;
  const { content } = services.engine();
  if (!content.followups.checkIns.some((c) => c.day > day)) return;
  const memory = await services.memory.get(context, {});
  if (memory.checkInsOffered === treatmentIso) return;
  const texts = followupTexts(content, lang);
  await context.sendActivity(
    services.replies.prompt(texts.question, lang, [
      { type: ActionTypes.ImBack, title: texts.yesButton, value: texts.yesButton },
      { type: ActionTypes.ImBack, title: texts.noButton, value: texts.noButton },
    ]),
  );
  await services.memory.set(context, { ...memory, checkInsOffered: treatmentIso });
}
