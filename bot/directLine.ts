import { randomUUID } from 'node:crypto';
import { Activity, TurnContext } from 'botbuilder';
import * as restify from 'restify';
import { z } from 'zod';
import { ConversationGrant, ConversationTokens } from '../core/directLine/conversationTokens';
import { TranscriptActivity, Transcripts } from '../core/directLine/transcripts';
import { RequestLimits } from '../core/security/requestLimits';
import { ClinicAdapter } from './clinicAdapter';
import { readJsonBody, refusedByClientLimit, sendError } from './httpGuards';
import { Logger } from './logger';
import { VisitorActivitySchema } from './activityCheck';

/** The path Web Chat's Direct Line client is pointed at (its `domain`). */
export const DIRECT_LINE_PATH = '/v3/directline';

/** The serviceUrl of the embedded Direct Line's turns: nothing is ever sent to it (its replies are kept). */
export const EMBEDDED_SERVICE_URL = 'http://127.0.0.1/embedded-directline';

/** The channel id of conversations on the embedded Direct Line, as on Azure's. */
const CHANNEL_ID = 'directline';

export interface EmbeddedDirectLineOptions {
  adapter: ClinicAdapter;
  logic: (context: TurnContext) => Promise<void>;
  log: Logger;
  tokens: ConversationTokens;
  transcripts: Transcripts;
  limits: RequestLimits;
  trustProxyHops: number;
  maxBodyBytes: number;
  bot: { id: string; name: () => string };
  /**
   * Calls the listener with a conversation's id when its patient confirmed "forget me" (the bot's `forgotten` event).
   */
  onForgotten: (listener: (conversationId: string) => void) => void;
}

const StartBody = z.object({ locale: z.string().max(35).optional() }).loose();

/**
 * A self-hosted Direct Line 3.0 endpoint (the subset Web Chat's own client uses, by polling):
 * start or reconnect a conversation, post an activity, get activities after a watermark, refresh
 * the token. Every route but the (refused) file upload needs the visitor's token, and a token opens only its own
 * conversation. Activities run as turns in this process (expectReplies), so nothing goes out to a
 * channel service; the replies are kept in the conversation's transcript for the next poll.
 */
export function registerEmbeddedDirectLine(server: restify.Server, options: EmbeddedDirectLineOptions): void {
  const { tokens, transcripts, log } = options;

  const grantOf = (req: restify.Request, res: restify.Response): ConversationGrant | undefined => {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const grant = tokens.verify(token);
    if (!grant) {
      // Direct Line answers a missing, forged or expired token with 403; Web Chat then asks for a new one.
      sendError(res, 403, {
        error: 'forbidden',
        message: 'A valid Direct Line token for this conversation is required.',
      });
      return undefined;
    }
    const params: unknown = req.params;
    const conversationId: unknown =
      typeof params === 'object' && params !== null && 'conversationId' in params ? params.conversationId : undefined;
    if (conversationId !== undefined && conversationId !== grant.conversationId) {
      sendError(res, 403, { error: 'forbidden', message: 'This token is for another conversation.' });
      return undefined;
    }
    return grant;
  };

  const conversationInfo = (grant: ConversationGrant) => {
    const { token, expiresIn } = tokens.issue(grant.conversationId, grant.userId);
    return { conversationId: grant.conversationId, token, expires_in: expiresIn };
  };

  const clientAllowed = async (req: restify.Request, res: restify.Response): Promise<boolean> =>
    !(await refusedByClientLimit(options.limits, options.trustProxyHops, req, res));

  const turn = new DirectLineTurns(options);

  // Start the conversation the token was issued for: the bot greets the visitor first.
  server.post(`${DIRECT_LINE_PATH}/conversations`, async (req: restify.Request, res: restify.Response) => {
    const grant = grantOf(req, res);
    if (!grant) return;
    const body =
      req.headers['content-length'] === '0' || req.headers['content-type'] === undefined
        ? { ok: true as const, value: {} }
        : await readJsonBody(req, options.maxBodyBytes);
    if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
    const start = StartBody.safeParse(body.value ?? {});
    const created = await transcripts.open(grant.conversationId, grant.userId);
    if (created) {
      await turn.run(grant, {
        type: 'conversationUpdate',
        membersAdded: [{ id: grant.userId, role: 'user' }],
        locale: start.success ? start.data.locale : undefined,
      });
    }
    res.send(created ? 201 : 200, conversationInfo(grant));
  });

  // Reconnect (a page reload): the same conversation, a fresh token.
  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId`,
    async (req: restify.Request, res: restify.Response) => {
      const grant = grantOf(req, res);
      if (!grant) return;
      if (!(await transcripts.exists(grant.conversationId)))
        return sendError(res, 404, { error: 'not-found', message: 'This conversation has ended.' });
      res.send(200, conversationInfo(grant));
    },
  );

  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    async (req: restify.Request, res: restify.Response) => {
      const grant = grantOf(req, res);
      if (!grant) return;
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
      const watermark = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
      const page = await transcripts.since(grant.conversationId, watermark);
      if (!page) return sendError(res, 404, { error: 'not-found', message: 'This conversation has ended.' });
      res.header('cache-control', 'no-store');
      res.send(200, page);
    },
  );

  server.post(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    async (req: restify.Request, res: restify.Response) => {
      if (!(await clientAllowed(req, res))) return;
      const grant = grantOf(req, res);
      if (!grant) return;
      const body = await readJsonBody(req, options.maxBodyBytes);
      if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
      const posted = VisitorActivitySchema.safeParse(body.value);
      if (!posted.success)
        return sendError(res, 400, {
          error: 'bad-request',
          message: 'Expected a message or event activity without attachments.',
        });
      if (!(await transcripts.exists(grant.conversationId)))
        return sendError(res, 404, { error: 'not-found', message: 'This conversation has ended.' });
      const conversation = await options.limits.conversation(`${CHANNEL_ID}/${grant.conversationId}`);
      if (!conversation.allowed) {
        return sendError(
          res,
          429,
          {
            error: 'too-many-requests',
            message: `Too many messages; try again in ${conversation.retryAfterSeconds} s.`,
          },
          { 'retry-after': String(conversation.retryAfterSeconds) },
        );
      }
      const activity = posted.data;
      // Typing indicators are not kept, nor shown to the bot.
      if (activity.type === 'typing') {
        res.send(200, { id: '' });
        return;
      }
      const { clientActivityID, clientTimestamp } = activity.channelData ?? {};
      const [echo] = await transcripts.append(grant.conversationId, [
        {
          type: activity.type,
          channelId: CHANNEL_ID,
          conversation: { id: grant.conversationId },
          from: { id: grant.userId, role: 'user' },
          ...pick(activity, ['text', 'textFormat', 'value', 'name', 'locale', 'localTimestamp']),
          channelData: {
            ...(clientActivityID ? { clientActivityID } : {}),
            ...(clientTimestamp ? { clientTimestamp } : {}),
          },
        },
      ]);
      try {
        await turn.run(grant, { ...echo, timestamp: undefined });
      } catch (err) {
        const ref = randomUUID().slice(0, 8);
        log.error({ event: 'directline-turn-failed', ref, err }, 'a Direct Line turn failed outside the bot');
        return sendError(res, 500, {
          error: 'internal-error',
          message: `Something went wrong (reference ${ref}).`,
          ref,
        });
      }
      res.send(200, { id: echo.id });
    },
  );

  // Web Chat's client refreshes its token every 15 minutes while the page is open.
  server.post(`${DIRECT_LINE_PATH}/tokens/refresh`, async (req: restify.Request, res: restify.Response) => {
    const grant = grantOf(req, res);
    if (!grant) return;
    res.send(200, conversationInfo(grant));
  });

  // Files are not accepted: a patient's photos belong with the clinic, not in a chat transcript.
  server.post(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/upload`,
    async (_req: restify.Request, res: restify.Response) => {
      sendError(res, 415, { error: 'unsupported-media-type', message: 'This chat does not accept files.' });
    },
  );
}

