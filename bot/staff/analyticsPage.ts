import {
  ANALYTICS_RANGES,
  AnalyticsRange,
  AnalyticsReader,
  AnalyticsSummary,
} from '../../core/analytics/analyticsReader';
import { HandoffFigures } from '../../core/handoff/handoffFigures';
import { HANDOFF_REASONS } from '../../core/handoff/handoffRecord';
import { html, jsonBlock, SafeHtml } from './html';
import { dataTable, layout } from './layout';
import { StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { sendHtml } from './staffHttp';

function percent(ctx: StaffContext, share: number | null): string {
  return share === null
    ? '—'
    : new Intl.NumberFormat(ctx.lang, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

function cards(ctx: StaffContext, s: AnalyticsSummary): SafeHtml {
  const { t } = ctx;
  const n = new Intl.NumberFormat(ctx.lang);
  const card = (label: string, figure: string) =>
    html`<div class="card"><span class="figure">${figure}</span>${label}</div>`;
  return html`<div class="cards">
    ${card(t('analytics.conversations'), n.format(s.totals.conversations))}
    ${card(t('analytics.messages'), n.format(s.totals.messages))}
    ${card(t('analytics.answered'), percent(ctx, s.rates.answered))}
    ${card(t('analytics.didYouMean'), percent(ctx, s.rates.didYouMean))}
    ${card(t('analytics.fallback'), percent(ctx, s.rates.fallback))}
    ${card(t('analytics.redFlags'), n.format(s.totals.redFlags))}
    ${card(t('analytics.bookingsRequested'), n.format(s.bookings.requested))}
    ${card(t('analytics.bookingsDelivered'), n.format(s.bookings.delivered))}
  </div>`;
}

function seriesTable(ctx: StaffContext, s: AnalyticsSummary): SafeHtml {
  const { t } = ctx;
  return html`<details>
    <summary>${t('analytics.asTable')}</summary>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="series-caption">
      <table>
        <caption id="series-caption">
          ${t('analytics.seriesCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t(s.granularity === 'hour' ? 'analytics.hourUtc' : 'analytics.day')}</th>
            <th scope="col">${t('analytics.conversations')}</th>
            <th scope="col">${t('analytics.messages')}</th>
            <th scope="col">${t('analytics.answeredCount')}</th>
            <th scope="col">${t('analytics.didYouMeanCount')}</th>
            <th scope="col">${t('analytics.fallbackCount')}</th>
            <th scope="col">${t('analytics.redFlags')}</th>
          </tr>
        </thead>
        <tbody>
          ${s.series.map(
            (p) =>
              html`<tr>
                <th scope="row">${s.granularity === 'hour' ? p.at.slice(11, 16) : p.at}</th>
                <td>${p.conversations}</td>
                <td>${p.messages}</td>
                <td>${p.answered}</td>
                <td>${p.didYouMean}</td>
                <td>${p.fallback}</td>
                <td>${p.redFlags}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

/** The handoff figures of the handoffs queued in [from, to). */
export type HandoffFiguresOf = (range: { from: Date; to: Date }) => Promise<HandoffFigures>;

/** "45 s", "3 min 20 s", "1 h 5 min"; a dash when no handoff got a reply. */
function wait(ctx: StaffContext, ms: number | undefined): string {
  if (ms === undefined) return '—';
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < 60) return ctx.t('analytics.handoffs.duration.seconds', { seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return ctx.t('analytics.handoffs.duration.minutes', { minutes, seconds: seconds % 60 });
  return ctx.t('analytics.handoffs.duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** Talking to a person over the period: how many, what became of them, how long the first reply took. */
function handoffSection(ctx: StaffContext, f: HandoffFigures): SafeHtml {
  const { t } = ctx;
  const n = new Intl.NumberFormat(ctx.lang);
  const figures: [string, string][] = [
    [t('analytics.handoffs.handoffs'), n.format(f.handoffs)],
    ...HANDOFF_REASONS.map((reason): [string, string] => [
      t('analytics.handoffs.byReason', { reason: t(`inbox.reason.${reason}`) }),
      n.format(f.byReason[reason]),
    ]),
    [t('analytics.handoffs.claimed'), n.format(f.claimed)],
    [t('analytics.handoffs.resolved'), n.format(f.resolved)],
    [t('analytics.handoffs.abandoned'), n.format(f.abandoned)],
    [t('analytics.handoffs.timedOut'), n.format(f.timedOut)],
    [t('analytics.handoffs.open'), n.format(f.open)],
    [t('analytics.handoffs.firstReplyCount'), n.format(f.firstReply.count)],
    [t('analytics.handoffs.firstReplyMedian'), wait(ctx, f.firstReply.medianMs)],
    [t('analytics.handoffs.firstReplyP90'), wait(ctx, f.firstReply.p90Ms)],
  ];
  const card = (label: string, figure: string) =>
    html`<div class="card"><span class="figure">${figure}</span>${label}</div>`;
  return html`<h2>${t('analytics.handoffs.title')}</h2>
    <p class="hint">${t('analytics.handoffs.intro')}</p>
    <div class="cards">
      ${card(t('analytics.handoffs.handoffs'), n.format(f.handoffs))}
      ${card(t('analytics.handoffs.claimed'), n.format(f.claimed))}
      ${card(t('analytics.handoffs.abandoned'), n.format(f.abandoned))}
      ${card(t('analytics.handoffs.timedOut'), n.format(f.timedOut))}
      ${card(t('analytics.handoffs.firstReplyMedian'), wait(ctx, f.firstReply.medianMs))}
      ${card(t('analytics.handoffs.firstReplyP90'), wait(ctx, f.firstReply.p90Ms))}
    </div>
    ${dataTable({
      id: 'handoffs-table',
      caption: t('analytics.handoffs.caption'),
      headers: [t('analytics.handoffs.figure'), t('analytics.handoffs.value')],
      rows: figures.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`),
    })}`;
}

/** Analytics: counters only (never message text), for 24 h, 7, 30 and 90 days. */
export function registerAnalyticsPage(
  routes: StaffRoutes,
  reader: AnalyticsReader,
  handoffFigures?: HandoffFiguresOf,
): void {
  routes.page('/staff/analytics', 'analytics', async (ctx, _req, res) => {
    const { t } = ctx;
    const asked = ctx.url.searchParams.get('range');
    const range: AnalyticsRange = ANALYTICS_RANGES.find((r) => r === asked) ?? '7d';
    const s = await reader.summary(range, ctx.now);
    // The same window as the figures above, with `now` itself counted (a handoff queued this very millisecond).
    const handoffs = handoffFigures
      ? await handoffFigures({ from: new Date(s.from), to: new Date(Date.parse(s.to) + 1) })
      : undefined;
    const n = new Intl.NumberFormat(ctx.lang);
    const ranges = html`<nav aria-label="${t('analytics.rangeLabel')}" class="filters">
      <ul class="ranges">
        ${ANALYTICS_RANGES.map(
          (r) =>
            html`<li>
              <a href="/staff/analytics?range=${r}" ${r === range ? html` aria-current="page"` : ''}
                >${t(`analytics.range.${r}`)}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`;
    const chartData = {
      labels: s.series.map((p) => (s.granularity === 'hour' ? p.at.slice(11, 16) : p.at.slice(5))),
      datasets: [
        { key: 'conversations', label: t('analytics.conversations'), data: s.series.map((p) => p.conversations) },
        { key: 'messages', label: t('analytics.messages'), data: s.series.map((p) => p.messages) },
      ],
      outcomes: [
        { key: 'answered', label: t('analytics.answeredCount'), data: s.series.map((p) => p.answered) },
        { key: 'didYouMean', label: t('analytics.didYouMeanCount'), data: s.series.map((p) => p.didYouMean) },
        { key: 'fallback', label: t('analytics.fallbackCount'), data: s.series.map((p) => p.fallback) },
        { key: 'redFlags', label: t('analytics.redFlags'), data: s.series.map((p) => p.redFlags) },
      ],
    };
    const body = html`${ranges}
      <p class="hint">${t('analytics.intro', { zone: s.timeZone })}</p>
      ${cards(ctx, s)}
      <h2 id="traffic-title">${t('analytics.traffic')}</h2>
      <div class="chart"><canvas id="traffic-chart" role="img" aria-labelledby="traffic-title"></canvas></div>
      <h2 id="outcomes-title">${t('analytics.outcomes')}</h2>
      <div class="chart"><canvas id="outcomes-chart" role="img" aria-labelledby="outcomes-title"></canvas></div>
      ${seriesTable(ctx, s)} ${jsonBlock('analytics-data', chartData)}
      <h2>${t('analytics.topEntries')}</h2>
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="entries-caption">
        <table>
          <caption id="entries-caption">
            ${t('analytics.entriesCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('analytics.entry')}</th>
              <th scope="col">${t('analytics.answeredCount')}</th>
              <th scope="col">${t('analytics.helpful')}</th>
              <th scope="col">${t('analytics.notHelpful')}</th>
            </tr>
          </thead>
          <tbody>
            ${s.topEntries.map(
              (e) =>
                html`<tr>
                  <th scope="row">${e.title[ctx.lang]} <small>(${e.id})</small></th>
                  <td>${n.format(e.answered)}</td>
                  <td>${n.format(e.thumbsUp)}</td>
                  <td>${n.format(e.thumbsDown)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${s.topEntries.length === 0 ? html`<p>${t('analytics.noEntries')}</p>` : ''}
      <div class="side-by-side">
        <div>
          <table>
            <caption>
              ${t('analytics.languages')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('analytics.language')}</th>
                <th scope="col">${t('analytics.conversations')}</th>
                <th scope="col">${t('analytics.messages')}</th>
              </tr>
            </thead>
            <tbody>
              ${s.languages.map(
                (l) =>
                  html`<tr>
                    <th scope="row">${t(`lang.${l.lang}`)}</th>
                    <td>${n.format(l.conversations)}</td>
                    <td>${n.format(l.messages)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <div>
          <table>
            <caption>
              ${t('analytics.channels')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('analytics.channel')}</th>
                <th scope="col">${t('analytics.conversations')}</th>
                <th scope="col">${t('analytics.messages')}</th>
              </tr>
            </thead>
            <tbody>
              ${s.channels.map(
                (c) =>
                  html`<tr>
                    <th scope="row">${t(`analytics.channelName.${c.channel}`)}</th>
                    <td>${n.format(c.conversations)}</td>
                    <td>${n.format(c.messages)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
      ${handoffs ? handoffSection(ctx, handoffs) : ''}`;
    sendHtml(
      res,
      200,
      layout(
        ctx,
        {
          title: t('nav.analytics'),
          area: 'analytics',
          scripts: ['/staff/assets/chart.umd.min.js', '/staff/assets/analytics.js'],
        },
        body,
      ),
      ctx.lang,
    );
  });
}
