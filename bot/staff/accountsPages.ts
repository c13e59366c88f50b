import { AccountError } from '../../core/staff/staffAccounts';
import { STAFF_ROLES, StaffRoleSchema } from '../../core/staff/staffRoles';
import { html } from './html';
import { csrfField, layout } from './layout';
import { StaffRoutes } from './staffConsole';
import { redirect, sendHtml } from './staffHttp';
import { codeText } from './staffContext';

const ACCOUNT_ERRORS = ['exists', 'unknown', 'bad-email', 'weak-password', 'last-admin'] as const;

/** Accounts (admins only): add, change role, lift a lock-out, disable, remove. */
export function registerAccountsPages(routes: StaffRoutes, options: { localAccounts: boolean }): void {
  routes.page('/staff/accounts', 'accounts', async (ctx, _req, res) => {
    const { t } = ctx;
    const list = await routes.accounts.list();
    const at = ctx.now.toISOString();
    const roleOptions = (selected: string) =>
      STAFF_ROLES.map(
        (r) => html`<option value="${r}" ${r === selected ? html` selected` : ''}>${t(`role.${r}`)}</option>`,
      );
    const rows = list.map((a) => {
      const state = a.disabled
        ? t('accounts.disabled')
        : a.lockedUntil && a.lockedUntil > at
          ? t('accounts.locked')
          : t('accounts.active');
      return html`<tr>
        <th scope="row">${a.email}</th>
        <td>
          <form method="post" action="/staff/accounts/role" class="inline">
            ${csrfField(ctx)}
            <input type="hidden" name="email" value="${a.email}" />
            <label class="sr-only" for="role-${a.email}">${t('accounts.role')}</label>
            <select id="role-${a.email}" name="role">
              ${roleOptions(a.role)}
            </select>
            <button type="submit">${t('accounts.changeRole')}</button>
          </form>
        </td>
        <td>${state}</td>
        <td class="actions">
          ${a.lockedUntil && a.lockedUntil > at ? html`<form method="post" action="/staff/accounts/unlock" class="inline">${csrfField(ctx)}<input type="hidden" name="email" value="${a.email}" /><button type="submit">${t('accounts.unlock')}</button></form>` : ''}
          <form method="post" action="/staff/accounts/${a.disabled ? 'enable' : 'disable'}" class="inline">
            ${csrfField(ctx)}<input type="hidden" name="email" value="${a.email}" /><button type="submit">
              ${a.disabled ? t('accounts.enable') : t('accounts.disable')}
            </button>
          </form>
          <form method="post" action="/staff/accounts/remove" class="inline">
            ${csrfField(ctx)}<input type="hidden" name="email" value="${a.email}" /><button
              type="submit"
              class="danger"
            >
              ${t('accounts.remove')}
            </button>
          </form>
        </td>
      </tr>`;
    });
    const addForm = options.localAccounts
      ? html`<h2>${t('accounts.addTitle')}</h2>
          <form method="post" action="/staff/accounts/add" class="stack narrow">
            ${csrfField(ctx)} <label for="new-email">${t('signIn.email')}</label
            ><input id="new-email" name="email" type="email" required maxlength="254" autocomplete="off" />
            <label for="new-role">${t('accounts.role')}</label
            ><select id="new-role" name="role">
              ${roleOptions('agent')}
            </select>
            <label for="new-password">${t('accounts.password')}</label
            ><input
              id="new-password"
              name="password"
              type="password"
              required
              minlength="12"
              maxlength="256"
              autocomplete="new-password"
              aria-describedby="pw-hint"
            />
            <p class="hint" id="pw-hint">${t('accounts.passwordHint')}</p>
            <button type="submit">${t('accounts.add')}</button>
          </form>`
      : html`<p class="hint">${t('accounts.entraManaged')}</p>`;
    const body = html`<table>
        <caption>
          ${t('accounts.caption', { count: list.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('signIn.email')}</th>
            <th scope="col">${t('accounts.role')}</th>
            <th scope="col">${t('accounts.state')}</th>
            <th scope="col">${t('accounts.actions')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      ${addForm}`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('nav.accounts'),
          area: 'accounts',
          notice: codeText(ctx, 'done', 'accounts.done', ['added', 'changed', 'removed']),
          error: codeText(ctx, 'error', 'accounts.error', ACCOUNT_ERRORS),
        },
        body,
      ),
      ctx.lang,
    );
  });

  const change = (
    route: string,
    apply: (email: string, form: URLSearchParams) => Promise<string>,
    done: string,
    action: 'account-add' | 'account-change' | 'account-remove',
  ): void =>
    routes.action(route, 'accounts', async (ctx, form, _req, res) => {
      const email = (form.get('email') ?? '').trim().toLowerCase();
      try {
        const detail = await apply(email, form);
        await routes.audit.record({ actor: ctx.session.email, action, target: email, detail });
        redirect(res, `/staff/accounts?done=${done}`);
      } catch (err) {
        if (!(err instanceof AccountError)) throw err;
        redirect(res, `/staff/accounts?error=${err.code}`);
      }
    });

  const roleOf = (form: URLSearchParams) => {
    const role = StaffRoleSchema.safeParse(form.get('role'));
    if (!role.success) throw new AccountError('unknown', 'no such role');
    return role.data;
  };

  if (options.localAccounts)
    change(
      '/staff/accounts/add',
      async (email, form) => (await routes.accounts.add(email, roleOf(form), form.get('password') ?? '')).role,
      'added',
      'account-add',
    );
  change(
    '/staff/accounts/role',
    async (email, form) => `role ${(await routes.accounts.setRole(email, roleOf(form))).role}`,
    'changed',
    'account-change',
  );
  change(
    '/staff/accounts/unlock',
    async (email) => (await routes.accounts.unlock(email), 'unlocked'),
    'changed',
    'account-change',
  );
  change(
    '/staff/accounts/disable',
    async (email) => (await routes.accounts.setDisabled(email, true), 'disabled'),
    'changed',
    'account-change',
  );
  change(
    '/staff/accounts/enable',
    async (email) => (await routes.accounts.setDisabled(email, false), 'enabled'),
    'changed',
    'account-change',
  );
  change(
    '/staff/accounts/remove',
    async (email) => (await routes.accounts.remove(email), 'removed'),
    'removed',
    'account-remove',
  );
}
