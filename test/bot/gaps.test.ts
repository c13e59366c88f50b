import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createApp } from '../../bot/app';
import { ROOT } from '../helpers/content';
import { testConfig } from '../helpers/testApp';

describe('what patients asked that nobody answered', () => {
  it('records unanswered and unhelpful questions without contact details and reports them grouped', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaps-'));
    const app = await createApp(testConfig({ DATA_DIR: dataDir }), { log: pino({ level: 'silent' }) });
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

    const report = execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'scripts', 'reportGaps.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    );
    expect(report).toMatch(/how much is a session/);
    expect(report).toMatch(/how long does the redness last/);
    expect(report).toMatch(/unhelpful/);
    expect(report).not.toMatch(/jane\.doe|example\.com|7946/);
    expect(report).toMatch(/\[email\]/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
