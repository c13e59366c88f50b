import { ContentStore } from '../../core/content/contentStore';
import { DraftConflictError } from '../../core/content/contentStoreErrors';
import { addPhrasing, applyEdits, DraftEditError, newEntryFromQuestion } from '../../core/content/draftEdits';
import { DraftTester } from '../../core/content/draftTester';
import { GAP_STATES, GapInbox, InboxGroup } from '../../core/staff/gapInbox';
import { Lang } from '../../core/text/language';
import { draftEntries } from './entryForm';
import { html, SafeHtml } from './html';
import { csrfField, dataTable, layout } from './layout';
import { codeText, StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { redirect, sendHtml } from './staffHttp';
import { testPaneResult } from './testPane';

export interface GapsPagesDeps {
  inbox: GapInbox;
  content: ContentStore;
  /** A tester for a draft with one more phrasing: what the matcher would answer after it. */
  previewTester: (files: Record<string, string>) => DraftTester;
  timeZone: () => string;
}

const FILTERS = [...GAP_STATES, 'all'] as const;

/** Unanswered questions (editors and admins): grouped, sorted into pending, added or ignored. */
export function registerGapsPages(routes: StaffRoutes, deps: GapsPagesDeps): void {
  const { inbox, content } = deps;

  routes.page('/staff/gaps', 'gaps', async (ctx, _req, res) => {
    const { t } = ctx;
    const asked = ctx.url.searchParams.get('state');
    const filter = FILTERS.find((f) => f === asked) ?? 'pending';
    const [groups, draft] = await Promise.all([inbox.groups(), content.draft()]);
    const shown = groups.filter((g) => filter === 'all' || g.state === filter);
    const entries = draftEntries(draft.files);
    const day = new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: deps.timeZone() });
    const entryOptions = (lang: Lang) =>
      entries.map((e) => html`<option value="${e.id}">${e.langs[lang].title || e.id} (${e.id})</option>`);
    const rows = shown.map((g) => {
      const id = `g-${g.key}`;
      return html`<tr>
        <th scope="row" lang="${g.lang}">
          ${g.example}${
            g.texts.length > 1
              ? html`<details>
                  <summary>${t('gaps.similar', { count: g.texts.length - 1 })}</summary>
                  <ul>
                    ${g.texts.slice(1, 20).map((text) => html`<li>${text}</li>`)}
                  </ul>
                </details>`
              : ''
          }
        </th>
        <td>${g.count}</td>
        <td><time datetime="${g.newest}">${day.format(new Date(g.newest))}</time></td>
        <td>${t(`lang.${g.lang}`)}</td>
        <td>
          ${t(`gaps.state.${g.state}`)}${g.mark && g.state !== 'pending' ? html`<br /><small>${g.mark.by}${g.mark.entryId ? ` → ${g.mark.entryId}` : ''}</small>` : ''}${g.unsorted > 0 && g.mark ? html`<br /><small>${t('gaps.newSince', { count: g.unsorted })}</small>` : ''}
        </td>
        <td class="actions">
          <form method="get" action="/staff/gaps/preview" class="inline">
            <input type="hidden" name="group" value="${g.key}" />
            <label for="${id}-entry" class="sr-only">${t('gaps.entry')}</label>
            <select id="${id}-entry" name="entry">
              ${entryOptions(g.lang)}
            </select>
            <button type="submit">${t('gaps.addAsPhrasing')}</button>
          </form>
          <form method="post" action="/staff/gaps/new-entry" class="inline">
            ${csrfField(ctx)}<input type="hidden" name="group" value="${g.key}" /><button
              type="submit"
              class="secondary"
            >
              ${t('gaps.newEntry')}
            </button>
          </form>
          ${g.state !== 'ignored' ? html`<form method="post" action="/staff/gaps/ignore" class="inline">${csrfField(ctx)}<input type="hidden" name="group" value="${g.key}" /><button type="submit" class="secondary">${t('gaps.ignore')}</button></form>` : ''}
        </td>
      </tr>`;
    });
    const body = html`<p class="hint">${t('gaps.intro')}</p>
      <nav aria-label="${t('gaps.filterLabel')}">
        <ul class="ranges">
          ${FILTERS.map(
            (f) =>
              html`<li>
                <a href="/staff/gaps?state=${f}" ${f === filter ? html` aria-current="page"` : ''}
                  >${t(`gaps.filter.${f}`)}
                  (${f === 'all' ? groups.length : groups.filter((g) => g.state === f).length})</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${dataTable({
        id: 'gaps-table',
        caption: t('gaps.caption', { count: shown.length }),
        headers: [
          t('gaps.question'),
          t('gaps.count'),
          t('gaps.newest'),
          t('gaps.language'),
          t('gaps.stateTitle'),
          t('accounts.actions'),
        ],
        rows,
      })}
      ${shown.length === 0 ? html`<p>${t('gaps.none')}</p>` : ''}`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('nav.gaps'),
          area: 'gaps',
          notice: codeText(ctx, 'done', 'gaps.done', ['added', 'ignored', 'missing', 'conflict']),
        },
        body,
      ),
      ctx.lang,
    );
  });

  const groupOf = async (key: string | null): Promise<InboxGroup | undefined> => (key ? inbox.group(key) : undefined);

  const preview = async (ctx: StaffContext, group: InboxGroup, entryId: string, text: string): Promise<SafeHtml> => {
    const { t } = ctx;
    const draft = await content.draft();
    let problem: string | undefined;
    let result: SafeHtml = html``;
    try {
      const edit = addPhrasing(draft.files, entryId, group.lang, text);
      const after = applyEdits(draft.files, [edit]);
      const tester = deps.previewTester(after);
      const tested = await tester.ask(group.example, group.lang).finally(() => tester.close());
      const titles = new Map(draftEntries(after).map((e) => [e.id, e.langs[ctx.lang].title || e.id]));
      result = testPaneResult(ctx, tested, (id) => titles.get(id) ?? id);
    } catch (err) {
      if (!(err instanceof DraftEditError)) throw err;
      problem = err.message;
    }
    return html`<p><a href="/staff/gaps">${t('gaps.back')}</a></p>
      ${
        problem
          ? html`<p class="error" role="alert">${problem}</p>`
          : html`<h2>${t('gaps.afterTitle')}</h2>
              ${result}`
      }
      <form method="post" action="/staff/gaps/add-phrasing" class="stack">
        ${csrfField(ctx)}
        <input type="hidden" name="group" value="${group.key}" />
        <input type="hidden" name="entry" value="${entryId}" />
        <input type="hidden" name="revision" value="${draft.revision}" />
        <label for="phrasing">${t('gaps.phrasing', { entry: entryId, lang: t(`lang.${group.lang}`) })}</label>
        <input id="phrasing" name="text" type="text" maxlength="300" value="${text}" lang="${group.lang}" />
        <button type="submit" ${problem ? html` disabled` : ''}>${t('gaps.confirmAdd')}</button>
      </form>`;
  };

  routes.page('/staff/gaps/preview', 'gaps', async (ctx, _req, res) => {
    const group = await groupOf(ctx.url.searchParams.get('group'));
    const entryId = ctx.url.searchParams.get('entry') ?? '';
    if (!group) return redirect(res, '/staff/gaps?done=missing');
    const body = await preview(ctx, group, entryId, group.example);
    sendHtml(res, 200, layout(ctx, { title: ctx.t('gaps.previewTitle'), area: 'gaps' }, body), ctx.lang);
  });

  routes.action('/staff/gaps/add-phrasing', 'gaps', async (ctx, form, _req, res) => {
    const group = await groupOf(form.get('group'));
    if (!group) return redirect(res, '/staff/gaps?done=missing');
    const entryId = form.get('entry') ?? '';
    const text = (form.get('text') ?? '').trim().slice(0, 300);
    try {
      const draft = await content.draft();
      await content.editDraft([addPhrasing(draft.files, entryId, group.lang, text)], {
        expectedRevision: Number(form.get('revision')),
        by: ctx.session.email,
      });
    } catch (err) {
      if (!(err instanceof DraftEditError || err instanceof DraftConflictError)) throw err;
      const body = await preview(ctx, group, entryId, text);
      return sendHtml(
        res,
        409,
        layout(
          ctx,
          {
            title: ctx.t('gaps.previewTitle'),
            area: 'gaps',
            error: err instanceof DraftConflictError ? ctx.t('gaps.conflict') : err.message,
          },
          body,
        ),
        ctx.lang,
      );
    }
    await inbox.mark(group, 'added', ctx.session.email, entryId);
    await routes.audit.record({
      actor: ctx.session.email,
      action: 'gap-status',
      target: entryId,
      detail: 'added as a phrasing',
    });
    redirect(res, '/staff/gaps?done=added');
  });

  routes.action('/staff/gaps/new-entry', 'gaps', async (ctx, form, _req, res) => {
    const group = await groupOf(form.get('group'));
    if (!group) return redirect(res, '/staff/gaps?done=missing');
    const draft = await content.draft();
    const { id, edit } = newEntryFromQuestion(draft.files, group.example, group.lang);
    try {
      await content.editDraft([edit], { expectedRevision: draft.revision, by: ctx.session.email });
    } catch (err) {
      if (!(err instanceof DraftConflictError)) throw err;
      return redirect(res, '/staff/gaps?done=conflict');
    }
    await inbox.mark(group, 'added', ctx.session.email, id);
    await routes.audit.record({ actor: ctx.session.email, action: 'gap-status', target: id, detail: 'new entry' });
    redirect(res, `/staff/content/entry/${encodeURIComponent(id)}`);
  });

  routes.action('/staff/gaps/ignore', 'gaps', async (ctx, form, _req, res) => {
    const group = await groupOf(form.get('group'));
    if (!group) return redirect(res, '/staff/gaps?done=missing');
    await inbox.mark(group, 'ignored', ctx.session.email);
    await routes.audit.record({ actor: ctx.session.email, action: 'gap-status', detail: 'ignored' });
    redirect(res, '/staff/gaps?done=ignored');
  });
}
