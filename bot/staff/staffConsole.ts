import * as fs from 'node:fs';
import * as path from 'node:path';
import * as restify from 'restify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuditLog } from '../../core/staff/auditLog';
import { StaffAccounts } from '../../core/staff/staffAccounts';
import { can, StaffArea, areasOf } from '../../core/staff/staffRoles';
import { randomToken, StaffSession, StaffSessions } from '../../core/staff/staffSessions';
import { KeyValueStore } from '../../core/storage/keyValueStore';
import { clientAddress, limitKey } from '../../core/security/clientAddress';
import { Lang, langOfTag } from '../../core/text/language';
import { Logger } from '../logger';
import { AREA_PATHS } from './layout';
import { EntraSignIn } from './entraSignIn';
import { refusalPage, signInPage } from './signInPage';
import { StaffContext } from './staffContext';
import {
  clearCookie,
  parseCookies,
  cookieName,
  readForm,
  redirect,
  routeParam,
  sameOrigin,
  sendHtml,
  sendText,
  setCookie,
} from './staffHttp';
import { createStaffLocalizer, StaffLocalizer } from './staffI18n';

export interface StaffConsoleConfig {
  auth: 'local' | 'entra';
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  signInPerWindow: number;
  lockoutFailures: number;
  lockoutMinutes: number;
}

export interface StaffConsoleOptions {
  store: KeyValueStore;
  config: StaffConsoleConfig;
  env: 'development' | 'test' | 'production';
  localesDir: string;
  defaultLang: Lang;
  trustProxyHops: number;
  clinicName: () => string;
  log: Logger;
  entra?: EntraSignIn;
  now?: () => Date;
}

type PageHandler = (ctx: StaffContext, req: restify.Request, res: restify.Response) => Promise<void>;
type ActionHandler = (
  ctx: StaffContext,
  form: URLSearchParams,
  req: restify.Request,
  res: restify.Response,
) => Promise<void>;

/** How page modules add their routes: every one behind a session and a role, every post behind CSRF checks. */
export interface StaffRoutes {
  page(route: string, area: StaffArea, handler: PageHandler): void;
  action(route: string, area: StaffArea, handler: ActionHandler): void;
  audit: AuditLog;
  accounts: StaffAccounts;
  now(): Date;
}

const SESSION_COOKIE = 'staff_session';
const FORM_COOKIE = 'staff_form';
const LANG_COOKIE = 'staff_lang';
const MAX_FORM_BYTES = 256 * 1024;
const SIGN_IN_WINDOW_SECONDS = 15 * 60;

/**
 * The staff console at /staff/: sign-in (local accounts or Microsoft Entra ID), server-side
 * sessions in STATE_STORE, roles, CSRF-checked forms and a strict CSP. Page modules register their
 * routes through the StaffRoutes it returns.
 */
