import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import * as restify from 'restify';
import { clientAddress, limitKey } from '../core/security/clientAddress';
import { RequestLimits } from '../core/security/requestLimits';
import { Logger } from './logger';

/** What every refusal looks like on the wire: a short code and one sentence, never internals. */
export interface ErrorBody {
  error: string;
  message: string;
  ref?: string;
}

/** Sends a JSON error; `close` also ends the connection (used when the request body was not read). */
export function sendError(
  res: restify.Response,
  status: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
  close = false,
): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.header(name, value);
  if (close) res.header('connection', 'close');
  res.send(status, body);
}

/** A 429 with the seconds to wait, in the body and in Retry-After; `close` as for `sendError`. */
export function sendTooMany(res: restify.Response, retryAfterSeconds: number, close = false): void {
  sendError(
    res,
    429,
    { error: 'too-many-requests', message: `Too many requests; try again in ${retryAfterSeconds} s.` },
    { 'retry-after': String(retryAfterSeconds) },
    close,
  );
}

/** An endpoint's per-address limit: true, with a 429 sent, when this client's allowance is spent. */
export async function refusedByClientLimit(
  limits: RequestLimits,
  trustProxyHops: number,
  req: restify.Request,
  res: restify.Response,
): Promise<boolean> {
  const verdict = await limits.client(
    limitKey(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxyHops)),
  );
  if (verdict.allowed) return false;
  sendTooMany(res, verdict.retryAfterSeconds);
  return true;
}

/** `raw` is the body's bytes as received (a signature is checked over them). */
export type BodyResult =
  { ok: true; value: unknown; raw?: Buffer } | { ok: false; status: number; body: ErrorBody; close: boolean };

/**
 * Reads a JSON request body of at most `maxBytes`. Refuses early what would be wasted work:
 * another media type, any content encoding (a gzip bomb would otherwise inflate past the cap), a
 * declared length over the cap; stops collecting as soon as the cap is passed.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return Promise.resolve(refusal(415, 'unsupported-media-type', 'Send the activity as application/json.', true));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    return Promise.resolve(refusal(415, 'unsupported-media-type', 'Compressed request bodies are not accepted.', true));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.resolve(tooLarge(maxBytes));

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      // Whatever still arrives is discarded; the refusal closes the connection.
      if (!result.ok) req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) settle(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (received === 0) return settle(refusal(400, 'bad-request', 'The request body is empty.', false));
      try {
        const raw = Buffer.concat(chunks, received);
        settle({ ok: true, value: JSON.parse(raw.toString('utf8')), raw });
      } catch {
        settle(refusal(400, 'bad-request', 'The request body is not valid JSON.', false));
      }
    });
    // A client that went away (or was cut off by the server's request timeout): nothing to answer.
    req.once('close', () => settle(refusal(400, 'bad-request', 'The request ended early.', true)));
    req.once('error', () => settle(refusal(400, 'bad-request', 'The request ended early.', true)));
  });
}

function tooLarge(maxBytes: number): BodyResult {
  return refusal(413, 'payload-too-large', `The request body is larger than ${maxBytes} bytes.`, true);
}

function refusal(status: number, error: string, message: string, close: boolean): BodyResult {
  return { ok: false, status, body: { error, message }, close };
}

const ROUTE_ERRORS: Record<number, ErrorBody> = {
  400: { error: 'bad-request', message: 'The request could not be read.' },
  404: { error: 'not-found', message: 'There is nothing here.' },
  405: { error: 'method-not-allowed', message: 'This method is not allowed here.' },
  406: { error: 'not-acceptable', message: 'Only JSON responses are available.' },
  413: { error: 'payload-too-large', message: 'The request body is too large.' },
  415: { error: 'unsupported-media-type', message: 'Send JSON.' },
};

/**
 * Every error restify answers by itself (unknown route, wrong method, a handler that threw) gets
 * the same short JSON shape; anything unexpected is logged under a reference and answered 500
 * without its message.
 */
export function answerRouteErrorsAsJson(server: restify.Server, log: Logger): void {
  server.on(
    'restifyError',
    (_req: restify.Request, res: restify.Response, err: Error & { statusCode?: unknown }, done: () => void) => {
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      if (status >= 500 || !(status in ROUTE_ERRORS)) {
        const ref = randomUUID().slice(0, 8);
        log.error(
          { event: 'http-error', ref, status, err: { name: err.name, message: err.message, stack: err.stack } },
          'request failed outside a turn',
        );
        sendError(res, status >= 400 && status < 500 ? status : 500, {
          error: status >= 500 ? 'internal-error' : 'bad-request',
          message: `Something went wrong (reference ${ref}).`,
          ref,
        });
      } else {
        sendError(res, status, ROUTE_ERRORS[status]);
      }
      done();
    },
  );
}
