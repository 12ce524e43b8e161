// Shapes of the /admin API, as the gateway answers them: the server's own contract types (type-only imports, so
// nothing of @tessera/contracts' validators reaches the bundle), and a local copy of the few constant lists.
import type { GrantType, TokenState } from '@tessera/contracts';

export type {
  ClientConfiguration, FamilyPage, GrantType, InstanceAuthView, InstanceTokenView, IntegrationView, IntegrationWithSecret, OutboundTokenView, PlatformInstanceView,
  ProviderTestReply, ProviderTestStep, ProviderView, RefreshTokenFamilyView, TokenState,
} from '@tessera/contracts';

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const satisfies readonly GrantType[];
export const TOKEN_STATES = ['pending_authorization', 'valid', 'refreshing', 'expired', 'refresh_failed', 'revoked', 'inactive'] as const satisfies readonly TokenState[];

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
