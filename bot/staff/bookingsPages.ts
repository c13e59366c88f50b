import { formatClinicTime, formatCsv, isOpen, toBookingRow } from '../../core/booking/bookingExport';
import { readBookingRecords } from '../../core/booking/bookingRecords';
import { BookingOutbox, OutboxRecord } from '../../core/booking/outbox';
import { KeyValueStore } from '../../core/storage/keyValueStore';
import { html, SafeHtml } from './html';
import { csrfField, dataTable, layout } from './layout';
import { codeText, StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { redirect, sendHtml, sendText } from './staffHttp';

/** The list's filter: open requests by default. */
const FILTERS = ['open', 'all', 'pending', 'held', 'delivered', 'rejected', 'handled'] as const;
type Filter = (typeof FILTERS)[number];

function state(record: OutboxRecord): 'pending' | 'held' | 'delivered' | 'rejected' | 'handled' {
  return record.handledAt ? 'handled' : record.status;
}

function matches(record: OutboxRecord, filter: Filter): boolean {
  switch (filter) {
    case 'open':
      return isOpen(record);
    case 'all':
      return true;
    default:
      return state(record) === filter;
  }
}

function actions(ctx: StaffContext, record: OutboxRecord): SafeHtml {
  const id = record.request.requestId;
  const button = (action: string, label: string): SafeHtml =>
    html`<form method="post" action="/staff/bookings/${action}" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="id" value="${id}" /><button type="submit">${label}</button>
    </form>`;
  const s = state(record);
  return html`${s === 'held' ? button('release', ctx.t('bookings.release')) : ''}${s === 'rejected' ? button('requeue', ctx.t('bookings.requeue')) : ''}${s !== 'handled' && s !== 'delivered' ? button('handled', ctx.t('bookings.markHandled')) : ''}`;
}

/** Bookings (agents and admins): every request with its state, filters, search, actions and CSV. */
export function registerBookingsPages(
  routes: StaffRoutes,
  deps: { store: KeyValueStore; outbox: BookingOutbox; timeZone: () => string },
): void {
  routes.page('/staff/bookings', 'bookings', async (ctx, _req, res) => {
    const { t } = ctx;
    const asked = ctx.url.searchParams.get('status');
    const filter: Filter = FILTERS.find((f) => f === asked) ?? 'open';
    const { records } = await readBookingRecords(deps.store, deps.outbox);
    const shown = records.filter((r) => matches(r, filter)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const zone = deps.timeZone();
    const rows = shown.map((record) => {
      const row = toBookingRow(record);
      const contact = [row.phone, row.email, row.contactAsTyped].filter((c) => c !== '');
      return html`<tr data-search="${[row.name, ...contact, row.requestId].join(' ').toLowerCase()}">
        <td><time datetime="${row.createdAt}">${formatClinicTime(row.createdAt, zone)}</time></td>
        <td>
          <span class="badge ${state(record)}">${t(`bookings.state.${state(record)}`)}</span
          >${row.lastError ? html`<br /><small>${row.lastError}</small>` : ''}${row.reference ? html`<br /><small>${t('bookings.reference')}: ${row.reference}</small>` : ''}
        </td>
        <th scope="row">${row.name}</th>
        <td>${contact.map((c, i) => html`${i > 0 ? html`<br />` : ''}${c}`)}</td>
        <td>${row.preferredTimes}</td>
        <td>${row.treatment}${row.note ? html`<br /><small>${row.note}</small>` : ''}</td>
        <td>${row.screeningOutcome ? t(`bookings.screening.${row.screeningOutcome}`) : '—'}</td>
        <td>${row.locale} · ${row.channel}</td>
        <td><code>${row.shortId}</code></td>
        <td class="actions">${actions(ctx, record)}</td>
      </tr>`;
    });
    const body = html`<form method="get" action="/staff/bookings" class="filters">
        <label for="status">${t('bookings.filter')}</label>
        <select id="status" name="status">
          ${FILTERS.map((f) => html`<option value="${f}" ${f === filter ? html` selected` : ''}>${t(`bookings.filters.${f}`)}</option>`)}
        </select>
        <button type="submit">${t('bookings.apply')}</button>
        <label for="search" class="js-only">${t('bookings.search')}</label>
        <input id="search" type="search" class="js-only" data-filter-table="bookings-table" autocomplete="off" />
        <a href="/staff/bookings.csv?status=${filter}" download>${t('bookings.csv')}</a>
      </form>
      <p class="hint">${t('bookings.times', { zone })}</p>
      ${dataTable({
        id: 'bookings-table',
        caption: t('bookings.caption', { count: shown.length }),
        headers: [
          t('bookings.received'),
          t('bookings.stateTitle'),
          t('bookings.name'),
          t('bookings.contact'),
          t('bookings.when'),
          t('bookings.treatment'),
          t('bookings.screeningTitle'),
          t('bookings.languageChannel'),
          t('bookings.id'),
          t('accounts.actions'),
        ],
        rows,
      })}
      ${shown.length === 0 ? html`<p>${t('bookings.none')}</p>` : ''}`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('nav.bookings'),
          area: 'bookings',
          notice: codeText(ctx, 'done', 'bookings.done', ['handled', 'release', 'requeue', 'missing']),
          scripts: ['/staff/assets/tableFilter.js'],
        },
        body,
      ),
      ctx.lang,
    );
  });

  routes.page('/staff/bookings.csv', 'bookings', async (ctx, _req, res) => {
    const asked = ctx.url.searchParams.get('status');
    const filter: Filter = FILTERS.find((f) => f === asked) ?? 'all';
    const { records } = await readBookingRecords(deps.store, deps.outbox);
    const rows = records
      .filter((r) => matches(r, filter))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(toBookingRow);
    sendText(res, 200, 'text/csv; charset=utf-8', formatCsv(rows), {
      'content-disposition': `attachment; filename="bookings-${ctx.now.toISOString().slice(0, 10)}.csv"`,
    });
  });

  const act = (action: 'handled' | 'release' | 'requeue'): void =>
    routes.action(`/staff/bookings/${action}`, 'bookings', async (ctx, form, _req, res) => {
      const id = form.get('id') ?? '';
      const record =
        action === 'handled'
          ? await deps.outbox.markHandled(id)
          : action === 'release'
            ? await deps.outbox.release(id)
            : await deps.outbox.requeue(id);
      if (!record) return redirect(res, '/staff/bookings?done=missing');
      await routes.audit.record({
        actor: ctx.session.email,
        action: 'booking-status',
        target: id.slice(0, 8),
        detail: action,
      });
      redirect(res, `/staff/bookings?done=${action}`);
    });
  act('handled');
  act('release');
  act('requeue');
}
