import { Activity, CardAction } from 'botbuilder';
import {
  changeRequest,
  examplePhone,
  freeText,
  looksLikeQuestion,
  readablePhone,
  readName,
  sendRequest,
} from '../core/booking/bookingAnswers';
import { parseContact } from '../core/booking/contact';
import { Lang } from '../core/text/language';
import { BookingQuestion, BookingQuestionId, BookingQuestionSpec, BookingTurn } from './bookingQuestion';
import { BOOKING_MAX_CHARS as MAX, BookingAnswers, BookingReply, BookingState } from './bookingState';
import { Miss, Reading } from './flowPrompt';
import { TurnServices } from './turnServices';

/** Longest unreadable contact detail kept for "Keep as typed". */
const MAX_TYPED = 200;

const set = (answers: BookingAnswers): Reading<BookingReply> => ({
  kind: 'answer',
  value: { kind: 'set', answers },
});
const miss = (problem: string, values?: Record<string, string>, typed?: string): Miss => ({
  kind: 'miss',
  problem,
  values,
  typed,
});
const STOPPED: BookingReply = { kind: 'stop', say: 'movedOn.stopped' };
const NO_CONTACT_CONSENT: BookingReply = { kind: 'stop', say: 'noContactConsent' };

/**
 * The questions of a consultation request. Each reads its replies with the pure functions of
 * core/booking (names, contact details, free text, "change my phone", "send it").
 */
