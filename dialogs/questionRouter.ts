import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { Lang } from '../core/text/language';
import { Replies } from '../bot/replies';
import type { Logger } from '../bot/logger';

export interface UserProfile {
  /** The language the patient chose ("español" / "English"); absent until they choose. */
  language?: Lang;
}

export interface TurnServices {
  engine: () => ConsultationEngine;
  replies: Replies;
  log: Logger;
  maxMessageChars: number;
  defaultLang: Lang;
}

/** Resolves the patient's language: their explicit choice, else the channel's locale, else the default. */
export function resolveLanguage(profile: UserProfile, locale: string | undefined, fallback: Lang): Lang {
  if (profile.language) return profile.language;
  if (locale?.toLowerCase().startsWith('es')) return 'es';
  if (locale?.toLowerCase().startsWith('en')) return 'en';
  return fallback;
}

/**
 * Answers a message that no multi-turn flow is waiting for: warning signs first, then
 * conversation commands, then the FAQ. Single-turn, so it keeps no dialog state.
 */
export class QuestionRouter {
  constructor(
    private readonly services: TurnServices,
    private readonly profileAccessor: StatePropertyAccessor<UserProfile>,
  ) {}

  async handle(context: TurnContext): Promise<void> {
    const profile = await this.profileAccessor.get(context, {});
    const userLang = resolveLanguage(profile, context.activity.locale, this.services.defaultLang);
    const text = typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    const { replies, log } = this.services;
    const engine = this.services.engine();

    if (text === '') {
      await context.sendActivity(replies.simple(userLang, 'input.notText'));
      return;
    }
    if (text.length > this.services.maxMessageChars) {
      // Warning signs are still honoured in an over-long message; anything else is asked again.
      const flagged = engine.checkRedFlags(text, userLang);
      await context.sendActivity(
        flagged ? replies.redFlag(flagged.guidance, flagged.level, flagged.lang) : replies.simple(userLang, 'input.tooLong'),
      );
      log.info({ event: 'turn', outcome: flagged ? 'red-flag' : 'too-long', chars: text.length }, 'message handled');
      return;
    }

    const reply = engine.respond(text, userLang);
    switch (reply.kind) {
      case 'red-flag':
        await context.sendActivity(replies.redFlag(reply.guidance, reply.level, reply.lang));
        log.warn({ event: 'turn', outcome: 'red-flag', level: reply.level, signs: reply.signs.length }, 'warning signs reported');
        break;
      case 'answer':
        await context.sendActivity(replies.answer(reply.text, reply.entry, reply.sources, reply.related, reply.lang));
        log.info({ event: 'turn', outcome: 'answer', faqId: reply.entry.id, confidence: round(reply.confidence), lang: reply.lang }, 'answered');
        break;
      case 'clarify':
        await context.sendActivity(replies.clarify(reply.options, reply.lang));
        log.info({ event: 'turn', outcome: 'clarify', options: reply.options.map((o) => o.id), lang: reply.lang }, 'asked to clarify');
        break;
      case 'fallback':
        await context.sendActivity(replies.fallback(reply.lang));
        log.info({ event: 'turn', outcome: 'fallback', confidence: round(reply.confidence), lang: reply.lang }, 'no answer');
        break;
      case 'command':
        // A patient who chose a language keeps it even when typing "help" in the other one.
        await this.runCommand(context, reply.command, profile.language ?? reply.lang, userLang, profile);
        break;
    }
  }

  private async runCommand(context: TurnContext, command: string, commandLang: Lang, userLang: Lang, profile: UserProfile): Promise<void> {
    const { replies } = this.services;
    switch (command) {
      case 'english':
      case 'spanish': {
        const lang: Lang = command === 'english' ? 'en' : 'es';
        await this.profileAccessor.set(context, { ...profile, language: lang });
        await context.sendActivity(replies.simple(lang, 'language.switched', true));
        return;
      }
      case 'help':
        await context.sendActivity(replies.simple(commandLang, 'help.text', true));
        return;
      case 'restart':
        await context.sendActivity(replies.simple(commandLang, 'restart.text', true));
        return;
      case 'greeting':
        await context.sendActivity(replies.simple(commandLang, 'greeting.text', true));
        return;
      case 'thanks':
        await context.sendActivity(replies.simple(commandLang, 'thanks.text'));
        return;
      case 'goodbye':
        await context.sendActivity(replies.simple(commandLang, 'goodbye.text'));
        return;
      default:
        await context.sendActivity(replies.fallback(userLang));
    }
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
