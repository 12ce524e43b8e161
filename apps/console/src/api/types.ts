// Shapes of the /admin API, as the gateway answers them. Integrations and instances mirror @tessera/contracts;
// the broker and P2PI shapes follow their issues and the broker's contracts (libs/contracts/src/broker).
export type { IntegrationView, IntegrationWithSecret, ClientConfiguration, PlatformInstanceView, RefreshTokenFamilyView } from '@tessera/contracts';

export type GrantType = 'authorization_code' | 'client_credentials' | 'password';
export const GRANT_TYPES: GrantType[] = ['authorization_code', 'client_credentials', 'password'];
export type TokenState = 'pending_authorization' | 'valid' | 'refreshing' | 'expired' | 'refresh_failed' | 'revoked' | 'inactive';
export const TOKEN_STATES: TokenState[] = ['pending_authorization', 'valid', 'refreshing', 'expired', 'refresh_failed', 'revoked', 'inactive'];

export interface ProviderView {
  id: string;
  name: string;
  description: string | null;
  docsUrl: string | null;
  grantType: GrantType;
  clientId: string;
  hasClientSecret: boolean;
  authorizationUrl: string | null;
  tokenUrl: string;
  refreshUrl: string | null;
  revocationUrl: string | null;
  scopes: string[];
  scopeSeparator: string;
  clientAuthMethod: 'client_secret_basic' | 'client_secret_post';
  pkce: boolean;
  stateLength: number;
  prompt: string | null;
  authorizationParams: Record<string, string>;
  tokenParams: Record<string, string>;
  accessTokenPath: string;
  refreshTokenPath: string;
  expiresInPath: string;
  refreshGrantParam: string;
  refreshGrantValue: string;
  refreshParams: Record<string, string>;
  expiresInUnit: 'seconds' | 'milliseconds';
  refreshBufferSeconds: number;
  timeoutSeconds: number;
  defaultLifetimeSeconds: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboundTokenView {
  id: string;
  name: string;
  providerId: string;
  active: boolean;
  scopes: string[] | null;
  prompt: string | null;
  variables: Record<string, string>;
  baseUrl: string | null;
  username: string | null;
  hasPassword: boolean;
  state: TokenState;
  tokenType: string;
  scope: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  lastRefreshedAt: string | null;
  nextRefreshAt: string | null;
  lastMessage: string | null;
  consecutiveFailures: number;
  lastTransientError: string | null;
}

/** A platform instance with the P2PI fields of the trust issue (absent on servers without it). */
export interface InstanceWithAuth {
  id: string;
  name: string;
  baseUrl: string;
  createdAt: string;
  updatedAt: string;
  auth?: { type: 'oauth'; clientAppId: string } | { type: 'password'; username: string } | null;
  state?: TokenState | null;
  expiresAt?: string | null;
  scope?: string | null;
  lastMessage?: string | null;
}

export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}
