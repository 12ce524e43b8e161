import type { TokenState } from './vocabulary.js';

/** Event payloads of the outbound token broker. None carries a token, secret or password. */
export interface OutboundTokenRefreshedEvent {
  tokenId: string;
  name: string;
  expiresAt: string | null;
  scope: string | null;
}

export interface OutboundTokenRefreshFailedEvent {
  tokenId: string;
  name: string;
  error: string;
  /** true: the provider refused (re-authorization needed); false: a transient failure being retried. */
  permanent: boolean;
  consecutiveFailures: number;
  /**
   * The token's state after the failure: `valid` while its access token still lasts, `expired` past its expiry,
   * `refresh_failed` when permanent. Sent when a streak of failures starts or the state changes, not on every retry.
   */
  state: TokenState;
  /** When the broker tries again (transient failures); null when it will not by itself. */
  retryAt: string | null;
}

export interface OutboundTokenRecoveredEvent {
  tokenId: string;
  name: string;
  failuresBeforeRecovery: number;
  expiresAt: string | null;
}

export interface OutboundTokenRevokedEvent {
  tokenId: string;
  name: string;
  /** Whether the provider's revocation endpoint was called and accepted it. */
  revokedAtProvider: boolean;
}

export interface OutboundTokenAuthorizedEvent {
  tokenId: string;
  name: string;
  expiresAt: string | null;
  scope: string | null;
}
