import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TOKEN_USES, type TokenUse } from '../permission-grammar.js';
import { INSTANCE_NAME_PATTERN } from '../instances.js';
import { BROKER_NAME_MESSAGE, BROKER_NAME_PATTERN, IsStringRecord, TEMPLATED_URL_PATTERN } from './common.js';

export const TOKEN_STATES = ['pending_authorization', 'valid', 'refreshing', 'expired', 'refresh_failed', 'revoked', 'inactive'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

/**
 * Per-token limits of `/proxy/:name/*` (ADR 0015); each absent one takes the gateway's default (connect 5 s, first
 * byte 30 s, idle 30 s, 25 MiB). Bounded so a token cannot be set up to hold a gateway connection for hours.
 */
export class ProxyLimits {
  @IsOptional() @IsInt() @Min(100) @Max(60_000) connectTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(100) @Max(300_000) firstByteTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(100) @Max(300_000) idleTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1024 * 1024 * 1024) maxResponseBytes?: number;
}

/** What an administrator may change on a token after creating it (Servicely's prompt/active/scopes, plus variables). */
export class TokenChanges {
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true }) scopes?: string[];
  @IsOptional() @IsString() @MaxLength(200) prompt?: string;
  @IsOptional() @IsStringRecord() variables?: Record<string, string>;
  /** A password-grant token's resource-owner password (write-only); re-entered after a URL change cleared it. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) password?: string;
  /** The proxy's timeouts and size cap for this token; `{}` goes back to the defaults. */
  @IsOptional() @ValidateNested() @Type(() => ProxyLimits) proxyLimits?: ProxyLimits;
}

export class CreateTokenRequest extends TokenChanges {
  @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  @IsUUID('all', { message: 'providerId must be a UUID' }) providerId: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: 'baseUrl must be an http(s) URL' }) @MaxLength(2048) baseUrl?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) username?: string;
}

/**
 * Over the bus only (the registry creating an instance's P2PI token): which platform instance the token acts on. Such a
 * token is reachable only through `<instance>:p2pi=…` permissions, never through `*:tokens…` (docs/decisions/0016).
 */
export class CreateTokenCommand extends CreateTokenRequest {
  @IsOptional() @Matches(INSTANCE_NAME_PATTERN, { message: 'platformInstance must be an instance name' }) platformInstance?: string;
}

export class UpdateTokenRequest extends TokenChanges {
  @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

export class TokenIdRequest {
  @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

export class ListTokensRequest {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @IsOptional() @IsIn(TOKEN_STATES, { message: `state must be one of ${TOKEN_STATES.join(', ')}` }) state?: TokenState;
}

/** The provider's redirect back to us: `code` and `state`, or `error` (and `error_description`) and `state`. */
export class AuthorizationCallbackRequest {
  @IsOptional() @IsString() @MaxLength(4096) code?: string;
  @IsOptional() @IsString() @MaxLength(512) state?: string;
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @IsOptional() @IsString() @MaxLength(2000) error_description?: string;
}

/**
 * A service asking for a usable access token by the token's name, or by its id — what a platform instance's record
 * holds (P2PI), so a caller that has the id asks once instead of looking the name up first. One of the two, not both.
 */
export class AccessTokenRequest {
  @ValidateIf((request: AccessTokenRequest) => request.id === undefined)
  @IsString()
  @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` })
  name?: string;
  @ValidateIf((request: AccessTokenRequest) => request.name === undefined)
  @IsUUID('all', { message: 'id must be a UUID' })
  id?: string;
  /**
   * SHA-256 (base64url) of an access token the upstream API just rejected with 401: the broker refreshes only if that
   * is still the current token, so many callers hitting the same 401 cause one refresh, not one each.
   */
  @IsOptional() @IsString() @MinLength(43) @MaxLength(43) rejectedTokenHash?: string;
  /**
   * On behalf of whom, when the request comes from the HTTP edge: the caller's granted scope and what it wants to do
   * (`read` the raw token, or `proxy` a call with it). The broker then refuses (`forbidden`) unless the scope covers
   * that use of this token; a request without `scope` comes from a service on the bus, trusted by its NATS account.
   */
  @IsOptional() @IsString() @MaxLength(65_536) scope?: string;
  @IsOptional() @IsIn(TOKEN_USES, { message: `use must be one of ${TOKEN_USES.join(', ')}` }) use?: TokenUse;
}

/** An outbound token as /admin shows it: never the access, refresh token or password. */
export interface OutboundTokenView {
  id: string;
  name: string;
  providerId: string;
  active: boolean;
  scopes: string[] | null;
  prompt: string | null;
  variables: Record<string, string>;
  baseUrl: string | null;
  /** The platform instance this token acts on (a P2PI token), or null for an ordinary outbound token. */
  platformInstance: string | null;
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
  proxyLimits: ProxyLimitsView;
}

export type ProxyLimitsView = { connectTimeoutMs?: number; firstByteTimeoutMs?: number; idleTimeoutMs?: number; maxResponseBytes?: number };

export interface AuthorizeTokenReply {
  authorizationUrl: string;
}

export interface AuthorizationCallbackReply {
  tokenId: string;
  name: string;
  state: TokenState;
}

/** What a caller gets to use a token (Servicely's apitokenauth); the only place an access token leaves the broker. */
export interface AccessTokenReply {
  access_token: string;
  token_type: string;
  expires_at: string | null;
  scope: string | null;
  /** The token's baseUrl with its variables filled (what the proxy forwards to); only over the bus. */
  base_url?: string | null;
  /** The token's own proxy limits (absent ones: the gateway's defaults); only over the bus. */
  proxy_limits?: ProxyLimitsView;
}
