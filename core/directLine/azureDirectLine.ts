import { z } from 'zod';

/** What Azure's Direct Line answers to tokens/generate and tokens/refresh. */
const TokenResponse = z.object({
  conversationId: z.string().min(1),
  token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

export interface AzureConversationToken {
  conversationId: string;
  token: string;
  expiresIn: number;
}

export class DirectLineUnavailableError extends Error {
  override readonly name = 'DirectLineUnavailableError';
}

/**
 * Azure Bot Service's Direct Line channel, as the token exchange needs it: the channel secret
 * stays on the server and is traded for a per-conversation token that the browser uses.
 */
export class AzureDirectLineTokens {
  constructor(
    private readonly endpoint: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Web Chat's Direct Line `domain` for this endpoint. */
  get domain(): string {
    return `${this.endpoint}/v3/directline`;
  }

  /** A new conversation for `userId` (Direct Line trusts user ids that start with "dl_"). */
  async generate(userId: string): Promise<AzureConversationToken> {
    const result = await this.call('tokens/generate', this.secret, { user: { id: userId } });
    if (!result) throw new DirectLineUnavailableError('Direct Line refused the channel secret');
    return result;
  }

  /** A fresh token for the same conversation, or undefined when Direct Line no longer honours the old one. */
  refresh(token: string): Promise<AzureConversationToken | undefined> {
    return this.call('tokens/refresh', token, undefined);
  }

  private async call(path: string, bearer: string, body: unknown): Promise<AzureConversationToken | undefined> {
    let res: Response;
    try {
      res = await fetch(`${this.domain}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new DirectLineUnavailableError(
        `Direct Line could not be reached: ${err instanceof Error ? err.name : 'error'}`,
      );
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) return undefined;
    if (!res.ok) throw new DirectLineUnavailableError(`Direct Line answered ${res.status}`);
    const parsed = TokenResponse.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new DirectLineUnavailableError('Direct Line answered without a token');
    return { conversationId: parsed.data.conversationId, token: parsed.data.token, expiresIn: parsed.data.expires_in };
  }
}
