import { createHash } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, INetworkModule } from '@azure/msal-node';
import { z } from 'zod';
import { KeyValueStore } from '../../core/storage/keyValueStore';
import { STAFF_ROLES, StaffRole } from '../../core/staff/staffRoles';

export interface EntraConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** https://login.microsoftonline.com, or a national cloud's host. */
  authorityHost: string;
}

export type EntraOutcome =
  | { ok: true; who: { email: string; name: string; role: StaffRole }; next: string }
  | { ok: false; reason: 'expired' | 'no-role' | 'token'; email?: string };

const PendingSchema = z.object({ verifier: z.string(), next: z.string(), createdAt: z.number() });
const PENDING_MS = 10 * 60_000;
const SCOPES = ['openid', 'profile', 'email'];

/** Highest first: someone given two roles gets the larger one. */
const BY_RANK: readonly StaffRole[] = ['admin', 'editor', 'agent'];

/**
 * The role an Entra ID token grants: app roles named admin, editor or agent (or Staff.Admin,
 * Staff.Editor, Staff.Agent, as an app registration often names them); none, no console.
 */
export function roleFromClaims(roles: unknown): StaffRole | undefined {
  if (!Array.isArray(roles)) return undefined;
  const granted = new Set(
    roles.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase().replace(/^staff\./, '')),
  );
  return BY_RANK.find((role) => granted.has(role) && STAFF_ROLES.includes(role));
}

/**
 * Staff sign-in with Microsoft Entra ID: OpenID Connect authorization code flow with PKCE through
 * @azure/msal-node. The verifier waits in STATE_STORE (any instance may receive the callback).
 */
export class EntraSignIn {
  private readonly client: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();

  constructor(
    private readonly config: EntraConfig,
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
    /** How MSAL reaches Entra ID; tests pass a stand-in identity provider. */
    network?: INetworkModule,
  ) {
    this.client = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        authority: `${config.authorityHost.replace(/\/+$/, '')}/${config.tenantId}`,
      },
      system: network ? { networkClient: network } : undefined,
    });
  }

  /** The URL to send the browser to; `state` also goes into a cookie the callback compares. */
  async start(state: string, next: string): Promise<string> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    await this.store.write({ [pendingKey(state)]: { verifier, next, createdAt: this.now().getTime() } });
    return this.client.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: this.config.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      responseMode: 'query',
    });
  }

  async finish(state: string, code: string): Promise<EntraOutcome> {
    const key = pendingKey(state);
    const item = (await this.store.read([key]))[key];
    await this.store.delete([key]);
    const pending = PendingSchema.safeParse(item);
    if (!pending.success || this.now().getTime() - pending.data.createdAt > PENDING_MS || code === '')
      return { ok: false, reason: 'expired' };
    let claims: Record<string, unknown>;
    try {
      const result = await this.client.acquireTokenByCode({
        code,
        scopes: SCOPES,
        redirectUri: this.config.redirectUri,
        codeVerifier: pending.data.verifier,
      });
      claims = { ...result.idTokenClaims };
    } catch {
      return { ok: false, reason: 'token' };
    }
    const email = [claims.preferred_username, claims.email, claims.upn].find((v): v is string => typeof v === 'string');
    const role = roleFromClaims(claims.roles);
    if (!email || !role) return { ok: false, reason: 'no-role', email };
    const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name : email;
    return { ok: true, who: { email: email.toLowerCase(), name, role }, next: pending.data.next };
  }
}

function pendingKey(state: string): string {
  return `staff/entra-pending/${createHash('sha256').update(state).digest('hex')}`;
}
