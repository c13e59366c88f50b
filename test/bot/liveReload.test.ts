import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { loadConfig } from '../../core/config';
import { checkContent } from '../../core/content/contentCheck';
import { CONTENT_DIR, LOCALES_DIR } from '../helpers/content';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('live content reload', () => {
  let dir: string;
  let app: App;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-content-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    app = await createApp(loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: dir, LOCALES_DIR, CONTENT_WATCH: 'true', STATE_STORE: 'memory' }), {
      log: pino({ level: 'silent' }),
    });
    base = `http://127.0.0.1:${(await app.listen()).port}`;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (text: string): Promise<string> => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', channelId: 'test', serviceUrl: 'http://127.0.0.1:1', conversation: { id: `c-${Math.random()}` },
        from: { id: 'p' }, recipient: { id: 'bot' }, locale: 'en-US', deliveryMode: 'expectReplies', text,
      }),
    });
    const body = (await res.json()) as { activities: { text: string }[] };
    return body.activities[0].text;
  };
  const ready = async () => (await (await fetch(`${base}/readyz`)).json()) as { contentVersion: string; lastReloadAt: string | null; lastError: { problems: string[] } | null };

  it('keeps serving the last good content when an edit breaks a file, then takes the fixed edit live', async () => {
    const faqFile = path.join(dir, 'faq.yaml');
    const good = fs.readFileSync(faqFile, 'utf8');
    const before = await ready();
    const painAnswer = await ask('does microneedling hurt?');

    fs.writeFileSync(faqFile, `${good}\n  - id: [broken\n`);
    const broken = await eventually(async () => ((await ready()).lastError ? ready() : undefined));
    expect(broken.contentVersion).toBe(before.contentVersion);
    expect(broken.lastError?.problems.join('\n')).toMatch(/faq\.yaml:\d+: this is not valid YAML/);
    expect(await ask('does microneedling hurt?')).toBe(painAnswer);
    const check = checkContent(dir, { maxReviewAgeDays: 365, now: new Date() });
    expect(check.errors.map((e) => e.file)).toContain('faq.yaml');

    const edited = good.replace('Most people feel only slight discomfort', 'Most people feel only slight discomfort (reviewed today)');
    expect(edited).not.toBe(good);
    fs.writeFileSync(faqFile, edited);
    const fixed = await eventually(async () => {
      const r = await ready();
      return r.contentVersion !== before.contentVersion && r.lastError === null ? r : undefined;
    });
    expect(fixed.lastReloadAt).not.toBeNull();
    expect(await ask('does microneedling hurt?')).toContain('(reviewed today)');
  });
});
