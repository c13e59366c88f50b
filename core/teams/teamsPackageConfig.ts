import * as path from 'node:path';
import { z } from 'zod';
import { teamsAppIdFor } from './stableUuid';

/** Empty strings in .env files mean "not set". */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const httpsUrl = optionalString.pipe(z.url({ protocol: /^https$/, error: 'must be an https:// address' }).optional());

// The packaging tool has its own variables: the bot's config.ts validates runtime settings
// (ports, stores, secrets) that the machine building a Teams package need not have.
const EnvSchema = z.object({
  MicrosoftAppId: optionalString,
  TEAMS_APP_ID: optionalString.pipe(
    z.string().regex(GUID, 'must be a GUID such as 2b5c1f0e-8d3a-4c6b-9e7f-0a1b2c3d4e5f').optional(),
  ),
  TEAMS_APP_NAME: optionalString,
  TEAMS_APP_VERSION: optionalString.pipe(
    z
      .string()
      .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, 'must be MAJOR.MINOR.PATCH, such as 1.0.0')
      .optional(),
  ),
  TEAMS_ACCENT_COLOR: optionalString.pipe(
    z
      .string()
      .regex(/^#[0-9a-f]{6}$/i, 'must be a colour written #RRGGBB, such as #0F766E')
      .optional(),
  ),
  TEAMS_PRIVACY_URL: httpsUrl,
  TEAMS_TERMS_URL: httpsUrl,
  PUBLIC_URL: optionalString.pipe(
    z
      .url({
        protocol: /^https?$/,
        error: 'must be the address the bot is reached at, such as https://bot.example.com',
      })
      .optional(),
  ),
  CONTENT_DIR: z.string().trim().min(1).default('content'),
});

/** What a Teams package is built from, besides the clinic profile. */
export interface TeamsPackageConfig {
  /** The Azure Bot's Microsoft App ID (MicrosoftAppId). */
  botId: string;
  /** The Teams app's own id: TEAMS_APP_ID, or derived from the bot id. */
  appId: string;
  appIdDerived: boolean;
  /** TEAMS_APP_NAME: the name Teams shows (at most 30 characters); default the clinic's name. */
  shortName?: string;
  version: string;
  accentColor?: string;
  privacyUrl?: string;
  termsUrl?: string;
  /** Host name of PUBLIC_URL, listed in validDomains. */
  publicHost?: string;
  contentDir: string;
  /** Where the manifest template and the vendored schema live. */
  teamsDir: string;
}

export class TeamsPackageConfigError extends Error {
  override readonly name = 'TeamsPackageConfigError';
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the packaging variables; throws TeamsPackageConfigError with one line per problem. */
export function loadTeamsPackageConfig(
  source: Record<string, string | undefined>,
  options: { cwd: string; defaultVersion?: string },
): TeamsPackageConfig {
  const parsed = EnvSchema.safeParse(source);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const botId = optionalString.safeParse(source.MicrosoftAppId).data;
  if (botId === undefined) {
    problems.unshift(
      'MicrosoftAppId: not set. A Teams package names the Azure Bot that Teams talks to: set MicrosoftAppId to the ' +
        "bot's Microsoft App ID (Azure portal → your Azure Bot → Configuration), the same value the bot runs with.",
    );
  } else if (!GUID.test(botId)) {
    problems.unshift(
      `MicrosoftAppId: "${botId}" is not a Microsoft App ID; ` +
        'it is a GUID such as 2b5c1f0e-8d3a-4c6b-9e7f-0a1b2c3d4e5f.',
    );
  }
  if (!parsed.success || botId === undefined || problems.length > 0) throw new TeamsPackageConfigError(problems);

  const e = parsed.data;
  return {
    botId: botId.toLowerCase(),
    appId: (e.TEAMS_APP_ID ?? teamsAppIdFor(botId)).toLowerCase(),
    appIdDerived: e.TEAMS_APP_ID === undefined,
    shortName: e.TEAMS_APP_NAME,
    version: e.TEAMS_APP_VERSION ?? options.defaultVersion ?? '1.0.0',
    accentColor: e.TEAMS_ACCENT_COLOR?.toUpperCase(),
    privacyUrl: e.TEAMS_PRIVACY_URL,
    termsUrl: e.TEAMS_TERMS_URL,
    publicHost: e.PUBLIC_URL === undefined ? undefined : new URL(e.PUBLIC_URL).hostname,
    contentDir: path.resolve(options.cwd, e.CONTENT_DIR),
    teamsDir: path.resolve(options.cwd, 'teams'),
  };
}
