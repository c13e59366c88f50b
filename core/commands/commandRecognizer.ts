import { Lang, LANGS } from '../text/language';
import { normalizeText } from '../text/normalize';

export const COMMANDS = [
  'help',
  'restart',
  'greeting',
  'identity',
  'thanks',
  'goodbye',
  'english',
  'spanish',
  'none',
  'helpful',
  'unhelpful',
  'forget',
  'myData',
  'optOut',
] as const;
export type Command = (typeof COMMANDS)[number];
export type CommandPhrases = Record<Command, string[]>;

/** Short replies inside a guided conversation. */
export const FLOW_REPLIES = ['yes', 'no', 'unsure', 'why', 'back', 'skip', 'next', 'all', 'stop'] as const;
export type FlowReply = (typeof FLOW_REPLIES)[number];
export type FlowReplyPhrases = Record<FlowReply, string[]>;

/** Categories that may be followed by a few more words ("thanks, that helps", "no, never"). */
const PREFIX_CATEGORIES: ReadonlySet<string> = new Set(['thanks', 'goodbye', 'yes', 'no', 'unsure']);
const PREFIX_MAX_TOKENS = 4;

export interface Recognized<C extends string> {
  command: C;
  lang: Lang;
}

/** Recognises fixed phrases (commands, yes/no replies) in either language, exactly or as a short prefix. */
export class PhraseRecognizer<C extends string> {
  private readonly exact = new Map<string, Recognized<C>>();
  /** Phrases that normalise to nothing (emoji such as 👍), matched as typed. */
  private readonly symbols = new Map<string, Recognized<C>>();
  private readonly prefixes: { phrase: string; hit: Recognized<C> }[] = [];

  constructor(phrases: Record<Lang, Record<C, string[]>>, categories: readonly C[]) {
    for (const lang of LANGS) {
      for (const command of categories) {
        for (const p of phrases[lang][command]) {
          const phrase = normalizeText(p);
          if (phrase === '') {
            if (!this.symbols.has(p.trim())) this.symbols.set(p.trim(), { command, lang });
            continue;
          }
          if (!this.exact.has(phrase)) this.exact.set(phrase, { command, lang });
          if (PREFIX_CATEGORIES.has(command)) this.prefixes.push({ phrase, hit: { command, lang } });
        }
      }
    }
    // Longest first, so "no thanks" wins over "no".
    this.prefixes.sort((a, b) => b.phrase.length - a.phrase.length);
  }

  recognize(text: string): Recognized<C> | undefined {
    const symbol = this.symbols.get(text.trim());
    if (symbol) return symbol;
    const normalized = normalizeText(text);
    if (normalized === '') return undefined;
    const exact = this.exact.get(normalized);
    if (exact) return exact;
    if (normalized.split(' ').length > PREFIX_MAX_TOKENS) return undefined;
    return this.prefixes.find((p) => normalized.startsWith(`${p.phrase} `))?.hit;
  }
}

export class CommandRecognizer extends PhraseRecognizer<Command> {
  constructor(phrases: Record<Lang, CommandPhrases>) {
    super(phrases, COMMANDS);
  }
}
