import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';
import { until } from './until';

const ROOT = path.resolve(__dirname, '..', '..');
/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A real Azure Blob Storage server (Azurite, from devDependencies) on a free loopback port. */
export class Azurite {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get connectionString(): string {
    return (
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
      `BlobEndpoint=http://127.0.0.1:${this.port}/${ACCOUNT};`
    );
  }

  static async start(): Promise<Azurite> {
    const port = await freePort();
    const child = spawn(
      path.join(ROOT, 'node_modules', '.bin', 'azurite-blob'),
      [
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        '--inMemoryPersistence',
        '--disableTelemetry',
        '--silent',
        '--skipApiVersionCheck',
        '--loose',
      ],
      // In memory: nothing is written to disk, and the server is gone with the test.
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() },
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    try {
      await until(async () => child.exitCode !== null || (await canConnect(port)), 'Azurite to listen', 20_000);
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`Azurite did not start: ${output}`, { cause: err });
    }
    if (child.exitCode !== null) throw new Error(`Azurite did not start: ${output}`);
    return new Azurite(child, port);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
