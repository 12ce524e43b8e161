import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OffsetPage } from '../pages.js';
import { Doc, IsTimestamp, Nullable, Secret } from '../schema.js';
import { BROKER_NAME_MESSAGE, BROKER_NAME_PATTERN, IsScopeList, IsStringRecord, TEMPLATED_URL_PATTERN } from './common.js';
import { CLIENT_AUTH_METHODS, EXPIRES_IN_UNITS, GRANT_TYPES, type ClientAuthMethod, type ExpiresInUnit, type GrantType } from './vocabulary.js';

const URL_MESSAGE = (field: string) => `${field} must be an http(s) URL (it may hold {{variable}} placeholders)`;
const PATH_PATTERN = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const PATH_MESSAGE = (field: string) => `${field} must be a property name or a dotted path such as data.access_token`;

/**
 * Every optional provider field. Shared by create (which adds the required ones) and update (where all are optional),
 * so the two can never disagree about what a field accepts.
 */
@Doc('The optional settings of a provider')
export class ProviderFields {
  @Doc('What it is, for people') @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @Doc("Where the provider's API documentation is")
  @IsOptional()
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('docsUrl') })
  @MaxLength(2048)
  docsUrl?: string;
  @Secret() @Doc('The client secret the provider issued (write-only)') @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
  @Doc('authorization_code: where the browser is sent to consent; may hold {{variable}} placeholders')
  @IsOptional()
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('authorizationUrl') })
  @MaxLength(2048)
  authorizationUrl?: string;
  @Doc('Where refresh requests go, when not the token URL')
  @IsOptional()
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('refreshUrl') })
  @MaxLength(2048)
  refreshUrl?: string;
  @Doc('RFC 7009 revocation endpoint, called when a token is revoked here')
  @IsOptional()
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('revocationUrl') })
  @MaxLength(2048)
  revocationUrl?: string;
  @Doc('Scopes asked for by default') @IsOptional() @IsScopeList() scopes?: string[];
  @Doc('What joins the scopes in requests (default a space)') @IsOptional() @IsString() @MinLength(1) @MaxLength(5) scopeSeparator?: string;
  @Doc('How the client authenticates at the token endpoint')
  @IsOptional()
  @IsIn(CLIENT_AUTH_METHODS, { message: `clientAuthMethod must be one of ${CLIENT_AUTH_METHODS.join(', ')}` })
  clientAuthMethod?: ClientAuthMethod;
  @Doc('authorization_code: send a PKCE challenge (S256)') @IsOptional() @IsBoolean() pkce?: boolean;
  @Doc('Length of the random state parameter') @IsOptional() @Type(() => Number) @IsInt() @Min(8) @Max(128) stateLength?: number;
  @Doc('The `prompt` parameter of the authorization request (consent, login …)') @IsOptional() @IsString() @MaxLength(200) prompt?: string;
  @Doc('Extra parameters of the authorization request') @IsOptional() @IsStringRecord() authorizationParams?: Record<string, string>;
  @Doc('Extra parameters of token requests') @IsOptional() @IsStringRecord() tokenParams?: Record<string, string>;
  @Doc('Where the access token is in the token answer (a dotted path)')
  @IsOptional()
  @Matches(PATH_PATTERN, { message: PATH_MESSAGE('accessTokenPath') })
  @MaxLength(200)
  accessTokenPath?: string;
  @Doc('Where the refresh token is in the token answer (a dotted path)')
  @IsOptional()
  @Matches(PATH_PATTERN, { message: PATH_MESSAGE('refreshTokenPath') })
  @MaxLength(200)
  refreshTokenPath?: string;
  @Doc('Where the lifetime is in the token answer (a dotted path)')
  @IsOptional()
  @Matches(PATH_PATTERN, { message: PATH_MESSAGE('expiresInPath') })
  @MaxLength(200)
  expiresInPath?: string;
  @Doc('The parameter naming the grant in refresh requests (default grant_type)')
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  refreshGrantParam?: string;
  @Doc('Its value in refresh requests (default refresh_token)') @IsOptional() @IsString() @MinLength(1) @MaxLength(100) refreshGrantValue?: string;
  @Doc('Extra parameters of refresh requests') @IsOptional() @IsStringRecord() refreshParams?: Record<string, string>;
  @Doc('The unit of the lifetime in token answers')
  @IsOptional()
  @IsIn(EXPIRES_IN_UNITS, { message: `expiresInUnit must be one of ${EXPIRES_IN_UNITS.join(', ')}` })
  expiresInUnit?: ExpiresInUnit;
  @Doc('Refresh this many seconds before a token expires') @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(86_400) refreshBufferSeconds?: number;
  @Doc('How long a request to the provider may take, in seconds') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(300) timeoutSeconds?: number;
  @Doc('Lifetime assumed when the provider sends no expires_in (client_credentials); absent: valid until a 401')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  defaultLifetimeSeconds?: number;
}

