import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  conversationId: string;
  activity: {
    type?: string;
    text?: string;
    channelData?: { clinic?: { purpose?: string; sender?: string; staffName?: string } };
    suggestedActions?: { actions?: { title?: string }[] };
    [field: string]: unknown;
  };
}

/**
 * A channel service on loopback (the Bot Framework Connector's /v3/conversations/{id}/activities),
 * receiving what the bot sends proactively. `answer` makes it throttle (429 + Retry-After) or refuse (403/404).
 */
export class ChannelStub {
  readonly received: ReceivedActivity[] = [];
  /** Statuses to answer with, one per call, before answering 200 again. */
  answers: { status: number; retryAfter?: string }[] = [];
  calls = 0;
  private server: http.Server | undefined;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.calls += 1;
        const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        const answer = this.answers.shift();
        if (answer) {
          res.writeHead(answer.status, {
            'content-type': 'application/json',
            ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}),
          });
          res.end(JSON.stringify({ error: { code: 'stub', message: 'stub answer' } }));
          return;
        }
        if (req.method === 'POST' && match) {
          const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ReceivedActivity['activity'];
          this.received.push({ conversationId: decodeURIComponent(match[1]), activity });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `sent-${this.received.length}` }));
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  texts(conversationId?: string): string[] {
    return this.received
      .filter((r) => conversationId === undefined || r.conversationId === conversationId)
      .map((r) => r.activity.text ?? '');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
