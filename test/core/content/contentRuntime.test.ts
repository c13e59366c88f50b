import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { ContentSet } from '../../../core/content/contentLoader';
import { writeContentDir } from '../../../core/content/contentFiles';
import { ContentRuntime } from '../../../core/content/contentRuntime';
import { ContentStore } from '../../../core/content/contentStore';
import { Steps } from '../../../core/matching/steps';
import { silentLog } from '../../helpers/bookingRequests';
import { CONTENT_DIR, realContent } from '../../helpers/content';
import { AFTER_REVIEWS, smallContent } from '../../helpers/smallContent';
import { until } from '../../helpers/until';

describe('ContentRuntime reloads', () => {
  let dir: string;
  let faqFile: string;
  let good: string;
  let runtime: ContentRuntime;
  let built: string[];

  beforeEach(async () => {
    const { engine, i18n } = await realContent();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-runtime-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    faqFile = path.join(dir, 'faq.yaml');
    good = fs.readFileSync(faqFile, 'utf8');
    built = [];
    const build = function* (content: ContentSet): Steps<ConsultationEngine> {
      const next = yield* ConsultationEngine.building(content, i18n.commands);
      built.push(content.version);
      return next;
    };
    runtime = new ContentRuntime(dir, build, silentLog, engine);
  });
  afterEach(() => {
    runtime.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const edit = (marker: string): void =>
    fs.writeFileSync(
      faqFile,
      good.replace('Most people feel only slight discomfort', `Most people feel only slight discomfort (${marker})`),
    );
  const painAnswer = (): string => {
    const reply = runtime.engine.respond('does microneedling hurt?', 'en');
    return reply.kind === 'answer' ? reply.text : `(${reply.kind})`;
  };

  it('keeps answering from the old content while the new matcher trains, then swaps it in', async () => {
    const before = runtime.status().version;
    edit('edited');
    const answeredDuringReload: string[] = [];
    let reloaded = false;
    const reload = runtime.reload().then((live) => {
      reloaded = live;
    });
    // Other work gets turns while the reload runs: it is not one long block.
    while (!reloaded) {
      await new Promise((r) => setImmediate(r));
      if (!reloaded) answeredDuringReload.push(painAnswer());
    }
    await reload;
    expect(answeredDuringReload.length).toBeGreaterThan(1);
    expect(answeredDuringReload.every((a) => !a.includes('(edited)'))).toBe(true);
    expect(painAnswer()).toContain('(edited)');
    expect(runtime.status().version).not.toBe(before);
    expect(runtime.status().lastReloadAt).toBeDefined();
  });

  it('runs changes one after another, so the last edit is the one that serves', async () => {
    edit('first');
    const first = runtime.reload();
    await new Promise((r) => setImmediate(r)); // the first reload has read the files and is training
    edit('second');
    const second = runtime.reload();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(built).toHaveLength(2);
    expect(painAnswer()).toContain('(second)');
    // Nothing changed since: no build.
    expect(await runtime.reload()).toBe(false);
    expect(built).toHaveLength(2);
  });

  it('refuses a broken edit and clears the error when the file is put back', async () => {
    const before = runtime.status().version;
    fs.writeFileSync(faqFile, `${good}\n  - id: [broken\n`);
    expect(await runtime.reload()).toBe(false);
    expect(runtime.status().lastError?.problems.join('\n')).toMatch(/faq\.yaml:\d+: this is not valid YAML/);
    expect(runtime.status().version).toBe(before);

    fs.writeFileSync(faqFile, good);
    expect(await runtime.reload()).toBe(false);
    expect(runtime.status().lastError).toBeUndefined();
    expect(built).toHaveLength(0);
  });

  it('stops a reload under way when it closes, and keeps the content it had', async () => {
    const before = runtime.status().version;
    edit('never served');
    const reload = runtime.reload();
    await new Promise((r) => setImmediate(r));
    runtime.close();
    expect(await reload).toBe(false);
    expect(built).toHaveLength(0);
    expect(runtime.status().version).toBe(before);
    expect(runtime.status().lastError).toBeUndefined();
  });
});

describe('ContentRuntime following published versions in the state store', () => {
  let dir: string;
  let store: ContentStore;
  let runtime: ContentRuntime | undefined;
  let build: (content: ContentSet) => Steps<ConsultationEngine>;
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const seed = smallContent();
  const painAnswer = (r: ContentRuntime): string => {
    const reply = r.engine.respond('does it hurt?', 'en');
    return reply.kind === 'answer' ? reply.text : `(${reply.kind})`;
  };
  const withPain = (text: string) => ({
    ...seed,
    'faq.yaml': seed['faq.yaml'].replace(/Most people feel only slight discomfort[^\n]*/, text),
  });

  beforeAll(async () => {
    const { i18n } = await realContent();
    build = (content) => ConsultationEngine.building(content, i18n.commands);
  });
  beforeEach(() => {
    jest.clearAllMocks();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-follow-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    writeContentDir(dir, seed);
    store = new ContentStore(new MemoryStorage(), { seed, now: () => AFTER_REVIEWS });
  });
  afterEach(() => {
    runtime?.close();
    runtime = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the folder while nothing is published, then each published version, labelled store:vN', async () => {
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS, store);
    expect(runtime.status()).toMatchObject({ source: 'folder', version: runtime.status().contentHash });
    expect(await runtime.syncWithStore(store)).toBe(false);

    await store.importFiles(withPain('Published answer.'), { by: 'IT' });
    expect(await runtime.syncWithStore(store)).toBe(true);
    expect(runtime.status()).toMatchObject({ source: 'store', version: 'store:v1', storeVersion: 1 });
    expect(painAnswer(runtime)).toBe('Published answer.');
    expect(await runtime.syncWithStore(store)).toBe(false);
  });

  it('serves the live version at startup when one is published', async () => {
    await store.importFiles(withPain('Published before startup.'), { by: 'IT' });
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS, store);
    expect(runtime.status()).toMatchObject({ source: 'store', version: 'store:v1' });
    expect(painAnswer(runtime)).toBe('Published before startup.');
  });

  it('does not serve folder edits while the store is the source, saying so once until they match again', async () => {
    await store.importFiles(withPain('Published.'), { by: 'IT' });
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS, store);
    writeContentDir(dir, withPain('Edited on disk.'));
    expect(await runtime.reload()).toBe(false);
    expect(await runtime.reload()).toBe(false);
    expect(painAnswer(runtime)).toBe('Published.');
    expect(runtime.status().folderIgnored?.message).toMatch(
      /content folder changed, but published content version 1 .* not served until .* \(npm run content:publish\)/,
    );
    expect(log.warn).toHaveBeenCalledTimes(1);

    // npm run content:export writes the live version back: the folder matches again.
    writeContentDir(dir, (await store.live())?.files ?? {});
    await runtime.reload();
    expect(runtime.status().folderIgnored).toBeUndefined();
  });

  it('refuses a published version that cannot load, keeps serving, and does not try it again', async () => {
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS);
    const before = runtime.status().version;
    const broken = { ...seed, 'faq.yaml': `${seed['faq.yaml']}  - id: [broken\n` };
    const source = { liveVersion: jest.fn(async () => 5), live: jest.fn(async () => ({ version: 5, files: broken })) };
    expect(await runtime.syncWithStore(source)).toBe(false);
    expect(await runtime.syncWithStore(source)).toBe(false);
    expect(source.live).toHaveBeenCalledTimes(1);
    expect(runtime.status().version).toBe(before);
    expect(runtime.status().lastError?.problems.join('\n')).toMatch(/published version 5:[\s\S]*not valid YAML/);
  });

  it('keeps serving when the store cannot be read, and logs it once until it can again', async () => {
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS);
    const down = { liveVersion: jest.fn(async () => Promise.reject(new Error('ECONNREFUSED'))), live: jest.fn() };
    expect(await runtime.syncWithStore(down)).toBe(false);
    expect(await runtime.syncWithStore(down)).toBe(false);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(await runtime.syncWithStore(store)).toBe(false);
    expect(log.info).toHaveBeenCalledWith({ event: 'content-store-available' }, expect.any(String));
  });

  it('polls the store by itself once it follows it', async () => {
    runtime = await ContentRuntime.load(dir, build, log, () => AFTER_REVIEWS, store);
    runtime.followStore(store, 50);
    await store.importFiles(withPain('Found by polling.'), { by: 'IT' });
    const r = runtime;
    await until(() => r.status().version === 'store:v1', 'the published version to serve');
    expect(painAnswer(r)).toBe('Found by polling.');
  });
});
