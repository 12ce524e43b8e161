import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { AdminRole } from '../admin-roles.js';
import { CallerRole } from '../caller-role.js';
import { INSTANCE_NAME_PATTERN } from '../instances.js';
import { OffsetPage } from '../pages.js';
import { TOKEN_USES, type TokenUse } from '../permission-grammar.js';
import { Doc, IsTimestamp, Nullable, Secret } from '../schema.js';
import { BROKER_NAME_MESSAGE, BROKER_NAME_PATTERN, IsScopeList, IsStringRecord, BASE_URL_PATTERN } from './common.js';
import { TOKEN_STATES, type TokenState } from './vocabulary.js';

/**
 * Per-token limits of `/proxy/:name/*` (ADR 0015); each absent one takes the gateway's default (connect 5 s, first
 * byte 30 s, idle 30 s, 25 MiB). Bounded so a token cannot be set up to hold a gateway connection for hours.
 */
@Doc("The proxy's timeouts and size cap for one token; each absent one is the gateway's default")
export class ProxyLimits {
  @Doc('Connecting upstream may take this long, in ms (default 5 s)') @IsOptional() @IsInt() @Min(100) @Max(60_000) connectTimeoutMs?: number;
  @Doc('The first byte of the answer may take this long, in ms (default 30 s)') @IsOptional() @IsInt() @Min(100) @Max(300_000) firstByteTimeoutMs?: number;
  @Doc('The answer may pause this long, in ms (default 30 s)') @IsOptional() @IsInt() @Min(100) @Max(300_000) idleTimeoutMs?: number;
  @Doc('The answer may be this large, in bytes (default 25 MiB)') @IsOptional() @IsInt() @Min(1) @Max(1024 * 1024 * 1024) maxResponseBytes?: number;
}

/** What an administrator may change on a token after creating it (prompt, active, scopes, variables, base URL, password, proxy limits). */
@Doc('The changes to an outbound token: only the fields sent change')
export class TokenChanges {
  @Doc('An inactive token is neither refreshed nor handed out') @IsOptional() @IsBoolean() active?: boolean;
  @Doc("Scopes to ask for instead of the provider's") @IsOptional() @IsScopeList() scopes?: string[];
  @Doc('The `prompt` parameter of its authorization request') @IsOptional() @IsString() @MaxLength(200) prompt?: string;
  @Doc('Values for the {{variable}} placeholders in its URLs') @IsOptional() @IsStringRecord() variables?: Record<string, string>;
  @Doc("A password-grant token's resource-owner password (write-only); re-entered after a URL change cleared it")
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Secret()
  password?: string;
  @Doc("The proxy's timeouts and size cap for this token") @IsOptional() @ValidateNested() @Type(() => ProxyLimits) proxyLimits?: ProxyLimits;
  /**
   * Where /proxy/:name forwards to. Changing it moves the access token to another origin: under the URL-change rule
   * (ADR 0015) the token's secrets are then forgotten and fetched (or authorized) again; an empty string removes it.
   */
  @Doc(
    'Where /proxy/:name forwards to; may hold {{variable}} placeholders, and start with one its token answers fill with an origin ({{instanceUrl}}). A new origin clears the stored tokens (URL-change rule); "" removes it',
  )
  @IsOptional()
  @ValidateIf((changes: TokenChanges) => changes.baseUrl !== '')
  @Matches(BASE_URL_PATTERN, { message: 'baseUrl must be an http(s) URL' })
  @MaxLength(2048)
  baseUrl?: string;
}

@Doc('A new outbound token')
export class CreateTokenRequest extends TokenChanges {
  @Doc('Its name, in /tokens/:name and /proxy/:name') @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  @Doc('The provider it comes from') @IsUUID('all', { message: 'providerId must be a UUID' }) providerId: string;
  @Doc("password grant: the resource owner's username") @IsOptional() @IsString() @MinLength(1) @MaxLength(500) username?: string;
}

/**
 * Over the bus only (the registry creating an instance's P2PI token): which platform instance the token acts on. Such a
 * token is reachable only through `<instance>:p2pi=…` permissions, never through `*:tokens…` (docs/decisions/0016).
 */