@Doc('A new provider: an OAuth 2 authorization server the broker gets tokens from')
export class CreateProviderRequest extends ProviderFields {
  @Doc('Its name; outbound tokens refer to it') @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  @Doc('How the broker gets tokens from it') @IsIn(GRANT_TYPES, { message: `grantType must be one of ${GRANT_TYPES.join(', ')}` }) grantType: GrantType;
  @Doc('The client id the provider issued') @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @Doc('Its token endpoint; may hold {{variable}} placeholders')
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('tokenUrl') })
  @MaxLength(2048)
  tokenUrl: string;
}

@Doc('The changes to a provider: only the fields sent change')
export class UpdateProviderFields extends ProviderFields {
  @Doc('Its name') @IsOptional() @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name?: string;
  @Doc('How the broker gets tokens from it')
  @IsOptional()
  @IsIn(GRANT_TYPES, { message: `grantType must be one of ${GRANT_TYPES.join(', ')}` })
  grantType?: GrantType;
  @Doc('The client id the provider issued') @IsOptional() @IsString() @MinLength(1) @MaxLength(500) clientId?: string;
  @Doc('Its token endpoint')
  @IsOptional()
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('tokenUrl') })
  @MaxLength(2048)
  tokenUrl?: string;
}

@Doc('A provider and the changes to make to it')
export class UpdateProviderRequest extends UpdateProviderFields {
  @Doc('The provider') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

@Doc('One provider, by id')
export class ProviderIdRequest {
  @Doc('The provider') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

@Doc('Which to list, a page at a time')
export class ListRequest {
  @Doc('At most this many (default 50)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @Doc('Skip this many first') @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

/** What an import may also take from the query (never the secret: URLs end up in logs). */
@Doc('How to name the imported providers, and their client id')
export class ImportProvidersQuery {
  @Doc("Put before each new provider's name")
  @IsOptional()
  @IsString()
  @Matches(BROKER_NAME_PATTERN, { message: `namePrefix ${BROKER_NAME_MESSAGE}` })
  namePrefix?: string;
  @Doc('The client id for the new providers') @IsOptional() @IsString() @MinLength(1) @MaxLength(500) clientId?: string;
}

/** An OpenAPI 3 document (object, or JSON/YAML text) whose oauth2 security schemes become providers. */
@Doc('An OpenAPI 3 document whose oauth2 security schemes become providers')
export class ImportProvidersRequest extends ImportProvidersQuery {
  @Doc('The OpenAPI 3 document, as an object or as JSON or YAML text')
  @IsDefined({ message: 'document is required: an OpenAPI 3 document, as an object or as JSON or YAML text' })
  document: unknown;
  @Secret() @Doc('The client secret for the new providers (write-only)') @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
}

/** A provider as /admin shows it: everything but the client secret, which is write-only. */
@Doc('An OAuth 2 provider of the broker: everything but its client secret, which is write-only')
export class ProviderView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Its name; outbound tokens refer to it') @IsString() name: string;
  @Doc('What it is, for people') @Nullable() @IsString() description: string | null;
  @Doc("Where the provider's API documentation is") @Nullable() @IsString() docsUrl: string | null;
  @Doc('How the broker gets tokens from it') @IsIn(GRANT_TYPES) grantType: GrantType;
  @Doc('The client id the provider issued') @IsString() clientId: string;
  @Doc('Whether a client secret is stored (the secret itself is write-only)') @IsBoolean() hasClientSecret: boolean;
  @Doc('authorization_code: where the browser is sent to consent') @Nullable() @IsString() authorizationUrl: string | null;
  @Doc('Its token endpoint') @IsString() tokenUrl: string;
  @Doc('Where refresh requests go, when not the token URL') @Nullable() @IsString() refreshUrl: string | null;
  @Doc('RFC 7009 revocation endpoint') @Nullable() @IsString() revocationUrl: string | null;
  @Doc('Scopes asked for by default') @IsArray() @IsString({ each: true }) scopes: string[];
  @Doc('What joins the scopes in requests') @IsString() scopeSeparator: string;
  @Doc('How the client authenticates at the token endpoint') @IsIn(CLIENT_AUTH_METHODS) clientAuthMethod: ClientAuthMethod;
  @Doc('authorization_code: whether a PKCE challenge is sent') @IsBoolean() pkce: boolean;
  @Doc('Length of the random state parameter') @IsInt() stateLength: number;
  @Doc('The `prompt` parameter of the authorization request') @Nullable() @IsString() prompt: string | null;
  @Doc('Extra parameters of the authorization request') @IsStringRecord() authorizationParams: Record<string, string>;
  @Doc('Extra parameters of token requests') @IsStringRecord() tokenParams: Record<string, string>;
  @Doc('Where the access token is in the token answer') @IsString() accessTokenPath: string;
  @Doc('Where the refresh token is in the token answer') @IsString() refreshTokenPath: string;
  @Doc('Where the lifetime is in the token answer') @IsString() expiresInPath: string;
  @Doc('The parameter naming the grant in refresh requests') @IsString() refreshGrantParam: string;
  @Doc('Its value in refresh requests') @IsString() refreshGrantValue: string;
  @Doc('Extra parameters of refresh requests') @IsStringRecord() refreshParams: Record<string, string>;
  @Doc('The unit of the lifetime in token answers') @IsIn(EXPIRES_IN_UNITS) expiresInUnit: ExpiresInUnit;
  @Doc('Refresh this many seconds before a token expires') @IsInt() refreshBufferSeconds: number;
  @Doc('How long a request to the provider may take, in seconds') @IsInt() timeoutSeconds: number;
  @Doc('Lifetime assumed when the provider sends no expires_in; null: valid until a 401') @Nullable() @IsInt() defaultLifetimeSeconds: number | null;
  @Doc('When it was created') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
}

@Doc('A page of providers')
export class ProviderPage extends OffsetPage {
  @Doc('The providers on this page') @ValidateNested({ each: true }) @Type(() => ProviderView) items: ProviderView[];
}

/**
 * P2PI's outbound client app: a provider for another Tessera platform, its endpoints read from that platform's
 * RFC 8414 metadata rather than typed by hand.
 */
@Doc("A provider for another Tessera platform, its endpoints read from that platform's RFC 8414 metadata")
export class DiscoverProviderRequest {
  @Doc('Its name') @IsString() @Matches(BROKER_NAME_PATTERN, { message: `name ${BROKER_NAME_MESSAGE}` }) name: string;
  @Doc("The other platform's issuer (its base URL); metadata is read from `<issuer>/.well-known/oauth-authorization-server`")
  @Matches(TEMPLATED_URL_PATTERN, { message: URL_MESSAGE('issuer') })
  @MaxLength(2048)
  issuer: string;
  @Doc('The client id the other platform issued') @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @Secret() @Doc('Its app secret (write-only)') @IsString() @MinLength(1) @MaxLength(500) clientSecret: string;
  @Doc("The instance's current client app: updated in place rather than a new one created beside it") @IsOptional() @IsUUID('all') replaceId?: string;
}

/**
 * `POST /admin/providers/:id/test`: runs the provider's flow once without storing anything. `variables` fill
 * `{{…}}` URLs, `scopes` replace the provider's, `username`/`password` are the resource owner's (password grant).
 */
@Doc('What a provider test runs with (nothing is stored)')
export class TestProviderFields {
  @Doc('Values for the {{variable}} placeholders in its URLs') @IsOptional() @IsStringRecord() variables?: Record<string, string>;
  @Doc("Scopes to ask for instead of the provider's") @IsOptional() @IsScopeList() scopes?: string[];
  @Doc("password grant: the resource owner's username") @IsOptional() @IsString() @MinLength(1) @MaxLength(500) username?: string;
  @Secret() @Doc("password grant: the resource owner's password (never stored)") @IsOptional() @IsString() @MaxLength(500) password?: string;
}

@Doc('A provider test')
export class TestProviderRequest extends TestProviderFields {
  @Doc('The provider') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}

/** One request the test made: where, what came back (null: no HTTP answer), how long it took, and what that means. */
@Doc('One request a provider test made')
export class ProviderTestStep {
  @Doc('What the request was for (token, refresh …)') @IsString() name: string;
  @Doc('Where it went') @IsString() url: string;
  @Doc('The HTTP status; null: no HTTP answer') @Nullable() @IsInt() status: number | null;
  @Doc('How long it took, in milliseconds') @IsNumber() ms: number;
  @Doc('Whether it did what it should') @IsBoolean() ok: boolean;
  @Doc('What that means, in words') @IsString() outcome: string;
}

/**
 * The result of a provider test. `answer` is the provider's (last) answer with every token value replaced by
 * "[redacted]"; token_type, expires_in, scope, error and error_description are kept. A provider that is down is
 * `ok: false` with the network error in its step, never an error reply.
 */
@Doc('What a provider test found')
export class ProviderTestReply {
  @Doc('Whether the flow got a token') @IsBoolean() ok: boolean;
  @Doc('The grant it ran') @IsIn(GRANT_TYPES) grantType: GrantType;
  @Doc('Each request it made') @ValidateNested({ each: true }) @Type(() => ProviderTestStep) steps: ProviderTestStep[];
  @Doc('The last answer of the provider, every token in it replaced by "[redacted]"') @Allow() answer: unknown;
}
