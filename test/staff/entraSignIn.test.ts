import { createHash } from 'node:crypto';
import { MemoryStorage } from 'botbuilder';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { EntraSignIn, roleFromClaims } from '../../bot/staff/entraSignIn';

const TENANT = '11111111-2222-3333-4444-555555555555';
const HOST = 'https://login.microsoftonline.com';

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

/** Entra ID as MSAL sees it over the network: metadata, and a token endpoint that checks PKCE. */
class StandInEntra implements INetworkModule {
  challenge = '';
  tokenRequests: URLSearchParams[] = [];
  constructor(private readonly claims: Record<string, unknown>) {}

  sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
    const u = new URL(url);
    const authority = `${HOST}/${TENANT}`;
    const metadata = {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${HOST}/${TENANT}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    };
    const body = u.pathname.endsWith('/discovery/instance')
      ? {
          tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            {
              preferred_network: 'login.microsoftonline.com',
              preferred_cache: 'login.windows.net',
              aliases: ['login.microsoftonline.com', 'login.windows.net'],
            },
          ],
        }
      : metadata;
    return Promise.resolve({ headers: {}, body: body as T, status: 200 });
  }

  sendPostRequestAsync<T>(_url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const form = new URLSearchParams(options?.body ?? '');
    this.tokenRequests.push(form);
    const verifier = form.get('code_verifier') ?? '';
    const matches = createHash('sha256').update(verifier).digest('base64url') === this.challenge;
    if (!matches || form.get('code') !== 'the-code')
      return Promise.resolve({ headers: {}, body: { error: 'invalid_grant' } as T, status: 400 });
    const now = Math.floor(Date.now() / 1000);
    const idToken = jwt({
      aud: 'client-id',
      iss: `${HOST}/${TENANT}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: TENANT,
      oid: 'oid-1',
      sub: 'sub-1',
      ...this.claims,
    });
    const clientInfo = Buffer.from(JSON.stringify({ uid: 'oid-1', utid: TENANT })).toString('base64url');
    return Promise.resolve({
      headers: {},
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: 'openid profile email',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: 'access',
        id_token: idToken,
        client_info: clientInfo,
      } as T,
    });
  }
}

const CONFIG = {
  tenantId: TENANT,
  clientId: 'client-id',
  clientSecret: 'secret',
  redirectUri: 'https://bot.clinic.example/staff/auth/callback',
  authorityHost: HOST,
};

async function signInWith(claims: Record<string, unknown>) {
  const idp = new StandInEntra(claims);
  const entra = new EntraSignIn(CONFIG, new MemoryStorage(), () => new Date(), idp);
  const url = new URL(await entra.start('state-1', '/staff/bookings'));
  idp.challenge = url.searchParams.get('code_challenge') ?? '';
  return { url, idp, outcome: await entra.finish('state-1', 'the-code'), entra };
}

describe('staff sign-in with Microsoft Entra ID', () => {
  it('sends staff to Entra with PKCE (S256), the state and the registered redirect', async () => {
    const { url } = await signInWith({ roles: ['editor'], preferred_username: 'nurse@clinic.example' });
    expect(url.origin + url.pathname).toBe(`${HOST}/${TENANT}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('redirect_uri')).toBe(CONFIG.redirectUri);
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('signs in with the role of the app-role claim, and the verifier that matches the challenge', async () => {
    const { outcome, idp } = await signInWith({
      roles: ['Staff.Agent'],
      preferred_username: 'Reception@Clinic.example',
      name: 'Ana Reception',
    });
    expect(outcome).toEqual({
      ok: true,
      who: { email: 'reception@clinic.example', name: 'Ana Reception', role: 'agent' },
      next: '/staff/bookings',
    });
    expect(idp.tokenRequests[0].get('code_verifier')).toBeTruthy();
  });

  it('refuses an account without a console role', async () => {
    const { outcome } = await signInWith({ roles: [], preferred_username: 'someone@clinic.example' });
    expect(outcome).toMatchObject({ ok: false, reason: 'no-role' });
  });

  it('uses a sign-in state once', async () => {
    const { entra } = await signInWith({ roles: ['admin'], preferred_username: 'it@clinic.example' });
    await expect(entra.finish('state-1', 'the-code')).resolves.toMatchObject({ ok: false, reason: 'expired' });
  });

  it('gives the larger role to someone holding two', () => {
    expect(roleFromClaims(['agent', 'Admin'])).toBe('admin');
    expect(roleFromClaims(['reader'])).toBeUndefined();
    expect(roleFromClaims('admin')).toBeUndefined();
  });
});
