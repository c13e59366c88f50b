import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createApp } from '../../bot/app';
import { GapGroup } from '../../core/gaps/gapReport';
import { ROOT } from '../helpers/content';
import { testConfig } from '../helpers/testApp';

/** Runs `npm run report:gaps` on the store a deployment in `dataDir` keeps (sqlite, the embedded default). */
function reportGaps(dataDir: string, args: string[] = []): string {
  return execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', 'reportGaps.ts'), ...args],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, STATE_STORE: 'sqlite', SQLITE_PATH: '' }, encoding: 'utf8' },
  );
}

describe('what patients asked that nobody answered', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaps-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('records unanswered and unhelpful questions in the state store without contact details', async () => {
    const app = await createApp(testConfig({ DATA_DIR: dataDir, STATE_STORE: 'sqlite' }), {
      log: pino({ level: 'silent' }),
    });
    const { port } = await app.listen();
    const say = async (text: string, conversation = 'gaps-1') => {
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          channelId: 'test',
          serviceUrl: 'http://127.0.0.1:1',
          conversation: { id: conversation },
          from: { id: 'p' },
          recipient: { id: 'bot' },
          locale: 'en-US',
          deliveryMode: 'expectReplies',
          text,
        }),
      });
      return ((await res.json()) as { activities: { text: string }[] }).activities.map((a) => a.text);
    };
    try {
      await say('how much is a session? email me at jane.doe@example.com');
      await say('what does a session cost, call me on +44 20 7946 0958', 'gaps-2');
      await say('how long does the redness last?', 'gaps-3');
      expect((await say("that didn't help", 'gaps-3'))[0]).toMatch(/improve that answer/);
    } finally {
      await app.close();
    }
    // Nothing on the instance's own disk: another instance's report would not see it.
    expect(fs.existsSync(path.join(dataDir, 'gaps.jsonl'))).toBe(false);

    const report = reportGaps(dataDir);
    expect(report).toMatch(/from the sqlite store/);
    expect(report).toMatch(/how much is a session/);
    expect(report).toMatch(/how long does the redness last/);
    expect(report).toMatch(/unhelpful/);
    expect(report).not.toMatch(/jane\.doe|example\.com|7946/);
    expect(report).toMatch(/\[email\]/);
    const groups = JSON.parse(reportGaps(dataDir, ['--json'])) as GapGroup[];
    const ids = groups.flatMap((g) => g.ids);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  }, 90_000);

  it('moves a gaps.jsonl left by an older version into the store once, each question once', async () => {
    const legacy = [
      { at: '2026-03-01T10:00:00.000Z', lang: 'en', text: 'do you do botox', kind: 'fallback' },
      { at: '2026-03-02T10:00:00.000Z', lang: 'es', text: '¿hacéis peelings?', kind: 'fallback' },
    ];
    const file = path.join(dataDir, 'gaps.jsonl');
    fs.writeFileSync(file, legacy.map((r) => `${JSON.stringify(r)}\n`).join(''));
    // Before the bot moved it, the report already reads the file.
    expect(reportGaps(dataDir)).toMatch(/^2 question\(s\)/);

    // A development run (tests never touch a data folder a developer's bot may share).
    const config = testConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      STATE_STORE: 'sqlite',
      STAFF_AUTH: 'none',
    });
    const app = await createApp(config, { log: pino({ level: 'silent' }) });
    await app.listen();
    await app.close();
    expect(fs.existsSync(file)).toBe(false);
    const groups = JSON.parse(reportGaps(dataDir, ['--json'])) as GapGroup[];
    expect(groups.map((g) => g.example).sort()).toEqual(['do you do botox', '¿hacéis peelings?']);
    expect(groups.every((g) => g.count === 1)).toBe(true);
  }, 90_000);
});
