import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  Storage,
  TurnContext,
} from 'botbuilder';
import * as restify from 'restify';
import { AppConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { ContentRuntime } from '../core/content/contentRuntime';
import { FileGapStore, GapStore } from '../core/gaps/gapLog';
import * as path from 'node:path';
import { ConsultationBot } from './consultationBot';
import { createLocalizer } from './i18n';
import { createLogger, Logger } from './logger';
import { createBot } from './createBot';
import { createStorage } from './storage';
import { BookingOutbox } from '../core/booking/outbox';
import { BookingRelay } from '../core/booking/bookingRelay';
import { DeliveryClient } from '../core/booking/deliveryClient';

export interface App {
  server: restify.Server;
  adapter: CloudAdapter;
  bot: ConsultationBot;
  log: Logger;
  /** The engine answering right now (content can be swapped without a restart). */
  engine(): ConsultationEngine;
  content: ContentRuntime;
  /** Delivers booking requests (and keeps retrying pending ones in the background). */
  bookings: BookingRelay;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface AppOverrides {
  storage?: Storage;
  log?: Logger;
  gaps?: GapStore;
}

/** The file the embedded default keeps gap records in. */
export function gapsFile(dataDir: string): string {
  return path.join(dataDir, 'gaps.jsonl');
}

/** Builds the whole service from a validated config; index.ts only calls this and listens. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const i18n = await createLocalizer(config.localesDir, config.env !== 'production');
  const content = new ContentRuntime(config.contentDir, (set) => new ConsultationEngine(set, i18n.commands), log);
  if (config.contentWatch) content.watch();
  const store = overrides.storage ? { storage: overrides.storage, kind: 'override', close: () => undefined } : createStorage(config.state);
  const outbox = new BookingOutbox(store.storage);
  const { booking } = config;
  const bookings = new BookingRelay(
    outbox,
    booking.endpointUrl ? new DeliveryClient({ url: booking.endpointUrl, token: booking.token, signingSecret: booking.signingSecret }) : undefined,
    booking,
    log,
  );
  const { bot, replies, gaps } = createBot({
    engine: () => content.engine,
    i18n,
    storage: store.storage,
    bookings,
    dedupeWindowMs: config.activityDedupeSeconds * 1000,
    log,
    maxMessageChars: config.maxMessageChars,
    defaultLang: config.defaultLocale,
    gaps: overrides.gaps ?? new FileGapStore(gapsFile(config.dataDir)),
    gapConfidenceBelow: config.gapConfidenceBelow,
  });

  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.appPassword,
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
  });
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.auth.appId,
      MicrosoftAppTenantId: config.auth.tenantId,
      ...(config.auth.openIdMetadata ? { BotOpenIdMetadata: config.auth.openIdMetadata } : {}),
    },
    credentials,
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    const ref = randomUUID().slice(0, 8);
    log.error(
      { event: 'turn-error', ref, err: { name: error.name, message: error.message, stack: error.stack }, activityType: context.activity.type, channel: context.activity.channelId },
      'turn failed',
    );
    try {
      await bot.resetConversation(context);
      await context.sendActivity(replies.error(await bot.languageOf(context), ref));
    } catch (sendError) {
      log.error({ event: 'turn-error-reply-failed', ref, message: (sendError as Error).message }, 'could not tell the user');
    }
  };

  const server = restify.createServer({ name: 'clinic-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 15_000;

  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req, res, next) => {
    res.json(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', (_req, res, next) => {
    const status = content.status();
    res.json(200, {
      status: 'ready',
      contentVersion: status.version,
      entries: status.entries,
      loadedAt: status.loadedAt,
      lastReloadAt: status.lastReloadAt ?? null,
      lastError: status.lastError ?? null,
      stateStore: store.kind,
      bookingEndpoint: bookings.delivers ? 'configured' : 'none (requests kept for staff: npm run bookings)',
    });
    next();
  });

  log.info(
    {
      event: 'startup',
      contentVersion: content.engine.content.version,
      entries: content.engine.content.faq.length,
      localMode: config.localMode,
      env: config.env,
      stateStore: store.kind,
      bookingEndpoint: bookings.delivers,
    },
    config.localMode ? 'local mode: requests are not authenticated (development only)' : 'Bot Framework authentication on',
  );

  return {
    server,
    adapter,
    bot,
    log,
    engine: () => content.engine,
    content,
    bookings,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          // Requests left pending by a previous run (crash, endpoint down) are delivered from now on.
          bookings.start();
          resolve({ port: address.port });
        });
      }),
    close: async () => {
      content.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections?.();
      });
      // Questions recorded for staff in the last moments are written before the process ends.
      await gaps.flush();
      // Unfinished deliveries stay pending in storage; the next start (or another instance) resumes them.
      await bookings.stop();
      store.close();
    },
  };
}
