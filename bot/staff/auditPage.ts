import { html } from './html';
import { layout } from './layout';
import { StaffRoutes } from './staffConsole';
import { sendHtml } from './staffHttp';

/** The audit log (admins only), read-only: nothing in the console edits or deletes it. */
export function registerAuditPage(routes: StaffRoutes, timeZone: () => string): void {
  routes.page('/staff/audit', 'audit', async (ctx, _req, res) => {
    const { t } = ctx;
    const entries = await routes.audit.recent(3);
    const when = new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: timeZone() });
    const rows = entries.slice(0, 1000).map(
      (e) =>
        html`<tr>
          <td><time datetime="${e.at}">${when.format(new Date(e.at))}</time></td>
          <td>${e.actor}</td>
          <td>${t(`audit.action.${e.action}`)}</td>
          <td>${e.target ?? ''}</td>
          <td>${e.detail ?? ''}</td>
        </tr>`,
    );
    const body = html`<p class="hint">${t('audit.intro', { zone: timeZone() })}</p>
      <table>
        <caption>
          ${t('audit.caption', { count: entries.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('audit.when')}</th>
            <th scope="col">${t('audit.who')}</th>
            <th scope="col">${t('audit.what')}</th>
            <th scope="col">${t('audit.target')}</th>
            <th scope="col">${t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`;
    sendHtml(res, 200, layout(ctx, { title: t('nav.audit'), area: 'audit' }, body), ctx.lang);
  });
}
