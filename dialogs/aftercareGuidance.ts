import { TurnContext } from 'botbuilder';
import { daysBetween, fromIso, parseTreatmentDate, todayIn, toIso } from '../core/aftercare/treatmentDate';
import { Lang } from '../core/text/language';
import { timeZoneOf, TurnServices } from './turnServices';

/** Parses a treatment date in the patient's own "today" (their time zone when the channel sends it). */
export function treatmentDateFrom(context: TurnContext, services: TurnServices, text: string, lang: Lang) {
  return parseTreatmentDate(text, todayIn(services.now(), timeZoneOf(context, services)), lang);
}

/**
 * Sends the guidance for the day after treatment: what to do, avoid, what is normal and what is
 * not, and a judgement of any symptom the message mentions against the same timeline.
 */
export async function sendAftercareGuidance(context: TurnContext, services: TurnServices, treatmentIso: string, message: string, lang: Lang): Promise<void> {
  const treatment = fromIso(treatmentIso);
  if (!treatment) return;
  const day = daysBetween(treatment, todayIn(services.now(), timeZoneOf(context, services)));
  const engine = services.engine();
  const { content } = engine;
  const guide = engine.aftercare;
  const { replies } = services;
  const phase = guide.phaseFor(day);
  const values = { day: String(day), date: toIso(treatment) };
  const parts: string[] = [];
  for (const j of guide.judge(message, day)) {
    const symptom = j.symptom.label[lang];
    const v = { ...values, symptom: symptom.charAt(0).toUpperCase() + symptom.slice(1), until: String(j.symptom.normalUntilDay) };
    parts.push(replies.text(lang, j.expected ? 'flows.aftercare.expected' : 'flows.aftercare.longer', v));
  }
  if (phase) {
    const list = (key: string, items: string[]): string => `**${replies.text(lang, key)}**\n${items.map((i) => `- ${i}`).join('\n')}`;
    parts.push(
      `**${replies.text(lang, 'flows.aftercare.header', { ...values, phase: phase.title[lang] })}**`,
      list('flows.aftercare.do', phase.do[lang]),
      list('flows.aftercare.avoid', phase.avoid[lang]),
      list('flows.aftercare.normal', phase.normal[lang]),
      list('flows.aftercare.notNormal', phase.notNormal[lang]),
    );
  } else {
    parts.push(`**${replies.text(lang, 'flows.aftercare.past', values)}**`, guide.afterLastPhase(lang));
  }
  parts.push(replies.text(lang, 'flows.aftercare.followUp'));
  const sourceIds = [...new Set([...(phase?.sources ?? []), ...guide.judge(message, day).flatMap((j) => j.symptom.sources)])];
  const sources = sourceIds.flatMap((id) => content.sources.get(id) ?? []);
  await context.sendActivity(replies.cited(parts.join('\n\n'), sources, lang));
  services.log.info({ event: 'aftercare', day, phase: phase?.id ?? 'past', symptoms: guide.judge(message, day).map((j) => j.symptom.id) }, 'aftercare guidance');
}

