import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedBooking {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { requestId: string; patient: { name: string; email?: string; phone?: string } } & Record<string, unknown>;
}

/**
 * A real HTTP booking endpoint on loopback, scripted per test: it answers each POST with the
 * next scripted status (then with `then`), and accepts each Idempotency-Key once, as a
 * well-behaved booking system does (a repeat gets the first answer again).
 */
export class BookingEndpoint {
  readonly received: ReceivedBooking[] = [];
  /** Requests the endpoint accepted, by idempotency key (a repeat is not accepted twice). */
  readonly accepted = new Map<string, ReceivedBooking>();
  private script: number[] = [];
  private then = 201;
  private delayMs = 0;
  private server: http.Server | undefined;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  /** Scripts the next answers, e.g. respond([503, 503]) then 201. */
  respond(statuses: number[], then = 201): this {
    this.script = [...statuses];
    this.then = then;
    return this;
  }

  /** Answers after this delay (a slow booking system). */
  slow(ms: number): this {
    this.delayMs = ms;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/bookings`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const answer = (): void => {
          const received: ReceivedBooking = { headers: req.headers, body, json: JSON.parse(body) as ReceivedBooking['json'] };
          this.received.push(received);
          const key = String(req.headers['idempotency-key']);
          const status = this.script.length > 0 ? (this.script.shift() as number) : this.then;
          if (status >= 200 && status < 300 && !this.accepted.has(key)) this.accepted.set(key, received);
          const answerBody = status >= 200 && status < 300 ? { reference: `REF-${[...this.accepted.keys()].indexOf(key) + 1}` } : { error: 'scripted failure' };
          // Not chained: restify, loaded in the same process by the bot, patches writeHead to return nothing.
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(answerBody));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
