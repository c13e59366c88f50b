import {
  Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import {
  AuthenticateRequestResult,
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  UserTokenClient,
} from 'botframework-connector';
import { AppConfig } from '../core/config';

/** Distinct (bot, serviceUrl, audience) clients kept; a channel has a handful of serviceUrls. */
const MAX_CACHED_CLIENTS = 64;

/** Promises of clients by key, the least recently used dropped first; a failed creation is not kept. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = create();
      entry.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
      if (this.entries.size >= MAX_CACHED_CLIENTS) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, entry);
    return entry;
  }
}

/** The bot's app id a turn's clients act as, as botbuilder reads it from the caller's claims. */
function botAppId(claims: ClaimsIdentity): string {
  return (
    claims.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claims.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/**
 * botbuilder builds a new ConnectorClient and UserTokenClient, each an Azure HTTP pipeline, for
 * every turn: about a sixth of a turn's CPU when profiled. They keep nothing of the turn (the
 * credentials inside cache the bot's token, which is the point), so one is kept per bot app id,
 * serviceUrl and audience.
 */
class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokenClients = new ClientCache<UserTokenClient>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory
      ? { ...result, connectorFactory: this.caching(result.connectorFactory, result.claimsIdentity) }
      : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.caching(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(botAppId(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private caching(factory: ConnectorFactory, claims: ClaimsIdentity): ConnectorFactory {
    const appId = botAppId(claims);
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
          factory.create(serviceUrl, audience),
        ),
    };
  }
}

/**
 * botbuilder's CloudAdapter with its two halves callable apart: the message endpoint checks the
 * caller first (and answers every failure itself, as JSON), then runs the turn.
 */
export class ClinicAdapter extends CloudAdapter {
  /** The bot's app id; undefined in local mode. */
  appId?: string;

  /**
   * Validates the request's token (signature, issuer, audience, expiry,
   * serviceUrl, endorsements); throws when any fails. Anonymous in local mode.
   */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /**
   * The caller of a turn from the embedded Direct Line, which runs in this process: no token to
   * check, and no reply goes out (its turns are expectReplies). With credentials configured the
   * turn runs as the bot itself, so botbuilder builds its clients for the bot's own app id.
   */
  async authenticateEmbedded(activity: Activity): Promise<AuthenticateRequestResult> {
    if (this.appId === undefined) return this.authenticate(activity, '');
    const claimsIdentity = new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AudienceClaim, value: this.appId },
        { type: AuthenticationConstants.AppIdClaim, value: this.appId },
        { type: AuthenticationConstants.VersionClaim, value: '1.0' },
      ],
      true,
    );
    return {
      audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
      claimsIdentity,
      connectorFactory: this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity),
    };
  }

  /** Runs the turn for an authenticated activity; resolves to the invoke / expectReplies response, if any. */
  runTurn(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** The adapter for the configured credentials (none = local mode, requests not authenticated). */
export function createAdapter(auth: AppConfig['auth']): ClinicAdapter {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: auth.appId,
    MicrosoftAppPassword: auth.appPassword,
    MicrosoftAppType: auth.appType,
    MicrosoftAppTenantId: auth.tenantId,
  });
  const adapter = new ClinicAdapter(
    new CachingBotFrameworkAuthentication(
      {
        MicrosoftAppId: auth.appId,
        MicrosoftAppTenantId: auth.tenantId,
        ...(auth.openIdMetadata ? publicCloudWithOpenIdMetadata(auth.openIdMetadata) : {}),
      },
      credentials,
    ),
  );
  adapter.appId = auth.appId;
  return adapter;
}

/**
 * Given any one endpoint, botbuilder treats every other as deliberately set: BotOpenIdMetadata
 * alone leaves the expected token issuer undefined, which refuses every genuine channel token, and
 * leaves the outbound login URL and scope undefined. So the public cloud's values are spelled out.
 */
function publicCloudWithOpenIdMetadata(url: string) {
  return {
    ToBotFromChannelOpenIdMetadataUrl: url,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}
