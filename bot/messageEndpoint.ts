import { randomUUID } from 'node:crypto';
import { ActivityTimestamps, TurnContext } from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';
import * as restify from 'restify';
import { z } from 'zod';
import { clientAddress, limitKey } from '../core/security/clientAddress';
import { RequestLimits } from '../core/security/requestLimits';
import { ServiceUrlPolicy } from '../core/security/serviceUrlPolicy';
import { ClinicAdapter } from './clinicAdapter';
import { readJsonBody, sendError, sendTooMany } from './httpGuards';
import { Logger } from './logger';
import { InboundActivitySchema } from './activityCheck';

export interface MessageEndpointOptions {
  adapter: ClinicAdapter;
  logic: (context: TurnContext) => Promise<void>;
  log: Logger;
  maxBodyBytes: number;
  limits: RequestLimits;
  trustProxyHops: number;
  /** Local mode only: the service URLs replies may go to. Absent when requests are authenticated. */
  serviceUrls?: ServiceUrlPolicy;
}

const ActivityBody = z.custom<ActivityTimestamps>((value) => InboundActivitySchema.safeParse(value).success);

/**
 * POST /api/messages, cheapest refusals first: the client's rate, the body (media type, size,
 * JSON), the activity's shape, in local mode its service URL, the token (production), the
 * conversation's rate; only then a turn. Every refusal is a small JSON body and runs no turn.
 */
export function messageEndpoint(
  options: MessageEndpointOptions,
): (req: restify.Request, res: restify.Response) => Promise<void> {
  const { adapter, log, limits } = options;
  return async (req, res) => {
    const client = await limits.client(
      limitKey(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustProxyHops)),
    );
    if (!client.allowed) {
      if (client.firstRefusal)
        log.warn({ event: 'rate-limited', scope: 'client' }, 'too many requests from one client');
      return sendTooMany(res, client.retryAfterSeconds, true);
    }

    const body = await readJsonBody(req, options.maxBodyBytes);
    if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
    const parsed = ActivityBody.safeParse(body.value);
    if (!parsed.success) {
      return sendError(res, 400, {
        error: 'bad-request',
        message: 'Expected a Bot Framework activity with type, channelId, serviceUrl and conversation.id.',
      });
    }
    const activity = withDates(parsed.data);

    if (options.serviceUrls && !options.serviceUrls.allows(activity.serviceUrl)) {
      log.warn(
        { event: 'service-url-refused', channel: activity.channelId },
        'local mode: service URL is neither loopback nor in LOCAL_SERVICE_URLS',
      );
      return sendError(res, 403, {
        error: 'forbidden',
        message:
          'Without credentials this bot only replies to service URLs on this machine or listed in LOCAL_SERVICE_URLS.',
      });
    }

    let auth: AuthenticateRequestResult;
    try {
      auth = await adapter.authenticate(activity, authorization(req));
    } catch (err) {
      return refuseAuthentication(res, log, err, activity.channelId);
    }

    const conversation = await limits.conversation(`${activity.channelId}/${activity.conversation.id}`);
    if (!conversation.allowed) {
      if (conversation.firstRefusal)
        log.warn(
          { event: 'rate-limited', scope: 'conversation', channel: activity.channelId },
          'too many messages in one conversation',
        );
      return sendTooMany(res, conversation.retryAfterSeconds, false);
    }

    try {
      const response = await adapter.runTurn(auth, activity, options.logic);
      if (response?.body !== undefined) res.send(response.status ?? 200, response.body);
      else {
        res.status(response?.status ?? 200);
        res.end();
      }
    } catch (err) {
      // Turn errors are answered by onTurnError; this is the adapter failing around the turn.
      const ref = randomUUID().slice(0, 8);
      log.error(
        { event: 'request-failed', ref, err: describe(err), channel: activity.channelId },
        'request failed outside the turn',
      );
      sendError(res, 500, { error: 'internal-error', message: `Something went wrong (reference ${ref}).`, ref });
    }
  };
}

function authorization(req: restify.Request): string {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : '';
}

/**
 * A token that does not hold is 401 whatever the reason; the reason goes to the log only. When
 * the signing keys could not be fetched at all the bot cannot tell, and says so with 503.
 */
function refuseAuthentication(res: restify.Response, log: Logger, err: unknown, channel: string): void {
  const unavailable =
    (err instanceof AuthenticationError && err.statusCode >= 500) ||
    (err instanceof Error && err.name === 'FetchError');
  if (unavailable) {
    log.error({ event: 'auth-unavailable', err: describe(err) }, 'could not fetch the token signing keys');
    return sendError(
      res,
      503,
      { error: 'unavailable', message: 'Authentication is unavailable right now; try again later.' },
      { 'retry-after': '30' },
    );
  }
  log.warn(
    { event: 'auth-refused', channel, reason: describe(err).message },
    'request refused: token missing or invalid',
  );
  sendError(res, 401, { error: 'unauthorized', message: 'A valid Bot Framework token is required.' });
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 300), stack: err.stack };
  return { name: typeof err, message: String(err).slice(0, 300) };
}

/** As botbuilder's own activity check does: timestamps arrive as strings and turns expect Dates. */
function withDates(activity: ActivityTimestamps): ActivityTimestamps {
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value: unknown = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity;
}
