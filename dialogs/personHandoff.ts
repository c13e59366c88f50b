import { TurnContext } from 'botbuilder';
import { HandoffReason, TranscriptInput } from '../core/handoff/handoffRecord';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { Lang } from '../core/text/language';
import { PersonState } from './handoffDesk';
import { rememberAddress } from './patientContact';
import { Replies } from './replies';
import { TurnServices, UserProfile } from './turnServices';

/** The conversation's key among the kept addresses and handoffs. */
export function addressKeyOf(context: TurnContext): string {
  return PatientAddresses.keyOf(context.activity.channelId, context.activity.conversation?.id ?? '');
}

function conversationIdOf(context: TurnContext): string {
  return context.activity.conversation?.id ?? '';
}

/**
 * The conversation's handoff, when the patient was handed to a person here; a handoff that ended
 * (staff finished, or nobody took it in time) is forgotten, and the bot answers again.
 */
export async function personStateOf(
  context: TurnContext,
  services: TurnServices,
  profile: UserProfile,
): Promise<PersonState | undefined> {
  if (!services.handoff || profile.handoffIn !== conversationIdOf(context)) return undefined;
  const state = await services.handoff.state(addressKeyOf(context));
  if (!state) await services.profile.set(context, { ...profile, handoffIn: undefined });
  return state;
}

/** "A person at the clinic can talk with you here", with the button that asks for one. */
export async function offerPerson(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
  reason: 'unanswered' | 'red-flag',
  signs?: string[],
): Promise<void> {
  if (!services.handoff) return;
  const { replies } = services;
  await context.sendActivity(
    replies.line(lang, 'handoff.offer', undefined, replies.labelButtons(lang, ['handoff.offerButton'])),
  );
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, {
    ...profile,
    personOffered: { conversationId: conversationIdOf(context), reason, ...(signs ? { signs } : {}) },
  });
}

/**
 * The patient asked for a person: queued when someone is available (opening hours and an agent at
 * the inbox), otherwise told so, when the clinic opens, and offered a callback. Returns whether it was queued.
 */
export async function askForPerson(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
  message: string,
): Promise<boolean> {
  const { handoff, replies, log } = services;
  const availability = handoff ? await handoff.availability() : undefined;
  const addressKey = availability?.available ? await rememberAddress(context, services, lang) : undefined;
  if (!handoff || !availability?.available || !addressKey) {
    const lines = [unavailableLine(services, lang, availability), replies.text(lang, 'handoff.callbackOffer')];
    await context.sendActivity(
      replies.prompt(
        lines.join('\n\n'),
        lang,
        replies.labelButtons(lang, ['handoff.callbackButton', 'handoff.notNow']),
      ),
    );
    log.info(
      {
        event: 'handoff',
        outcome: 'unavailable',
        why: availability?.available === false ? availability.reason : 'none',
      },
      'nobody available to talk',
    );
    return false;
  }
  const profile = await services.profile.get(context, {});
  const conversationId = conversationIdOf(context);
  const offered = profile.personOffered?.conversationId === conversationId ? profile.personOffered : undefined;
  const reason: HandoffReason = offered?.reason ?? 'asked';
  const memory = await services.memory.get(context, {});
  await handoff.request(context, addressKey, {
    lang,
    reason,
    summary: summaryFor(services, lang, reason, profile, offered?.signs, memory.treatmentDate),
    transcript: knownLines(profile, conversationId, message),
  });
  await services.profile.set(context, { ...profile, handoffIn: conversationId, personOffered: undefined });
  await context.sendActivity(replies.line(lang, 'handoff.queued'));
  log.info({ event: 'handoff', outcome: 'queued', reason }, 'conversation queued for a person');
  return true;
}

/** While handed off, the patient's message goes to staff; while still waiting, the patient hears it was passed on. */
export async function relayToPerson(
  context: TurnContext,
  services: TurnServices,
  text: string,
  state: PersonState,
  lang: Lang,
): Promise<void> {
  await services.handoff?.relay(addressKeyOf(context), text, false);
  if (state === 'waiting') await context.sendActivity(services.replies.line(lang, 'handoff.passedOn'));
}

/** Warning signs while handed off: staff see the message fired them and what the bot said. */
export async function relayRedFlag(
  context: TurnContext,
  services: TurnServices,
  text: string,
  guidance: string,
): Promise<void> {
  const key = addressKeyOf(context);
  await services.handoff?.relay(key, text, true);
  await services.handoff?.botSaid(key, guidance);
}

/** "cancel": back to the bot. */
export async function leavePerson(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  await services.handoff?.leave(addressKeyOf(context));
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, { ...profile, handoffIn: undefined });
  await context.sendActivity(services.replies.line(lang, 'handoff.left'));
  services.log.info({ event: 'handoff', outcome: 'left' }, 'patient went back to the bot');
}

