import { Storage } from 'botbuilder';
import * as restify from 'restify';
import { AppConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { ContentRuntime } from '../core/content/contentRuntime';
import { ContentSet } from '../core/content/contentLoader';
import { ContentStore } from '../core/content/contentStore';
import { DraftDecisions, DraftTester } from '../core/content/draftTester';
import { decisionParts } from '../core/consultation/messageDecision';
import { LANGS } from '../core/text/language';
import { openContentStore } from './contentStore';
import { GapStore } from '../core/gaps/gapLog';
import { ConsultationBot } from './consultationBot';
import { createLocalizer } from './i18n';
import { createLogger, Logger } from './logger';
import { createBot } from './createBot';
import { createStorage } from './storage';
import { BookingOutbox } from '../core/booking/outbox';
import { BookingRelay } from '../core/booking/bookingRelay';
import { DeliveryClient } from '../core/booking/deliveryClient';
import { RequestLimits } from '../core/security/requestLimits';
import { ServiceUrlPolicy } from '../core/security/serviceUrlPolicy';
import { ClinicAdapter, createAdapter } from './clinicAdapter';
import { answerRouteErrorsAsJson } from './httpGuards';
import { messageEndpoint } from './messageEndpoint';
import { registerEmbeddedDirectLine } from './directLine';
import { registerWebChat, TokenSource } from './webChat';
import { ConversationTokens, tokenKey } from '../core/directLine/conversationTokens';
import { Transcripts } from '../core/directLine/transcripts';
import { AzureDirectLineTokens } from '../core/directLine/azureDirectLine';
import { turnErrorHandler } from './turnErrorHandler';
import { AnalyticsReader } from '../core/analytics/analyticsReader';
import { AnalyticsRecorder, AnalyticsWriteError } from '../core/analytics/analyticsRecorder';
import { SqliteStorage } from '../core/storage/sqliteStorage';
import { createDataRetention, DataRetention, legacyGapsFile, storeCatalog } from './dataRetention';
import { registerStaffConsole } from './staff/staffConsole';
import { EntraSignIn } from './staff/entraSignIn';
import { registerAccountsPages } from './staff/accountsPages';
import { registerAuditPage } from './staff/auditPage';
import { registerBookingsPages } from './staff/bookingsPages';
import { registerAnalyticsPage } from './staff/analyticsPage';
import { registerContentPages } from './staff/contentPages';
import { registerGapsPages } from './staff/gapsPages';
import { InboxPagesDeps, registerInboxPages } from './staff/inboxPages';
import { registerFollowupsPage } from './staff/followupsPage';
import { handoffFigures } from '../core/handoff/handoffFigures';
import { HandoffQueue } from '../core/handoff/handoffQueue';
import { AgentPresence } from '../core/handoff/agentPresence';
import { GapInbox } from '../core/staff/gapInbox';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { InboxHandoffProvider } from './handoff/inboxHandoffProvider';
import { ClinicHandoffDesk } from './handoff/clinicHandoffDesk';
import { HandoffNotices } from './handoff/handoffNotices';
import { staffNotifier } from './handoff/staffNotifier';
import { recentChat } from './handoff/recentChat';
import { FollowupScheduler } from '../core/followups/followupScheduler';
import { InProcessCatalog, LateMessenger } from './followupWiring';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ProactiveMessenger } from './proactiveMessenger';
import { registerBookingStatus } from './bookingStatusEndpoint';
import { NudgingMessenger } from './patientNudge';
import { ResumeLinks } from '../core/directLine/resumeLinks';

