import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A whole set of content as staff edit it: file name (`faq.yaml`) → its YAML text. */
export type ContentFiles = Record<string, string>;

/** The content files, by what they hold; the loader reads exactly these. */
export const CONTENT_FILES = {
  faq: 'faq.yaml',
  sources: 'sources.yaml',
  clinic: 'clinic.yaml',
  redFlags: 'redflags.yaml',
  scope: 'scope.yaml',
  menu: 'menu.yaml',
  synonyms: 'synonyms.yaml',
  screening: 'screening.yaml',
  aftercare: 'aftercare.yaml',
  flows: 'flows.yaml',
  walkthrough: 'walkthrough.yaml',
  followups: 'followups.yaml',
} as const;

export type ContentFileName = (typeof CONTENT_FILES)[keyof typeof CONTENT_FILES];

/** Every content file name, in the order the loader reads (and hashes) them. */
export const CONTENT_FILE_NAMES: readonly ContentFileName[] = Object.values(CONTENT_FILES);

export function isContentFileName(name: string): name is ContentFileName {
  return (CONTENT_FILE_NAMES as readonly string[]).includes(name);
}

/** The content files of a folder; a missing file is left out (the loader reports it). */
export function readContentDir(dir: string): ContentFiles {
  const files: ContentFiles = {};
  for (const name of CONTENT_FILE_NAMES) {
    try {
      files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  return files;
}

/**
 * Writes content files into a folder, each atomically (a temporary file renamed over it), so
 * a bot watching the folder never reads half a file. Only content file names are accepted.
 */
export function writeContentDir(dir: string, files: ContentFiles): void {
  const unknown = Object.keys(files).filter((name) => !isContentFileName(name));
  if (unknown.length > 0) throw new Error(`not content files: ${unknown.join(', ')}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    // Unchanged files are not rewritten: a watching bot would reload for nothing.
    if (readIfPresent(target) === text) continue;
    const temporary = path.join(dir, `.${name}.${randomUUID()}.tmp`);
    try {
      fs.writeFileSync(temporary, text, 'utf8');
      fs.renameSync(temporary, target);
    } catch (err) {
      fs.rmSync(temporary, { force: true });
      throw err;
    }
  }
}

/** True when both sets hold the same files with the same text. */
export function sameContentFiles(a: ContentFiles, b: ContentFiles): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) if (a[name] !== b[name]) return false;
  return true;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