@Doc("A new outbound token, possibly a platform instance's (P2PI)")
export class CreateTokenCommand extends CreateTokenRequest {
  @Doc('The platform instance it acts on (reachable only through `<instance>:p2pi=…`)')
  @IsOptional()
  @Matches(INSTANCE_NAME_PATTERN, { message: 'platformInstance must be an instance name' })
  platformInstance?: string;
  @CallerRole() callerRole?: AdminRole;
}

@Doc('An outbound token and the changes to make to it')
export class UpdateTokenRequest extends TokenChanges {
  @Doc('The token') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
  @CallerRole() callerRole?: AdminRole;
}

@Doc('One outbound token, by id')
export class TokenIdRequest {
  @Doc('The token') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

@Doc('Which outbound tokens to list, a page at a time')
export class ListTokensRequest {
  @Doc('At most this many (default 50)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @Doc('Skip this many first') @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @Doc('Only tokens in this state') @IsOptional() @IsIn(TOKEN_STATES, { message: `state must be one of ${TOKEN_STATES.join(', ')}` }) state?: TokenState;
}

/** The provider's redirect back to us: `code` and `state`, or `error` (and `error_description`) and `state`. */
@Doc("The provider's redirect back: code and state, or error and state")
export class AuthorizationCallbackRequest {
  @Secret() @Doc('The authorization code') @IsOptional() @IsString() @MaxLength(4096) code?: string;
  @Doc('The state the authorization was started with') @IsOptional() @IsString() @MaxLength(512) state?: string;
  @Doc("The provider's error code, when it refused") @IsOptional() @IsString() @MaxLength(200) error?: string;
  @Doc("The provider's words for it") @IsOptional() @IsString() @MaxLength(2000) error_description?: string;
}

/**
 * A service asking for a usable access token by the token's name, or by its id — what a platform instance's record
 * holds (P2PI), so a caller that has the id asks once instead of looking the name up first. One of the two, not both.
 */
@Doc('A usable access token, asked for by name or by id (one of the two)')
export class AccessTokenRequest {
  @Doc("The token's name")
  @ValidateIf((request: AccessTokenRequest) => request.id === undefined)
  @IsString()
  @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` })
  name?: string;
  @Doc("The token's id")
  @ValidateIf((request: AccessTokenRequest) => request.name === undefined)
  @IsUUID('all', { message: 'id must be a UUID' })
  id?: string;
  /**
   * SHA-256 (base64url) of an access token the upstream API just rejected with 401: the broker refreshes only if that
   * is still the current token, so many callers hitting the same 401 cause one refresh, not one each.
   */
  @Doc('SHA-256 (base64url) of an access token the upstream API just rejected: refreshed only if still the current one')
  @IsOptional()
  @IsString()
  @MinLength(43)
  @MaxLength(43)
  rejectedTokenHash?: string;
  /**
   * On behalf of whom, when the request comes from the HTTP edge: the caller's granted scope and what it wants to do
   * (`read` the raw token, or `proxy` a call with it). The broker then refuses (`forbidden`) unless the scope covers
   * that use of this token; a request without `scope` comes from a service on the bus, trusted by its NATS account.
   */
  @Doc("From the HTTP edge: the caller's granted scope, which must cover this use of the token") @IsOptional() @IsString() @MaxLength(65_536) scope?: string;
  @Doc('From the HTTP edge: read the raw token, or proxy a call with it')
  @IsOptional()
  @IsIn(TOKEN_USES, { message: `use must be one of ${TOKEN_USES.join(', ')}` })
  use?: TokenUse;
}

/** An outbound token as /admin shows it: never the access, refresh token or password. */
@Doc('An outbound token: never the access token, refresh token or password')
export class OutboundTokenView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Its name, in /tokens/:name and /proxy/:name') @IsString() name: string;
  @Doc('The provider it comes from') @IsUUID('all') providerId: string;
  @Doc('An inactive token is neither refreshed nor handed out') @IsBoolean() active: boolean;
  @Doc("Scopes asked for instead of the provider's; null: the provider's") @Nullable() @IsArray() @IsString({ each: true }) scopes: string[] | null;
  @Doc('The `prompt` parameter of its authorization request') @Nullable() @IsString() prompt: string | null;
  @Doc('Values for the {{variable}} placeholders in its URLs') @IsStringRecord() variables: Record<string, string>;
  @Doc('Where /proxy/:name forwards to') @Nullable() @IsString() baseUrl: string | null;
  @Doc("Values the provider's token answers carried for its URLs (its provider's tokenResponseVariables, e.g. Salesforce's instance_url)")
  @IsStringRecord()
  responseValues: Record<string, string>;
  /** The platform instance this token acts on (a P2PI token), or null for an ordinary outbound token. */
  @Doc('The platform instance a P2PI token acts on; null for an ordinary outbound token') @Nullable() @IsString() platformInstance: string | null;
  @Doc("password grant: the resource owner's username") @Nullable() @IsString() username: string | null;
  @Doc('Whether a resource-owner password is stored (write-only)') @IsBoolean() hasPassword: boolean;
  @Doc('Where it stands') @IsIn(TOKEN_STATES) state: TokenState;
  @Doc('The token type the provider gave (Bearer …)') @IsString() tokenType: string;
  @Doc('The scope the provider granted') @Nullable() @IsString() scope: string | null;
  @Doc('When it was created') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
  @Doc('When its access token expires; null: unknown or none') @Nullable() @IsTimestamp() expiresAt: string | null;
  @Doc('When it was last refreshed') @Nullable() @IsTimestamp() lastRefreshedAt: string | null;
  @Doc('When the broker refreshes it next') @Nullable() @IsTimestamp() nextRefreshAt: string | null;
  @Doc('What the broker last said about it') @Nullable() @IsString() lastMessage: string | null;
  @Doc('Refresh failures in a row') @IsInt() @Min(0) consecutiveFailures: number;
  @Doc('The last transient refresh error, while retrying') @Nullable() @IsString() lastTransientError: string | null;
  @Doc("The proxy's timeouts and size cap for this token") @ValidateNested() @Type(() => ProxyLimits) proxyLimits: ProxyLimits;
  /** Only in the answer to a create or change: its baseUrl is one the egress policy refuses now, and how to allow it. */
  @Doc('In the answer to a create or change only: why the egress policy would refuse its baseUrl now, and how to allow it')
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  warnings?: string[];
}

@Doc('A page of outbound tokens')
export class OutboundTokenPage extends OffsetPage {
  @Doc('The tokens on this page') @ValidateNested({ each: true }) @Type(() => OutboundTokenView) items: OutboundTokenView[];
}

@Doc('Where to send the browser to authorize')
export class AuthorizeTokenReply {
  @Doc('Where to send the browser') @IsUrl({ require_tld: false }) authorizationUrl: string;
}

@Doc('The token an authorization completed')
export class AuthorizationCallbackReply {
  @Doc('The token') @IsUUID('all') tokenId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('Its state now') @IsIn(TOKEN_STATES) state: TokenState;
}

/** What a caller gets to use a token : the only place an access token leaves the broker. */
@Doc("An outbound token's current access token")
export class OutboundAccessToken {
  @Secret() @Doc('The access token', { examples: ['<access token>'] }) @IsString() access_token: string;
  @Doc('Its type', { examples: ['Bearer'] }) @IsString() token_type: string;
  @Doc('When it expires; null: unknown') @Nullable() @IsTimestamp() expires_at: string | null;
  @Doc('The scope the provider granted') @Nullable() @IsString() scope: string | null;
}

/** Over the bus, what the proxy also needs: where to forward, and the token's own limits. */
@Doc("An outbound token's current access token, and what the proxy needs with it")
export class AccessTokenReply extends OutboundAccessToken {
  @Doc("The token's baseUrl with its variables filled (what the proxy forwards to)") @IsOptional() @IsString() base_url?: string | null;
  @Doc("The token's own proxy limits") @IsOptional() @ValidateNested() @Type(() => ProxyLimits) proxy_limits?: ProxyLimits;
  @Doc("The header the provider's API takes the token in instead of Authorization (its apiTokenHeader)") @IsOptional() @IsString() token_header?: string;
  @Doc('What goes before the token in that header') @IsOptional() @IsString() token_prefix?: string;
  @Doc("Fixed headers the provider's API wants on every call (its apiHeaders, {{client_id}} filled)") @IsOptional() @IsStringRecord() api_headers?: Record<
    string,
    string
  >;
}
