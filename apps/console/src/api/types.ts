// Shapes of the /admin API, as the gateway answers them: the server's own contract types (type-only imports, so
// nothing of @tessera/contracts' validators reaches the bundle), and a local copy of the few constant lists.
import type { GrantType, IntegrationGrantType, TokenState } from '@tessera/contracts';

export type {
  ClientConfiguration,
  FamilyPage,
  GrantType,
  InstanceAuthView,
  IntegrationGrantType,
  InstanceTokenView,
  IntegrationView,
  IntegrationWithSecret,
  OutboundTokenView,
  PlatformInstanceView,
  ProviderTestReply,
  ProviderTestStep,
  ProviderView,
  RefreshTokenFamilyView,
  TokenState,
} from '@tessera/contracts';

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const satisfies readonly GrantType[];
/** The grants an integration may be allowed at /oauth/token, with the console's words for them. */
export const INTEGRATION_GRANT_TYPES = [
  ['client_credentials', 'Client credentials'],
  ['authorization_code', 'Authorization code (admin consent)'],
  ['refresh_token', 'Refresh token'],
] as const satisfies readonly (readonly [IntegrationGrantType, string])[];
export const TOKEN_STATES = [
  'pending_authorization',
  'valid',
  'refreshing',
  'expired',
  'refresh_failed',
  'revoked',
  'inactive',
] as const satisfies readonly TokenState[];

/** `POST /admin/tokens/:id/authorize` and `POST /admin/instances/:id/authorize`. */
export interface AuthorizeReply {
  authorizationUrl: string;
}

export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}
