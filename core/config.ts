import * as path from 'node:path';
import { z } from 'zod';
import type { RelayOptions } from './booking/bookingRelay';
import { DEFAULT_RETENTION_DAYS, RetentionPolicy } from './retention/retentionSweep';
import { isLoopbackHost, originOf } from './security/serviceUrlPolicy';

/** Empty strings in .env files mean "not set". */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3978),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalString,
  BotOpenIdMetadata: optionalString,
  CONTENT_DIR: z.string().trim().min(1).default('content'),
  CONTENT_WATCH: z.enum(['true', 'false']).default('true'),
  CONTENT_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  LOCALES_DIR: z.string().trim().min(1).default('locales'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  GAP_CONFIDENCE_BELOW: z.coerce.number().min(0).max(1).default(0.6),
  RETENTION_CONVERSATION_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS.conversation),
  RETENTION_BOOKING_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS.booking),
  RETENTION_GAPS_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS.gaps),
  DEFAULT_LOCALE: z.enum(['en', 'es']).default('en'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(256 * 1024),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
  RATE_LIMIT_CONVERSATION_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(30),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(true|false|\d{1,2})$/,
      'the number of reverse proxies in front of the bot (0 = none), or true (= 1) / false (= 0)',
    )
    .default('0')
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))),
  LOCAL_SERVICE_URLS: optionalString,
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(50).max(20000).default(2000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120000).default(10000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  STATE_STORE: z.enum(['sqlite', 'azure-blob', 'memory']).default('sqlite'),
  SQLITE_PATH: optionalString,
  AZURE_STORAGE_CONNECTION_STRING: optionalString,
  AZURE_STORAGE_CONTAINER: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      'a container name is 3–63 lower-case letters, digits and single hyphens',
    )
    .default('clinic-bot-state'),
  ACTIVITY_DEDUPE_SECONDS: z.coerce.number().int().min(0).max(86400).default(600),
  ACTIVITY_DEDUPE_SCOPE: z.enum(['auto', 'shared', 'process']).default('auto'),
  MAX_BOOKINGS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  BOOKING_ENDPOINT_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  BOOKING_ENDPOINT_TOKEN: optionalString,
  BOOKING_SIGNING_SECRET: optionalString,
  BOOKING_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BOOKING_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  BOOKING_RETRY_INITIAL_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  BOOKING_RETRY_MAX_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  BOOKING_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  BOOKING_BREAKER_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  BOOKING_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
  BOOKING_TURN_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(3_000),
  BOOKING_RELEASE_OLDER_THAN_HOURS: z.coerce.number().min(0).max(8760).default(24),
  ANALYTICS_FLUSH_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  HANDOFF_NOTIFY_URL: optionalString.pipe(z.url().optional()),
  HANDOFF_NOTIFY_SECRET: optionalString,
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  NUDGE_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  NUDGE_WEBHOOK_SECRET: optionalString,
  NUDGE_LINK_HOURS: z.coerce.number().min(0.1).max(720).default(72),
  DIRECT_LINE_SECRET: optionalString,
  DIRECT_LINE_ENDPOINT: z.string().trim().default('https://directline.botframework.com'),
  DIRECT_LINE_TOKEN_KEY: optionalString.pipe(z.string().min(32, 'use at least 32 random characters').optional()),
  DIRECT_LINE_HISTORY_HOURS: z.coerce.number().min(0.01).max(720).default(24),
  WEBCHAT_FRAME_ANCESTORS: optionalString,
  // The staff console at /staff/: local accounts (npm run staff) or Microsoft Entra ID; none turns it off.
  STAFF_AUTH: z.enum(['local', 'entra', 'none']).optional(),
  STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  STAFF_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: z.coerce.number().int().min(1).max(1000).default(10),
  STAFF_LOCKOUT_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  STAFF_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  ENTRA_TENANT_ID: optionalString,
  ENTRA_CLIENT_ID: optionalString,
  ENTRA_CLIENT_SECRET: optionalString,
  ENTRA_REDIRECT_URI: optionalString,
  ENTRA_AUTHORITY_HOST: z.string().trim().default('https://login.microsoftonline.com'),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * The validated, typed configuration every other module receives:
 * what `toAppConfig` builds from the parsed environment.
 */
