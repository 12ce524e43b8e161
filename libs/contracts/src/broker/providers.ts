import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
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
} from 'class-validator';
import { BROKER_NAME_MESSAGE, BROKER_NAME_PATTERN, IsStringRecord, TEMPLATED_URL_PATTERN } from './common.js';

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
export const EXPIRES_IN_UNITS = ['seconds', 'milliseconds'] as const;
export type ExpiresInUnit = (typeof EXPIRES_IN_UNITS)[number];

const URL_MESSAGE = (field: string) => `${field} must be an http(s) URL (it may hold {{variable}} placeholders)`;
const PATH_PATTERN = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const PATH_MESSAGE = (field: string) => `${field} must be a property name or a dotted path such as data.access_token`;

/**
 * Every optional provider field. Shared by create (which adds the required ones) and update (where all are optional),
 * so the two can never disagree about what a field accepts.
 */
export class ProviderFields {
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('docsUrl') }) @MaxLength(2048) docsUrl?: string;
  @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('authorizationUrl') }) @MaxLength(2048) authorizationUrl?: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('refreshUrl') }) @MaxLength(2048) refreshUrl?: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('revocationUrl') }) @MaxLength(2048) revocationUrl?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true }) scopes?: string[];
  @IsOptional() @IsString() @MinLength(1) @MaxLength(5) scopeSeparator?: string;
  @IsOptional()
  @IsIn(CLIENT_AUTH_METHODS, { message: `clientAuthMethod must be one of ${CLIENT_AUTH_METHODS.join(', ')}` })
  clientAuthMethod?: ClientAuthMethod;
  @IsOptional() @IsBoolean() pkce?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(8) @Max(128) stateLength?: number;
  @IsOptional() @IsString() @MaxLength(200) prompt?: string;
  @IsOptional() @IsStringRecord() authorizationParams?: Record<string, string>;
  @IsOptional() @IsStringRecord() tokenParams?: Record<string, string>;
  @IsOptional() @Matches(PATH_PATTERN, { message: PATH_MESSAGE('accessTokenPath') }) @MaxLength(200) accessTokenPath?: string;
  @IsOptional() @Matches(PATH_PATTERN, { message: PATH_MESSAGE('refreshTokenPath') }) @MaxLength(200) refreshTokenPath?: string;
  @IsOptional() @Matches(PATH_PATTERN, { message: PATH_MESSAGE('expiresInPath') }) @MaxLength(200) expiresInPath?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) refreshGrantParam?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) refreshGrantValue?: string;
  @IsOptional() @IsStringRecord() refreshParams?: Record<string, string>;
  @IsOptional() @IsIn(EXPIRES_IN_UNITS, { message: `expiresInUnit must be one of ${EXPIRES_IN_UNITS.join(', ')}` }) expiresInUnit?: ExpiresInUnit;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(86_400) refreshBufferSeconds?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(300) timeoutSeconds?: number;
  /** Lifetime assumed when the provider sends no expires_in (client_credentials); absent: valid until a 401. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(31_536_000) defaultLifetimeSeconds?: number;
}

export class CreateProviderRequest extends ProviderFields {
  @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  @IsIn(GRANT_TYPES, { message: `grantType must be one of ${GRANT_TYPES.join(', ')}` }) grantType: GrantType;
  @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('tokenUrl') }) @MaxLength(2048) tokenUrl: string;
}

export class UpdateProviderFields extends ProviderFields {
  @IsOptional() @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name?: string;
  @IsOptional() @IsIn(GRANT_TYPES, { message: `grantType must be one of ${GRANT_TYPES.join(', ')}` }) grantType?: GrantType;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) clientId?: string;
  @IsOptional() @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('tokenUrl') }) @MaxLength(2048) tokenUrl?: string;
}

export class UpdateProviderRequest extends UpdateProviderFields {
  @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

export class ProviderIdRequest {
  @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

export class ListRequest {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

/** An OpenAPI 3 document (object, or JSON/YAML text) whose oauth2 security schemes become providers. */
export class ImportProvidersRequest {
  @IsDefined({ message: 'document is required: an OpenAPI 3 document, as an object or as JSON or YAML text' }) document: unknown;
  @IsOptional() @IsString() @Matches(BROKER_NAME_PATTERN, { message: `namePrefix ${BROKER_NAME_MESSAGE}` }) namePrefix?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) clientId?: string;
  @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
}

/** A provider as /admin shows it: everything but the client secret, which is write-only. */
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
  clientAuthMethod: ClientAuthMethod;
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
  expiresInUnit: ExpiresInUnit;
  refreshBufferSeconds: number;
  timeoutSeconds: number;
  defaultLifetimeSeconds: number | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * P2PI's outbound client app: a provider for another Tessera platform, its endpoints read from that platform's
 * RFC 8414 metadata rather than typed by hand.
 */
export class DiscoverProviderRequest {
  @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  /** The other platform's issuer (its base URL); metadata is read from `<issuer>/.well-known/oauth-authorization-server`. */
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('issuer') }) @MaxLength(2048) issuer: string;
  @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @IsString() @MinLength(1) @MaxLength(500) clientSecret: string;
  /** The instance's current client app: updated in place rather than a new one created beside it. */
  @IsOptional() @IsUUID('all') replaceId?: string;
}

/**
 * `POST /admin/providers/:id/test`: runs the provider's flow once without storing anything. `variables` fill
 * `{{…}}` URLs, `scopes` replace the provider's, `username`/`password` are the resource owner's (password grant).
 */
export class TestProviderFields {
  @IsOptional() @IsStringRecord() variables?: Record<string, string>;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true }) scopes?: string[];
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) username?: string;
  @IsOptional() @IsString() @MaxLength(500) password?: string;
}

export class TestProviderRequest extends TestProviderFields {
  @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

/** One request the test made: where, what came back (null: no HTTP answer), how long it took, and what that means. */
export interface ProviderTestStep {
  name: string;
  url: string;
  status: number | null;
  ms: number;
  ok: boolean;
  outcome: string;
}

/**
 * The result of a provider test. `answer` is the provider's (last) answer with every token value replaced by
 * "[redacted]"; token_type, expires_in, scope, error and error_description are kept. A provider that is down is
 * `ok: false` with the network error in its step, never an error reply.
 */
export interface ProviderTestReply {
  ok: boolean;
  grantType: GrantType;
  steps: ProviderTestStep[];
  answer: unknown;
}
