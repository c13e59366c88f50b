import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedBooking {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { requestId: string; patient: { name: string; email?: string; phone?: string } } & Record<string, unknown>;
  /** When it arrived, by `Date.now()` (the fake clock's, when the test has one). */
  at: number;
}

/**
 * The clinic's booking system, scripted per test: it answers each POST with the next scripted
 * status (then with `then`), and accepts each Idempotency-Key once, as a well-behaved booking
 * system does (a repeat gets the first answer again). `start()` serves it over real HTTP on
 * loopback; `fetch` reaches it in-process, so a test on a fake clock drives every delay.
 */
export class BookingEndpoint {
  readonly received: ReceivedBooking[] = [];
  /** Requests the endpoint accepted, by idempotency key (a repeat is not accepted twice). */
  readonly accepted = new Map<string, ReceivedBooking>();
  private script: number[] = [];
  private then = 201;
  private delayMs = 0;
  private retryAfter: string | undefined;
  private server: http.Server | undefined;
  private sockets = new Set<import('node:net').Socket>();
  /** In-process only: false while the endpoint is down (connections refused). */
  private reachable = true;
  port = 0;

  /** Scripts the next answers, e.g. respond([503, 503]) then 201. */
  respond(statuses: number[], then = 201): this {
    this.script = [...statuses];
    this.then = then;
    return this;
  }

  /** Sends `Retry-After: <value>` with every failure from now on (seconds, or an HTTP date). */
  askToWait(value: string | undefined): this {
    this.retryAfter = value;
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
          const { status, text, headers } = this.answer(req.headers, body);
          // Not chained: restify, loaded in the same process by the bot, patches writeHead to return nothing.
          res.writeHead(status, headers);
          res.end(text);
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

  /** In-process: refuses connections from now on, as an endpoint that is down. */
  down(): this {
    this.reachable = false;
    return this;
  }

  /** In-process: answers again. */
  up(): this {
    this.reachable = true;
    return this;
  }

  /**
   * The endpoint without a socket, for `DeliveryClient`'s `fetch` option: the same script, and a
   * slow answer waits on setTimeout (a fake clock's, when the test has one). As over HTTP, a
   * request the client gave up on is still handled when its answer is due.
   */
  readonly fetch = (_url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (!this.reachable) {
      return Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      );
    }
    const headers: http.IncomingHttpHeaders = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? init.body : '';
    const { signal } = init;
    return new Promise((resolve, reject) => {
      // An aborted fetch rejects with the signal's reason (a DOMException), as the real one does.
      const giveUp = (): void =>
        reject(
          signal?.reason instanceof Error
            ? signal.reason
            : new DOMException('This operation was aborted', 'AbortError'),
        );
      if (signal?.aborted) return giveUp();
      signal?.addEventListener('abort', giveUp, { once: true });
      const answer = (): void => {
        const reply = this.answer(headers, body);
        signal?.removeEventListener('abort', giveUp);
        resolve(new Response(reply.text, { status: reply.status, headers: reply.headers }));
      };
      if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    });
  };

  /** Records one POST and decides its answer from the script. */
  private answer(
    headers: http.IncomingHttpHeaders,
    body: string,
  ): { status: number; text: string; headers: Record<string, string> } {
    const received: ReceivedBooking = {
      headers,
      body,
      json: JSON.parse(body) as ReceivedBooking['json'],
      at: Date.now(),
    };
    this.received.push(received);
    const key = String(headers['idempotency-key']);
    const status = this.script.length > 0 ? (this.script.shift() as number) : this.then;
    if (status >= 200 && status < 300 && !this.accepted.has(key)) this.accepted.set(key, received);
    const answerBody =
      status >= 200 && status < 300
        ? { reference: `REF-${[...this.accepted.keys()].indexOf(key) + 1}` }
        : { error: 'scripted failure' };
    const answerHeaders: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.retryAfter !== undefined && (status < 200 || status >= 300))
      answerHeaders['Retry-After'] = this.retryAfter;
    return { status, text: JSON.stringify(answerBody), headers: answerHeaders };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
