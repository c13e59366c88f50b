/**
 * Checks the content folder with content:check's rules and publishes it as a new content version
 * in the state store (kind file-import): every instance serves it within CONTENT_POLL_MS.
 * Usage: npm run content:publish -- --by <name> [--note "why"] [--dir <folder>]
 * Exit codes: 0 published (or already live), 1 bad arguments or content with errors, 2 the store cannot be opened.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readContentDir } from '../core/content/contentFiles';
import { formatProblem } from '../core/content/contentLoader';
import { ContentValidationError, NothingToPublishError } from '../core/content/contentStoreErrors';
import { messageOf, openBotContentStore, OpenedContentStore } from './contentStoreCli';

const USAGE = `Publishes the content folder as a new version: every bot instance serves it within seconds.

Usage:
  npm run content:publish -- --by "Ana (IT)"                      the content folder (CONTENT_DIR)
  npm run content:publish -- --by "Ana (IT)" --note "new prices entry" --dir ./my-copy

The folder is checked first with the rules of npm run content:check: errors refuse it,
warnings are listed. The version shows in the staff console's history (kind: file import).`;

async function main(): Promise<number> {
  let by: string;
  let note: string | undefined;
  let dir: string | undefined;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        by: { type: 'string' },
        note: { type: 'string' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.by === undefined || values.by.trim() === '') throw new Error('say who publishes: --by <name>');
    by = values.by.trim();
    note = values.note?.trim() || undefined;
    dir = values.dir;
  } catch (err) {
    console.error(`${messageOf(err)}\n\n${USAGE}`);
    return 1;
  }
  let opened: OpenedContentStore;
  try {
    opened = openBotContentStore(process.env);
  } catch (err) {
    console.error(`Cannot open the bot's store: ${messageOf(err)}`);
    return 2;
  }
  const folder = dir === undefined ? opened.config.contentDir : path.resolve(dir);
  try {
    console.log(`Checking ${folder}/ …`);
    const { summary, warnings } = await opened.contents.importFiles(readContentDir(folder), { by, note });
    if (warnings.length > 0) {
      console.log(`\n⚠ ${warnings.length} warning(s) — published anyway, but these need a look:`);
      for (const p of warnings) console.log(formatProblem(p));
    }
    const c = summary.changes;
    console.log(
      `\n✓ published as content version ${summary.version} in ${opened.where}: ` +
        `${c.entriesAdded} entries added, ${c.entriesChanged} changed, ${c.entriesRemoved} removed` +
        (c.files.length > 0 ? `; also changed: ${c.files.join(', ')}` : '') +
        '\nEvery bot instance serves it within CONTENT_POLL_MS (2 seconds by default).',
    );
    return 0;
  } catch (err) {
    if (err instanceof ContentValidationError) {
      console.log(`\n✗ ${err.errors.length} error(s) — nothing was published; fix them and run this again:`);
      for (const p of err.errors) console.log(formatProblem(p));
      return 1;
    }
    if (err instanceof NothingToPublishError) {
      console.log(`Nothing to publish: version ${err.liveVersion} is live with exactly these files.`);
      return 0;
    }
    console.error(`Cannot publish to ${opened.where}: ${messageOf(err)}`);
    return 2;
  } finally {
    opened.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(messageOf(err));
    process.exitCode = 2;
  },
);
