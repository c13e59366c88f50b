import { StaffSession } from '../../core/staff/staffSessions';
import { Lang } from '../../core/text/language';
import { StaffT } from './staffI18n';

/** What every signed-in page and action is handed. */
export interface StaffContext {
  session: StaffSession;
  lang: Lang;
  t: StaffT;
  now: Date;
  clinicName: string;
  /** The request's own path and query, for links back (language switch, filters). */
  url: URL;
}

/**
 * The sentence for a status code carried in a redirect's query (`?done=published`): only known
 * codes are shown, so a crafted link can neither put words in the console nor ask for a missing key.
 */
export function codeText(
  ctx: StaffContext,
  param: string,
  prefix: string,
  codes: readonly string[],
  values?: Record<string, string>,
): string | undefined {
  const code = ctx.url.searchParams.get(param);
  return code !== null && codes.includes(code) ? ctx.t(`${prefix}.${code}`, values) : undefined;
}