function unavailableLine(
  services: TurnServices,
  lang: Lang,
  availability: Awaited<ReturnType<NonNullable<TurnServices['handoff']>['availability']>> | undefined,
): string {
  const { replies, handoff } = services;
  if (!handoff || !availability || availability.available || availability.reason === 'nobody-present')
    return replies.text(lang, 'handoff.nobody');
  if (!availability.opensAt) return replies.text(lang, 'handoff.closedNoTime');
  const { inDays, day, time } = handoff.formatOpening(availability.opensAt, lang);
  const opens =
    inDays <= 0
      ? replies.text(lang, 'handoff.opensToday', { time })
      : inDays === 1
        ? replies.text(lang, 'handoff.opensTomorrow', { time })
        : replies.text(lang, 'handoff.opensOn', { day, time });
  return replies.text(lang, 'handoff.closed', { opens });
}

/** A few lines for staff: why, the last topic, the treatment date; in the patient's language. */
function summaryFor(
  services: TurnServices,
  lang: Lang,
  reason: HandoffReason,
  profile: UserProfile,
  signs: string[] | undefined,
  treatmentDate: string | undefined,
): string {
  const { replies } = services;
  const lines = [
    reason === 'red-flag'
      ? replies.text(lang, 'handoff.summary.redFlag', { signs: (signs ?? []).join(', ') })
      : replies.text(lang, `handoff.summary.${reason}`),
  ];
  const topic = profile.lastAnswer && services.engine().content.faqById.get(profile.lastAnswer.faqId);
  if (topic) lines.push(replies.text(lang, 'handoff.summary.lastTopic', { title: topic[lang].title }));
  if (treatmentDate) lines.push(replies.text(lang, 'handoff.summary.treatmentDate', { date: treatmentDate }));
  lines.push(replies.text(lang, 'handoff.summary.language'));
  return lines.join(' ');
}

/** What the bot knows of the conversation so far (it keeps no full history outside the web chat). */
function knownLines(profile: UserProfile, conversationId: string, message: string): TranscriptInput[] {
  const lines: TranscriptInput[] = [];
  if (profile.lastAnswer) lines.push({ role: 'patient', text: profile.lastAnswer.question });
  if (
    profile.unanswered?.conversationId === conversationId &&
    profile.unanswered.question !== profile.lastAnswer?.question
  )
    lines.push({ role: 'patient', text: profile.unanswered.question });
  lines.push({ role: 'patient', text: message });
  return lines;
}

/** What the patient is told of a `handoff.status`: its text, and the locale keys of its buttons. */
export interface StatusNotice {
  state: 'accepted' | 'completed' | 'failed';
  text: string;
  buttonKeys: string[];
}

/**
 * The patient's words for a `handoff.status` event's value (`{ state, message }`, the message
 * naming the person): accepted, completed, or failed (a callback offered). Undefined for any other
 * state, or an acceptance that names nobody. The one wording, whichever side the event came from.
 */
export function statusNotice(replies: Replies, lang: Lang, value: unknown): StatusNotice | undefined {
  const field = (name: 'state' | 'message'): unknown =>
    typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;
  const state = field('state');
  const message = field('message');
  const name = typeof message === 'string' ? message.slice(0, 100) : '';
  switch (state) {
    case 'accepted':
      return name ? { state, text: replies.text(lang, 'handoff.claimed', { name }), buttonKeys: [] } : undefined;
    case 'completed':
      return {
        state,
        text: name ? replies.text(lang, 'handoff.resolved', { name }) : replies.text(lang, 'handoff.resolvedNoName'),
        buttonKeys: [],
      };
    case 'failed':
      return {
        state,
        text: [replies.text(lang, 'handoff.timedOut'), replies.text(lang, 'handoff.callbackOffer')].join('\n\n'),
        buttonKeys: ['handoff.callbackButton', 'handoff.notNow'],
      };
    default:
      return undefined;
  }
}

/**
 * A `handoff.status` event from the channel (how Omnichannel-style providers report back):
 * accepted, the person joined; completed, the bot is back; failed, nobody could take it, so a
 * callback is offered. The conversation's handoff mark follows it.
 */
export async function onHandoffStatus(context: TurnContext, services: TurnServices, lang: Lang): Promise<void> {
  const { replies } = services;
  const notice = statusNotice(replies, lang, context.activity.value);
  if (!notice) return;
  if (notice.state !== 'accepted') {
    const profile = await services.profile.get(context, {});
    if (profile.handoffIn === conversationIdOf(context))
      await services.profile.set(context, { ...profile, handoffIn: undefined });
    // Whatever the built-in inbox still holds for this conversation is closed with it.
    await services.handoff?.leave(addressKeyOf(context));
  }
  await context.sendActivity(replies.prompt(notice.text, lang, replies.labelButtons(lang, notice.buttonKeys)));
  services.log.info({ event: 'handoff', outcome: `status-${notice.state}` }, 'handoff status from the channel');
}
