import { areasOf, StaffArea } from '../../core/staff/staffRoles';
import { Lang } from '../../core/text/language';
import { html, SafeHtml } from './html';
import { StaffContext } from './staffContext';
import { StaffT } from './staffI18n';

export const AREA_PATHS: Record<StaffArea, string> = {
  content: '/staff/content',
  gaps: '/staff/gaps',
  inbox: '/staff/inbox',
  followups: '/staff/followups',
  bookings: '/staff/bookings',
  analytics: '/staff/analytics',
  accounts: '/staff/accounts',
  audit: '/staff/audit',
};

/** The CSRF token every state-changing form posts back. */
export function csrfField(ctx: StaffContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.session.csrf}" />`;
}

function languageLinks(url: URL, lang: Lang, t: StaffT): SafeHtml {
  const other: Lang = lang === 'en' ? 'es' : 'en';
  const target = new URL(url.toString());
  target.searchParams.set('lang', other);
  return html`<a class="lang" href="${target.pathname + target.search}" lang="${other}" hreflang="${other}"
    >${t(`lang.${other}`)}</a
  >`;
}

/** Every signed-in page: skip link, navigation by role, who is signed in, the page itself. */
export function layout(
  ctx: StaffContext,
  options: { title: string; area?: StaffArea; notice?: string; error?: string; scripts?: string[] },
  body: SafeHtml,
): SafeHtml {
  const { t } = ctx;
  const nav = areasOf(ctx.session.role).map(
    (area) =>
      html`<li>
        <a href="${AREA_PATHS[area]}" ${area === options.area ? new SafeHtml(' aria-current="page"') : ''}
          >${t(`nav.${area}`)}</a
        >
      </li>`,
  );
  return html`<!doctype html>
    <html lang="${ctx.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · ${t('console')} · ${ctx.clinicName}</title>
        <link rel="stylesheet" href="/staff/assets/staff.css" />
        <link rel="icon" href="data:," />
        ${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">${t('skip')}</a>
        <header class="bar">
          <p class="brand">${ctx.clinicName} · ${t('console')}</p>
          <nav aria-label="${t('nav.label')}">
            <ul>
              ${nav}
            </ul>
          </nav>
          <div class="who">
            <span>${t('signedInAs', { name: ctx.session.name, role: t(`role.${ctx.session.role}`) })}</span>
            ${languageLinks(ctx.url, ctx.lang, t)}
            <form method="post" action="/staff/sign-out">
              ${csrfField(ctx)}<button type="submit" class="link">${t('signOut')}</button>
            </form>
          </div>
        </header>
        <main id="main" tabindex="-1">
          <h1>${options.title}</h1>
          ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
          ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''} ${body}
        </main>
      </body>
    </html>`;
}

/** A page for someone not signed in (sign-in, refusals). */
export function bareLayout(lang: Lang, t: StaffT, clinicName: string, title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t('console')} · ${clinicName}</title>
        <link rel="stylesheet" href="/staff/assets/staff.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <main id="main" class="narrow">
          <p class="brand">${clinicName} · ${t('console')}</p>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

/**
 * A table of the console: a caption, column headings, rows; scrollable on a narrow screen and
 * then reachable with the keyboard (a focusable region named by the caption).
 */
export function dataTable(v: {
  id: string;
  caption: string;
  headers: readonly string[];
  rows: readonly SafeHtml[];
}): SafeHtml {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="${v.id}-caption">
<table id="${v.id}">
<caption id="${v.id}-caption">${v.caption}</caption>
<thead><tr>${v.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${v.rows}</tbody>
</table>
</div>`;
}
