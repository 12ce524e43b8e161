import { IsBoolean, IsIn, IsInt, IsString, Min } from 'class-validator';
import { Doc, IsTimestamp, Nullable } from '../schema.js';
import { TOKEN_STATES, type TokenState } from './vocabulary.js';

// Event payloads of the outbound token broker. None carries a token, secret or password. Classes, so every consumer
// checks a payload against its kind before a handler sees it (EVENT_PAYLOADS).

@Doc('tessera.events.broker.token.refreshed: a fresh access token was obtained')
export class OutboundTokenRefreshedEvent {
  @Doc('The outbound token') @IsString() tokenId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('When the new access token expires; null: unknown') @Nullable() @IsTimestamp() expiresAt: string | null;
  @Doc('The scope granted') @Nullable() @IsString() scope: string | null;
}

@Doc('tessera.events.broker.token.refresh_failed: a refresh failed')
export class OutboundTokenRefreshFailedEvent {
  @Doc('The outbound token') @IsString() tokenId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('What went wrong') @IsString() error: string;
  /** true: the provider refused (re-authorization needed); false: a transient failure being retried. */
  @Doc('true: the provider refused (re-authorization needed); false: transient, being retried') @IsBoolean() permanent: boolean;
  @Doc('Failures in a row') @IsInt() @Min(0) consecutiveFailures: number;
  /**
   * The token's state after the failure: `valid` while its access token still lasts, `expired` past its expiry,
   * `refresh_failed` when permanent. Sent when a streak of failures starts or the state changes, not on every retry.
   */
  @Doc("The token's state after the failure") @IsIn(TOKEN_STATES) state: TokenState;
  /** When the broker tries again (transient failures); null when it will not by itself. */
  @Doc('When the broker tries again; null: it will not by itself') @Nullable() @IsTimestamp() retryAt: string | null;
}

@Doc('tessera.events.broker.token.recovered: a refresh worked again after failures')
export class OutboundTokenRecoveredEvent {
  @Doc('The outbound token') @IsString() tokenId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('How many failures came before') @IsInt() @Min(0) failuresBeforeRecovery: number;
  @Doc('When the access token expires; null: unknown') @Nullable() @IsTimestamp() expiresAt: string | null;
}

@Doc('tessera.events.broker.token.revoked: the token was revoked')
export class OutboundTokenRevokedEvent {
  @Doc('The outbound token') @IsString() tokenId: string;
  @Doc('Its name') @IsString() name: string;
  /** Whether the provider's revocation endpoint was called and accepted it. */
  @Doc("Whether the provider's revocation endpoint accepted it") @IsBoolean() revokedAtProvider: boolean;
}

/** The same facts as a refresh: the token's first access token. */
@Doc('tessera.events.broker.token.authorized: the token was authorized (its first access token)')
export class OutboundTokenAuthorizedEvent extends OutboundTokenRefreshedEvent {}