export function bookingQuestions(services: TurnServices): Record<BookingQuestionId, BookingQuestion> {
  const { replies } = services;
  const country = (): string => services.engine().content.clinic.country;
  const buttons = (lang: Lang, names: readonly string[]): CardAction[] =>
    replies.labelButtons(
      lang,
      names.map((b) => `flows.booking.buttons.${b}`),
    );
  const line = (lang: Lang, key: string, names: readonly string[] = []): Partial<Activity> =>
    replies.line(lang, `flows.booking.${key}`, undefined, buttons(lang, names));
  const yesNo = (lang: Lang, key: string): Partial<Activity> =>
    replies.line(lang, `flows.booking.${key}`, undefined, replies.replyButtons(lang, ['yes', 'no']));
  const notAQuestion = (text: string): boolean => !looksLikeQuestion(text);
  const contactUnderstood = (text: string): boolean => {
    const found = parseContact(text, country());
    return found.email !== undefined || found.phone !== undefined || !looksLikeQuestion(text);
  };

  const otherContact = (id: 'email' | 'phone'): BookingQuestionSpec => ({
    understands: contactUnderstood,
    ask: ({ lang }, draft) => {
      const given = id === 'email' ? draft.email : draft.phone;
      if (given !== undefined) return line(lang, id === 'email' ? 'askEmail' : 'askPhone');
      return line(lang, id === 'email' ? 'offerEmail' : 'offerPhone', ['noThanks']);
    },
    read: (reply, draft, typed) => {
      const found = parseContact(reply.text, country());
      if (found.email || found.phone)
        return set({ email: found.email ?? draft.email, phone: found.phone ?? draft.phone, otherOffered: true });
      if (typed && !draft.contactAsTyped && reply.is('keepAsTyped'))
        return set({ contactAsTyped: typed, otherOffered: true });
      // "No thanks" keeps what the patient already gave (at least one detail is always there here);
      // so does a reply that is no attempt at an email or phone ("not sure", "tuesday evenings"):
      // this detail is optional, and asking again would trap the patient.
      if (reply.command === 'no' || reply.command === 'skip' || !/@|\d/.test(reply.text))
        return set({ otherOffered: true });
      return miss(
        id === 'email' ? 'emailInvalid' : 'phoneInvalid',
        { examplePhone: examplePhone(country()) },
        freeText(reply.text, MAX_TYPED),
      );
    },
    wayOut: ({ lang }, draft) => buttons(lang, draft.contactAsTyped ? ['noThanks'] : ['noThanks', 'keepAsTyped']),
    moveOn: () => ({ say: 'leftOut', reply: { kind: 'set', answers: { otherOffered: true } } }),
  });

  const specs: Record<BookingQuestionId, BookingQuestionSpec> = {
    name: {
      understands: (text) => !looksLikeQuestion(text) && readName(text) !== undefined,
      ask: ({ lang }) => line(lang, 'askName'),
      read: (reply) => {
        const name = reply.brief ? undefined : readName(reply.text);
        return name ? set({ name }) : miss('nameInvalid');
      },
      wayOut: ({ lang }) => buttons(lang, ['cancel']),
      moveOn: () => ({ reply: STOPPED }),
    },
    contact: {
      understands: contactUnderstood,
      ask: ({ lang }) => line(lang, 'askContact'),
      read: (reply, _draft, typed) => {
        const found = parseContact(reply.text, country());
        if (found.email || found.phone)
          return set({
            email: found.email,
            phone: found.phone,
            otherOffered: found.email !== undefined && found.phone !== undefined,
          });
        if (typed && reply.is('keepAsTyped')) return set({ contactAsTyped: typed });
        return miss(
          contactProblem(reply.text),
          { examplePhone: examplePhone(country()) },
          freeText(reply.text, MAX_TYPED),
        );
      },
      wayOut: ({ lang }) => buttons(lang, ['keepAsTyped', 'cancel']),
      moveOn: (_turn, typed) =>
        typed ? { say: 'keptAsTyped', reply: { kind: 'set', answers: { contactAsTyped: typed } } } : { reply: STOPPED },
    },
    email: otherContact('email'),
    phone: otherContact('phone'),
    times: {
      understands: notAQuestion,
      ask: ({ lang }) => line(lang, 'askTimes'),
      read: (reply) => {
        const times = reply.is('anyTime')
          ? replies.text(reply.lang, 'flows.booking.buttons.anyTime')
          : reply.brief
            ? undefined
            : freeText(reply.text, MAX.times);
        if (times) return set({ daysAndTimes: times });
        return miss(reply.text.length > MAX.times ? 'tooLong' : 'timesInvalid', { max: String(MAX.times) });
      },
      wayOut: ({ lang }) => buttons(lang, ['anyTime']),
      moveOn: ({ lang }) => ({
        say: 'anyTime',
        reply: { kind: 'set', answers: { daysAndTimes: replies.text(lang, 'flows.booking.buttons.anyTime') } },
      }),
    },
    treatment: {
      understands: notAQuestion,
      ask: ({ lang }) => line(lang, 'askTreatment', ['microneedling', 'notSure']),
      read: (reply) => {
        const notSure = reply.brief === 'unsure' || reply.brief === 'skip' || reply.is('notSure');
        const treatment = notSure
          ? replies.text(reply.lang, 'flows.booking.buttons.notSure')
          : reply.brief
            ? undefined
            : freeText(reply.text, MAX.treatment);
        if (treatment) return set({ treatment });
        return miss(reply.text.length > MAX.treatment ? 'tooLong' : 'treatmentInvalid', {
          max: String(MAX.treatment),
        });
      },
      wayOut: ({ lang }) => buttons(lang, ['microneedling', 'notSure']),
      moveOn: ({ lang }) => ({
        say: 'notSure',
        reply: { kind: 'set', answers: { treatment: replies.text(lang, 'flows.booking.buttons.notSure') } },
      }),
    },
    note: {
      understands: notAQuestion,
      ask: ({ lang }) => line(lang, 'askNote', ['noNote']),
      read: (reply) => {
        if (reply.brief === 'yes') return miss('typeNote');
        if (reply.brief === 'no' || reply.brief === 'skip' || reply.is('noNote'))
          return set({ note: undefined, noteAsked: true });
        const note = freeText(reply.text, MAX.note);
        return note ? set({ note, noteAsked: true }) : miss('tooLong', { max: String(MAX.note) });
      },
      wayOut: ({ lang }) => buttons(lang, ['noNote']),
      moveOn: () => ({ say: 'noNote', reply: { kind: 'set', answers: { note: undefined, noteAsked: true } } }),
    },
    contactConsent: {
      understands: () => false,
      ask: ({ lang }) => yesNo(lang, 'askContactConsent'),
      read: (reply) => {
        if (reply.command === 'no') return { kind: 'answer', value: NO_CONTACT_CONSENT };
        if (reply.command !== 'yes') return miss('yesOrNo');
        return set({ contactConsentAt: services.now().toISOString() });
      },
      wayOut: () => [],
      moveOn: () => ({ reply: NO_CONTACT_CONSENT }),
    },
    shareConsent: {
      understands: () => false,
      ask: ({ lang }) => yesNo(lang, 'askShareScreening'),
      read: (reply) =>
        reply.command === 'yes' || reply.command === 'no'
          ? set({ shareScreening: reply.command === 'yes' })
          : miss('yesOrNo'),
      wayOut: () => [],
      moveOn: () => ({ say: 'notShared', reply: { kind: 'set', answers: { shareScreening: false } } }),
    },
    confirm: {
      understands: (text) => changeRequest(text) !== undefined || sendRequest(text),
      ask: (turn, draft) =>
        draft.sendFailed ? line(turn.lang, 'failed', ['send', 'cancel']) : confirmation(services, turn, draft),
      read: (reply) => {
        const field = changeRequest(reply.text);
        if (field && !(field === 'screening' && !reply.screening))
          return { kind: 'answer', value: { kind: 'change', field } };
        if (reply.command === 'yes' || sendRequest(reply.text)) return { kind: 'answer', value: { kind: 'send' } };
        if (reply.command === 'no')
          return {
            kind: 'aside',
            say: line(reply.lang, 'whatToChange', confirmButtons(reply.screening)),
            askAgain: false,
          };
        return miss('confirmNotUnderstood');
      },
      wayOut: ({ lang }) => buttons(lang, confirmButtons(false)),
      moveOn: () => ({ reply: STOPPED }),
    },
  };
  const question = (id: BookingQuestionId): BookingQuestion => new BookingQuestion(services, id, specs[id]);
  return {
    name: question('name'),
    contact: question('contact'),
    email: question('email'),
    phone: question('phone'),
    times: question('times'),
    treatment: question('treatment'),
    note: question('note'),
    contactConsent: question('contactConsent'),
    shareConsent: question('shareConsent'),
    confirm: question('confirm'),
  };
}

