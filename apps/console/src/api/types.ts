// Shapes of the API, as the gateway answers them: the server's own contract classes, imported as types (so nothing of
// @tessera/contracts' validators reaches the bundle), and its constant lists (browser.ts, no validators behind them).
import {
  ANNOUNCED_CLIENT_AUTHENTICATION_METHODS,
  CLIENT_AUTHENTICATION,
  OAUTH_GRANTS,
  type IntegrationAuthenticationMethod,
  type IntegrationGrantType,
} from '@tessera/contracts';

export { ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, INTEGRATION_GRANT_TYPES, TOKEN_STATES } from '@tessera/contracts';
export type {
  AdminUserView,
  AuditEntryView,
  EventEnvelope,
  GrantType,
  InstanceAuthView,
  IntegrationAuthenticationMethod,
  IntegrationGrantType,
  IntegrationView,
  IntegrationWithSecret,
  OutboundTokenView,
  PlatformInstanceView,
  ProviderTestReply,
  ProviderView,
  RefreshTokenFamilyView,
  SsfStreamAdminView,
  TokenState,
  WebhookView,
  WebhookWithSecret,
} from '@tessera/contracts';

/** The console's words for the grants an integration may be allowed: each grant's own label. */
export const GRANT_LABELS = Object.fromEntries(Object.entries(OAUTH_GRANTS).map(([grant, { label }]) => [grant, label])) as Record<
  IntegrationGrantType,
  string
>;
/** The console's words for how an integration authenticates at the token endpoint. */
export const CLIENT_AUTHENTICATION_LABELS = Object.fromEntries(
  ANNOUNCED_CLIENT_AUTHENTICATION_METHODS.map((method) => [method, CLIENT_AUTHENTICATION[method].label]),
) as Record<IntegrationAuthenticationMethod, string>;
