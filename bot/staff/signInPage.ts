import { Lang } from '../../core/text/language';
import { html, SafeHtml } from './html';
import { bareLayout } from './layout';
import { StaffT } from './staffI18n';

export interface SignInView {
  lang: Lang;
  t: StaffT;
  clinicName: string;
  method: 'local' | 'entra';
  /** The pre-session token the form posts back (login CSRF). */
  formToken: string;
  next: string;
  email?: string;
  error?: string;
}

export function signInPage(v: SignInView): SafeHtml {
  const { t } = v;
  const error = v.error ? html`<p class="error" role="alert" id="sign-in-error">${v.error}</p>` : '';
  const describedBy = v.error ? html` aria-describedby="sign-in-error"` : '';
  const body =
    v.method === 'entra'
      ? html`${error}
          <p>${t('signIn.entraIntro')}</p>
          <p>
            <a class="button" href="/staff/auth/entra?next=${encodeURIComponent(v.next)}">${t('signIn.entraButton')}</a>
          </p>`
      : html`${error}
          <form method="post" action="/staff/sign-in" class="stack">
            <input type="hidden" name="_form" value="${v.formToken}" />
            <input type="hidden" name="next" value="${v.next}" />
            <label for="email">${t('signIn.email')}</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              maxlength="254"
              value="${v.email ?? ''}"
              ${describedBy}
              autofocus
            />
            <label for="password">${t('signIn.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              maxlength="256"
              ${describedBy}
            />
            <button type="submit">${t('signIn.submit')}</button>
          </form>
          <p class="hint">${t('signIn.help')}</p>`;
  return bareLayout(v.lang, t, v.clinicName, t('signIn.title'), body);
}

export function refusalPage(lang: Lang, t: StaffT, clinicName: string, title: string, text: string): SafeHtml {
  return bareLayout(
    lang,
    t,
    clinicName,
    title,
    html`<p>${text}</p>
      <p><a href="/staff/">${t('backToConsole')}</a></p>`,
  );
}
