// Shapes of the API, as the gateway answers them: the server's own contract classes, imported as types (so nothing of
// @tessera/contracts' validators reaches the bundle), and its constant lists (browser.ts, no validators behind them).
import type { IntegrationGrantType } from '@tessera/contracts';

export { INTEGRATION_GRANT_TYPES, TOKEN_STATES } from '@tessera/contracts';
export type {
  AdminUserView,
  AuditEntryView,
  EventEnvelope,
  GrantType,
  InstanceAuthView,
  IntegrationGrantType,
  IntegrationView,
  IntegrationWithSecret,
  OutboundTokenView,
  PlatformInstanceView,
  ProviderTestReply,
  ProviderView,
  RefreshTokenFamilyView,
  TokenState,
  WebhookView,
  WebhookWithSecret,
} from '@tessera/contracts';

/** The console's words for the grants an integration may be allowed. */
export const GRANT_LABELS: Record<IntegrationGrantType, string> = {
  client_credentials: 'Client credentials',
  authorization_code: 'Authorization code (admin consent)',
  refresh_token: 'Refresh token',
};
