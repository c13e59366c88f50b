import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedNudge {
  headers: http.IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: Record<string, unknown> & { link?: string; bookingRequestIds?: string[] };
}

/** The clinic's SMS or email system on loopback: records each nudge, answers `status`. */
export class NudgeReceiver {
  readonly received: ReceivedNudge[] = [];
  status = 202;
  private server: http.Server | undefined;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedNudge['json'] });
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/nudges`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
