import { HandoffRecord, isOpenState, TranscriptMessage } from '../../core/handoff/handoffRecord';
import { html, SafeHtml } from './html';
import { csrfField, dataTable } from './layout';
import { StaffContext } from './staffContext';

export const INBOX_TABS = ['waiting', 'mine', 'resolved'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

/** Badge colours of the console's stylesheet, by handoff state. */
const BADGE: Record<HandoffRecord['state'], string> = {
  waiting: 'pending',
  claimed: 'delivered',
  resolved: 'handled',
  abandoned: 'held',
  'timed-out': 'rejected',
};

/** "4 min", "1 h 5 min", "under a minute". */
export function duration(ctx: StaffContext, ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return ctx.t('inbox.duration.underMinute');
  if (minutes < 60) return ctx.t('inbox.duration.minutes', { minutes });
  return ctx.t('inbox.duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function since(from: string, to: string | Date): number {
  return (typeof to === 'string' ? Date.parse(to) : to.getTime()) - Date.parse(from);
}

/** How long the patient waited for a person: until claimed, or until now while still waiting. */
export function waited(ctx: StaffContext, r: HandoffRecord): string {
  return duration(ctx, since(r.queuedAt, r.claimedAt ?? r.closedAt ?? ctx.now));
}

export function stateBadge(ctx: StaffContext, r: HandoffRecord): SafeHtml {
  return html`<span class="badge ${BADGE[r.state]}">${ctx.t(`inbox.state.${r.state}`)}</span>`;
}

function dateTime(ctx: StaffContext, zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'short', timeStyle: 'short', timeZone: zone });
}

/** The list of one tab: when queued, the wait, why, the patient's language and channel, the summary. */
export function inboxTable(
  ctx: StaffContext,
  records: readonly HandoffRecord[],
  tab: InboxTab,
  zone: string,
): SafeHtml {
  const { t } = ctx;
  const when = dateTime(ctx, zone);
  const rows = records.map(
    (r) =>
      html`<tr>
        <td><time datetime="${r.queuedAt}">${when.format(new Date(r.queuedAt))}</time></td>
        <td>${waited(ctx, r)}</td>
        <td>${r.firstStaffReplyAt ? duration(ctx, since(r.queuedAt, r.firstStaffReplyAt)) : '—'}</td>
        <td>
          ${t(`inbox.reason.${r.reason}`)}${r.redFlagsFired > 0 ? html`<br /><span class="badge held">${t('inbox.redFlagCount', { count: r.redFlagsFired })}</span>` : ''}
        </td>
        <td>${t(`lang.${r.lang}`)} · ${r.channel}</td>
        <th scope="row">
          <a href="/staff/inbox/${r.id}" lang="${r.lang}">${r.summary || t('inbox.noSummary')}</a>
        </th>
        <td>${stateBadge(ctx, r)}${r.claimedBy ? html`<br /><small>${r.claimedBy.name}</small>` : ''}</td>
      </tr>`,
  );
  return html`${dataTable({
    id: 'inbox-table',
    caption: t(`inbox.caption.${tab}`, { count: records.length }),
    headers: [
      t('inbox.queued'),
      t('inbox.waited'),
      t('inbox.firstReply'),
      t('inbox.reasonTitle'),
      t('inbox.languageChannel'),
      t('inbox.summary'),
      t('inbox.stateTitle'),
    ],
    rows,
  })}${records.length === 0 ? html`<p>${t(`inbox.none.${tab}`)}</p>` : ''}`;
}

