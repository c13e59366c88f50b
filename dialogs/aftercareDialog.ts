import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { daysBetween, fromIso, parseTreatmentDate, todayIn, toIso } from '../core/aftercare/treatmentDate';
import { Lang } from '../core/text/language';
import { InterruptibleDialog } from './interruptibleDialog';
import { languageOf, textOf, timeZoneOf, TurnServices } from './turnServices';

export const AFTERCARE_DIALOG = 'aftercareDialog';
const AFTERCARE_WATERFALL = 'aftercareWaterfall';

const AftercareOptionsSchema = z.object({ message: z.string().default('') });

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

/** Aftercare by treatment day: asks when the treatment was (unless known), remembers it, and guides. */
export class AftercareDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(AFTERCARE_DIALOG, 'aftercare', services);
    this.addDialog(new WaterfallDialog(AFTERCARE_WATERFALL, [this.askDateStep.bind(this), this.guideStep.bind(this)]));
    this.initialDialogId = AFTERCARE_WATERFALL;
  }

  protected understands(text: string, lang: Lang, innerDc: DialogContext): boolean {
    return treatmentDateFrom(innerDc.context, this.services, text, lang).kind !== 'none';
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.replaceDialog(AFTERCARE_WATERFALL, {});
  }

  private async askDateStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { message } = AftercareOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    // A date in the message that started the flow ("I had it done 3 days ago") wins over a remembered one.
    const given = message ? treatmentDateFrom(step.context, this.services, message, lang) : { kind: 'none' as const };
    if (given.kind !== 'none' || memory.treatmentDate) return step.next(message);
    await step.context.sendActivity(this.services.replies.line(lang, 'flows.aftercare.askDate'));
    return Dialog.EndOfTurn;
  }

  private async guideStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const text = typeof step.result === 'string' ? step.result : textOf(step.context);
    const memory = await this.services.memory.get(step.context, {});
    const parsed = treatmentDateFrom(step.context, this.services, text, lang);
    if (parsed.kind === 'future') {
      await step.context.sendActivity(replies.line(lang, 'flows.aftercare.future'));
      return step.endDialog();
    }
    if (parsed.kind === 'none' && !memory.treatmentDate) {
      await step.context.sendActivity(replies.line(lang, 'flows.aftercare.notUnderstood'));
      return step.replaceDialog(AFTERCARE_WATERFALL, {});
    }
    const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : (memory.treatmentDate ?? '');
    await this.services.memory.set(step.context, { ...memory, treatmentDate });
    await sendAftercareGuidance(step.context, this.services, treatmentDate, text, lang);
    return step.endDialog();
  }
}