export async function registerStaffConsole(server: restify.Server, options: StaffConsoleOptions): Promise<StaffRoutes> {
  const now = options.now ?? (() => new Date());
  const { config, log } = options;
  const i18n: StaffLocalizer = await createStaffLocalizer(options.localesDir, options.env !== 'production');
  const accounts = new StaffAccounts(options.store, now, {
    maxFailures: config.lockoutFailures,
    lockMs: config.lockoutMinutes * 60_000,
  });
  const sessions = new StaffSessions(
    options.store,
    { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionMaxHours * 3_600_000 },
    now,
  );
  const audit = new AuditLog(options.store, now);
  const signInLimiter = new RateLimiterMemory({
    keyPrefix: 'staff-sign-in',
    points: config.signInPerWindow,
    duration: SIGN_IN_WINDOW_SECONDS,
  });

  /** Secure cookies everywhere except plain http from this machine outside production. */
  const secure = (req: restify.Request): boolean => {
    if (options.env === 'production') return true;
    const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
    const forwarded = options.trustProxyHops > 0 && req.headers['x-forwarded-proto'] === 'https';
    if (encrypted || forwarded) return true;
    const remote = req.socket.remoteAddress ?? '';
    return !(remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.'));
  };

  const languageOf = (req: restify.Request): Lang => {
    const url = new URL(req.url ?? '/', 'http://staff.local');
    const asked = url.searchParams.get('lang');
    if (asked === 'en' || asked === 'es') return asked;
    const cookie = parseCookies(req.headers.cookie).get(cookieName(LANG_COOKIE, secure(req)));
    if (cookie === 'en' || cookie === 'es') return cookie;
    const header = String(req.headers['accept-language'] ?? '');
    return langOfTag(header.split(',')[0]?.split(';')[0]?.trim() ?? '') ?? options.defaultLang;
  };

  const rememberLanguage = (req: restify.Request, res: restify.Response): void => {
    const asked = new URL(req.url ?? '/', 'http://staff.local').searchParams.get('lang');
    if (asked === 'en' || asked === 'es')
      setCookie(res, LANG_COOKIE, asked, { secure: secure(req), maxAgeSeconds: 365 * 86_400 });
  };

  const sessionOf = async (req: restify.Request): Promise<StaffSession | undefined> =>
    sessions.get(parseCookies(req.headers.cookie).get(cookieName(SESSION_COOKIE, secure(req))));

  const contextOf = (req: restify.Request, session: StaffSession): StaffContext => {
    const lang = languageOf(req);
    return {
      session,
      lang,
      t: i18n.t(lang),
      now: now(),
      clinicName: options.clinicName(),
      url: new URL(req.url ?? '/staff/', 'http://staff.local'),
    };
  };

  const forbidden = (req: restify.Request, res: restify.Response): void => {
    const lang = languageOf(req);
    const t = i18n.t(lang);
    sendHtml(res, 403, refusalPage(lang, t, options.clinicName(), t('forbidden.title'), t('forbidden.text')), lang);
  };

  const wantsHtml = (req: restify.Request): boolean =>
    req.method === 'GET' && /text\/html/.test(String(req.headers.accept ?? 'text/html'));

  const routes: StaffRoutes = {
    audit,
    accounts,
    now,
    page(route, area, handler) {
      server.get(route, async (req: restify.Request, res: restify.Response) => {
        const session = await sessionOf(req);
        if (!session) {
          // No data without a session: a browser is sent to sign in, anything else gets a bare 401.
          if (wantsHtml(req)) return redirect(res, `/staff/sign-in?next=${encodeURIComponent(req.url ?? '/staff/')}`);
          return sendText(res, 401, 'text/plain; charset=utf-8', 'Sign in first.');
        }
        if (!can(session.role, area)) return forbidden(req, res);
        rememberLanguage(req, res);
        await handler(contextOf(req, session), req, res);
      });
    },
    action(route, area, handler) {
      server.post(route, async (req: restify.Request, res: restify.Response) => {
        if (!sameOrigin(req, secure(req))) {
          req.resume();
          return sendText(res, 403, 'text/plain; charset=utf-8', 'Refused: this form did not come from the console.');
        }
        const session = await sessionOf(req);
        if (!session) {
          req.resume();
          return sendText(res, 401, 'text/plain; charset=utf-8', 'Sign in first.');
        }
        const body = await readForm(req, MAX_FORM_BYTES);
        if (!body.ok) return sendText(res, body.status, 'text/plain; charset=utf-8', 'The form could not be read.');
        if (body.form.get('_csrf') !== session.csrf) {
          return sendText(res, 403, 'text/plain; charset=utf-8', 'Refused: the form is out of date; reload the page.');
        }
        if (!can(session.role, area)) return forbidden(req, res);
        await handler(contextOf(req, session), body.form, req, res);
      });
    },
  };

  registerAssets(server);

  server.get('/staff', async (_req: restify.Request, res: restify.Response) => redirect(res, '/staff/', 301));
  server.get('/staff/', async (req: restify.Request, res: restify.Response) => {
    const session = await sessionOf(req);
    if (!session) return redirect(res, '/staff/sign-in');
    redirect(res, AREA_PATHS[areasOf(session.role)[0]]);
  });

  const showSignIn = (
    req: restify.Request,
    res: restify.Response,
    status: number,
    view: { email?: string; error?: string; next?: string },
  ): void => {
    const lang = languageOf(req);
    const formToken = randomToken();
    setCookie(res, FORM_COOKIE, formToken, { secure: secure(req), maxAgeSeconds: 3600 });
    rememberLanguage(req, res);
    sendHtml(
      res,
      status,
      signInPage({
        lang,
        t: i18n.t(lang),
        clinicName: options.clinicName(),
        method: config.auth,
        formToken,
        next: safeNext(view.next ?? new URL(req.url ?? '/', 'http://staff.local').searchParams.get('next')),
        email: view.email,
        error: view.error,
      }),
      lang,
    );
  };

  server.get('/staff/sign-in', async (req: restify.Request, res: restify.Response) => {
    if (await sessionOf(req)) return redirect(res, '/staff/');
    showSignIn(req, res, 200, {});
  });

  server.post('/staff/sign-in', async (req: restify.Request, res: restify.Response) => {
    const t = i18n.t(languageOf(req));
    if (config.auth !== 'local') {
      req.resume();
      return sendText(res, 404, 'text/plain; charset=utf-8', 'Local accounts are off: sign in with Microsoft.');
    }
    if (!sameOrigin(req, secure(req))) {
      req.resume();
      return sendText(res, 403, 'text/plain; charset=utf-8', 'Refused: this form did not come from the console.');
    }
    const address = limitKey(
      clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustProxyHops),
    );
    try {
      await signInLimiter.consume(address);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      req.resume();
      const minutes = Math.max(1, Math.ceil(refusal.msBeforeNext / 60_000));
      res.header('retry-after', String(Math.ceil(refusal.msBeforeNext / 1000)));
      return showSignIn(req, res, 429, { error: t('signIn.tooMany', { minutes }) });
    }
    const body = await readForm(req, 8 * 1024);
    if (!body.ok) return sendText(res, body.status, 'text/plain; charset=utf-8', 'The form could not be read.');
    const form = body.form;
    const formCookie = parseCookies(req.headers.cookie).get(cookieName(FORM_COOKIE, secure(req)));
    if (!formCookie || form.get('_form') !== formCookie) {
      return showSignIn(req, res, 403, { error: t('signIn.expired') });
    }
    const email = (form.get('email') ?? '').slice(0, 254);
    const password = (form.get('password') ?? '').slice(0, 256);
    const check = await accounts.signIn(email, password);
    if (!check.ok) {
      await audit.record({
        actor: email.trim().toLowerCase() || '(blank)',
        action: 'sign-in-failed',
        detail: check.reason,
      });
      log.warn({ event: 'staff-sign-in-failed', reason: check.reason }, 'a staff sign-in was refused');
      const error = check.reason === 'locked' ? t('signIn.locked') : t('signIn.wrong');
      return showSignIn(req, res, 401, { email, error, next: form.get('next') ?? undefined });
    }
    // A new session id at every sign-in: an id planted before sign-in is never promoted.
    await sessions.end(parseCookies(req.headers.cookie).get(cookieName(SESSION_COOKIE, secure(req))));
    const { id } = await sessions.create({
      email: check.account.email,
      role: check.account.role,
      name: check.account.email,
      via: 'local',
    });
    await audit.record({ actor: check.account.email, action: 'sign-in', detail: 'local' });
    clearCookie(res, FORM_COOKIE, secure(req));
    setCookie(res, SESSION_COOKIE, id, { secure: secure(req) });
    redirect(res, safeNext(form.get('next')));
  });

  server.post('/staff/sign-out', async (req: restify.Request, res: restify.Response) => {
    if (!sameOrigin(req, secure(req))) {
      req.resume();
      return sendText(res, 403, 'text/plain; charset=utf-8', 'Refused: this form did not come from the console.');
    }
    const id = parseCookies(req.headers.cookie).get(cookieName(SESSION_COOKIE, secure(req)));
    const session = await sessions.get(id);
    const body = await readForm(req, 8 * 1024);
    if (session && body.ok && body.form.get('_csrf') === session.csrf) {
      await sessions.end(id);
      await audit.record({ actor: session.email, action: 'sign-out' });
    } else if (session) {
      return sendText(res, 403, 'text/plain; charset=utf-8', 'Refused: the form is out of date; reload the page.');
    }
    clearCookie(res, SESSION_COOKIE, secure(req));
    redirect(res, '/staff/sign-in');
  });

  if (options.entra) {
    const entra = options.entra;
    server.get('/staff/auth/entra', async (req: restify.Request, res: restify.Response) => {
      const state = randomToken();
      const next = safeNext(new URL(req.url ?? '/', 'http://staff.local').searchParams.get('next'));
      const url = await entra.start(state, next);
      setCookie(res, FORM_COOKIE, state, { secure: secure(req), maxAgeSeconds: 600 });
      redirect(res, url, 302);
    });
    server.get('/staff/auth/callback', async (req: restify.Request, res: restify.Response) => {
      const lang = languageOf(req);
      const t = i18n.t(lang);
      const query = new URL(req.url ?? '/', 'http://staff.local').searchParams;
      const state = query.get('state') ?? '';
      const cookie = parseCookies(req.headers.cookie).get(cookieName(FORM_COOKIE, secure(req)));
      const refuse = (reason: string, text: string): void => {
        log.warn({ event: 'staff-sign-in-failed', reason }, 'a staff sign-in with Microsoft was refused');
        sendHtml(res, 401, refusalPage(lang, t, options.clinicName(), t('signIn.title'), text), lang);
      };
      if (!cookie || cookie !== state) return refuse('state', t('signIn.expired'));
      const outcome = await entra.finish(state, query.get('code') ?? '');
      if (!outcome.ok) {
        await audit.record({ actor: outcome.email ?? '(unknown)', action: 'sign-in-failed', detail: outcome.reason });
        return refuse(outcome.reason, outcome.reason === 'no-role' ? t('signIn.noRole') : t('signIn.entraFailed'));
      }
      await sessions.end(parseCookies(req.headers.cookie).get(cookieName(SESSION_COOKIE, secure(req))));
      const { id } = await sessions.create({ ...outcome.who, via: 'entra' });
      await audit.record({ actor: outcome.who.email, action: 'sign-in', detail: 'entra' });
      clearCookie(res, FORM_COOKIE, secure(req));
      setCookie(res, SESSION_COOKIE, id, { secure: secure(req) });
      redirect(res, outcome.next);
    });
  }

  return routes;
}

