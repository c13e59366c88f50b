import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import pino from 'pino';
import { createApp } from '../../bot/app';
import { ROOT } from '../helpers/content';
import { testConfig } from '../helpers/testApp';

/** A stand-in for the channel's connector service: records the activities the bot posts back. */
function fakeConnector(): Promise<{
  url: string;
  received: { path: string; body: { text?: string } }[];
  close: () => void;
}> {
  const received: { path: string; body: { text?: string } }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data || '{}') as { text?: string } });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${received.length}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, received, close: () => server.close() });
    }),
  );
}

/** Runs `bot/index.ts` as the real entry point, with the given environment on top of ours. */
function startBot(env: Record<string, string>) {
  return spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bot', 'index.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', STATE_STORE: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('service lifecycle', () => {
  it('posts replies back to the channel service URL in normal delivery mode', async () => {
    const connector = await fakeConnector();
    const app = await createApp(testConfig(), { log: pino({ level: 'silent' }) });
    const { port } = await app.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'incoming-1',
          channelId: 'emulator',
          serviceUrl: connector.url,
          conversation: { id: 'conv-normal' },
          from: { id: 'patient' },
          recipient: { id: 'bot' },
          locale: 'en-US',
          text: 'does it hurt?',
        }),
      });
      expect(res.status).toBe(200);
      expect(connector.received).toHaveLength(1);
      expect(connector.received[0].path).toBe('/v3/conversations/conv-normal/activities/incoming-1');
      expect(connector.received[0].body.text).toContain('Source:');
    } finally {
      await app.close();
      connector.close();
    }
  });

  it('finishes cleanly on SIGTERM', async () => {
    const child = startBot({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"event":"listening"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"event":"shutdown"');
  });

  it('refuses to start with a clear message when production has no credentials', async () => {
    const child = startBot({ NODE_ENV: 'production', MicrosoftAppId: '', MicrosoftAppPassword: '' });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toContain('Cannot start: Invalid configuration');
    expect(err).toContain('MicrosoftAppId: required when NODE_ENV=production');
  });
});