/** Which example helps: an address with "@" is an email gone wrong, digits a phone gone wrong. */
function contactProblem(text: string): string {
  if (text.includes('@')) return 'emailInvalid';
  if (/\d{3}/.test(text)) return 'phoneInvalid';
  return 'contactInvalid';
}

/** The confirmation's buttons: send, change each detail (the screening's sharing when there is one), cancel. */
function confirmButtons(screening: boolean): string[] {
  const changes = [
    'changeName',
    'changeContact',
    'changeTimes',
    'changeTreatment',
    'changeNote',
    ...(screening ? ['changeScreening'] : []),
  ];
  return ['send', ...changes, 'cancel'];
}

/** Everything the request says, to check and change before it is sent: a card where the channel renders cards. */
function confirmation(services: TurnServices, turn: BookingTurn, draft: BookingState): Partial<Activity> {
  const { replies } = services;
  const { lang } = turn;
  const field = (key: string): string => replies.text(lang, `flows.booking.field_${key}`);
  const facts = [
    { title: field('name'), value: draft.name ?? '' },
    ...(draft.email ? [{ title: field('email'), value: draft.email }] : []),
    ...(draft.phone ? [{ title: field('phone'), value: readablePhone(draft.phone) }] : []),
    ...(draft.contactAsTyped ? [{ title: field('contactAsTyped'), value: draft.contactAsTyped }] : []),
    { title: field('times'), value: draft.daysAndTimes ?? '' },
    { title: field('treatment'), value: draft.treatment ?? '' },
    { title: field('note'), value: draft.note ?? replies.text(lang, 'flows.booking.noNote') },
  ];
  if (turn.screening) {
    facts.push({
      title: field('screening'),
      value: replies.text(
        lang,
        draft.shareScreening ? 'flows.booking.screeningShared' : 'flows.booking.screeningNotShared',
      ),
    });
  }
  return replies.summary(
    replies.text(lang, 'flows.booking.summaryTitle'),
    replies.text(lang, 'flows.booking.confirmIntro'),
    facts,
    lang,
    turn.channelId,
    replies.labelButtons(
      lang,
      confirmButtons(turn.screening).map((b) => `flows.booking.buttons.${b}`),
    ),
  );
}
