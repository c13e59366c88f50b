import { ConfigError, loadConfig } from '../core/config';
import { ContentError } from '../core/content/contentLoader';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  // A promise that failed outside any request (a background write, say) is logged; the service
  // keeps answering. An exception nobody caught leaves the process in an unknown state: it exits.
  process.on('unhandledRejection', (reason: unknown) => {
    app.log.error({ event: 'unhandled-rejection', err: describe(reason) }, 'a promise failed outside any request');
  });
  process.on('uncaughtException', (err: Error) => {
    app.log.fatal({ event: 'uncaught-exception', err: describe(err) }, 'exiting after an uncaught exception');
    process.exit(1);
  });
  const { port } = await app.listen();
  app.log.info({ event: 'listening', port }, `bot listening on http://localhost:${port}/api/messages`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ event: 'shutdown', signal }, 'finishing in-flight requests');
    const timer = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    timer.unref();
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
  return err instanceof Error
    ? { name: err.name, message: err.message, stack: err.stack }
    : { name: typeof err, message: String(err) };
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ContentError) {
    process.stderr.write(`Cannot start: ${err.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
