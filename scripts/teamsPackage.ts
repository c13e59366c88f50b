/**
 * Builds the Microsoft Teams app package (manifest.json, color.png, outline.png) for this bot,
 * checked against Microsoft's manifest schema and Teams' package rules. See docs/teams.md.
 * Usage: npm run teams:package [-- --out path/to/app.zip]
 * Exit codes: 0 written, 1 bad arguments, configuration or package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildTeamsPackage, formatPackageProblem, TeamsPackageError } from '../core/teams/teamsPackage';
import { loadTeamsPackageConfig, TeamsPackageConfigError } from '../core/teams/teamsPackageConfig';

const USAGE = `Builds the Microsoft Teams app package for this bot.

Usage:
  npm run teams:package                     writes dist/teams/<name>-teams-<version>.zip
  npm run teams:package -- --out app.zip    writes it there instead

Needs MicrosoftAppId (the Azure Bot's app id). Optional: TEAMS_APP_ID, TEAMS_APP_NAME,
TEAMS_APP_VERSION, TEAMS_ACCENT_COLOR, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL, PUBLIC_URL
(see .env.example and docs/teams.md).`;

function main(): number {
  let out: string | undefined;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    out = values.out;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 1;
  }

  const cwd = process.cwd();
  try {
    const config = loadTeamsPackageConfig(process.env, { cwd, defaultVersion: packageVersion(cwd) });
    const pkg = buildTeamsPackage(config);
    const target = path.resolve(cwd, out ?? path.join('dist', 'teams', pkg.fileName));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, pkg.zip);

    const shown = path.relative(cwd, target);
    console.log(
      `Wrote ${shown.startsWith('..') || path.isAbsolute(shown) ? target : shown} (app version ${config.version}; ` +
        `valid against the Teams manifest schema v${pkg.manifestVersion})`,
    );
    console.log(
      `  Teams app id: ${pkg.appId}` +
        (config.appIdDerived ? ' (derived from the bot id; set TEAMS_APP_ID to choose another)' : ' (TEAMS_APP_ID)'),
    );
    console.log(`  Bot id:       ${pkg.botId} (MicrosoftAppId)`);
    console.log(`  Accent:       ${pkg.accentColor} (${pkg.accentFrom})`);
    console.log(`  Valid domain: ${config.publicHost ?? "none (set PUBLIC_URL to list the bot's host)"}`);
    for (const w of pkg.warnings) console.log(`Warning: ${w}`);
    console.log(`
To install it:
  - To try it yourself: in Teams, Apps → Manage your apps → Upload an app → Upload a custom app,
    and pick the zip (your organisation must allow custom apps).
  - For the organisation: Teams admin center → Teams apps → Manage apps → Upload new app; then
    make it available to patients' accounts with an app permission / setup policy.
The Azure Bot must have the Microsoft Teams channel on (Azure portal → the bot → Channels).
Upload a new version with a higher TEAMS_APP_VERSION when the package changes.`);
    return 0;
  } catch (err) {
    if (err instanceof TeamsPackageConfigError) {
      console.error(err.message);
    } else if (err instanceof TeamsPackageError) {
      console.error(
        `The Teams package was not written; it has ${err.problems.length} problem(s):\n` +
          err.problems.map(formatPackageProblem).join('\n'),
      );
    } else {
      console.error(`Building the Teams package failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 1;
  }
}

/** The project's version from package.json: the default app version. */
function packageVersion(cwd: string): string | undefined {
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string'
      ? pkg.version
      : undefined;
  } catch {
    return undefined;
  }
}

process.exitCode = main();