/** Transcript lines as list items; the page appends the new ones as they come. */
export function transcriptItems(
  ctx: StaffContext,
  record: HandoffRecord,
  messages: readonly TranscriptMessage[],
  zone: string,
): SafeHtml {
  const { t } = ctx;
  const time = new Intl.DateTimeFormat(ctx.lang, { timeStyle: 'short', timeZone: zone });
  return html`${messages.map((m) => {
    const at = html`<time datetime="${m.at}">${time.format(new Date(m.at))}</time>`;
    if (m.role === 'system') {
      const event = m.event ? t(`inbox.event.${m.event}`, { name: m.staffName ?? '' }) : m.text;
      return html`<li class="hint" data-seq="${m.seq}">${at} · ${event}</li>`;
    }
    const who = m.role === 'staff' ? (m.staffName ?? t('inbox.role.staff')) : t(`inbox.role.${m.role}`);
    return html`<li class="card${m.redFlag ? ' error' : ''}" data-seq="${m.seq}">
      <p><strong>${who}</strong> · ${at}${m.redFlag ? html` <span class="badge held">${t('inbox.redFlag')}</span>` : ''}</p>
      <p lang="${record.lang}">${m.text}</p>
    </li>`;
  })}`;
}

/** The red-flag warning at the top of a conversation, empty while none fired. */
export function redFlagAlert(ctx: StaffContext, r: HandoffRecord, zone: string): SafeHtml {
  if (r.redFlagsFired === 0) return html``;
  const at = r.lastRedFlagAt
    ? new Intl.DateTimeFormat(ctx.lang, { timeStyle: 'short', timeZone: zone }).format(new Date(r.lastRedFlagAt))
    : '';
  return html`<p class="error" role="alert">${ctx.t('inbox.redFlagsFired', { count: r.redFlagsFired, at })}</p>`;
}

/** What staff know of the conversation beside it: reason, language, times, who has it. */
export function aboutList(ctx: StaffContext, r: HandoffRecord, zone: string): SafeHtml {
  const { t } = ctx;
  const when = dateTime(ctx, zone);
  const row = (term: string, value: SafeHtml | string): SafeHtml => html`<dt>${term}</dt><dd>${value}</dd>`;
  return html`<dl>
    ${row(t('inbox.stateTitle'), stateBadge(ctx, r))}
    ${row(t('inbox.reasonTitle'), t(`inbox.reason.${r.reason}`))}
    ${row(t('inbox.language'), t(`lang.${r.lang}`))}
    ${row(t('inbox.channel'), r.channel)}
    ${row(t('inbox.queued'), html`<time datetime="${r.queuedAt}">${when.format(new Date(r.queuedAt))}</time>`)}
    ${row(isOpenState(r.state) && !r.claimedAt ? t('inbox.waitingFor') : t('inbox.waited'), waited(ctx, r))}
    ${r.claimedBy ? row(t('inbox.claimedBy'), r.claimedBy.name) : ''}
    ${r.firstStaffReplyAt ? row(t('inbox.firstReply'), duration(ctx, since(r.queuedAt, r.firstStaffReplyAt))) : ''}
    ${row(t('inbox.redFlagsTitle'), html`<span id="red-flag-count">${r.redFlagsFired}</span>`)}
  </dl>`;
}

/** The claimer's reply box: a ready-made reply to start from, in the patient's language, and the text. */
export function replyForm(
  ctx: StaffContext,
  record: HandoffRecord,
  v: { canned: readonly string[]; name: string; draft?: string; maxChars: number },
): SafeHtml {
  const { t } = ctx;
  const lang = t(`lang.${record.lang}`);
  return html`<form method="post" action="/staff/inbox/${record.id}/reply" class="stack" id="reply">
    ${csrfField(ctx)}
    ${
      v.canned.length > 0
        ? html`<label for="canned">${t('inbox.canned', { lang })}</label>
            <select id="canned" name="canned" data-fill="reply-text">
              <option value="">${t('inbox.cannedNone')}</option>
              ${v.canned.map((c, i) => html`<option value="${i}" lang="${record.lang}">${c}</option>`)}
            </select>`
        : ''
    }
    <label for="reply-text">${t('inbox.reply', { lang, name: v.name })}</label>
    <textarea id="reply-text" name="text" rows="4" maxlength="${v.maxChars}" lang="${record.lang}">${v.draft ?? ''}</textarea>
    <button type="submit">${t('inbox.send')}</button>
  </form>`;
}
