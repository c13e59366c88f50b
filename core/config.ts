import * as path from 'node:path';
import { z } from 'zod';

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
  LOCALES_DIR: z.string().trim().min(1).default('locales'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  GAP_CONFIDENCE_BELOW: z.coerce.number().min(0).max(1).default(0.6),
  DEFAULT_LOCALE: z.enum(['en', 'es']).default('en'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(50).max(20000).default(2000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120000).default(10000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

/** The validated, typed configuration every other module receives. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** True when no app id is configured: requests are not authenticated (Emulator, local tests). */
  localMode: boolean;
  auth: {
    appId?: string;
    appPassword?: string;
    appType: Env['MicrosoftAppType'];
    tenantId?: string;
    openIdMetadata?: string;
  };
  contentDir: string;
  /** Reload content when its files change (on by default). */
  contentWatch: boolean;
  localesDir: string;
  /** Where the embedded defaults keep data on disk (the questions nobody answered, …). */
  dataDir: string;
  /** Answers below this confidence are listed for staff as gaps. */
  gapConfidenceBelow: number;
  defaultLocale: 'en' | 'es';
  maxBodyBytes: number;
  maxMessageChars: number;
  shutdownGraceMs: number;
  logLevel: Env['LOG_LEVEL'];
}

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
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
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
      problems.push('MicrosoftAppPassword: required when NODE_ENV=production with MicrosoftAppType ' + e.MicrosoftAppType);
    }
  }
  if (e.MicrosoftAppType === 'SingleTenant' && !localMode && e.MicrosoftAppTenantId === undefined) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
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
    localesDir: path.resolve(cwd, e.LOCALES_DIR),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    gapConfidenceBelow: e.GAP_CONFIDENCE_BELOW,
    defaultLocale: e.DEFAULT_LOCALE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
  };
}
