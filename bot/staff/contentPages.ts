import { ContentProblem, inspectContentFiles } from '../../core/content/contentLoader';
import { ContentStore, Draft } from '../../core/content/contentStore';
import {
  ContentValidationError,
  DraftConflictError,
  NothingToPublishError,
  UnknownVersionError,
} from '../../core/content/contentStoreErrors';
import { CONTENT_FILE_NAMES, isContentFileName } from '../../core/content/contentFiles';
import { addFaqEntry, DraftEdit, DraftEditError } from '../../core/content/draftEdits';
import { diffView } from './contentDiffView';
import {
  draftEntries,
  draftEntry,
  draftSources,
  entryEdits,
  entryForm,
  entryFromForm,
  problemsOfEntry,
} from './entryForm';
import { fileEdits, fileForm, fileAsText } from './fileForm';
import { html, SafeHtml } from './html';
import { csrfField, dataTable, layout } from './layout';
import { codeText, StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { redirect, routeParam, sendHtml } from './staffHttp';
import { TestPane, testPaneForm, testPaneResult } from './testPane';
import { Lang } from '../../core/text/language';

export interface ContentPagesDeps {
  content: ContentStore;
  testPane: TestPane;
  timeZone: () => string;
}

function when(ctx: StaffContext, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** "Someone else changed the draft meanwhile": who, when, which fields; nothing of theirs overwritten. */
function conflictText(ctx: StaffContext, err: DraftConflictError, timeZone: string): string {
  const { t } = ctx;
  const saves = err.changes.map((c) =>
    t('content.conflictSave', {
      who: c.by,
      when: when(ctx, c.at, timeZone),
      fields:
        c.fields.length > 0
          ? c.fields.map((f) => `${f.file} ${f.path.join(' → ')}`).join('; ')
          : t(`content.saveKind.${c.kind}`),
    }),
  );
  return `${t('content.conflict')} ${saves.join(' ')}`;
}

function problemList(ctx: StaffContext, problems: readonly ContentProblem[], entryIds: string[]): SafeHtml {
  return html`<ul>
      ${problems.slice(0, 50).map((p) => {
        const index = p.file === 'faq.yaml' && p.path?.[0] === 'entries' ? Number(p.path[1]) : -1;
        const link =
          index >= 0 && entryIds[index]
            ? `/staff/content/entry/${encodeURIComponent(entryIds[index])}`
            : isContentFileName(p.file)
              ? `/staff/content/file/${p.file.replace('.yaml', '')}`
              : undefined;
        return html`<li>
          ${link ? html`<a href="${link}">${p.file}${p.where ? ` (${p.where})` : ''}</a>` : p.file}:
          ${p.message}${p.fix ? html` — ${p.fix}` : ''}
        </li>`;
      })}
    </ul>
    ${problems.length > 50 ? html`<p>${ctx.t('content.moreProblems', { count: problems.length - 50 })}</p>` : ''}`;
}

/** Content (editors and admins): the draft, its check, the test pane, publish, history and rollback. */
export function registerContentPages(routes: StaffRoutes, deps: ContentPagesDeps): void {
  const { content } = deps;

  const overview = async (
    ctx: StaffContext,
    extra: { notice?: string; error?: string; test?: SafeHtml; status?: number; question?: string; lang?: Lang },
    res: Parameters<Parameters<StaffRoutes['page']>[2]>[2],
  ): Promise<void> => {
    const { t } = ctx;
    const zone = deps.timeZone();
    const [draft, live, check, changes] = await Promise.all([
      content.draft(),
      content.live(),
      content.checkDraft(),
      content.diffDraft(),
    ]);
    const entries = draftEntries(draft.files);
    const ids = entries.map((e) => e.id);
    const { errors, warnings } = check.report;
    const errorsOf = new Map<number, number>();
    for (const p of errors) {
      if (p.file === 'faq.yaml' && p.path?.[0] === 'entries')
        errorsOf.set(Number(p.path[1]), (errorsOf.get(Number(p.path[1])) ?? 0) + 1);
    }
    const unpublished =
      changes.counts.entriesAdded +
      changes.counts.entriesRemoved +
      changes.counts.entriesChanged +
      changes.counts.files.filter((f) => f !== 'faq.yaml').length;
    const status = html`<section aria-labelledby="status-title">
      <h2 id="status-title">${t('content.statusTitle')}</h2>
      <p>
        ${live ? t('content.liveVersion', { version: live.version, who: live.publishedBy, when: when(ctx, live.publishedAt, zone) }) : t('content.liveFolder')}
      </p>
      <p>
        ${unpublished > 0 ? html`${t('content.unpublished', { count: unpublished })} <a href="/staff/content/changes">${t('content.seeChanges')}</a>` : t('content.noUnpublished')}
      </p>
      ${
        errors.length > 0
          ? html`<div class="error">
              <p>${t('content.errorsBlock', { count: errors.length })}</p>
              ${problemList(ctx, errors, ids)}
            </div>`
          : ''
      }
      ${
        warnings.length > 0
          ? html`<details class="warning">
              <summary>${t('content.warnings', { count: warnings.length })}</summary>
              ${problemList(ctx, warnings, ids)}
            </details>`
          : ''
      }
      <form method="post" action="/staff/content/publish" class="filters">
        ${csrfField(ctx)}
        <input type="hidden" name="revision" value="${draft.revision}" />
        <label for="note">${t('content.note')}</label><input id="note" name="note" type="text" maxlength="200" />
        <button type="submit" ${unpublished === 0 || errors.length > 0 ? html` disabled` : ''}>
          ${t('content.publish')}
        </button>
      </form>
      ${draft.edited ? html`<form method="post" action="/staff/content/discard">${csrfField(ctx)}<input type="hidden" name="revision" value="${draft.revision}" /><button type="submit" class="secondary">${t('content.discard')}</button></form>` : ''}
      <p><a href="/staff/content/history">${t('content.history')}</a></p>
    </section>`;
    const table = html`<h2 id="entries-title">${t('content.entries', { count: entries.length })}</h2>
      <div class="filters">
        <label for="entry-search" class="js-only">${t('content.searchEntries')}</label
        ><input id="entry-search" type="search" class="js-only" data-filter-table="entries-table" autocomplete="off" />
        <a class="button" href="/staff/content/new">${t('content.newEntry')}</a>
      </div>
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="entries-title">
        <table id="entries-table">
          <thead>
            <tr>
              <th scope="col">${t('content.field.title')} (${t('lang.en')})</th>
              <th scope="col">${t('content.field.title')} (${t('lang.es')})</th>
              <th scope="col">${t('content.field.topic')}</th>
              <th scope="col">${t('content.field.reviewed')}</th>
              <th scope="col">${t('content.problems')}</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map(
              (e) =>
                html`<tr data-search="${[e.id, e.langs.en.title, e.langs.es.title, e.topic].join(' ').toLowerCase()}">
                  <th scope="row">
                    <a href="/staff/content/entry/${encodeURIComponent(e.id)}">${e.langs.en.title || e.id}</a>
                    <small>(${e.id})</small>
                  </th>
                  <td lang="es">${e.langs.es.title}</td>
                  <td>${e.topic}</td>
                  <td>${e.reviewed}</td>
                  <td>${errorsOf.get(e.index) ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    const files = html`<h2>${t('content.otherParts')}</h2>
      <ul class="columns">
        ${CONTENT_FILE_NAMES.filter((f) => f !== 'faq.yaml').map(
          (f) =>
            html`<li>
              <a href="/staff/content/file/${f.replace('.yaml', '')}"
                >${t(`content.fileName.${f.replace('.yaml', '')}`)}</a
              >
            </li>`,
        )}
      </ul>`;
    const body = html`${status}
      <section aria-labelledby="test-title">
        <h2 id="test-title">${t('test.title')}</h2>
        ${testPaneForm(ctx, extra.question, extra.lang)}${extra.test ?? ''}
      </section>
      ${table} ${files}`;
    sendHtml(
      res,
      extra.status ?? 200,
      layout(
        ctx,
        {
          title: t('nav.content'),
          area: 'content',
          notice: extra.notice,
          error: extra.error,
          scripts: ['/staff/assets/tableFilter.js'],
        },
        body,
      ),
      ctx.lang,
    );
  };

  routes.page('/staff/content', 'content', async (ctx, _req, res) => {
    await overview(
      ctx,
      {
        notice: codeText(ctx, 'done', 'content.done', ['published', 'discarded', 'deleted'], {
          version: (ctx.url.searchParams.get('v') ?? '').replace(/\D/g, ''),
        }),
      },
      res,
    );
  });

  routes.action('/staff/content/test', 'content', async (ctx, form, _req, res) => {
    const question = (form.get('question') ?? '').slice(0, 500);
    const lang = form.get('lang') === 'es' ? 'es' : 'en';
    const result = await deps.testPane.ask(question, lang);
    const titles = new Map(
      draftEntries((await content.draft()).files).map((e) => [e.id, e.langs[ctx.lang].title || e.id]),
    );
    await overview(ctx, { test: testPaneResult(ctx, result, (id) => titles.get(id) ?? id), question, lang }, res);
  });

  routes.page('/staff/content/changes', 'content', async (ctx, _req, res) => {
    const diff = await content.diffDraft();
    sendHtml(
      res,
      200,
      layout(
        ctx,
        { title: ctx.t('content.changesTitle'), area: 'content' },
        html`<p><a href="/staff/content">${ctx.t('content.back')}</a></p>
          ${diffView(ctx, diff)}`,
      ),
      ctx.lang,
    );
  });

  const showEntry = async (
    ctx: StaffContext,
    res: Parameters<Parameters<StaffRoutes['page']>[2]>[2],
    v: {
      draft: Draft;
      id: string;
      form?: URLSearchParams;
      problems?: ContentProblem[];
      error?: string;
      notice?: string;
      status?: number;
    },
  ): Promise<void> => {
    const { t } = ctx;
    const saved = draftEntry(v.draft.files, v.id);
    if (!saved) return redirect(res, '/staff/content');
    const entry = v.form ? entryFromForm(saved, v.form) : saved;
    const problems = v.problems ?? problemsOfEntry(inspectContentFiles(v.draft.files).problems, saved.index);
    const body = html`<p><a href="/staff/content">${t('content.back')}</a></p>
      ${entryForm(ctx, { entry, revision: v.draft.revision, problems, sources: draftSources(v.draft.files), action: `/staff/content/entry/${encodeURIComponent(v.id)}` })}
      <h2>${t('content.deleteTitle')}</h2>
      <form method="post" action="/staff/content/entry/${encodeURIComponent(v.id)}/delete">
        ${csrfField(ctx)}<input type="hidden" name="revision" value="${v.draft.revision}" /><button
          type="submit"
          class="danger"
        >
          ${t('content.delete')}
        </button>
      </form>`;
    const title = `${t('content.entryTitle')}: ${saved.langs[ctx.lang].title || saved.id}`;
    sendHtml(
      res,
      v.status ?? 200,
      layout(ctx, { title, area: 'content', error: v.error, notice: v.notice }, body),
      ctx.lang,
    );
  };

  routes.page('/staff/content/entry/:id', 'content', async (ctx, req, res) => {
    const saved = ctx.url.searchParams.get('saved');
    await showEntry(ctx, res, {
      draft: await content.draft(),
      id: routeParam(req, 'id'),
      notice: saved ? ctx.t('content.savedNotice') : undefined,
    });
  });

  /** Saves edits; a conflict or an edit the YAML cannot take keeps what was typed and says why. */
  const save = async (
    ctx: StaffContext,
    form: URLSearchParams,
    edits: (draft: Draft) => DraftEdit[],
    onRefusal: (draft: Draft, error: string) => Promise<void>,
  ): Promise<Draft | undefined> => {
    const draft = await content.draft();
    const expected = Number(form.get('revision'));
    try {
      if (expected !== draft.revision) throw await conflictOf(expected);
      const list = edits(draft);
      if (list.length === 0) return draft;
      return await content.editDraft(list, { expectedRevision: expected, by: ctx.session.email });
    } catch (err) {
      if (err instanceof DraftConflictError) await onRefusal(draft, conflictText(ctx, err, deps.timeZone()));
      else if (err instanceof DraftEditError) await onRefusal(draft, err.message);
      else throw err;
      return undefined;
    }
  };
  /** The conflict editDraft would report, for a form posted on an old revision. */
  const conflictOf = async (expected: number): Promise<DraftConflictError> => {
    try {
      await content.editDraft([], { expectedRevision: expected, by: '' });
    } catch (err) {
      if (err instanceof DraftConflictError) return err;
      throw err;
    }
    return new DraftConflictError(expected, expected, []);
  };

  routes.action('/staff/content/entry/:id', 'content', async (ctx, form, req, res) => {
    const id = routeParam(req, 'id');
    const after = await save(
      ctx,
      form,
      (draft) => {
        const entry = draftEntry(draft.files, id);
        return entry ? entryEdits(entry, form) : [];
      },
      (draft, error) => showEntry(ctx, res, { draft, id, form, error, status: 409 }),
    );
    if (!after) return;
    const entry = draftEntry(after.files, id);
    const problems = entry ? problemsOfEntry(inspectContentFiles(after.files).problems, entry.index) : [];
    if (problems.length > 0)
      return showEntry(ctx, res, {
        draft: after,
        id,
        problems,
        error: ctx.t('content.savedWithProblems', { count: problems.length }),
      });
    redirect(res, `/staff/content/entry/${encodeURIComponent(id)}?saved=1`);
  });

  routes.action('/staff/content/entry/:id/delete', 'content', async (ctx, form, req, res) => {
    const id = routeParam(req, 'id');
    const after = await save(
      ctx,
      form,
      (draft) => {
        const entry = draftEntry(draft.files, id);
        return entry ? [{ file: 'faq.yaml', path: ['entries', entry.index] }] : [];
      },
      (draft, error) => showEntry(ctx, res, { draft, id, error, status: 409 }),
    );
    if (after) redirect(res, '/staff/content?done=deleted');
  });

  routes.page('/staff/content/new', 'content', async (ctx, _req, res) => {
    const { t } = ctx;
    const draft = await content.draft();
    const body = html`<p><a href="/staff/content">${t('content.back')}</a></p>
      <form method="post" action="/staff/content/new" class="stack narrow">
        ${csrfField(ctx)}
        <input type="hidden" name="revision" value="${draft.revision}" />
        <label for="new-id">${t('content.field.id')}</label>
        <span class="hint" id="new-id-hint">${t('content.hint.id')}</span>
        <input
          id="new-id"
          name="id"
          type="text"
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          maxlength="60"
          aria-describedby="new-id-hint"
        />
        <button type="submit">${t('content.create')}</button>
      </form>`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('content.newEntry'),
          area: 'content',
          error: codeText(ctx, 'error', 'content', ['badId', 'idRefused']),
        },
        body,
      ),
      ctx.lang,
    );
  });

  routes.action('/staff/content/new', 'content', async (ctx, form, _req, res) => {
    const id = (form.get('id') ?? '').trim().toLowerCase();
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || id.length > 60) return redirect(res, '/staff/content/new?error=badId');
    const after = await save(
      ctx,
      form,
      (draft) => [addFaqEntry(draft.files, { id })],
      async () => redirect(res, '/staff/content/new?error=idRefused'),
    );
    if (after) redirect(res, `/staff/content/entry/${encodeURIComponent(id)}`);
  });

  const showFile = async (
    ctx: StaffContext,
    res: Parameters<Parameters<StaffRoutes['page']>[2]>[2],
    v: {
      draft: Draft;
      name: string;
      asText: boolean;
      form?: URLSearchParams;
      error?: string;
      notice?: string;
      status?: number;
    },
  ): Promise<void> => {
    const { t } = ctx;
    const file = `${v.name}.yaml`;
    const problems = inspectContentFiles(v.draft.files).problems.filter((p) => p.file === file);
    const action = `/staff/content/file/${v.name}`;
    const editor = v.asText
      ? fileAsText(ctx, {
          file,
          text: v.form?.get('text') ?? v.draft.files[file] ?? '',
          revision: v.draft.revision,
          problems,
          action,
        })
      : fileForm(ctx, { file, text: v.draft.files[file] ?? '', revision: v.draft.revision, problems, action });
    const body = html`<p>
        <a href="/staff/content">${t('content.back')}</a> ·
        ${v.asText ? html`<a href="${action}">${t('content.asForm')}</a>` : html`<a href="${action}?as=text">${t('content.asText')}</a>`}
      </p>
      <p class="hint">${t(`content.fileHint.${v.name}`)}</p>
      ${editor}`;
    sendHtml(
      res,
      v.status ?? 200,
      layout(ctx, { title: t(`content.fileName.${v.name}`), area: 'content', error: v.error, notice: v.notice }, body),
      ctx.lang,
    );
  };

  const fileName = (name: string): string | undefined => {
    return name !== 'faq' && isContentFileName(`${name}.yaml`) ? name : undefined;
  };

  routes.page('/staff/content/file/:name', 'content', async (ctx, req, res) => {
    const name = fileName(routeParam(req, 'name'));
    if (!name) return redirect(res, '/staff/content');
    await showFile(ctx, res, {
      draft: await content.draft(),
      name,
      asText: ctx.url.searchParams.get('as') === 'text',
      notice: ctx.url.searchParams.get('saved') ? ctx.t('content.savedNotice') : undefined,
    });
  });

  routes.action('/staff/content/file/:name', 'content', async (ctx, form, req, res) => {
    const name = fileName(routeParam(req, 'name'));
    if (!name) return redirect(res, '/staff/content');
    const file = `${name}.yaml`;
    const asText = form.has('text');
    const after = await save(
      ctx,
      form,
      (draft) =>
        asText ? [{ file, path: [], value: form.get('text') ?? '' }] : fileEdits(file, draft.files[file] ?? '', form),
      (draft, error) => showFile(ctx, res, { draft, name, asText, form, error, status: 409 }),
    );
    if (!after) return;
    const problems = inspectContentFiles(after.files).problems.filter((p) => p.file === file);
    if (problems.length > 0)
      return showFile(ctx, res, {
        draft: after,
        name,
        asText,
        error: ctx.t('content.savedWithProblems', { count: problems.length }),
      });
    redirect(res, `/staff/content/file/${name}${asText ? '?as=text&saved=1' : '?saved=1'}`);
  });

  routes.action('/staff/content/publish', 'content', async (ctx, form, _req, res) => {
    const note = (form.get('note') ?? '').trim().slice(0, 200) || undefined;
    try {
      const { summary } = await content.publish({
        by: ctx.session.email,
        note,
        expectedRevision: Number(form.get('revision')),
      });
      await routes.audit.record({
        actor: ctx.session.email,
        action: 'content-publish',
        target: `v${summary.version}`,
        detail: note,
      });
      redirect(res, `/staff/content?done=published&v=${summary.version}`);
    } catch (err) {
      const error =
        err instanceof ContentValidationError
          ? ctx.t('content.publishRefused', { count: err.errors.length })
          : err instanceof DraftConflictError
            ? conflictText(ctx, err, deps.timeZone())
            : err instanceof NothingToPublishError
              ? ctx.t('content.nothingToPublish')
              : undefined;
      if (error === undefined) throw err;
      await overview(ctx, { error, status: 409 }, res);
    }
  });

  routes.action('/staff/content/discard', 'content', async (ctx, form, _req, res) => {
    try {
      await content.discardDraft({ by: ctx.session.email, expectedRevision: Number(form.get('revision')) });
      redirect(res, '/staff/content?done=discarded');
    } catch (err) {
      if (!(err instanceof DraftConflictError)) throw err;
      await overview(ctx, { error: conflictText(ctx, err, deps.timeZone()), status: 409 }, res);
    }
  });

  routes.page('/staff/content/history', 'content', async (ctx, _req, res) => {
    const { t } = ctx;
    const zone = deps.timeZone();
    const [history, liveVersion] = await Promise.all([content.history(), content.liveVersion()]);
    const rows = history.map(
      (v) =>
        html`<tr>
          <th scope="row">
            v${v.version}${v.version === liveVersion ? html` <span class="badge delivered">${t('content.live')}</span>` : ''}
          </th>
          <td>${when(ctx, v.at, zone)}</td>
          <td>${v.by}</td>
          <td>
            ${t(`content.kind.${v.kind}`, { version: v.rolledBackTo ?? '' })}${v.note ? html`<br /><small>${v.note}</small>` : ''}
          </td>
          <td>
            ${t('content.changeCounts', { added: v.changes.entriesAdded, changed: v.changes.entriesChanged, removed: v.changes.entriesRemoved })}
          </td>
          <td class="actions">
            ${v.version > 1 ? html`<a href="/staff/content/history/${v.version}">${t('content.viewChanges')}</a>` : ''}
            ${v.version !== liveVersion ? html`<form method="post" action="/staff/content/rollback" class="inline">${csrfField(ctx)}<input type="hidden" name="version" value="${v.version}" /><button type="submit">${t('content.rollback', { version: v.version })}</button></form>` : ''}
          </td>
        </tr>`,
    );
    const body = html`<p><a href="/staff/content">${t('content.back')}</a></p>
      ${
        history.length === 0
          ? html`<p>${t('content.noHistory')}</p>`
          : dataTable({
              id: 'history',
              caption: t('content.historyCaption'),
              headers: [
                t('content.version'),
                t('audit.when'),
                t('audit.who'),
                t('audit.what'),
                t('content.changesTitle'),
                t('accounts.actions'),
              ],
              rows,
            })
      }`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('content.history'),
          area: 'content',
          notice: codeText(ctx, 'done', 'content.done', ['rolledback'], {
            version: (ctx.url.searchParams.get('v') ?? '').replace(/\D/g, ''),
          }),
        },
        body,
      ),
      ctx.lang,
    );
  });

  routes.page('/staff/content/history/:version', 'content', async (ctx, req, res) => {
    const n = Number(routeParam(req, 'version'));
    try {
      const diff = await content.diff(n - 1, n);
      const body = html`<p><a href="/staff/content/history">${ctx.t('content.history')}</a></p>
        ${diffView(ctx, diff)}`;
      sendHtml(
        res,
        200,
        layout(ctx, { title: ctx.t('content.versionChanges', { version: n }), area: 'content' }, body),
        ctx.lang,
      );
    } catch (err) {
      if (!(err instanceof UnknownVersionError)) throw err;
      redirect(res, '/staff/content/history');
    }
  });

  routes.action('/staff/content/rollback', 'content', async (ctx, form, _req, res) => {
    const n = Number(form.get('version'));
    try {
      const { summary } = await content.rollback(n, { by: ctx.session.email });
      await routes.audit.record({
        actor: ctx.session.email,
        action: 'content-rollback',
        target: `v${summary.version}`,
        detail: `copy of v${n}`,
      });
      redirect(res, `/staff/content/history?done=rolledback&v=${n}`);
    } catch (err) {
      if (err instanceof UnknownVersionError || err instanceof NothingToPublishError)
        return redirect(res, '/staff/content/history');
      if (err instanceof ContentValidationError)
        return overview(
          ctx,
          { error: ctx.t('content.publishRefused', { count: err.errors.length }), status: 409 },
          res,
        );
      throw err;
    }
  });
}
