import { Lang, LANGS } from '../text/language';
import { normalizeText } from '../text/normalize';

export const COMMANDS = ['help', 'restart', 'greeting', 'thanks', 'goodbye', 'english', 'spanish', 'none'] as const;
export type Command = (typeof COMMANDS)[number];
export type CommandPhrases = Record<Command, string[]>;

/** Commands that may be followed by a few more words ("thanks, that helps"). */
const PREFIX_COMMANDS: ReadonlySet<Command> = new Set(['thanks', 'goodbye']);
const PREFIX_MAX_TOKENS = 4;

export interface RecognizedCommand {
  command: Command;
  lang: Lang;
}

/** Recognises conversation commands (help, start over, thanks, a language switch) in either language. */
export class CommandRecognizer {
  private readonly exact = new Map<string, RecognizedCommand>();
  private readonly prefixes: { phrase: string; hit: RecognizedCommand }[] = [];

  constructor(phrases: Record<Lang, CommandPhrases>) {
    for (const lang of LANGS) {
      for (const command of COMMANDS) {
        for (const p of phrases[lang][command]) {
          const phrase = normalizeText(p);
          if (!this.exact.has(phrase)) this.exact.set(phrase, { command, lang });
          if (PREFIX_COMMANDS.has(command)) this.prefixes.push({ phrase, hit: { command, lang } });
        }
      }
    }
  }

  recognize(text: string): RecognizedCommand | undefined {
    const normalized = normalizeText(text);
    const exact = this.exact.get(normalized);
    if (exact) return exact;
    if (normalized.split(' ').length > PREFIX_MAX_TOKENS) return undefined;
    return this.prefixes.find((p) => normalized.startsWith(`${p.phrase} `))?.hit;
  }
}
