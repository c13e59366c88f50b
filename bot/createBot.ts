import { ConversationState, Storage, UserState } from 'botbuilder';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { Lang } from '../core/text/language';
import { ConsultationBot } from './consultationBot';
import { Localizer } from './i18n';
import { Logger } from './logger';
import { Replies } from './replies';

export interface BotParts {
  bot: ConsultationBot;
  replies: Replies;
}

/** Wires the bot, its state and its replies; shared by the server and the conversation tests. */
export function createBot(options: {
  engine: () => ConsultationEngine;
  i18n: Localizer;
  storage: Storage;
  log: Logger;
  maxMessageChars: number;
  defaultLang: Lang;
}): BotParts {
  const replies = new Replies(options.i18n, () => options.engine().content);
  const bot = new ConsultationBot(new ConversationState(options.storage), new UserState(options.storage), {
    engine: options.engine,
    replies,
    log: options.log,
    maxMessageChars: options.maxMessageChars,
    defaultLang: options.defaultLang,
  });
  return { bot, replies };
}
