/** A visitor of the chat page, speaking the Direct Line 3.0 REST protocol as Web Chat's client does. */
export interface DlActivity {
  id?: string;
  type: string;
  text?: string;
  from?: { id?: string; role?: string };
  attachments?: { contentType?: string; content?: unknown }[];
  suggestedActions?: { actions: { title?: string; value?: unknown }[] };
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
}

/** Web Chat's own id for each message it posts; unique in the test run. */
let clientActivities = 0;

export class DirectLineVisitor {
  token = '';
  conversationId = '';
  watermark = '';
  seen: DlActivity[] = [];

  constructor(readonly base: string) {}

  /** POST /api/directline/token (resuming `resume` when given), then starts or reconnects. */
  async open(options: { resume?: string; locale?: string } = {}): Promise<{ resumed: boolean; status: number }> {
    const res = await fetch(`${this.base}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options.resume ? { resume: options.resume } : {}),
    });
    const body = (await res.json()) as { token: string; conversationId: string; resumed: boolean };
    this.token = body.token;
    this.conversationId = body.conversationId;
    const start = body.resumed
      ? await this.request('GET', `/v3/directline/conversations/${this.conversationId}?watermark=`)
      : await this.request('POST', '/v3/directline/conversations', { locale: options.locale ?? 'en-US' });
    return { resumed: body.resumed, status: start.status };
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    token = this.token,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    return this.request('POST', `/v3/directline/conversations/${this.conversationId}/activities`, activity);
  }

  /** Sends a message and returns the bot's texts that arrived with it. */
  async say(text: string, locale = 'en-US'): Promise<DlActivity[]> {
    const posted = await this.post({
      type: 'message',
      text,
      locale,
      from: { id: 'whoever' },
      channelData: { clientActivityID: `c${++clientActivities}` },
    });
    if (posted.status !== 200) throw new Error(`post failed: ${posted.status} ${JSON.stringify(posted.body)}`);
    return (await this.poll()).filter((a) => a.from?.role === 'bot');
  }

  /** GET activities after the watermark (one poll, as Web Chat does every second). */
  async poll(): Promise<DlActivity[]> {
    const res = await this.request(
      'GET',
      `/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
    );
    if (res.status !== 200) throw new Error(`poll failed: ${res.status}`);
    const page = res.body as { activities: DlActivity[]; watermark: string };
    this.watermark = page.watermark;
    this.seen.push(...page.activities);
    return page.activities;
  }
}
