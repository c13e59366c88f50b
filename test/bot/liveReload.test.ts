import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { checkContent } from '../../core/content/contentCheck';
import { TEST_NOW } from '../helpers/clock';
import { CONTENT_DIR } from '../helpers/content';
import { testConfig } from '../helpers/testApp';
import { until } from '../helpers/until';

describe('live content reload', () => {
  let dir: string;
  let app: App;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-content-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    app = await createApp(testConfig({ CONTENT_DIR: dir, CONTENT_WATCH: 'true' }), { log: pino({ level: 'silent' }) });
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
        type: 'message',
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: `c-${Math.random()}` },
        from: { id: 'p' },
        recipient: { id: 'bot' },
        locale: 'en-US',
        deliveryMode: 'expectReplies',
        text,
      }),
    });
    const body = (await res.json()) as { activities: { text: string }[] };
    return body.activities[0].text;
  };
  type Readiness = { contentVersion: string; lastReloadAt: string | null; lastError: { problems: string[] } | null };
  const ready = async () => (await (await fetch(`${base}/readyz`)).json()) as Readiness;

  it('keeps serving the last good content when an edit breaks a file, then takes the fixed edit live', async () => {
    const faqFile = path.join(dir, 'faq.yaml');
    const good = fs.readFileSync(faqFile, 'utf8');
    const before = await ready();
    const painAnswer = await ask('does microneedling hurt?');

    fs.writeFileSync(faqFile, `${good}\n  - id: [broken\n`);
    let broken = before;
    await until(async () => (broken = await ready()).lastError !== null, 'the broken edit to be refused');
    expect(broken.contentVersion).toBe(before.contentVersion);
    expect(broken.lastError?.problems.join('\n')).toMatch(/faq\.yaml:\d+: this is not valid YAML/);
    expect(await ask('does microneedling hurt?')).toBe(painAnswer);
    const check = checkContent(dir, { maxReviewAgeDays: 365, now: TEST_NOW });
    expect(check.errors).toContainEqual(
      expect.objectContaining({ file: 'faq.yaml', message: expect.stringMatching(/not valid YAML/) }),
    );

    const edited = good.replace(
      'Most people feel only slight discomfort',
      'Most people feel only slight discomfort (reviewed today)',
    );
    expect(edited).not.toBe(good);
    fs.writeFileSync(faqFile, edited);
    let fixed = broken;
    await until(async () => {
      fixed = await ready();
      return fixed.contentVersion !== before.contentVersion && fixed.lastError === null;
    }, 'the fixed edit to go live');
    expect(fixed.lastReloadAt).not.toBeNull();
    expect(await ask('does microneedling hurt?')).toContain('(reviewed today)');
  });
});
