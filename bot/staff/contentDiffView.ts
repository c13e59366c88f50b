import { ContentDiff, DiffLine, FieldChange } from '../../core/content/contentDiff';
import { html, SafeHtml } from './html';
import { StaffContext } from './staffContext';

function fieldChange(ctx: StaffContext, f: FieldChange): SafeHtml {
  const { t } = ctx;
  const label = html`${t(`content.field.${f.field}`)}${f.lang ? html` (${t(`lang.${f.lang}`)})` : ''}`;
  if (f.added || f.removed) {
    return html`<li>
      ${label}:
      ${(f.added ?? []).map((a) => html`<ins>+ ${a}</ins> `)}${(f.removed ?? []).map((r) => html`<del>− ${r}</del> `)}
    </li>`;
  }
  if (f.field === 'caution') {
    // A box: ticked or not, never a bare "true" with nothing after the arrow.
    const box = (v: string | undefined) => t(v === 'true' ? 'content.ticked' : 'content.unticked');
    return html`<li>${label}: <del>${box(f.before)}</del> → <ins>${box(f.after)}</ins></li>`;
  }
  return html`<li>
    ${label}: ${f.before !== undefined ? html`<del>${f.before}</del>` : ''} →
    ${f.after !== undefined ? html`<ins>${f.after}</ins>` : ''}
  </li>`;
}

function lines(list: readonly DiffLine[], t: StaffContext['t']): SafeHtml {
  const line = (l: DiffLine): SafeHtml =>
    l.kind === 'skipped'
      ? html`<span class="hint">… ${t('content.linesSkipped', { count: l.count })}</span>\n`
      : l.kind === 'added'
        ? html`<ins>+ ${l.text}</ins>\n`
        : l.kind === 'removed'
          ? html`<del>− ${l.text}</del>\n`
          : html`  ${l.text}\n`;
  return html`<pre class="diff">${list.map(line)}</pre>`;
}

/** A readable diff: FAQ entries field by field, the other files line by line. */
export function diffView(ctx: StaffContext, diff: ContentDiff): SafeHtml {
  const { t } = ctx;
  if (diff.entries.length === 0 && diff.files.length === 0) return html`<p>${t('content.noChanges')}</p>`;
  return html`${diff.entries.map(
    (e) =>
      html`<section class="card">
        <h3>${t(`content.entry.${e.change}`)}: ${e.title[ctx.lang] ?? e.title.en ?? e.id} <small>(${e.id})</small></h3>
        ${
          e.fields.length > 0
            ? html`<ul>
                ${e.fields.map((f) => fieldChange(ctx, f))}
              </ul>`
            : ''
        }
      </section>`,
  )}${diff.files
    .filter((f) => f.file !== 'faq.yaml' || diff.entries.length === 0)
    .map(
      (f) =>
        html`<section class="card">
          <h3>${t(`content.fileName.${f.file.replace('.yaml', '')}`)} <small>(${f.file})</small></h3>
          ${lines(f.lines, t)}
        </section>`,
    )}`;
}
