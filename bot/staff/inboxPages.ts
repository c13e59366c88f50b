import * as restify from 'restify';
import { OpeningHours } from '../../core/content/schemas';
import { AgentPresence } from '../../core/handoff/agentPresence';
import { HandoffQueue, isHandoffId } from '../../core/handoff/handoffQueue';
import { HandoffNotice, HandoffRecord, HandoffState, StaffRef } from '../../core/handoff/handoffRecord';
import { isOpen, nextOpening } from '../../core/handoff/openingHours';
import { patientFacingName } from '../../core/handoff/staffName';
import { DeliveryOutcome } from '../../core/proactive/patientMessenger';
import { Lang } from '../../core/text/language';
import { html, SafeHtml } from './html';
import { aboutList, INBOX_TABS, InboxTab, inboxTable, redFlagAlert, replyForm, transcriptItems } from './inboxViews';
import { csrfField, layout } from './layout';
import { codeText, StaffContext } from './staffContext';
import { StaffRoutes } from './staffConsole';
import { redirect, routeParam, sendHtml, sendText } from './staffHttp';

export interface InboxPagesDeps {
  queue: HandoffQueue;
  presence: AgentPresence;
  /** Tells the patient's own conversation that staff joined, replied or handed it back (the app delivers it). */
  notifyPatient: (record: HandoffRecord, notice: HandoffNotice) => Promise<DeliveryOutcome>;
  /** Ready-made replies in the patient's language (clinic.yaml `handoff.cannedReplies`). */
  cannedReplies: (lang: Lang) => string[];
  openingHours: () => OpeningHours;
  timeZone: () => string;
  /** How often the pages ask for changes; every ask also counts as the agent being present. */
  pollMs?: number;
}

const CLOSED_STATES: readonly HandoffState[] = ['resolved', 'abandoned', 'timed-out'];
const MAX_REPLY_CHARS = 1000;
const CLOSED_SHOWN = 100;
/** Delivery problems shown on a page after a redirect (`?problem=`). */
const DELIVERY_PROBLEMS = ['failed', 'stopped', 'no-address', 'retry'] as const;
const PROBLEMS = [...DELIVERY_PROBLEMS, 'taken', 'missing', 'closed', 'not-yours'] as const;

const json = (res: restify.Response, body: unknown): void =>
  sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(body));

/** The staff member as a handoff names them: the patient sees a first name only. */
function staffOf(ctx: StaffContext): StaffRef {
  return { id: ctx.session.email, name: patientFacingName(ctx.session.name, ctx.session.email) };
}

function delivered(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'sent' || outcome.kind === 'kept';
}

/**
 * Talking to a person (agents and admins): the queue of conversations waiting for staff, the
 * ones a staff member has, the closed ones; each conversation live, with claim, reply and resolve.
 */
