import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { createApp } from '../../bot/app';
import { testConfig } from '../helpers/testApp';

describe('retention in the running service', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-app-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('sweeps the embedded sqlite store when asked, once per interval across instances', async () => {
    const config = testConfig({ STATE_STORE: 'sqlite', DATA_DIR: dataDir });
    const apps = [
      await createApp(config, { log: pino({ level: 'silent' }) }),
      await createApp(config, { log: pino({ level: 'silent' }) }),
    ];
    try {
      const [first, second] = await Promise.all(apps.map((app) => app.retention.sweepNow()));
      expect([first, second].filter((r) => r !== undefined)).toEqual([
        expect.objectContaining({ deleted: [], interrupted: false }),
      ]);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('has nothing to sweep on the memory store, which keeps nothing past a restart', async () => {
    const app = await createApp(testConfig(), { log: pino({ level: 'silent' }) });
    try {
      expect(await app.retention.sweepNow()).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
