import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as restify from 'restify';
import { z } from 'zod';
import { AzureDirectLineTokens, DirectLineUnavailableError } from '../core/directLine/azureDirectLine';
import { ConversationTokens, randomId } from '../core/directLine/conversationTokens';
import { Transcripts } from '../core/directLine/transcripts';
import { ResumeLinks } from '../core/directLine/resumeLinks';
import { Clinic } from '../core/content/schemas';
import { RequestLimits } from '../core/security/requestLimits';
import { Lang, langOfTag, localeOf } from '../core/text/language';
import { DIRECT_LINE_PATH } from './directLine';
import { Localizer } from './i18n';
import { readJsonBody, refusedByClientLimit, sendError } from './httpGuards';
import { Logger } from './logger';
import { clinicPlaceholders } from '../core/content/templates';

/** The page's own words: the `web.*` keys of locales/<lang>/translation.json. */
const PAGE_WORDS = [
  'title',
  'subtitle',
  'disclaimer',
  'newChat',
  'newChatHint',
  'connecting',
  'unavailable',
  'noscript',
  'placeholder',
  'logoAlt',
  'chatLabel',
] as const;

export type TokenSource =
  | {
      kind: 'embedded';
      tokens: ConversationTokens;
      transcripts: Transcripts;
      historySeconds: number;
      /** The tokens of the links a nudge carries (POST /api/webchat/resume). */
      resumeLinks?: ResumeLinks;
    }
  | { kind: 'azure'; directLine: AzureDirectLineTokens };

export interface WebChatOptions {
  clinic: () => Clinic;
  contentDir: () => string;
  i18n: Localizer;
  defaultLang: Lang;
  tokenSource: TokenSource;
  /** Origins allowed to show the page in an iframe, besides the bot's own. */
  frameAncestors: readonly string[];
  limits: RequestLimits;
  trustProxyHops: number;
  log: Logger;
}

const TokenRequest = z.object({
  /** The token this browser tab held before a reload: the conversation goes on. */
  resume: z.string().max(1024).optional(),
});

const ResumeRequest = z.object({ token: z.string().min(1).max(1024) });

