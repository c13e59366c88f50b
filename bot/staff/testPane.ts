import type { DraftTestResult } from '../../core/content/draftTester';
import { Lang } from '../../core/text/language';
import { html, SafeHtml } from './html';
import { csrfField } from './layout';
import { StaffContext } from './staffContext';

/** Answers a question against the draft (core/content/draftTester.ts). */
export interface TestPane {
  ask(question: string, lang: Lang): Promise<DraftTestResult>;
}

export function testPaneForm(ctx: StaffContext, question = '', lang: Lang = ctx.lang): SafeHtml {
  const { t } = ctx;
  return html`<form method="post" action="/staff/content/test" class="filters">
    ${csrfField(ctx)}
    <label for="test-question">${t('test.question')}</label>
    <input id="test-question" name="question" type="text" maxlength="500" required value="${question}" />
    <label for="test-lang">${t('test.language')}</label>
    <select id="test-lang" name="lang">
      <option value="en" ${lang === 'en' ? html` selected` : ''}>${t('lang.en')}</option>
      <option value="es" ${lang === 'es' ? html` selected` : ''}>${t('lang.es')}</option>
    </select>
    <button type="submit">${t('test.ask')}</button>
  </form>`;
}

/** What `npm run ask` shows: the reply, its confidence, the runners-up, and whether a warning sign fired. */
export function testPaneResult(ctx: StaffContext, result: DraftTestResult, titleOf: (id: string) => string): SafeHtml {
  const { t } = ctx;
  if (result.kind === 'invalid')
    return html`<div class="warning" role="status" id="test-result">${t('test.unavailable')}</div>`;
  const r = result.report;
  const pct = (x: number) => new Intl.NumberFormat(ctx.lang, { style: 'percent', maximumFractionDigits: 0 }).format(x);
  const reply = r.reply;
  const detail = (() => {
    switch (reply.kind) {
      case 'answer':
        // Several questions in one message: each answer in the order the patient gets them.
        return [reply, ...reply.more].map(
          (a, i) => html`${i > 0 ? html`<br />${t('test.then')} ` : ': '}<a
              href="/staff/content/entry/${encodeURIComponent(a.entryId)}"
              >${a.title}</a
            >
            <small>(${a.entryId})</small> — ${t('test.confidence')} ${pct(a.confidence)}
            <blockquote>${a.text}</blockquote>`,
        );
      case 'day-report':
        return html` (${reply.treatmentDate})`;
      case 'person':
      case 'too-long':
        return html``;
      case 'did-you-mean':
        return html`: ${reply.options.map((o, i) => html`${i > 0 ? ', ' : ''}${o.title} <small>(${o.id})</small>`)} —
        ${t('test.confidence')} ${pct(reply.confidence)}`;
      case 'flow':
        return html` (${reply.flow})`;
      case 'command':
        return html` (${reply.command})`;
      case 'not-covered':
        return html`: ${reply.topics.join(', ')}`;
      case 'fallback':
        return html` — ${t('test.confidence')} ${pct(reply.confidence)}`;
      case 'urgent':
        return html``;
    }
  })();
  return html`<div class="card" role="status" id="test-result">
    <p><strong>${t('test.asked')}</strong> ${r.question}</p>
    <p>
      <strong>${t('test.warningSign')}</strong>
      ${r.warningSign ? html`<span class="badge rejected">${t('test.yes')}</span> ${r.warningSign.level}: ${r.warningSign.signs.join(', ')}` : t('test.no')}
    </p>
    <p><strong>${t('test.reply')}</strong> ${t(`test.kind.${reply.kind}`)}${detail}</p>
    ${r.notCovered.length > 0 ? html`<p><strong>${t('test.notCovered')}</strong> ${r.notCovered.join(', ')}</p>` : ''}
    <p><strong>${t('test.runnersUp')}</strong></p>
    <ol>
      ${r.matcher.ranked.map((c) => html`<li>${titleOf(c.id)} <small>(${c.id})</small> — ${pct(c.probability)}</li>`)}
    </ol>
  </div>`;
}