export interface App {
  server: restify.Server;
  adapter: ClinicAdapter;
  bot: ConsultationBot;
  log: Logger;
  /** The engine answering right now (content can be swapped without a restart). */
  engine(): ConsultationEngine;
  content: ContentRuntime;
  /** Published content versions in STATE_STORE: the draft staff edit, publish, history, diff, rollback. */
  contentStore: ContentStore;
  /** Answers questions against the draft as `npm run ask` reports them (the console's test pane). */
  contentTester: DraftTester;
  /** Delivers booking requests (and keeps retrying pending ones in the background). */
  bookings: BookingRelay;
  /** The gap log in STATE_STORE and the retention sweep (`retention.sweepNow()` runs one at once). */
  retention: DataRetention;
  /** Staff's figures (counts per UTC hour in STATE_STORE), summed for the console's ranges. */
  analytics: AnalyticsReader;
  /** Conversations handed to a person (the built-in inbox); `expire` closes those nobody took in time. */
  handoffs: InboxHandoffProvider;
  /** Aftercare check-ins; `runDue()` sends what is due now (the service does it every minute). */
  followups: FollowupScheduler;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface AppOverrides {
  storage?: Storage;
  log?: Logger;
  gaps?: GapStore;
  /** Tests: the clock of "talk to a person" (opening hours, waits, presence). */
  now?: () => Date;
  /** Tests: what the staff inbox uses to reach a patient instead of the channels. */
  notifyPatient?: InboxPagesDeps['notifyPatient'];
}

/** How long an embedded Direct Line token opens its conversation (Web Chat renews it every 15 minutes). */
const DIRECT_LINE_TOKEN_SECONDS = 3600;

/** The file older versions kept gap records in; now read once into STATE_STORE (bot/dataRetention.ts). */
export function gapsFile(dataDir: string): string {
  return legacyGapsFile(dataDir);
}

/** Builds the whole service from a validated config; index.ts only calls this and listens. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const i18n = await createLocalizer(config.localesDir, config.env !== 'production');
  const store = overrides.storage
    ? { storage: overrides.storage, kind: 'override', close: () => undefined }
    : createStorage(config.state);
  // Once a version is published in STATE_STORE it serves on every instance instead of the folder.
  const buildEngine = (set: ContentSet) => ConsultationEngine.building(set, i18n.commands);
  const ownStore = !overrides.storage || store.storage instanceof SqliteStorage;
  const contentStore = openContentStore(
    config,
    store.storage,
    ownStore ? storeCatalog(config.state, store.storage) : undefined,
  );
  const content = await ContentRuntime.load(config.contentDir, buildEngine, log, undefined, contentStore);
  if (config.contentWatch) content.watch();
  content.followStore(contentStore, config.contentPollMs);
  const now = overrides.now ?? (() => new Date());
  // The test pane decides a question as the first message of a patient's new conversation.
  const titles = (key: string): string[] => LANGS.map((l) => i18n.t(l, key));
  const draftDecisions: DraftDecisions = {
    partsFor: (engine) =>
      decisionParts(engine, i18n.replies, titles('flows.booking.buttons.send'), titles('handoff.callbackButton')),
    maxMessageChars: config.maxMessageChars,
    now,
  };
  const contentTester = new DraftTester(contentStore, buildEngine, draftDecisions);
  const outbox = new BookingOutbox(store.storage);
  // Staff's figures: counted in memory during turns, merged into STATE_STORE every ANALYTICS_FLUSH_SECONDS.
  const analytics = new AnalyticsRecorder(store.storage, {
    flushMs: config.analyticsFlushMs,
    catalog: ownStore ? storeCatalog(config.state, store.storage) : undefined,
    onError: (err) =>
      log.warn(
        { event: 'analytics-flush-failed', error: err instanceof AnalyticsWriteError ? err.message : errorName(err) },
        'could not write analytics counts: kept for the next flush',
      ),
  });
  const { booking } = config;
  const bookings = new BookingRelay(
    outbox,
    booking.endpointUrl
      ? new DeliveryClient({ url: booking.endpointUrl, token: booking.token, signingSecret: booking.signingSecret })
      : undefined,
    booking,
    log,
    undefined,
    analytics,
  );
  const retention = createDataRetention({
    config,
    storage: store.storage,
    storeFromConfig: !overrides.storage,
    outbox,
    log,
    gaps: overrides.gaps,
  });
  // Where patients who asked to be contacted are reached outside a turn (booking answers, check-ins, staff).
  const addresses = new PatientAddresses(store.storage);
  // "Talk to a person": the staff console's inbox, in STATE_STORE (any instance queues, any answers).
  const handoffQueue = new HandoffQueue(store.storage, now);
  const presence = new AgentPresence(store.storage, { now });
  const handoffProvider = new InboxHandoffProvider(handoffQueue);
  const handoffDesk = new ClinicHandoffDesk({
    provider: handoffProvider,
    presence,
    clinic: () => content.engine.content.clinic,
    now,
    history: async (channelId, conversationId) =>
      channelId === 'directline' && embeddedTranscripts ? recentChat(embeddedTranscripts, conversationId) : undefined,
    notifyStaff: staffNotifier(config, log),
  });
  // Aftercare check-ins: jobs in STATE_STORE, each sent once across instances; the messenger is set below.
  const followupMessenger = new LateMessenger();
  const followups = new FollowupScheduler({
    store: store.storage,
    catalog: (ownStore ? storeCatalog(config.state, store.storage) : undefined) ?? new InProcessCatalog(store.storage),
    messenger: followupMessenger,
    content: () => content.engine.content,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    now,
    log,
  });
  const { bot, replies, gaps } = createBot({
    now,
    addresses,
    handoff: handoffDesk,
    followups,
    engine: () => content.engine,
    i18n,
    storage: store.storage,
    bookings,
    dedupeWindowMs: config.activityDedupeSeconds * 1000,
    dedupeScope: config.activityDedupeScope,
    maxBookingsPerHour: config.maxBookingsPerHour,
    log,
    maxMessageChars: config.maxMessageChars,
    defaultLang: config.defaultLocale,
    gaps: retention.gaps,
    gapConfidenceBelow: config.gapConfidenceBelow,
    bookingRecords: outbox,
    retention: config.retention,
    analytics,
  });

  const adapter = createAdapter(config.auth);
  adapter.onTurnError = turnErrorHandler(bot, replies, log);

  const server = restify.createServer({ name: 'clinic-bot', handleUncaughtExceptions: false });
  // A slow client cannot hold a connection: headers, then the whole request, must arrive in time;
  // an idle kept-alive connection is closed.
  const httpServer = server.server;
  httpServer.headersTimeout = config.http.headersTimeoutMs;
  httpServer.requestTimeout = config.http.requestTimeoutMs;
  httpServer.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Node checks the two timeouts above on this interval (30 s by default, read when listening),
  // so without it a bound of a few seconds would be enforced up to 30 s late.
  Object.assign(httpServer, {
    connectionsCheckingInterval: Math.min(5_000, Math.max(100, Math.floor(config.http.headersTimeoutMs / 4))),
  });
  answerRouteErrorsAsJson(server, log);

  server.post(
    '/api/messages',
    messageEndpoint({
      adapter,
      logic: (context) => bot.run(context),
      log,
      maxBodyBytes: config.maxBodyBytes,
      limits: new RequestLimits(config.rateLimits),
      trustProxyHops: config.http.trustProxyHops,
      serviceUrls: config.localMode ? new ServiceUrlPolicy(config.localServiceOrigins) : undefined,
    }),
  );
  // The chat page at / and the Direct Line it talks through: embedded by default, Azure's with DIRECT_LINE_SECRET.
  const directLine = config.webChat.directLine;
  let tokenSource: TokenSource;
  let sweepHistories: (() => Promise<void>) | undefined;
  let embeddedTranscripts: Transcripts | undefined;
  let resumeLinks: ResumeLinks | undefined;
  if (directLine.mode === 'embedded') {
    // A chat history never outlives the conversation's retention (RETENTION_CONVERSATION_DAYS).
    const historySeconds = Math.round(
      Math.min(directLine.historyHours * 3600, config.retention.conversationDays * 86_400),
    );
    const key = tokenKey(directLine.tokenKey, config.dataDir);
    const tokens = new ConversationTokens(key, DIRECT_LINE_TOKEN_SECONDS);
    const transcripts = new Transcripts(store.storage, {
      historyMs: historySeconds * 1000,
      maxActivities: 500,
      cacheSize: 2000,
    });
    registerEmbeddedDirectLine(server, {
      adapter,
      logic: (context) => bot.run(context),
      log,
      tokens,
      transcripts,
      limits: new RequestLimits(config.rateLimits),
      trustProxyHops: config.http.trustProxyHops,
      maxBodyBytes: config.maxBodyBytes,
      bot: { id: config.auth.appId ?? 'clinic-bot', name: () => content.engine.content.clinic.name },
      onForgotten: (listener) => bot.events.on('forgotten', listener),
    });
    // A nudge's link never outlives the chat's history (a message kept there starts the window again).
    resumeLinks = new ResumeLinks(key, Math.min(config.nudge.linkHours * 3600, historySeconds));
    tokenSource = { kind: 'embedded', tokens, transcripts, historySeconds, resumeLinks };
    sweepHistories = async () => {
      try {
        const deleted = await transcripts.sweep();
        if (deleted)
          log.info(
            { event: 'directline-history-swept', deleted },
            'deleted chat histories past DIRECT_LINE_HISTORY_HOURS',
          );
      } catch (err) {
        log.warn({ event: 'directline-history-sweep-failed', err }, 'could not sweep old chat histories');
      }
    };
    embeddedTranscripts = transcripts;
  } else {
    tokenSource = { kind: 'azure', directLine: new AzureDirectLineTokens(directLine.endpoint, directLine.secret) };
  }
  const proactive = new ProactiveMessenger({ adapter, addresses, transcripts: embeddedTranscripts, log });
  // What no channel can show the patient now is also told to the clinic's SMS or email system (NUDGE_WEBHOOK_URL).
  const { nudge, publicBaseUrl } = config;
  const messenger = nudge.webhookUrl
    ? new NudgingMessenger(proactive, {
        url: nudge.webhookUrl,
        secret: nudge.webhookSecret,
        addresses,
        links: publicBaseUrl && resumeLinks ? { baseUrl: publicBaseUrl, tokens: resumeLinks } : undefined,
        log,
        now,
      })
    : proactive;
  // What staff do in the inbox reaches the patient's own conversation, in their language.
  handoffProvider.listen(new HandoffNotices(addresses, messenger, replies));
  followupMessenger.use(messenger);
  registerBookingStatus(server, {
    outbox,
    addresses,
    messenger,
    replies,
    signingSecret: booking.signingSecret,
    maxBodyBytes: config.maxBodyBytes,
    timeZone: () => content.engine.content.clinic.timeZone,
    log,
  });
  registerWebChat(server, {
    clinic: () => content.engine.content.clinic,
    contentDir: () => config.contentDir,
    i18n,
    defaultLang: config.defaultLocale,
    tokenSource,
    frameAncestors: config.webChat.frameAncestors,
    limits: new RequestLimits(config.rateLimits),
    trustProxyHops: config.http.trustProxyHops,
    log,
  });

  const analyticsReader = new AnalyticsReader(store.storage, {
    timeZone: () => content.engine.content.clinic.timeZone,
  });
  if (config.staff) {
    const staffRoutes = await registerStaffConsole(server, {
      store: store.storage,
      config: config.staff,
      env: config.env,
      localesDir: config.localesDir,
      defaultLang: config.defaultLocale,
      trustProxyHops: config.http.trustProxyHops,
      clinicName: () => content.engine.content.clinic.name,
      log,
      entra: config.staff.entra ? new EntraSignIn(config.staff.entra, store.storage) : undefined,
      // One clock for the console and the bot (tests fix it; the inbox's wait times and opening hours follow it).
      now,
    });
    const timeZone = (): string => content.engine.content.clinic.timeZone;
    registerAccountsPages(staffRoutes, { localAccounts: config.staff.auth === 'local' });
    registerAuditPage(staffRoutes, timeZone);
    registerBookingsPages(staffRoutes, { store: store.storage, outbox, timeZone });
    registerAnalyticsPage(staffRoutes, analyticsReader, async (range) =>
      handoffFigures(await handoffQueue.list(), range),
    );
    registerContentPages(staffRoutes, { content: contentStore, testPane: contentTester, timeZone });
    registerGapsPages(staffRoutes, {
      inbox: new GapInbox(retention.gaps, store.storage),
      content: contentStore,
      previewTester: (files) =>
        new DraftTester(
          { draft: async () => ({ ...(await contentStore.draft()), files }) },
          buildEngine,
          draftDecisions,
        ),
      timeZone,
    });
    registerInboxPages(staffRoutes, {
      queue: handoffQueue,
      presence,
      notifyPatient: overrides.notifyPatient ?? ((record, notice) => handoffProvider.notice(record, notice)),
      cannedReplies: (lang) => content.engine.content.clinic.handoff.cannedReplies.map((reply) => reply[lang]),
      openingHours: () => content.engine.content.clinic.openingHours,
      timeZone,
    });
    // The forecast counts days in the clinic's zone (content clinic.yaml `timeZone`) and says which.
    registerFollowupsPage(staffRoutes, { forecast: (days) => followups.forecast(days) });
  }

  server.get('/healthz', (_req, res, next) => {
    res.json(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', (_req, res, next) => {
    const status = content.status();
    res.json(200, {
      status: 'ready',
      contentVersion: status.version,
      contentSource: status.source,
      contentHash: status.contentHash,
      contentFolderIgnored: status.folderIgnored ?? null,
      entries: status.entries,
      loadedAt: status.loadedAt,
      lastReloadAt: status.lastReloadAt ?? null,
      lastError: status.lastError ?? null,
      stateStore: store.kind,
      bookingEndpoint: bookings.delivers ? 'configured' : 'none (requests kept for staff: npm run bookings)',
      directLine: directLine.mode,
    });
    next();
  });

  log.info(
    {
      event: 'startup',
      contentVersion: content.status().version,
      entries: content.engine.content.faq.length,
      localMode: config.localMode,
      env: config.env,
      stateStore: store.kind,
      bookingEndpoint: bookings.delivers,
      rateLimits: config.rateLimits,
      trustProxyHops: config.http.trustProxyHops,
      ...(config.localMode ? { localServiceOrigins: config.localServiceOrigins.length } : {}),
    },
    config.localMode
      ? 'local mode: requests are not authenticated and replies go only to loopback or LOCAL_SERVICE_URLS ' +
          '(development only)'
      : 'Bot Framework authentication on',
  );

  let sweepTimer: NodeJS.Timeout | undefined;
  let handoffTimer: NodeJS.Timeout | undefined;
  // Conversations nobody picked up in HANDOFF_QUEUE_TIMEOUT_MINUTES: the patient is told and offered a callback.
  const expireHandoffs = async (): Promise<void> => {
    try {
      await handoffProvider.expire(now(), content.engine.content.clinic.handoff.queueTimeoutMinutes * 60_000);
    } catch (err) {
      log.warn({ event: 'handoff-expire-failed', error: errorName(err) }, 'could not close timed-out handoffs');
    }
  };
  return {
    server,
    adapter,
    bot,
    log,
    engine: () => content.engine,
    content,
    contentStore,
    contentTester,
    bookings,
    retention,
    analytics: analyticsReader,
    handoffs: handoffProvider,
    followups,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          // Requests left pending by a previous run (crash, endpoint down) are delivered from now on.
          bookings.start();
          analytics.start();
          // Deletes what is past RETENTION_*_DAYS in the background (one instance at a time).
          retention.start();
          // Check-ins due (and held back by quiet hours) are sent from now on, by whichever instance claims each.
          followups.start();
          handoffTimer = setInterval(() => void expireHandoffs(), 15_000);
          handoffTimer.unref();
          // Chat histories past their window are deleted hourly, also those nobody came back to.
          if (sweepHistories) {
            void sweepHistories();
            sweepTimer = setInterval(() => void sweepHistories?.(), 3_600_000);
            sweepTimer.unref();
          }
          resolve({ port: address.port });
        });
      }),
    close: async () => {
      // Stops the folder watcher and the polling of STATE_STORE for published versions.
      content.close();
      contentTester.close();
      clearInterval(sweepTimer);
      clearInterval(handoffTimer);
      await followups.stop();
      await retention.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections?.();
      });
      // Questions recorded for staff in the last moments are written before the process ends.
      await gaps.flush();
      // Unfinished deliveries stay pending in storage; the next start (or another instance) resumes them.
      await bookings.stop();
      // Counted in the last moments (turns, deliveries) are written before the store closes.
      await analytics.stop();
      store.close();
    },
  };
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}
