/**
 * Writes the live content version from the state store into a folder, so a clinic can keep what
 * the console published in git, or edit it the file way and publish it back.
 * Usage: npm run content:export [-- --out <dir>]   (default: the content folder, CONTENT_DIR)
 * Exit codes: 0 written, 1 bad arguments or nothing published yet, 2 the store cannot be opened.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readContentDir, writeContentDir } from '../core/content/contentFiles';
import { messageOf, openBotContentStore, OpenedContentStore } from './contentStoreCli';

const USAGE = `Writes the live content version from the bot's state store into a folder.

Usage:
  npm run content:export                  into the content folder (CONTENT_DIR, default content/)
  npm run content:export -- --out <dir>   into another folder

Each file is replaced whole and at once; files that did not change are left alone.`;

async function main(): Promise<number> {
  let out: string | undefined;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    out = values.out;
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
  try {
    const live = await opened.contents.live();
    if (!live) {
      console.error(`Nothing is published in ${opened.where} yet: the bot serves its content folder.`);
      return 1;
    }
    const dir = out === undefined ? opened.config.contentDir : path.resolve(out);
    const before = readContentDir(dir);
    writeContentDir(dir, live.files);
    const changed = Object.keys(live.files).filter((name) => before[name] !== live.files[name]);
    console.log(
      `Wrote content version ${live.version} (published ${live.publishedAt} by ${live.publishedBy}) to ${dir}: ` +
        (changed.length > 0 ? `${changed.length} file(s) changed (${changed.join(', ')})` : 'no file changed'),
    );
    return 0;
  } catch (err) {
    console.error(`Cannot export the content from ${opened.where}: ${messageOf(err)}`);
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