export function registerInboxPages(routes: StaffRoutes, deps: InboxPagesDeps): void {
  const { queue, presence } = deps;
  const pollMs = deps.pollMs ?? 2000;
  const heartbeat = (ctx: StaffContext): Promise<void> =>
    presence.heartbeat({ id: ctx.session.email, name: staffOf(ctx).name, role: ctx.session.role });

  const tabRecords = async (ctx: StaffContext, tab: InboxTab): Promise<HandoffRecord[]> => {
    if (tab === 'waiting') return queue.list({ state: 'waiting' });
    if (tab === 'mine') return queue.list({ state: 'claimed', claimedBy: ctx.session.email });
    return (await queue.list({ state: CLOSED_STATES }))
      .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''))
      .slice(0, CLOSED_SHOWN);
  };

  const counts = async (ctx: StaffContext): Promise<Record<InboxTab, number>> => {
    const all = await queue.list();
    return {
      waiting: all.filter((r) => r.state === 'waiting').length,
      mine: all.filter((r) => r.state === 'claimed' && r.claimedBy?.id === ctx.session.email).length,
      resolved: Math.min(CLOSED_SHOWN, all.filter((r) => CLOSED_STATES.includes(r.state)).length),
    };
  };

  const availability = async (ctx: StaffContext): Promise<SafeHtml> => {
    const zone = deps.timeZone();
    const hours = deps.openingHours();
    const names = (await presence.present()).map((a) => a.name);
    const here = names.length > 0 ? ctx.t('inbox.present', { names: names.join(', ') }) : ctx.t('inbox.nobodyPresent');
    if (isOpen(hours, zone, ctx.now)) return html`<p class="hint">${ctx.t('inbox.open')} ${here}</p>`;
    const opens = nextOpening(hours, zone, ctx.now);
    const when = opens
      ? new Intl.DateTimeFormat(ctx.lang, {
          weekday: 'long',
          hour: 'numeric',
          minute: '2-digit',
          timeZone: zone,
        }).format(opens)
      : '—';
    return html`<p class="hint">${ctx.t('inbox.closed', { when })} ${here}</p>`;
  };

  routes.page('/staff/inbox', 'inbox', async (ctx, _req, res) => {
    const { t } = ctx;
    await heartbeat(ctx);
    const asked = ctx.url.searchParams.get('tab');
    const tab = INBOX_TABS.find((x) => x === asked) ?? 'waiting';
    const [records, count, version] = await Promise.all([tabRecords(ctx, tab), counts(ctx), queue.version()]);
    const body = html`${await availability(ctx)}
      <p id="live-status" class="warning" hidden>${t('inbox.offline')}</p>
      <nav aria-label="${t('inbox.tabsLabel')}">
        <ul class="ranges">
          ${INBOX_TABS.map(
            (x) =>
              html`<li>
                <a href="/staff/inbox?tab=${x}" ${x === tab ? html` aria-current="page"` : ''}
                  >${t(`inbox.tab.${x}`)} (<span data-count="${x}">${count[x]}</span>)</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <div
        id="inbox-list"
        data-updates="/staff/inbox/updates?tab=${tab}"
        data-version="${version}"
        data-poll-ms="${pollMs}"
        aria-live="polite"
      >
        ${inboxTable(ctx, records, tab, deps.timeZone())}
      </div>`;
    const notice = codeText(ctx, 'done', 'inbox.done', ['resolved']);
    const error = codeText(ctx, 'problem', 'inbox.problem', PROBLEMS);
    sendHtml(
      res,
      200,
      layout(ctx, { title: t('nav.inbox'), area: 'inbox', notice, error, scripts: ['/staff/assets/inbox.js'] }, body),
      ctx.lang,
    );
  });

  // The list page's poll: the list again only when something changed (or when asked, to refresh wait times).
  routes.page('/staff/inbox/updates', 'inbox', async (ctx, _req, res) => {
    await heartbeat(ctx);
    const asked = ctx.url.searchParams.get('tab');
    const tab = INBOX_TABS.find((x) => x === asked) ?? 'waiting';
    const since = Number(ctx.url.searchParams.get('since'));
    const version = await queue.version();
    if (version === since) return json(res, { version, changed: false });
    const [records, count] = await Promise.all([tabRecords(ctx, tab), counts(ctx)]);
    json(res, { version, changed: true, counts: count, list: inboxTable(ctx, records, tab, deps.timeZone()).value });
  });

  const detail = async (
    ctx: StaffContext,
    record: HandoffRecord,
    view: { draft?: string; error?: string; status?: number },
    res: restify.Response,
  ): Promise<void> => {
    const { t } = ctx;
    const zone = deps.timeZone();
    const mine = record.state === 'claimed' && record.claimedBy?.id === ctx.session.email;
    const canned = deps.cannedReplies(record.lang);
    const action = (name: string, label: string, secondary = false): SafeHtml =>
      html`<form method="post" action="/staff/inbox/${record.id}/${name}" class="inline">
        ${csrfField(ctx)}<button type="submit" ${secondary ? html` class="secondary"` : ''}>${label}</button>
      </form>`;
    const reply = mine
      ? replyForm(ctx, record, { canned, name: staffOf(ctx).name, draft: view.draft, maxChars: MAX_REPLY_CHARS })
      : '';
    const actions = html`${record.state === 'waiting' ? action('claim', t('inbox.claim')) : ''}
    ${mine || record.state === 'waiting' ? action('resolve', t('inbox.resolve'), record.state === 'waiting') : ''}
    ${record.state === 'claimed' && !mine ? html`<p>${t('inbox.claimedByOther', { name: record.claimedBy?.name ?? '' })}</p>` : ''}`;
    const body = html`<p><a href="/staff/inbox">${t('inbox.back')}</a></p>
      <p id="live-status" class="warning" hidden>${t('inbox.offline')}</p>
      <p id="state-changed" class="warning" hidden>${t('inbox.stateChanged')}</p>
      <div id="red-flags" data-count="${record.redFlagsFired}">${redFlagAlert(ctx, record, zone)}</div>
      <div class="side-by-side">
        <section aria-labelledby="conversation-title">
          <h2 id="conversation-title">${t('inbox.conversation')}</h2>
          <ol
            id="transcript"
            data-messages="/staff/inbox/${record.id}/messages"
            data-after="${record.messageCount}"
            data-state="${record.state}"
            data-poll-ms="${pollMs}"
            aria-live="polite"
          >
            ${transcriptItems(ctx, record, record.transcript, zone)}
          </ol>
          ${reply}
        </section>
        <section aria-labelledby="about-title">
          <h2 id="about-title">${t('inbox.about')}</h2>
          ${aboutList(ctx, record, zone)}
          <h3>${t('inbox.summary')}</h3>
          <p lang="${record.lang}">${record.summary || t('inbox.noSummary')}</p>
          ${actions}
        </section>
      </div>`;
    const notice = codeText(ctx, 'done', 'inbox.done', ['claimed', 'sent']);
    const error = view.error ?? codeText(ctx, 'problem', 'inbox.problem', PROBLEMS);
    sendHtml(
      res,
      view.status ?? 200,
      layout(ctx, { title: t('inbox.title'), area: 'inbox', notice, error, scripts: ['/staff/assets/inbox.js'] }, body),
      ctx.lang,
    );
  };

  const recordOf = async (req: restify.Request): Promise<HandoffRecord | undefined> => {
    const id = routeParam(req, 'id');
    return isHandoffId(id) ? queue.get(id) : undefined;
  };

  routes.page('/staff/inbox/:id', 'inbox', async (ctx, req, res) => {
    await heartbeat(ctx);
    const record = await recordOf(req);
    if (!record) return redirect(res, '/staff/inbox?problem=missing');
    await detail(ctx, record, {}, res);
  });

  // The conversation page's poll: the lines after the last one it shows, and whether the state moved.
  routes.page('/staff/inbox/:id/messages', 'inbox', async (ctx, req, res) => {
    await heartbeat(ctx);
    const record = await recordOf(req);
    if (!record) return sendText(res, 404, 'application/json; charset=utf-8', '{"missing":true}');
    const after = Number(ctx.url.searchParams.get('after')) || 0;
    const zone = deps.timeZone();
    json(res, {
      state: record.state,
      after: record.messageCount,
      items: transcriptItems(
        ctx,
        record,
        record.transcript.filter((m) => m.seq > after),
        zone,
      ).value,
      redFlagCount: record.redFlagsFired,
      redFlags: redFlagAlert(ctx, record, zone).value,
    });
  });

  const audit = (ctx: StaffContext, record: HandoffRecord, detail: string): Promise<void> =>
    routes.audit.record({ actor: ctx.session.email, action: 'handoff', target: record.id.slice(0, 8), detail });

  /** Tells the patient; a problem comes back as the `problem` code of the next page. */
  const tell = async (record: HandoffRecord, notice: HandoffNotice): Promise<string> => {
    const outcome = await deps.notifyPatient(record, notice);
    return delivered(outcome) ? '' : `&problem=${outcome.kind}`;
  };

  routes.action('/staff/inbox/:id/claim', 'inbox', async (ctx, _form, req, res) => {
    const record = await recordOf(req);
    if (!record) return redirect(res, '/staff/inbox?problem=missing');
    const claimed = await queue.claim(record.id, staffOf(ctx));
    if (!claimed.ok) return redirect(res, `/staff/inbox/${record.id}?problem=taken`);
    await audit(ctx, record, 'claimed');
    const problem = await tell(claimed.record, { kind: 'claimed', staffName: staffOf(ctx).name });
    redirect(res, `/staff/inbox/${record.id}?done=claimed${problem}`);
  });

  routes.action('/staff/inbox/:id/reply', 'inbox', async (ctx, form, req, res) => {
    const record = await recordOf(req);
    if (!record) return redirect(res, '/staff/inbox?problem=missing');
    const typed = (form.get('text') ?? '').trim().slice(0, MAX_REPLY_CHARS);
    const canned = deps.cannedReplies(record.lang)[Number(form.get('canned') ?? 'x')];
    const text = typed || canned || '';
    const me = staffOf(ctx);
    if (record.state !== 'claimed' || record.claimedBy?.id !== me.id) {
      return redirect(res, `/staff/inbox/${record.id}?problem=${record.state === 'claimed' ? 'not-yours' : 'closed'}`);
    }
    if (!text) return detail(ctx, record, { error: ctx.t('inbox.empty'), status: 400 }, res);
    const outcome = await deps.notifyPatient(record, { kind: 'staff-reply', text, staffName: me.name });
    if (!delivered(outcome)) {
      await audit(ctx, record, `reply not delivered: ${outcome.kind}`);
      const error = ctx.t(`inbox.problem.${outcome.kind}`);
      return detail(ctx, record, { draft: text, error, status: 502 }, res);
    }
    const kept = await queue.appendStaffMessage(record.id, me, text);
    if (!kept.ok) return redirect(res, `/staff/inbox/${record.id}?problem=${kept.reason}`);
    await audit(ctx, record, 'replied');
    redirect(res, `/staff/inbox/${record.id}?done=sent#reply`);
  });

  routes.action('/staff/inbox/:id/resolve', 'inbox', async (ctx, _form, req, res) => {
    const record = await recordOf(req);
    if (!record) return redirect(res, '/staff/inbox?problem=missing');
    const resolved = await queue.resolve(record.id, staffOf(ctx));
    if (!resolved.ok) return redirect(res, `/staff/inbox/${record.id}?problem=${resolved.reason}`);
    await audit(ctx, record, 'resolved');
    const problem = await tell(resolved.record, { kind: 'resolved' });
    redirect(res, `/staff/inbox?tab=resolved&done=resolved${problem}`);
  });
}
