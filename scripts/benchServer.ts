/**
 * A server for `npm run bench`: the clinic bot (createApp), or a bare echo bot on the same
 * restify stack with botbuilder's stock CloudAdapter (`echo`) or with the clinic's adapter, which
 * keeps its connector clients between turns (`echo-clinic-adapter`), or the clinic bot on a copy of
 * its content that it reloads on change (`clinic-watching`). Prints `PORT <n>` when listening.
 * Usage: tsx scripts/benchServer.ts clinic|clinic-watching|echo|echo-clinic-adapter
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import pino from 'pino';
import * as restify from 'restify';
import { createApp } from '../bot/app';
import { createAdapter } from '../bot/clinicAdapter';
import { loadConfig } from '../core/config';

async function echo(adapter: CloudAdapter): Promise<number> {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address: unknown = server.address();
      resolve(typeof address === 'object' && address !== null && 'port' in address ? Number(address.port) : 0);
    });
  });
}

/**
 * The clinic bot; `watching` serves a throw-away copy of the
 * content and reloads it on change (printed as `CONTENT <dir>`).
 */
async function clinic(watching = false): Promise<number> {
  // The bot's real embedded defaults, but its gap log goes to a throw-away folder.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-'));
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const contentDir = path.join(dataDir, 'content');
  if (watching) {
    fs.cpSync(path.join(__dirname, '..', 'content'), contentDir, { recursive: true });
    process.stdout.write(`CONTENT ${contentDir}\n`);
  }
  const app = await createApp(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      ...(watching ? { CONTENT_DIR: contentDir, CONTENT_WATCH: 'true' } : { CONTENT_WATCH: 'false' }),
      // One load generator on 127.0.0.1 is not abuse: the limits would turn the benchmark into a 429 count.
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
    }),
    { log: pino({ level: 'silent' }) },
  );
  return (await app.listen()).port;
}

// Exit normally on a signal so `node --cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

const servers: Record<string, () => Promise<number>> = {
  clinic: () => clinic(),
  'clinic-watching': () => clinic(true),
  echo: () => echo(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}))),
  'echo-clinic-adapter': () => echo(createAdapter(loadConfig({ NODE_ENV: 'test' }).auth)),
};
const start = servers[process.argv[2]];
if (!start) throw new Error(`usage: benchServer.ts ${Object.keys(servers).join('|')}`);
start()
  .then((port) => process.stdout.write(`PORT ${port}\n`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
