import {
  Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { AppConfig } from '../core/config';

/**
 * botbuilder's CloudAdapter with its two halves callable apart: the message endpoint checks the
 * caller first (and answers every failure itself, as JSON), then runs the turn.
 */
export class ClinicAdapter extends CloudAdapter {
  /** The bot's app id; undefined in local mode. */
  appId?: string;

  /** Validates the request's token (signature, issuer, audience, expiry, serviceUrl, endorsements); throws when any fails. Anonymous in local mode. */
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
  runTurn(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
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
    new ConfigurationBotFrameworkAuthentication(
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
