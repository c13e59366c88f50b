import { parse } from 'yaml';
import { ContentProblem } from '../../core/content/contentLoader';
import { ContentFiles } from '../../core/content/contentFiles';
import { DraftEdit } from '../../core/content/draftEdits';
import { FAQ_TOPICS } from '../../core/content/schemas';
import { Lang, LANGS } from '../../core/text/language';
import { html, SafeHtml } from './html';
import { csrfField } from './layout';
import { StaffContext } from './staffContext';

/** An FAQ entry as the draft holds it: read loosely, since a draft may be incomplete. */
export interface DraftEntry {
  index: number;
  id: string;
  topic: string;
  sources: string[];
  reviewed: string;
  related: string[];
  /** A reason to be careful (pregnancy, active acne…): answered first when a question also names it. */
  caution: boolean;
  langs: Record<Lang, { title: string; questions: string[]; answer: string }>;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string {
  return typeof v === 'string'
    ? v
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : v === undefined || v === null
        ? ''
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : '';
}
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str) : [];
}

/** The FAQ entries of a draft, in file order. */
export function draftEntries(files: ContentFiles): DraftEntry[] {
  const doc = record(parse(files['faq.yaml'] ?? '') as unknown);
  const entries = Array.isArray(doc.entries) ? (doc.entries as unknown[]) : [];
  return entries.map((raw, index) => {
    const e = record(raw);
    const lang = (l: Lang) => {
      const b = record(e[l]);
      return { title: str(b.title), questions: strings(b.questions), answer: str(b.answer) };
    };
    return {
      index,
      id: str(e.id),
      topic: str(e.topic),
      sources: strings(e.sources),
      reviewed: str(e.reviewed),
      related: strings(e.related),
      caution: e.caution === true,
      langs: { en: lang('en'), es: lang('es') },
    };
  });
}

/** One FAQ entry of a draft, by id. */
export function draftEntry(files: ContentFiles, id: string): DraftEntry | undefined {
  return draftEntries(files).find((e) => e.id === id);
}

/** The sources a draft names: id and name, for the entry form's checkboxes. */
export function draftSources(files: ContentFiles): { id: string; name: string }[] {
  const doc = record(parse(files['sources.yaml'] ?? '') as unknown);
  return (Array.isArray(doc.sources) ? (doc.sources as unknown[]) : []).map((s) => ({
    id: str(record(s).id),
    name: str(record(s).name),
  }));
}

/** The form field a problem belongs to: `en.questions`, `sources`… (undefined: the entry as a whole). */
export function fieldOfProblem(p: ContentProblem): string | undefined {
  const path = p.path ?? [];
  if (p.file !== 'faq.yaml' || path[0] !== 'entries' || path.length < 3) return undefined;
  const [, , first, second] = path;
  if (first === 'en' || first === 'es') return typeof second === 'string' ? `${first}.${second}` : undefined;
  return typeof first === 'string' ? first : undefined;
}