export type AppConfig = ReturnType<typeof toAppConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses environment variables once; throws ConfigError with one line per problem. */
export function loadConfig(source: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const localMode = e.MicrosoftAppId === undefined;
  if (e.NODE_ENV === 'production') {
    if (localMode) {
      problems.push(
        'MicrosoftAppId: required when NODE_ENV=production (local mode without authentication is for development only)',
      );
    }
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && e.MicrosoftAppPassword === undefined) {
      problems.push(
        'MicrosoftAppPassword: required when NODE_ENV=production with MicrosoftAppType ' + e.MicrosoftAppType,
      );
    }
  }
  if (e.NODE_ENV === 'production' && e.STATE_STORE === 'memory') {
    problems.push(
      'STATE_STORE: memory is for tests only and loses every conversation and booking request on restart; ' +
        'use sqlite or azure-blob',
    );
  }
  if (e.STATE_STORE === 'azure-blob' && e.AZURE_STORAGE_CONNECTION_STRING === undefined) {
    problems.push('AZURE_STORAGE_CONNECTION_STRING: required when STATE_STORE=azure-blob');
  }
  if (e.MicrosoftAppType === 'SingleTenant' && !localMode && e.MicrosoftAppTenantId === undefined) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(
      'HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  const openIdMetadata = e.BotOpenIdMetadata === undefined ? undefined : parseUrl(e.BotOpenIdMetadata);
  if (
    e.BotOpenIdMetadata !== undefined &&
    !(
      openIdMetadata?.protocol === 'https:' ||
      (openIdMetadata?.protocol === 'http:' && isLoopbackHost(openIdMetadata.hostname))
    )
  ) {
    problems.push('BotOpenIdMetadata: must be an https URL (http only on loopback, for tests)');
  }
  const localServiceOrigins: string[] = [];
  for (const entry of (e.LOCAL_SERVICE_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0)) {
    const origin = originOf(entry);
    if (origin === undefined)
      problems.push(`LOCAL_SERVICE_URLS: "${entry}" is not an http(s) origin such as https://example.ngrok.app`);
    else localServiceOrigins.push(origin);
  }
  const directLineEndpoint = parseUrl(e.DIRECT_LINE_ENDPOINT);
  if (!(
    directLineEndpoint?.protocol === 'https:' ||
    (directLineEndpoint?.protocol === 'http:' && isLoopbackHost(directLineEndpoint.hostname))
  )) {
    problems.push(
      'DIRECT_LINE_ENDPOINT: must be an https URL such as https://europe.directline.botframework.com ' +
        '(http only on loopback, for tests)',
    );
  }
  const frameAncestors: string[] = [];
  for (const entry of (e.WEBCHAT_FRAME_ANCESTORS ?? '').split(/[\s,]+/).filter((u) => u.length > 0)) {
    const origin = originOf(entry);
    if (origin === undefined)
      problems.push(
        `WEBCHAT_FRAME_ANCESTORS: "${entry}" is not an http(s) origin such as https://www.example-clinic.com`,
      );
    else frameAncestors.push(origin);
  }
  problems.push(...staffConsoleProblems(e));
  if (problems.length > 0) throw new ConfigError(problems);
  return toAppConfig(e, cwd, { localMode, localServiceOrigins, frameAncestors });
}

