import { CustomTemplate } from './catalog/custom-template.entity.js';
import { PeerInstance } from './instances/peer-instance.entity.js';
import { Provider } from './providers/provider.entity.js';
import { AuthorizationRequest } from './tokens/authorization-request.entity.js';
import { OutboundToken } from './outbound-token/outbound-token.entity.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { OutboundTokens1764100000000 } from './migrations/1764100000000-outbound-tokens.js';
import { RefreshLeases1764200000000 } from './migrations/1764200000000-refresh-leases.js';
import { ProxyLimits1764300015000 } from './migrations/1764300015000-proxy-limits.js';
import { TokenPlatformInstance1765160000000 } from './migrations/1765160000000-token-platform-instance.js';
import { Retention1765160001000 } from './migrations/1765160001000-retention.js';
import { RetiredTokenNames1767100000000 } from './migrations/1767100000000-retired-token-names.js';
import { LeaseHolders1767200000000 } from './migrations/1767200000000-lease-holders.js';
import { ProviderQuirksAndTemplates1767400000000 } from './migrations/1767400000000-provider-quirks-and-templates.js';
import { ProviderSigningKeys1767700000000 } from './migrations/1767700000000-provider-signing-keys.js';
import { TokenResponseValues1767900000000 } from './migrations/1767900000000-token-response-values.js';
import { AssertionSigner1768100000000 } from './migrations/1768100000000-assertion-signer.js';
import { RetiredTokenName } from './tokens/retired-token-name.entity.js';
import { Webhooks1767300000000 } from './migrations/1767300000000-webhooks.js';
import { WebhookClaimsAndPruning1768000000000 } from './migrations/1768000000000-webhook-claims-and-pruning.js';
import { WebhookAttempt } from './webhooks/webhook-attempt.entity.js';
import { WebhookEndpoint } from './webhooks/webhook-endpoint.entity.js';
import { WebhookMessage } from './webhooks/webhook-message.entity.js';

/** The broker's schema: its tables and the migrations that build them, for the service and for its stores' specs. */
export const BROKER_SCHEMA = {
  schema: 'broker',
  entities: [PeerInstance, Provider, CustomTemplate, OutboundToken, AuthorizationRequest, RetiredTokenName, WebhookEndpoint, WebhookMessage, WebhookAttempt],
  migrations: [
    Initial1764000000000,
    OutboundTokens1764100000000,
    RefreshLeases1764200000000,
    ProxyLimits1764300015000,
    TokenPlatformInstance1765160000000,
    Retention1765160001000,
    RetiredTokenNames1767100000000,
    LeaseHolders1767200000000,
    Webhooks1767300000000,
    ProviderQuirksAndTemplates1767400000000,
    ProviderSigningKeys1767700000000,
    TokenResponseValues1767900000000,
    WebhookClaimsAndPruning1768000000000,
    AssertionSigner1768100000000,
  ],
};