const LOGO_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * The clinic's chat page at `/`: Bot Framework Web Chat from the project's own dependencies,
 * branded from the clinic profile, in the visitor's language, talking to the bot over Direct Line
 * (the embedded one by default, Azure's when DIRECT_LINE_SECRET is set).
 */
export function registerWebChat(server: restify.Server, options: WebChatOptions): void {
  const webDir = findWebDir();
  const template = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  const webChat = webChatBundle();
  const assets = new Map<string, Asset>([
    [
      `/webchat/${webChat.version}/webchat.js`,
      asset(webChat.file, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'),
    ],
    ['/webchat/chat.js', asset(path.join(webDir, 'chat.js'), 'text/javascript; charset=utf-8', 'no-cache')],
    ['/webchat/chat.css', asset(path.join(webDir, 'chat.css'), 'text/css; charset=utf-8', 'no-cache')],
  ]);
  const { tokenSource } = options;
  const connectOrigins =
    tokenSource.kind === 'azure'
      ? [
          new URL(tokenSource.directLine.domain).origin,
          new URL(tokenSource.directLine.domain).origin.replace(/^http/, 'ws'),
        ]
      : [];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // Web Chat styles its components at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${connectOrigins.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self' ${options.frameAncestors.join(' ')}`.trim(),
  ].join('; ');

  server.get('/', async (req: restify.Request, res: restify.Response) => {
    const lang = pageLanguage(req, options.defaultLang);
    const clinic = options.clinic();
    const values = clinicPlaceholders(clinic, lang);
    const s = Object.fromEntries(
      PAGE_WORDS.map((word) => [word, options.i18n.t(lang, `web.${word}`, values)]),
    ) as Record<(typeof PAGE_WORDS)[number], string>;
    const config = {
      lang,
      locale: localeOf(lang),
      brand: clinic.brand,
      logo: clinic.brand.logo ? '/webchat/logo' : undefined,
      botName: clinic.name,
      placeholder: s.placeholder,
      unavailable: s.unavailable,
    };
    const html = fillHtml(template, {
      lang,
      title: s.title,
      clinicName: clinic.name,
      subtitle: s.subtitle,
      disclaimer: s.disclaimer,
      newChat: s.newChat,
      newChatHint: s.newChatHint,
      connecting: s.connecting,
      noscript: s.noscript,
      logoAlt: s.logoAlt,
      chatLabel: s.chatLabel,
      primaryColor: clinic.brand.primaryColor,
      onPrimaryColor: clinic.brand.onPrimaryColor,
      webChatScript: `/webchat/${webChat.version}/webchat.js`,
      logoHidden: clinic.brand.logo ? '' : 'hidden',
    }).replace('{{configJson}}', JSON.stringify(config).replace(/</g, '\\u003c'));
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-language': lang,
      vary: 'accept-language',
    });
    res.end(html);
  });

  for (const [route, file] of assets) {
    server.get(route, async (req: restify.Request, res: restify.Response) => sendAsset(req, res, file));
  }

  server.get('/webchat/logo', async (_req: restify.Request, res: restify.Response) => {
    const logo = options.clinic().brand.logo;
    if (!logo) return sendError(res, 404, { error: 'not-found', message: 'No logo is configured.' });
    let body: Buffer;
    try {
      body = fs.readFileSync(path.join(options.contentDir(), logo));
    } catch {
      return sendError(res, 404, { error: 'not-found', message: 'The logo file is missing.' });
    }
    res.writeHead(200, {
      'content-type': LOGO_TYPES[path.extname(logo).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      // An SVG opened on its own runs no script.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  });

  /** The per-address limit of the chat page's own endpoints: true (and a 429 sent) when it is spent. */
  const refusedByRateLimit = (req: restify.Request, res: restify.Response): Promise<boolean> =>
    refusedByClientLimit(options.limits, options.trustProxyHops, req, res);

  server.post('/api/directline/token', async (req: restify.Request, res: restify.Response) => {
    if (await refusedByRateLimit(req, res)) return;
    const body =
      req.headers['content-length'] === '0' ? { ok: true as const, value: {} } : await readJsonBody(req, 4096);
    if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
    const request = TokenRequest.safeParse(body.value ?? {});
    if (!request.success) return sendError(res, 400, { error: 'bad-request', message: 'Expected {"resume"?: token}.' });
    res.header('cache-control', 'no-store');
    try {
      res.send(200, await conversationToken(tokenSource, request.data.resume));
    } catch (err) {
      if (!(err instanceof DirectLineUnavailableError)) throw err;
      options.log.error({ event: 'directline-token-failed', reason: err.message }, 'could not get a Direct Line token');
      sendError(
        res,
        502,
        { error: 'unavailable', message: 'The chat service is not reachable right now.' },
        { 'retry-after': '30' },
      );
    }
  });

  // A nudge's link (`/?resume=<token>`): the page trades its token for the conversation it reopens.
  if (tokenSource.kind === 'embedded' && tokenSource.resumeLinks) {
    const links = tokenSource.resumeLinks;
    server.post('/api/webchat/resume', async (req: restify.Request, res: restify.Response) => {
      if (await refusedByRateLimit(req, res)) return;
      const body = await readJsonBody(req, 4096);
      if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
      const request = ResumeRequest.safeParse(body.value);
      if (!request.success)
        return sendError(res, 400, { error: 'bad-request', message: 'Expected {"token": link token}.' });
      res.header('cache-control', 'no-store');
      const grant = links.open(request.data.token);
      if (!grant) return sendError(res, 403, { error: 'forbidden', message: 'This link is not valid or has expired.' });
      if (!(await tokenSource.transcripts.exists(grant.conversationId)))
        return sendError(res, 404, { error: 'not-found', message: 'This conversation has ended.' });
      const { token, expiresIn } = tokenSource.tokens.issue(grant.conversationId, grant.userId);
      res.send(200, {
        conversationId: grant.conversationId,
        token,
        expires_in: expiresIn,
        domain: null,
        path: DIRECT_LINE_PATH,
        webSocket: false,
        resumed: true,
      });
    });
  }
}

/** A conversation for the page: the one this tab had (after a reload), else a new one. */
async function conversationToken(source: TokenSource, resume: string | undefined) {
  if (source.kind === 'azure') {
    const resumed = resume ? await source.directLine.refresh(resume) : undefined;
    // Direct Line trusts user ids that start with "dl_" only when they come inside the token.
    const conversation = resumed ?? (await source.directLine.generate(randomId('dl_')));
    return {
      conversationId: conversation.conversationId,
      token: conversation.token,
      expires_in: conversation.expiresIn,
      domain: source.directLine.domain,
      webSocket: true,
      resumed: resumed !== undefined,
    };
  }
  const previous = resume ? source.tokens.verifyForResume(resume, source.historySeconds) : undefined;
  const resumed = previous && (await source.transcripts.exists(previous.conversationId)) ? previous : undefined;
  const conversationId = resumed?.conversationId ?? randomId();
  const userId = resumed?.userId ?? randomId('dl_');
  const { token, expiresIn } = source.tokens.issue(conversationId, userId);
  // The user id lives in the token only: the server stamps it on everything the visitor posts.
  return {
    conversationId,
    token,
    expires_in: expiresIn,
    domain: null,
    path: DIRECT_LINE_PATH,
    webSocket: false,
    resumed: resumed !== undefined,
  };
}

/** ?lang=es|en, else the browser's preferred of the two (Accept-Language), else the default. */
export function pageLanguage(req: restify.Request, fallback: Lang): Lang {
  const asked = (new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang') ?? '').toLowerCase();
  if (asked === 'en' || asked === 'es') return asked;
  const header = req.headers['accept-language'];
  if (typeof header !== 'string') return fallback;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: langOfTag(tag), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.find((r) => r.lang !== undefined)?.lang ?? fallback;
}

interface Asset {
  file: string;
  type: string;
  cacheControl: string;
  body?: Buffer;
  gzipped?: Buffer;
}

function asset(file: string, type: string, cacheControl: string): Asset {
  return { file, type, cacheControl };
}

/** Read and compressed once, on first request (Web Chat's bundle is ~4 MB, ~1 MB gzipped). */
function sendAsset(req: restify.Request, res: restify.Response, a: Asset): void {
  a.body ??= fs.readFileSync(a.file);
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (acceptsGzip) a.gzipped ??= gzipSync(a.body);
  const body = acceptsGzip && a.gzipped ? a.gzipped : a.body;
  res.writeHead(200, {
    'content-type': a.type,
    'cache-control': a.cacheControl,
    'content-length': String(body.length),
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(body);
}

/** botframework-webchat's browser bundle, from node_modules (never a CDN). */
function webChatBundle(): { file: string; version: string } {
  const root = path.resolve(path.dirname(require.resolve('botframework-webchat')), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { file: path.join(root, 'dist', 'webchat.js'), version };
}

/** web/ next to bot/ (running from sources) or next to dist/ (running the build). */
function findWebDir(): string {
  for (const candidate of [path.resolve(__dirname, '..', 'web'), path.resolve(__dirname, '..', '..', 'web')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  throw new Error('web/index.html not found next to the bot');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Fills {{placeholders}} of the page template, HTML-escaped; {{configJson}} is left for the caller. */
function fillHtml(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    key in values ? values[key].replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : whole,
  );
}
