/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the settings' properties are declared from PROVIDER_SETTINGS: a class for the validators, an interface for the types */
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
import { declareSettings, declareSettingViews } from './provider-setting-validation.js';
import {
  PROVIDER_SETTING_NAMES,
  STORED_SETTING_NAMES,
  type ProviderSettingInput,
  type ProviderSettingName,
  type ProviderSettingValues,
} from './provider-settings.js';
import { TEMPLATE_ID_PATTERN } from './catalog.js';
import { AssertionKeyView, ServiceAccountKey } from './signing-keys.js';
import { GRANT_TYPES, type GrantType } from './vocabulary.js';

const URL_MESSAGE = (field: string) => `${field} must be an http(s) URL (it may hold {{variable}} placeholders)`;

/** The settings every provider has, so create requires them and a change may leave them out. */
const IDENTITY = ['name', 'grantType', 'clientId', 'tokenUrl'] as const satisfies readonly ProviderSettingName[];
type Identity = (typeof IDENTITY)[number];
const OPTIONAL_SETTINGS = PROVIDER_SETTING_NAMES.filter((name) => !(IDENTITY as readonly string[]).includes(name));

/**
 * Every optional provider setting, declared from PROVIDER_SETTINGS (provider-settings.ts). Shared by create (which adds
 * the required ones) and update (where all are optional), so the two can never disagree about what a field accepts.
 */
@Doc('The optional settings of a provider')
export class ProviderFields {
  @Doc(
    'jwt_bearer with a Google service account: its key file as downloaded. Sets grantType jwt_bearer, clientId (client_email), ' +
      'tokenUrl (token_uri), assertionKey, assertionKeyId (private_key_id), RS256 and scopes in a claim',
  )
  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceAccountKey)
  serviceAccount?: ServiceAccountKey;
}
export interface ProviderFields extends Partial<Omit<ProviderSettingInput, Identity>> {}
declareSettings(ProviderFields, OPTIONAL_SETTINGS);

/**
 * A new provider, typed in full or made from a catalog template: with `template`, its URLs, grant and quirks come from
 * the template filled with `variables` (name defaults to the template's id; grantType chooses among its grants), and
 * only the client's own settings and non-URL settings may be given beside it.
 */
@Doc('A new provider: an OAuth 2 authorization server the broker gets tokens from, typed in full or made from a catalog template')
export class CreateProviderRequest extends ProviderFields {
  @Doc('The catalog template to make it from (GET /admin/catalog)')
  @IsOptional()
  @IsString()
  @Matches(TEMPLATE_ID_PATTERN, { message: 'template must be a template id (lowercase letters, digits and hyphens)' })
  template?: string;
  @Doc("Values for the template's provider variables (GET /admin/catalog/:id lists them, with their patterns)")
  @IsOptional()
  @IsStringRecord()
  variables?: Record<string, string>;
}
export interface CreateProviderRequest extends Pick<ProviderSettingInput, 'clientId'>, Partial<Pick<ProviderSettingInput, Exclude<Identity, 'clientId'>>> {}
const given = (request: object, field: 'template' | 'serviceAccount') => (request as Record<string, unknown>)[field] !== undefined;
// A service-account key file names the client, the token endpoint and the grant itself.
declareSettings(CreateProviderRequest, ['clientId'], ['clientId'], (request) => given(request, 'serviceAccount'));
declareSettings(CreateProviderRequest, ['name'], ['name'], (request) => given(request, 'template'));
const FROM_TEMPLATE_OR_KEY_FILE = ['grantType', 'tokenUrl'] as const;
declareSettings(CreateProviderRequest, FROM_TEMPLATE_OR_KEY_FILE, FROM_TEMPLATE_OR_KEY_FILE, (r) => given(r, 'template') || given(r, 'serviceAccount'));

@Doc('The changes to a provider: only the fields sent change')
export class UpdateProviderFields extends ProviderFields {}
export interface UpdateProviderFields extends Partial<Pick<ProviderSettingInput, Identity>> {}
declareSettings(UpdateProviderFields, IDENTITY);

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

@Doc('A catalog template, by id and version')
export class ProviderTemplateRef {
  @Doc("The template's id") @IsString() id: string;
  @Doc('Its version') @IsInt() version: number;
}

/** A provider as /admin shows it: everything but the client secret, which is write-only. */
@Doc('An OAuth 2 provider of the broker: everything but its client secret, which is write-only')
export class ProviderView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Whether a client secret is stored (the secret itself is write-only)') @IsBoolean() hasClientSecret: boolean;
  @Doc('Its signing keys (private_key_jwt, jwt_bearer): the one assertions are signed with, and the previous one while a rotation settles')
  @ValidateNested({ each: true })
  @Type(() => AssertionKeyView)
  assertionKeys: AssertionKeyView[];
  @Doc('Where the public half of its signing keys is published (no authentication), to register at the provider; null: it has none')
  @Nullable()
  @IsString()
  jwksUrl: string | null;
  template: ProviderTemplateRef | null;
  templateUpdate: ProviderTemplateRef | null;
  @Doc('When it was created') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
  /** Only in the answer to a create or change: URLs the egress policy refuses now, and how to allow them. */
  @Doc('In the answer to a create or change only: which of its URLs the egress policy would refuse now, and how to allow them')
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  warnings?: string[];
}

export interface ProviderView extends ProviderSettingValues {}
// Declared after the settings so the view lists them first.
Doc('The catalog template it was made from; null: typed by hand')(ProviderView.prototype, 'template');
Nullable()(ProviderView.prototype, 'template');
ValidateNested()(ProviderView.prototype, 'template');
Type(() => ProviderTemplateRef)(ProviderView.prototype, 'template');
Doc('A newer version of its template, offered (POST /admin/providers/:id/template-update applies it); null: none')(ProviderView.prototype, 'templateUpdate');
Nullable()(ProviderView.prototype, 'templateUpdate');
ValidateNested()(ProviderView.prototype, 'templateUpdate');
Type(() => ProviderTemplateRef)(ProviderView.prototype, 'templateUpdate');
declareSettingViews(ProviderView, STORED_SETTING_NAMES);

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
  @Secret()
  @Doc("Its app secret (write-only); absent: private_key_jwt with this platform's client key (the registry signs)")
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;
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
