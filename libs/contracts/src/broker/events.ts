/** Event payloads of the outbound token broker. None carries a token, secret or password. */
export interface TokenRefreshedEvent {
  tokenId: string;
  name: string;
  expiresAt: string | null;
  scope: string | null;
}

export interface TokenRefreshFailedEvent {
  tokenId: string;
  name: string;
  error: string;
  /** true: the provider refused (re-authorization needed); false: a transient failure being retried. */
  permanent: boolean;
  consecutiveFailures: number;
}

export interface TokenRecoveredEvent {
  tokenId: string;
  name: string;
  failuresBeforeRecovery: number;
  expiresAt: string | null;
}

export interface TokenRevokedEvent {
  tokenId: string;
  name: string;
  /** Whether the provider's revocation endpoint was called and accepted it. */
  revokedAtProvider: boolean;
}

export interface TokenAuthorizedEvent {
  tokenId: string;
  name: string;
  expiresAt: string | null;
  scope: string | null;
}
