import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
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
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import type { AdminRole } from './admin-roles.js';
import { CallerRole } from './caller-role.js';
import { ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, INTEGRATION_GRANT_TYPES, type IntegrationAuthenticationMethod, type IntegrationGrantType } from './oauth.js';
import { IsPublicJwks, type ClientJwks } from './client-keys.js';
import { permissionProblem } from './permission-grammar.js';
import { Doc } from './schema.js';

/** A list of permissions in the `<instance>:<resource>=<action>` grammar; the message names the bad entries. */
export function IsPermissionList() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPermissionList',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.length <= 100 && value.every((p) => typeof p === 'string' && !permissionProblem(p)),
        defaultMessage: (args?: ValidationArguments) => {
          const value = args?.value;
          if (!Array.isArray(value)) return `${propertyName} must be a list of permissions like "*:orgs=read"`;
          if (value.length > 100) return `${propertyName} may hold at most 100 permissions`;
          const bad = value.map((p, i) => [p, i, typeof p === 'string' ? permissionProblem(p) : 'is not a string'] as const).filter(([, , problem]) => problem);
          return bad.map(([p, i, problem]) => `${propertyName}[${i}] ${JSON.stringify(p).slice(0, 80)} ${problem}`).join('; ');
        },
      },
    });
}

const REDIRECT_URI = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** New integrations may use every grant unless told otherwise (what they could before the setting existed). */
export const DEFAULT_INTEGRATION_GRANT_TYPES: IntegrationGrantType[] = [...INTEGRATION_GRANT_TYPES];
/** P2PI: an instance's integration gets tokens only through the other admin's consent, never client_credentials. */
export const INSTANCE_GRANT_TYPES: IntegrationGrantType[] = ['authorization_code', 'refresh_token'];
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const APPLICATION_ID_PATTERN = /^[A-Za-z0-9._~-]{32,128}$/;

@Doc('The settings an integration may be created with and changed later')
class IntegrationSettings {
  @Doc('Where /oauth/authorize may send the browser back with a code; compared as exact strings', { examples: [['https://app.example.com/oauth/callback']] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(REDIRECT_URI, { each: true, message: 'each redirectUris entry must be an absolute http(s) URL' })
  @MaxLength(2048, { each: true })
  // RFC 3986: a URI is printable ASCII (anything else percent-encoded); redirect URIs are compared as exact strings.
  @Matches(/^[\x21-\x7e]+$/, { each: true, message: 'each redirectUris entry must be printable ASCII (percent-encode anything else)' })
  redirectUris?: string[];

  @Doc('A disabled integration gets no tokens, and the ones it holds are revoked')
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Doc('Refresh tokens never expire by time, only when revoked or rotated')
  @IsOptional()
  @IsBoolean()
  refreshTokensValidUntilRevoked?: boolean;

  @Doc('How long an access token issued to it lasts, in seconds')
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86_400)
  accessTokenTtlSeconds?: number;

  @Doc(
    'Seconds during which the refresh token just rotated may be presented again (its answer was lost) and get a fresh pair, as long as its successor is unused; 0 disables. Default 30',
  )
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  refreshTokenReuseIntervalSeconds?: number;
  // Grant growth (docs/decisions/0016) —
  @Doc('Whether client_credentials answers carry a refresh token (and store a grant for it); default true')
  @IsOptional()
  @IsBoolean()
  refreshTokensOnClientCredentials?: boolean;

  @Doc('At most this many client_credentials tokens per hour (429 with Retry-After beyond); null: no quota')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  clientCredentialsTokensPerHour?: number | null;
  @Doc('The grants it may use at the token endpoint; default all')
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(INTEGRATION_GRANT_TYPES.length)
  @ArrayUnique()
  @IsIn(INTEGRATION_GRANT_TYPES, { each: true, message: `each grantTypes entry must be one of ${INTEGRATION_GRANT_TYPES.join(', ')}` })
  grantTypes?: IntegrationGrantType[];

  @Doc(
    'How it authenticates at the token, introspection and revocation endpoints (RFC 7591 §2): a secret (client_secret_basic — the default — or client_secret_post, either accepted) or private_key_jwt (RFC 7523: a JWT signed with a key of `jwks` or `jwksUri`; no shared secret)',
  )
  @IsOptional()
  @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, { message: `tokenEndpointAuthMethod must be one of ${ANNOUNCED_CLIENT_AUTHENTICATION_METHODS.join(', ')}` })
  tokenEndpointAuthMethod?: IntegrationAuthenticationMethod;

