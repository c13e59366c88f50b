import { ContentSet } from '../core/content/contentLoader';
import { clinicPlaceholders } from '../core/content/templates';
import { Lang } from '../core/text/language';
import { Localizer } from './i18n';

/**
 * The lines patients read, from the locales with the clinic's details filled in. Lines without
 * values of their own depend only on the content set, so they are kept until the content changes.
 */
export class ReplyTexts {
  private readonly memo = new Map<string, string>();
  private memoVersion = '';

  constructor(
    private readonly i18n: Localizer,
    private readonly content: () => ContentSet,
  ) {}

  /** The version of the content the kept lines were made from; callers keeping their own parts compare it. */
  get contentVersion(): string {
    return this.content().version;
  }

  /** A line of the locales, with clinic details and `values` filled in. */
  t(lang: Lang, key: string, values?: Record<string, string>): string {
    const clinic = (): Record<string, string> => clinicPlaceholders(this.content().clinic, lang);
    if (values) return this.i18n.t(lang, key, { ...clinic(), ...values });
    return this.remember(`${lang}|${key}`, () => this.i18n.t(lang, key, clinic()));
  }

  /** Keeps `compute()` under `key` until the content changes (source lines of answers). */
  remember(key: string, compute: () => string): string {
    this.forgetIfContentChanged();
    let text = this.memo.get(key);
    if (text === undefined) {
      text = compute();
      this.memo.set(key, text);
    }
    return text;
  }

  private forgetIfContentChanged(): void {
    const version = this.content().version;
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.memoVersion = version;
    }
  }
}
