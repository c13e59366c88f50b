import { parse } from 'yaml';
import { ContentProblem } from '../../core/content/contentLoader';
import { DraftEdit } from '../../core/content/draftEdits';
import { html, SafeHtml } from './html';
import { csrfField } from './layout';
import { StaffContext } from './staffContext';

type Path = (string | number)[];

/** A form field's name for a place in the file (JSON of its path, so any key round-trips). */
function nameOf(path: Path): string {
  return `p:${JSON.stringify(path)}`;
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** A file's key as words: `emergencyNumber` → "Emergency number", `days_3_7` → "Days 3 7". */
function words(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** One step of a place in the file, in the console's language; a key the console has no name for is spelled out. */
function step(p: string | number, t: StaffContext['t']): string {
  if (typeof p === 'number') return `#${p + 1}`;
  if (p === 'en' || p === 'es') return t(`lang.${p}`);
  // Only plain keys are looked up: i18next would read a dotted key as a path into other names.
  return /^[A-Za-z]+$/.test(p) ? t(`content.fileField.${p}`, { defaultValue: words(p) }) : words(p);
}

function label(path: Path, t: StaffContext['t']): string {
  return path.map((p) => step(p, t)).join(' › ');
}

function problemsAt(problems: readonly ContentProblem[], path: Path): ContentProblem[] {
  return problems.filter(
    (p) =>
      p.path !== undefined &&
      p.path.length >= path.length &&
      path.every((k, i) => p.path?.[i] === k) &&
      p.path.length <= path.length + 1,
  );
}

function control(ctx: StaffContext, path: Path, value: unknown, problems: readonly ContentProblem[]): SafeHtml {
  const id = `f-${nameOf(path).replace(/[^A-Za-z0-9]+/g, '-')}`;
  const mine = problemsAt(problems, path);
  const lang = path.includes('es') ? 'es' : path.includes('en') ? 'en' : undefined;
  const attrs = html` id="${id}"
  name="${nameOf(path)}"${lang ? html` lang="${lang}"` : ''}${mine.length > 0 ? html` aria-invalid="true" aria-describedby="${id}-problem"` : ''}`;
  let input: SafeHtml;
  if (Array.isArray(value)) {
    input = html`<textarea${attrs} rows="${Math.min(12, Math.max(3, value.length + 1))}">${value.map((v) => String(v as string)).join('\n')}</textarea><span class="hint">${ctx.t('content.onePerLine')}</span>`;
  } else if (typeof value === 'boolean') {
    input = html`<select${attrs}><option value="true"${value ? html` selected` : ''}>${ctx.t('content.yes')}</option><option value="false"${value ? '' : html` selected`}>${ctx.t('content.no')}</option></select>`;
  } else if (typeof value === 'string' && (value.length > 70 || value.includes('\n'))) {
    input = html`<textarea${attrs} rows="4">${value}</textarea>`;
  } else {
    input = html`<input${attrs}
      type="${typeof value === 'number' ? 'number' : 'text'}"
      value="${typeof value === 'string' || typeof value === 'number' ? String(value) : ''}"
    >`;
  }
  return html`<div class="field${mine.length > 0 ? ' invalid' : ''}">
    <label for="${id}">${label(path, ctx.t)}</label
    >${input}${mine.length > 0 ? html`<span class="problem" id="${id}-problem">${mine.map((p) => html`${p.message}${p.fix ? html` — ${p.fix}` : ''}. `)}</span>` : ''}
  </div>`;
}

function render(ctx: StaffContext, path: Path, value: unknown, problems: readonly ContentProblem[]): SafeHtml {
  if (path.length === 1 && path[0] === 'version') return html``;
  if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) return control(ctx, path, value, problems);
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  const legend = (() => {
    const name =
      !Array.isArray(value) && typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>).id
        : undefined;
    return typeof name === 'string' ? `${label(path, ctx.t)} (${name})` : label(path, ctx.t);
  })();
  const inner = children.map(([k, v]) => render(ctx, [...path, k], v, problems));
  return path.length === 0
    ? html`${inner}`
    : html`<fieldset>
        <legend>${legend}</legend>
        ${inner}
      </fieldset>`;
}

/**
 * Any content file as a form: every text, number, yes/no and list of texts is a field (lists one
 * item per line); what the form cannot add (new list items of several fields) is edited as text.
 */
export function fileForm(
  ctx: StaffContext,
  v: { file: string; text: string; revision: number; problems: readonly ContentProblem[]; action: string },
): SafeHtml {
  const unplaced = v.problems.filter((p) => p.path === undefined || p.path.length === 0);
  return html`<form method="post" action="${v.action}" class="file-form">
    ${csrfField(ctx)}
    <input type="hidden" name="revision" value="${v.revision}" />
    ${
      unplaced.length > 0
        ? html`<div class="error" role="alert">
            <ul>
              ${unplaced.map((p) => html`<li>${p.line ? `line ${p.line}: ` : ''}${p.message}${p.fix ? html` — ${p.fix}` : ''}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${render(ctx, [], parse(v.text) as unknown, v.problems)}
    <button type="submit">${ctx.t('content.saveDraft')}</button>
  </form>`;
}

/** The file as YAML text, for IT or for changes the form cannot make. */
export function fileAsText(
  ctx: StaffContext,
  v: { file: string; text: string; revision: number; problems: readonly ContentProblem[]; action: string },
): SafeHtml {
  return html`<form method="post" action="${v.action}" class="stack">
    ${csrfField(ctx)}
    <input type="hidden" name="revision" value="${v.revision}" />
    ${
      v.problems.length > 0
        ? html`<div class="error" role="alert" id="text-problems">
            <ul>
              ${v.problems.map((p) => html`<li>${p.line ? `line ${p.line}` : ''}${p.where ? ` (${p.where})` : ''}: ${p.message}${p.fix ? html` — ${p.fix}` : ''}</li>`)}
            </ul>
          </div>`
        : ''
    }
    <label for="yaml-text">${v.file}</label>
    <textarea
      id="yaml-text"
      name="text"
      rows="30"
      spellcheck="false"
      ${v.problems.length > 0 ? html` aria-describedby="text-problems" aria-invalid="true"` : ''}
    >
${v.text}</textarea>
    <button type="submit">${ctx.t('content.saveDraft')}</button>
  </form>`;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** The edits a posted file form makes: each field whose value changed, in the type it had. */
export function fileEdits(file: string, text: string, form: URLSearchParams): DraftEdit[] {
  const root = parse(text) as unknown;
  const edits: DraftEdit[] = [];
  for (const [name, raw] of form) {
    if (!name.startsWith('p:')) continue;
    let path: Path;
    try {
      const parsed = JSON.parse(name.slice(2)) as unknown;
      if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === 'string' || typeof k === 'number')) continue;
      path = parsed;
    } catch {
      continue;
    }
    const before = valueAt(root, path);
    if (before === undefined) continue;
    let after: unknown;
    if (Array.isArray(before)) {
      after = raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
    } else if (typeof before === 'number') after = raw.trim() === '' ? null : Number(raw);
    else if (typeof before === 'boolean') after = raw === 'true';
    else after = raw.trim();
    if (JSON.stringify(after) !== JSON.stringify(before)) edits.push({ file, path, value: after });
  }
  return edits;
}