  @Doc('private_key_jwt: its public keys, inline (a JWK Set: EC, RSA or OKP keys, no private parts); null clears')
  @IsOptional()
  @IsPublicJwks()
  jwks?: ClientJwks | null;

  @Doc('private_key_jwt: where its public keys are published (fetched through the egress policy, cached); null clears', {
    examples: ['https://app.example.com/.well-known/jwks.json'],
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { message: 'jwksUri must be an absolute http(s) URL' })
  @MaxLength(2048)
  jwksUri?: string | null;

  @Doc('RFC 9449 §5.2 (dpop_bound_access_tokens): it always gets DPoP-bound tokens; a token request without a DPoP proof is refused')
  @IsOptional()
  @IsBoolean()
  dpopBoundAccessTokens?: boolean;
}

@Doc('A new integration: an inbound OAuth client and the permissions it may be granted')
export class CreateIntegrationRequest extends IntegrationSettings {
  @Doc('Shown in the console, the consent page and the audit log')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Doc('What its tokens may be granted, in the `<instance>:<resource>=<action>` grammar')
  @IsPermissionList()
  permissions: string[];

  @Doc('Its client id, when it must be a given one (generated otherwise)')
  @IsOptional()
  @IsString()
  @Matches(APPLICATION_ID_PATTERN, { message: 'applicationId must be 32-128 characters of A-Z a-z 0-9 . _ ~ -' })
  applicationId?: string;
}

@Doc('A new integration, as the gateway asks the registry for it')
export class CreateIntegrationCommand extends CreateIntegrationRequest {
  @CallerRole() callerRole?: AdminRole;
}

@Doc('The changes to an integration: only the fields sent change')
export class UpdateIntegrationBody extends IntegrationSettings {
  @Doc('Shown in the console, the consent page and the audit log')
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Doc('What its tokens may be granted from now on; tokens holding more are revoked')
  @IsOptional()
  @IsPermissionList()
  permissions?: string[];
}

@Doc('An integration and the changes to make to it')
export class UpdateIntegrationCommand extends UpdateIntegrationBody {
  @Doc('The integration') @IsUUID('all') id: string;
  @CallerRole() callerRole?: AdminRole;
}

@Doc('One integration, by id')
export class IntegrationIdRequest {
  @Doc('The integration') @IsUUID('all') id: string;
}

@Doc('A new app secret')
export class RotateSecretBody {
  @Doc('How long the old secret keeps working, so clients can be redeployed without downtime; 0: it stops at once')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  graceSeconds?: number;
}

@Doc('A new app secret for an integration')
export class RotateSecretCommand extends RotateSecretBody {
  @Doc('The integration') @IsUUID('all') id: string;
  @CallerRole() callerRole?: AdminRole;
}

@Doc('Which integrations to list, a page at a time')
export class ListIntegrationsRequest {
  @Doc('At most this many (default 50)')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @Doc('Skip this many first')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @Doc('Only those whose name contains this (any case)')
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @Doc('Only enabled ones (true) or only disabled ones (false)')
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  enabled?: boolean;
}

@Doc("auth-server asking for a client's credentials, to authenticate it")
export class ClientCredentialsRequest {
  @Doc('The client id the caller presented') @IsString() @MaxLength(256) applicationId: string;
}