/** Runs one activity of a Direct Line conversation as a bot turn and keeps the bot's replies in the transcript. */
class DirectLineTurns {
  /** Conversations whose patient said "forget me" in the turn under way. */
  private readonly forgotten = new Set<string>();

  constructor(private readonly options: EmbeddedDirectLineOptions) {
    options.onForgotten((conversationId) => this.forgotten.add(conversationId));
  }

  async run(grant: ConversationGrant, activity: TranscriptActivity): Promise<void> {
    const { adapter, transcripts, bot } = this.options;
    const inbound = {
      ...activity,
      channelId: CHANNEL_ID,
      // Replies come back in the turn's response (expectReplies); nothing is ever sent to this URL.
      serviceUrl: EMBEDDED_SERVICE_URL,
      conversation: { id: grant.conversationId },
      from: { id: grant.userId, role: 'user' },
      recipient: { id: bot.id, name: bot.name(), role: 'bot' },
      deliveryMode: 'expectReplies',
      timestamp: new Date(),
    } as unknown as Activity;
    this.forgotten.delete(grant.conversationId);
    const response = await adapter.runTurn(await adapter.authenticateEmbedded(inbound), inbound, (context) =>
      this.options.logic(context),
    );
    const forgotten = this.forgotten.delete(grant.conversationId);
    const body: unknown = response?.body;
    const replies =
      body && typeof body === 'object' && 'activities' in body && Array.isArray(body.activities)
        ? (body.activities as unknown[])
        : [];
    const kept = replies.filter(isShown).map((reply) => asTranscriptActivity(reply, bot));
    const stored = kept.length > 0 ? await transcripts.append(grant.conversationId, kept) : [];
    // "Forget me": the history goes too; the page keeps only the bot's answer saying what was erased.
    if (forgotten) await transcripts.erase(grant.conversationId, stored);
  }
}

function isShown(activity: unknown): activity is Record<string, unknown> & { type: string } {
  if (typeof activity !== 'object' || activity === null) return false;
  const type = (activity as { type?: unknown }).type;
  return type === 'message' || type === 'event' || type === 'endOfConversation';
}

/** A reply as JSON, from the bot, without the internal service URL. */
function asTranscriptActivity(
  reply: Record<string, unknown> & { type: string },
  bot: EmbeddedDirectLineOptions['bot'],
): TranscriptActivity {
  const plain = JSON.parse(JSON.stringify(reply)) as TranscriptActivity;
  delete plain.serviceUrl;
  delete plain.id;
  delete plain.timestamp;
  plain.from = { id: bot.id, name: bot.name(), role: 'bot' };
  return plain;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
