import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { ContentSet } from '../../../core/content/contentLoader';
import { ContentRuntime } from '../../../core/content/contentRuntime';
import { Steps } from '../../../core/matching/steps';
import { silentLog } from '../../helpers/bookingRequests';
import { CONTENT_DIR, realContent } from '../../helpers/content';

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
