import { FollowupForecast, ForecastItem } from '../../core/followups/followupForecast';
import { html, jsonBlock, SafeHtml } from './html';
import { dataTable, layout } from './layout';
import { StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { sendHtml } from './staffHttp';

export interface FollowupsPageDeps {
  /** The scheduler's forecast: counts per clinic day and the list, in the clinic's zone, with no patient detail. */
  forecast: (days: number) => Promise<FollowupForecast>;
}

/** The forecast's window: a week, like the check-ins of one treatment. */
const DAYS = 7;
/** The list shows a job by the start of its id only: enough to tell two apart, nothing to look a patient up by. */
const SHORT_ID = 8;

const BADGE: Record<ForecastItem['status'], string> = { scheduled: 'pending', sent: 'delivered' };

/** "Thu, Mar 5" for a YYYY-MM-DD date (a calendar date: formatted at noon UTC, so no zone moves it). */
function dayLabel(ctx: StaffContext, date: string): string {
  const format = new Intl.DateTimeFormat(ctx.lang, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** Follow-ups (agents and admins): the check-ins scheduled and sent on the clinic's next 7 days. */
export function registerFollowupsPage(routes: StaffRoutes, deps: FollowupsPageDeps): void {
  routes.page('/staff/followups', 'followups', async (ctx, _req, res) => {
    const { t } = ctx;
    const forecast = await deps.forecast(DAYS);
    const zone = forecast.timeZone;
    const n = new Intl.NumberFormat(ctx.lang);
    const time = new Intl.DateTimeFormat(ctx.lang, { timeStyle: 'short', timeZone: zone });
    const today = forecast.days[0]?.date;
    const dayName = (date: string): string =>
      date === today ? t('followups.today', { date: dayLabel(ctx, date) }) : dayLabel(ctx, date);
    const total = (key: 'scheduled' | 'sent'): number => forecast.days.reduce((sum, d) => sum + d[key], 0);
    const chartData = {
      labels: forecast.days.map((d) => dayLabel(ctx, d.date)),
      datasets: [
        { key: 'scheduled', label: t('followups.scheduled'), data: forecast.days.map((d) => d.scheduled) },
        { key: 'sent', label: t('followups.sent'), data: forecast.days.map((d) => d.sent) },
      ],
    };
    const dayRows = forecast.days.map(
      (d) =>
        html`<tr>
          <th scope="row"><time datetime="${d.date}">${dayName(d.date)}</time></th>
          <td>${n.format(d.scheduled)}</td>
          <td>${n.format(d.sent)}</td>
        </tr>`,
    );
    const itemRows = forecast.items.map(
      (item): SafeHtml =>
        html`<tr>
          <td><time datetime="${item.date}">${dayName(item.date)}</time></td>
          <td><time datetime="${item.at}">${time.format(new Date(item.at))}</time></td>
          <th scope="row">
            ${t('followups.checkInDay', { program: t(`followups.program.${item.program}`), day: item.checkInDay })}
          </th>
          <td><span class="badge ${BADGE[item.status]}">${t(`followups.status.${item.status}`)}</span></td>
          <td><code>${item.jobId.slice(0, SHORT_ID)}</code></td>
        </tr>`,
    );
    const card = (label: string, figure: number): SafeHtml =>
      html`<div class="card"><span class="figure">${n.format(figure)}</span>${label}</div>`;
    const body = html`<p class="hint">${t('followups.intro', { zone })}</p>
      <div class="cards">
        ${card(t('followups.scheduled'), total('scheduled'))} ${card(t('followups.sent'), total('sent'))}
      </div>
      <h2 id="followups-chart-title">${t('followups.perDay')}</h2>
      <div class="chart">
        <canvas id="followups-chart" role="img" aria-labelledby="followups-chart-title"></canvas>
      </div>
      ${jsonBlock('followups-data', chartData)}
      ${dataTable({
        id: 'followups-days',
        caption: t('followups.daysCaption'),
        headers: [t('followups.day'), t('followups.scheduled'), t('followups.sent')],
        rows: dayRows,
      })}
      <p class="hint">${t('followups.overdue')}</p>
      <h2>${t('followups.list')}</h2>
      ${dataTable({
        id: 'followups-items',
        caption: t('followups.listCaption', { count: forecast.items.length }),
        headers: [
          t('followups.date'),
          t('followups.time'),
          t('followups.checkIn'),
          t('followups.statusTitle'),
          t('followups.id'),
        ],
        rows: itemRows,
      })}
      ${forecast.items.length === 0 ? html`<p>${t('followups.none')}</p>` : ''}`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('nav.followups'),
          area: 'followups',
          scripts: ['/staff/assets/chart.umd.min.js', '/staff/assets/followups.js'],
        },
        body,
      ),
      ctx.lang,
    );
  });
}
