import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkContent, checkContentFiles } from '../../../core/content/contentCheck';
import {
  CONTENT_FILE_NAMES,
  readContentDir,
  sameContentFiles,
  writeContentDir,
} from '../../../core/content/contentFiles';
import { inspectContent, inspectContentFiles } from '../../../core/content/contentLoader';
import { TEST_NOW } from '../../helpers/clock';
import { CONTENT_DIR } from '../../helpers/content';
import { smallContent } from '../../helpers/smallContent';

describe('content files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-files-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every content file of a folder and nothing else', () => {
    const files = readContentDir(CONTENT_DIR);
    expect(Object.keys(files).sort()).toEqual([...CONTENT_FILE_NAMES].sort());
    expect(files['faq.yaml']).toBe(fs.readFileSync(path.join(CONTENT_DIR, 'faq.yaml'), 'utf8'));
  });

  it('leaves a missing file out, for the loader to report', () => {
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'menu.yaml'));
    const files = readContentDir(dir);
    expect(files['menu.yaml']).toBeUndefined();
    expect(inspectContentFiles(files).problems).toContainEqual(
      expect.objectContaining({ file: 'menu.yaml', message: 'the file is missing' }),
    );
  });

  it('writes files whole through a temporary file, and leaves no temporary file behind', () => {
    const files = readContentDir(CONTENT_DIR);
    writeContentDir(dir, files);
    expect(sameContentFiles(readContentDir(dir), files)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual([...CONTENT_FILE_NAMES].sort());
  });

  it('does not rewrite a file whose text is unchanged (a watching bot would reload for nothing)', () => {
    const files = readContentDir(CONTENT_DIR);
    writeContentDir(dir, files);
    const menu = path.join(dir, 'menu.yaml');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(menu, old, old);
    writeContentDir(dir, { ...files, 'faq.yaml': `${files['faq.yaml']}\n# edited\n` });
    expect(fs.statSync(menu).mtime.getTime()).toBe(old.getTime());
    expect(fs.readFileSync(path.join(dir, 'faq.yaml'), 'utf8')).toMatch(/# edited\n$/);
  });

  it('refuses to write anything but content files', () => {
    expect(() => writeContentDir(dir, { '../evil.yaml': 'x' })).toThrow(/not content files: \.\.\/evil\.yaml/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('inspecting and checking content files', () => {
  it('gives the same version and content as the folder it was read from', () => {
    const fromDir = inspectContent(CONTENT_DIR);
    const fromFiles = inspectContentFiles(readContentDir(CONTENT_DIR));
    expect(fromFiles.content?.version).toBe(fromDir.content?.version);
    expect(fromFiles.content?.faq).toEqual(fromDir.content?.faq);
  });

  it('places each problem at its file, line, words and raw path, for the console to show by the field', () => {
    const files = readContentDir(CONTENT_DIR);
    const broken = {
      ...files,
      'faq.yaml': files['faq.yaml'].replace('title: Does it hurt?', 'title: ""'),
    };
    const { problems } = inspectContentFiles(broken);
    const pain = problems.find((p) => p.where?.includes('"pain"'));
    expect(pain).toMatchObject({
      file: 'faq.yaml',
      message: 'must not be empty',
      where: 'entries → "pain" → en → title',
    });
    expect(pain?.line).toBeGreaterThan(1);
    expect(pain?.path).toEqual(['entries', expect.any(Number), 'en', 'title']);
  });

  it('checks the same rules in plain words on files as on the folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-check-'));
    try {
      fs.cpSync(CONTENT_DIR, dir, { recursive: true });
      // A few entries: the check trains a matcher, twice here.
      writeContentDir(dir, smallContent());
      const faq = path.join(dir, 'faq.yaml');
      fs.writeFileSync(faq, fs.readFileSync(faq, 'utf8').replace('reviewed: 2026-11-21', 'reviewed: 2030-01-01'));
      const options = { maxReviewAgeDays: 365, now: TEST_NOW };
      const fromDir = checkContent(dir, options);
      const fromFiles = checkContentFiles(readContentDir(dir), options);
      expect(fromFiles).toEqual(fromDir);
      expect(fromFiles.errors).toContainEqual(
        expect.objectContaining({ message: 'the review date 2030-01-01 is in the future', path: expect.any(Array) }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the logo file only where it can see the folder the content names it in', () => {
    const files = readContentDir(CONTENT_DIR);
    const withLogo = {
      ...files,
      'clinic.yaml': files['clinic.yaml'].replace('logo: brand/logo.svg', 'logo: brand/missing.svg'),
    };
    expect(withLogo['clinic.yaml']).toContain('brand/missing.svg');
    expect(inspectContentFiles(withLogo).problems).toEqual([]);
    expect(inspectContentFiles(withLogo, { assetExists: () => false }).problems).toContainEqual(
      expect.objectContaining({
        file: 'clinic.yaml',
        message: 'the logo file "brand/missing.svg" is not in the content folder',
      }),
    );
  });
});