export function problemsOfEntry(problems: readonly ContentProblem[], index: number): ContentProblem[] {
  return problems.filter((p) => p.file === 'faq.yaml' && p.path?.[0] === 'entries' && p.path[1] === index);
}

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
const ids = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** The edits a posted entry form makes to the draft: only the fields that changed. */
export function entryEdits(entry: DraftEntry, form: URLSearchParams): DraftEdit[] {
  const at = (...path: (string | number)[]): (string | number)[] => ['entries', entry.index, ...path];
  const edits: DraftEdit[] = [];
  const set = (path: (string | number)[], before: unknown, after: unknown): void => {
    if (JSON.stringify(before) !== JSON.stringify(after)) edits.push({ file: 'faq.yaml', path, value: after });
  };
  set(at('topic'), entry.topic, (form.get('topic') ?? '').trim());
  set(at('reviewed'), entry.reviewed, (form.get('reviewed') ?? '').trim());
  set(
    at('sources'),
    entry.sources,
    form
      .getAll('sources')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  set(at('related'), entry.related, ids(form.get('related') ?? ''));
  // Unticked, the field is left out of the file rather than written `caution: false`.
  set(at('caution'), entry.caution || undefined, form.has('caution') || undefined);
  for (const lang of LANGS) {
    const before = entry.langs[lang];
    set(at(lang, 'title'), before.title, (form.get(`${lang}.title`) ?? '').trim());
    set(at(lang, 'questions'), before.questions, lines(form.get(`${lang}.questions`) ?? ''));
    set(at(lang, 'answer'), before.answer, (form.get(`${lang}.answer`) ?? '').trim());
  }
  return edits;
}

/** The entry as the form posted it (to show again after a refusal, nothing typed lost). */
export function entryFromForm(entry: DraftEntry, form: URLSearchParams): DraftEntry {
  const lang = (l: Lang) => ({
    title: form.get(`${l}.title`) ?? '',
    questions: lines(form.get(`${l}.questions`) ?? ''),
    answer: form.get(`${l}.answer`) ?? '',
  });
  return {
    ...entry,
    topic: form.get('topic') ?? '',
    reviewed: form.get('reviewed') ?? '',
    sources: form.getAll('sources'),
    related: ids(form.get('related') ?? ''),
    caution: form.has('caution'),
    langs: { en: lang('en'), es: lang('es') },
  };
}

function field(
  name: string,
  label: string,
  problems: readonly ContentProblem[],
  control: (attrs: SafeHtml) => SafeHtml,
  hint?: string,
): SafeHtml {
  const mine = problems.filter((p) => fieldOfProblem(p) === name);
  const id = `f-${name.replace('.', '-')}`;
  const described = [hint ? `${id}-hint` : '', mine.length > 0 ? `${id}-problem` : ''].filter(Boolean).join(' ');
  const attrs = html` id="${id}"
  name="${name}"${described ? html` aria-describedby="${described}"` : ''}${mine.length > 0 ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${mine.length > 0 ? ' invalid' : ''}">
    <label for="${id}">${label}</label>
    ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''} ${control(attrs)}
    ${mine.length > 0 ? html`<span class="problem" id="${id}-problem">${mine.map((p) => html`${p.message}${p.fix ? html` — ${p.fix}` : ''}. `)}</span>` : ''}
  </div>`;
}

/** The entry editor: English and Spanish side by side, every problem next to its field. */
export function entryForm(
  ctx: StaffContext,
  v: {
    entry: DraftEntry;
    revision: number;
    problems: readonly ContentProblem[];
    sources: readonly { id: string; name: string }[];
    action: string;
  },
): SafeHtml {
  const { t } = ctx;
  const { entry, problems } = v;
  const general = problems.filter((p) => fieldOfProblem(p) === undefined);
  const langColumn = (lang: Lang) =>
    html`<fieldset>
      <legend>${t(`lang.${lang}`)}</legend>
      ${field(`${lang}.title`, t('content.field.title'), problems, (a) => html`<input${a} type="text" maxlength="60" value="${entry.langs[lang].title}" lang="${lang}">`, t('content.hint.title'))}
      ${field(`${lang}.questions`, t('content.field.questions'), problems, (a) => html`<textarea${a} rows="8" lang="${lang}">${entry.langs[lang].questions.join('\n')}</textarea>`, t('content.hint.questions'))}
      ${field(`${lang}.answer`, t('content.field.answer'), problems, (a) => html`<textarea${a} rows="8" maxlength="1200" lang="${lang}">${entry.langs[lang].answer}</textarea>`, t('content.hint.answer'))}
    </fieldset>`;
  const sourceProblems = problems.filter((p) => fieldOfProblem(p) === 'sources');
  return html`<form method="post" action="${v.action}" class="entry-form">
    ${csrfField(ctx)}
    <input type="hidden" name="revision" value="${v.revision}" />
    ${
      general.length > 0
        ? html`<div class="error" role="alert">
            <ul>
              ${general.map((p) => html`<li>${p.where ? html`${p.where}: ` : ''}${p.message}${p.fix ? html` — ${p.fix}` : ''}</li>`)}
            </ul>
          </div>`
        : ''
    }
    <div class="side-by-side">${langColumn('en')}${langColumn('es')}</div>
    <fieldset>
      <legend>${t('content.about')}</legend>
      ${field('topic', t('content.field.topic'), problems, (a) => html`<select${a}>${['', ...FAQ_TOPICS].map((topic) => html`<option value="${topic}" ${topic === entry.topic ? html` selected` : ''}>${topic === '' ? t('content.choose') : t(`content.topic.${topic}`)}</option>`)}</select>`)}
      ${field('reviewed', t('content.field.reviewed'), problems, (a) => html`<input${a} type="date" value="${entry.reviewed}">`, t('content.hint.reviewed'))}
      <fieldset
        class="${sourceProblems.length > 0 ? 'invalid' : ''}"
        ${sourceProblems.length > 0 ? html` aria-describedby="sources-problem"` : ''}
      >
        <legend>${t('content.field.sources')}</legend>
        ${v.sources.map((s) => html`<label class="check"><input type="checkbox" name="sources" value="${s.id}" ${entry.sources.includes(s.id) ? html` checked` : ''} /> ${s.name} <small>(${s.id})</small></label>`)}
        ${sourceProblems.length > 0 ? html`<span class="problem" id="sources-problem">${sourceProblems.map((p) => html`${p.message}${p.fix ? html` — ${p.fix}` : ''}. `)}</span>` : ''}
      </fieldset>
      ${field('related', t('content.field.related'), problems, (a) => html`<input${a} type="text" value="${entry.related.join(', ')}">`, t('content.hint.related'))}
      <div class="field">
        <label class="check"><input type="checkbox" id="f-caution" name="caution" value="yes" aria-describedby="f-caution-hint" ${entry.caution ? html` checked` : ''} /> ${t('content.field.caution')}</label>
        <span class="hint" id="f-caution-hint">${t('content.hint.caution')}</span>
      </div>
    </fieldset>
    <button type="submit">${t('content.saveDraft')}</button>
  </form>`;
}
