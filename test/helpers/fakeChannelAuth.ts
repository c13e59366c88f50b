import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as http from 'node:http';

/** The issuer of tokens Azure Bot Service sends to bots (botframework-connector checks it exactly). */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as PKCS#1 PEM, the form botframework-connector rebuilds from the JWKS. */
  publicPem: string;
  /** The public half as the JWKS publishes it, with the channels it may sign for. */
  jwk: Record<string, unknown>;
}

/** A fresh RSA key; `endorsements` are the channel ids the JWKS says it signs for. */
export function signingKey(kid: string, endorsements: string[]): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    kid,
    privateKey,
    publicPem,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256', endorsements },
  };
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with `key` (node:crypto only), as the Bot Connector service sends. */
export function channelToken(
  key: SigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const signingInput = `${base64url({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${base64url(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url')}`;
}

/** A JWT signed HS256 with an arbitrary secret (the "public key as HMAC secret" attack). */
export function hmacToken(kid: string, secret: string, claims: Record<string, unknown>): string {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/**
 * When channel tokens are issued, in seconds. botframework-connector checks them against Date, so
 * a suite that sends tokens holds Date at this instant (`pinDate(TOKEN_TIME)`).
 */
export const TOKEN_TIME = new Date('2026-03-05T15:00:00Z');
export const TOKEN_SECONDS = Math.floor(TOKEN_TIME.getTime() / 1000);

/** The claims of a genuine channel token for `appId`, valid for an hour from TOKEN_TIME. */
export function channelClaims(
  appId: string,
  serviceUrl: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    iss: CHANNEL_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: TOKEN_SECONDS - 60,
    iat: TOKEN_SECONDS - 60,
    exp: TOKEN_SECONDS + 3600,
    ...extra,
  };
}

/**
 * An OpenID provider on loopback: the configuration document and a JWKS, as
 * login.botframework.com serves them. Each instance has its own port, so its URL is its own in
 * botframework-connector's process-wide metadata cache.
 */
export class FakeOpenIdProvider {
  private server?: http.Server;
  private port = 0;
  /** Requests it served, by path. */
  readonly requests: string[] = [];

  constructor(private readonly keys: SigningKey[]) {}

  get metadataUrl(): string {
    return `http://127.0.0.1:${this.port}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.url ?? '');
      const base = `http://127.0.0.1:${this.port}`;
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${base}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url === '/v1/.well-known/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A stand-in for a channel's connector service (or anything else the bot might call): records every request. */
export class RecordingServer {
  private server?: http.Server;
  readonly received: { method: string; path: string; body: { text?: string } }[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => {
        let body: { text?: string } = {};
        try {
          body = JSON.parse(data || '{}') as { text?: string };
        } catch {
          // Recorded as an empty body: what matters is that something was sent.
        }
        this.received.push({ method: req.method ?? '', path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${this.received.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