/** The configuration's shape, built from the checked environment (its type is AppConfig: written once). */
function toAppConfig(
  e: Env,
  cwd: string,
  derived: { localMode: boolean; localServiceOrigins: string[]; frameAncestors: string[] },
) {
  const { localMode, localServiceOrigins, frameAncestors } = derived;
  const state:
    | { store: 'sqlite'; sqlitePath: string }
    | { store: 'azure-blob'; connectionString: string; container: string }
    | { store: 'memory' } =
    e.STATE_STORE === 'sqlite'
      ? { store: 'sqlite', sqlitePath: path.resolve(cwd, e.SQLITE_PATH ?? path.join(e.DATA_DIR, 'state.sqlite')) }
      : e.STATE_STORE === 'azure-blob'
        ? {
            store: 'azure-blob',
            connectionString: e.AZURE_STORAGE_CONNECTION_STRING ?? '',
            container: e.AZURE_STORAGE_CONTAINER,
          }
        : { store: 'memory' };
  const directLine:
    | { mode: 'embedded'; tokenKey?: string; historyHours: number }
    | { mode: 'azure'; secret: string; endpoint: string } =
    e.DIRECT_LINE_SECRET !== undefined
      ? { mode: 'azure', secret: e.DIRECT_LINE_SECRET, endpoint: e.DIRECT_LINE_ENDPOINT.replace(/\/+$/, '') }
      : { mode: 'embedded', tokenKey: e.DIRECT_LINE_TOKEN_KEY, historyHours: e.DIRECT_LINE_HISTORY_HOURS };
  const booking: RelayOptions & { endpointUrl?: string; token?: string; signingSecret?: string } = {
    // Absent in the embedded default: requests are kept for staff (npm run bookings).
    endpointUrl: e.BOOKING_ENDPOINT_URL,
    token: e.BOOKING_ENDPOINT_TOKEN,
    signingSecret: e.BOOKING_SIGNING_SECRET,
    timeoutMs: e.BOOKING_TIMEOUT_MS,
    maxAttempts: e.BOOKING_RETRY_ATTEMPTS,
    initialDelayMs: e.BOOKING_RETRY_INITIAL_MS,
    maxDelayMs: e.BOOKING_RETRY_MAX_MS,
    breakerThreshold: e.BOOKING_BREAKER_THRESHOLD,
    breakerOpenMs: e.BOOKING_BREAKER_OPEN_MS,
    sweepMs: e.BOOKING_SWEEP_MS,
    turnWaitMs: e.BOOKING_TURN_WAIT_MS,
    holdOlderThanMs: Math.round(e.BOOKING_RELEASE_OLDER_THAN_HOURS * 3_600_000),
  };
  const dedupeScope: 'shared' | 'process' =
    e.ACTIVITY_DEDUPE_SCOPE === 'auto'
      ? e.STATE_STORE === 'azure-blob'
        ? 'shared'
        : 'process'
      : e.ACTIVITY_DEDUPE_SCOPE;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    /** True when no app id is configured: requests are not authenticated (Emulator, local tests). */
    localMode,
    auth: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      openIdMetadata: e.BotOpenIdMetadata,
    },
    contentDir: path.resolve(cwd, e.CONTENT_DIR),
    contentWatch: e.CONTENT_WATCH === 'true',
    /** How often each instance checks the state store for a newly published content version. */
    contentPollMs: e.CONTENT_POLL_MS,
    localesDir: path.resolve(cwd, e.LOCALES_DIR),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    gapConfidenceBelow: e.GAP_CONFIDENCE_BELOW,
    /** How long conversations, booking records and gap-log days are kept (the retention sweep). */
    retention: {
      conversationDays: e.RETENTION_CONVERSATION_DAYS,
      bookingDays: e.RETENTION_BOOKING_DAYS,
      gapsDays: e.RETENTION_GAPS_DAYS,
    } satisfies RetentionPolicy,
    defaultLocale: e.DEFAULT_LOCALE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    rateLimits: {
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      conversationPerMinute: e.RATE_LIMIT_CONVERSATION_PER_MINUTE,
    },
    localServiceOrigins,
    http: {
      trustProxyHops: e.TRUST_PROXY,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
    /** Where bot state and booking requests live. */
    state,
    /** A repeated activity id within this window is answered once (channels retry deliveries). */
    activityDedupeSeconds: e.ACTIVITY_DEDUPE_SECONDS,
    /**
     * Where seen activity ids are kept: `shared` (conversation
     * state, several instances) or `process` (memory, one instance).
     */
    activityDedupeScope: dedupeScope,
    /** Booking requests one patient may send in a rolling hour. */
    maxBookingsPerHour: e.MAX_BOOKINGS_PER_HOUR,
    /** The delivery policy (see RelayOptions) and the clinic's booking system. */
    booking,
    /** The chat page at / and the Direct Line it talks through; origins allowed to show it in an iframe. */
    webChat: { directLine, frameAncestors },
    /** How often counts for staff's figures are written to the state store. */
    analyticsFlushMs: Math.round(e.ANALYTICS_FLUSH_SECONDS * 1000),
    /** "Talk to a person": where staff are told someone waits (the wait itself is in content/clinic.yaml). */
    handoff: {
      notifyUrl: e.HANDOFF_NOTIFY_URL,
      notifySecret: e.HANDOFF_NOTIFY_SECRET,
    },
    /** The address patients and staff reach the bot at (links in notifications); none in development. */
    publicBaseUrl: e.PUBLIC_BASE_URL,
    /**
     * Where a patient the channel cannot reach now (the web chat page is closed, the channel refused)
     * is nudged by the clinic's own SMS or email system; links in it open the web chat for this long.
     */
    nudge: {
      webhookUrl: e.NUDGE_WEBHOOK_URL,
      webhookSecret: e.NUDGE_WEBHOOK_SECRET,
      linkHours: e.NUDGE_LINK_HOURS,
    },
    /** The staff console at /staff/ (undefined: turned off with STAFF_AUTH=none). */
    staff: staffConsole(e),
  };
}

