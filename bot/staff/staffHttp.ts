import type { IncomingMessage } from 'node:http';
import * as restify from 'restify';
import { SafeHtml } from './html';

/** The console's pages run only their own scripts and styles, talk only to the bot, and are never framed. */
export const STAFF_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': STAFF_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  // Staff pages show patients' requests: never kept by a browser or a proxy.
  'cache-control': 'no-store',
} as const;

export function sendHtml(res: restify.Response, status: number, page: SafeHtml, lang: string): void {
  const body = Buffer.from(page.value, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(body.length),
    'content-language': lang,
  });
  res.end(body);
}

export function sendText(
  res: restify.Response,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': String(bytes.length),
    ...extra,
  });
  res.end(bytes);
}

/** A 303 after a form post, so a reload never posts twice. */
export function redirect(res: restify.Response, location: string, status = 303): void {
  res.writeHead(status, { ...SECURITY_HEADERS, location, 'content-length': '0' });
  res.end();
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds?: number;
}

/**
 * A `__Host-` cookie (Secure, Path=/, no Domain: only this host over https may set or read it),
 * HttpOnly and SameSite=Strict. On plain-http loopback in development a browser refuses Secure
 * cookies, so the cookie drops the prefix and the flag there.
 */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export function setCookie(res: restify.Response, base: string, value: string, options: CookieOptions): void {
  const parts = [
    `${cookieName(base, options.secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
    ...(options.maxAgeSeconds !== undefined ? [`Max-Age=${options.maxAgeSeconds}`] : []),
  ];
  const previous = res.getHeader('set-cookie');
  const list = Array.isArray(previous) ? previous : typeof previous === 'string' ? [previous] : [];
  res.setHeader('set-cookie', [...list, parts.join('; ')]);
}

export function clearCookie(res: restify.Response, base: string, secure: boolean): void {
  setCookie(res, base, '', { secure, maxAgeSeconds: 0 });
}

export type FormResult = { ok: true; form: URLSearchParams } | { ok: false; status: number };

/** Reads an application/x-www-form-urlencoded body of at most `maxBytes`. */
export function readForm(req: IncomingMessage, maxBytes: number): Promise<FormResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return Promise.resolve({ ok: false, status: 415 });
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve({ ok: false, status: 413 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: FormResult): void => {
      if (done) return;
      done = true;
      if (!result.ok) req.resume();
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ ok: false, status: 413 });
      else chunks.push(chunk);
    });
    req.once('end', () => finish({ ok: true, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) }));
    req.once('error', () => finish({ ok: false, status: 400 }));
  });
}

/**
 * True when a state-changing request comes from the console's own pages: a browser names the
 * page's origin in Origin (or, failing that, says same-origin in Sec-Fetch-Site). A request from
 * another site is refused even before its CSRF token is looked at.
 */
export function sameOrigin(req: IncomingMessage, secure: boolean): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      const url = new URL(origin);
      return url.host === host && (url.protocol === 'https:' || !secure);
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  // Neither header (a script, not a browser): the CSRF token alone decides.
  return origin === undefined;
}

/** A route parameter as a string ('' when absent): restify types `req.params` as any. */
export function routeParam(req: { params?: unknown }, name: string): string {
  const params = req.params;
  if (typeof params !== 'object' || params === null) return '';
  const value: unknown = (params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
