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
  private patientMessages = 0;
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

  /**
   * A patient on this channel writing to the bot at `base` (POST /api/messages, replies in the
   * response): returns the reply texts, with a card's content appended as JSON so its facts read as text.
   */
  patient(
    base: string,
    channelId: string,
    extra: (conversationId: string) => Record<string, unknown> = () => ({}),
  ): (conversationId: string, text: string, locale?: string) => Promise<string[]> {
    return async (conversationId, text, locale = 'en-US') => {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          // Unique across every sender of this stub: the bot answers a repeated id once.
          id: `${channelId}-${conversationId}-${++this.patientMessages}`,
          channelId,
          serviceUrl: this.url,
          conversation: { id: conversationId },
          from: { id: `user-${conversationId}` },
          recipient: { id: 'bot', name: 'Clinic' },
          locale,
          deliveryMode: 'expectReplies',
          text,
          ...extra(conversationId),
        }),
      });
      if (res.status !== 200) throw new Error(`the bot answered ${res.status}`);
      const body = (await res.json()) as { activities: { text?: string; attachments?: unknown[] }[] };
      return body.activities.map((a) => (a.text ?? '') + (a.attachments ? `\n${JSON.stringify(a.attachments)}` : ''));
    };
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