/** Only a console path is a place to go after signing in (no open redirect). */
function safeNext(next: string | null | undefined): string {
  return next && /^\/staff\/[A-Za-z0-9/_\-.?=&%]*$/.test(next) && !next.startsWith('/staff/sign-') ? next : '/staff/';
}

/** The console's own CSS and scripts, and Chart.js from node_modules: never a CDN. */
function registerAssets(server: restify.Server): void {
  const webDir = [
    path.resolve(__dirname, '..', '..', 'web', 'staff'),
    path.resolve(__dirname, '..', '..', '..', 'web', 'staff'),
  ].find((dir) => fs.existsSync(path.join(dir, 'staff.css')));
  if (!webDir) throw new Error('web/staff/staff.css not found next to the bot');
  const files: Record<string, { file: string; type: string }> = {
    'staff.css': { file: path.join(webDir, 'staff.css'), type: 'text/css; charset=utf-8' },
    'chart.umd.min.js': {
      file: path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
  };
  for (const name of fs.readdirSync(webDir).filter((f) => f.endsWith('.js')))
    files[name] = { file: path.join(webDir, name), type: 'text/javascript; charset=utf-8' };
  const cache = new Map<string, Buffer>();
  server.get('/staff/assets/:name', async (req: restify.Request, res: restify.Response) => {
    const name = routeParam(req, 'name');
    const entry = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!entry) return sendText(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    let body = cache.get(name);
    if (!body) {
      body = fs.readFileSync(entry.file);
      cache.set(name, body);
    }
    res.writeHead(200, {
      'content-type': entry.type,
      'content-length': String(body.length),
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  });
}