/** Local accounts by default outside production; production names its choice, and Entra needs all its settings. */
function staffConsoleProblems(e: Env): string[] {
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && e.STAFF_AUTH === undefined) {
    problems.push(
      'STAFF_AUTH: required when NODE_ENV=production: entra (Microsoft Entra ID sign-in, with ENTRA_*), ' +
        'local (accounts made with npm run staff -- add-user), or none (no staff console)',
    );
  }
  if (e.STAFF_AUTH === 'entra') {
    for (const [name, value] of [
      ['ENTRA_TENANT_ID', e.ENTRA_TENANT_ID],
      ['ENTRA_CLIENT_ID', e.ENTRA_CLIENT_ID],
      ['ENTRA_CLIENT_SECRET', e.ENTRA_CLIENT_SECRET],
      ['ENTRA_REDIRECT_URI', e.ENTRA_REDIRECT_URI],
    ] as const) {
      if (value === undefined) problems.push(`${name}: required when STAFF_AUTH=entra`);
    }
    const redirect = e.ENTRA_REDIRECT_URI === undefined ? undefined : parseUrl(e.ENTRA_REDIRECT_URI);
    if (
      e.ENTRA_REDIRECT_URI !== undefined &&
      !(
        redirect?.pathname === '/staff/auth/callback' &&
        (redirect.protocol === 'https:' || (redirect.protocol === 'http:' && isLoopbackHost(redirect.hostname)))
      )
    ) {
      problems.push('ENTRA_REDIRECT_URI: must be https://<your bot host>/staff/auth/callback (http only on loopback)');
    }
  }
  return problems;
}

function staffConsole(e: Env) {
  const auth = e.STAFF_AUTH ?? 'local';
  if (auth === 'none') return undefined;
  return {
    auth,
    sessionIdleMinutes: e.STAFF_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.STAFF_SESSION_MAX_HOURS,
    signInPerWindow: e.STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES,
    lockoutFailures: e.STAFF_LOCKOUT_FAILURES,
    lockoutMinutes: e.STAFF_LOCKOUT_MINUTES,
    entra:
      auth === 'entra'
        ? {
            tenantId: e.ENTRA_TENANT_ID ?? '',
            clientId: e.ENTRA_CLIENT_ID ?? '',
            clientSecret: e.ENTRA_CLIENT_SECRET ?? '',
            redirectUri: e.ENTRA_REDIRECT_URI ?? '',
            authorityHost: e.ENTRA_AUTHORITY_HOST,
          }
        : undefined,
  };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
