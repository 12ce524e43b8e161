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
import { permissionProblem } from './permission-grammar.js';

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

/** The grants an integration may use at /oauth/token (and `authorization_code` also at /oauth/authorize). */
export const INTEGRATION_GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
export type IntegrationGrantType = (typeof INTEGRATION_GRANT_TYPES)[number];
/** New integrations may use every grant unless told otherwise (what they could before the setting existed). */
export const DEFAULT_INTEGRATION_GRANT_TYPES: IntegrationGrantType[] = [...INTEGRATION_GRANT_TYPES];
/** P2PI: an instance's integration gets tokens only through the other admin's consent, never client_credentials. */
export const INSTANCE_GRANT_TYPES: IntegrationGrantType[] = ['authorization_code', 'refresh_token'];
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const APPLICATION_ID_PATTERN = /^[A-Za-z0-9._~-]{32,128}$/;

/** The settings an integration may be created with and changed later. */
class IntegrationSettings {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(REDIRECT_URI, { each: true, message: 'each redirectUris entry must be an absolute http(s) URL' })
  @MaxLength(2048, { each: true })
  // RFC 3986: a URI is printable ASCII (anything else percent-encoded); redirect URIs are compared as exact strings.
  @Matches(/^[\x21-\x7e]+$/, { each: true, message: 'each redirectUris entry must be printable ASCII (percent-encode anything else)' })
  redirectUris?: string[];

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsBoolean()
  refreshTokensValidUntilRevoked?: boolean;

  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86_400)
  accessTokenTtlSeconds?: number;

  /**
   * Seconds during which the refresh token just rotated may be presented again (its answer was lost) and get a fresh
   * pair, as long as its successor is unused (Auth0's reuse interval, Okta's grace period); 0 disables. Default 30.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  refreshTokenReuseIntervalSeconds?: number;
  // Grant growth (docs/decisions/0016) —
  /** Whether client_credentials answers carry a refresh token (and store a grant for it). P6 does: default true. */
  @IsOptional()
  @IsBoolean()
  refreshTokensOnClientCredentials?: boolean;

  /** At most this many client_credentials tokens per hour (429 with Retry-After beyond); null = no quota. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  clientCredentialsTokensPerHour?: number | null;
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(INTEGRATION_GRANT_TYPES.length)
  @ArrayUnique()
  @IsIn(INTEGRATION_GRANT_TYPES, { each: true, message: `each grantTypes entry must be one of ${INTEGRATION_GRANT_TYPES.join(', ')}` })
  grantTypes?: IntegrationGrantType[];
}

export class CreateIntegrationRequest extends IntegrationSettings {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsPermissionList()
  permissions: string[];

  @IsOptional()
  @IsString()
  @Matches(APPLICATION_ID_PATTERN, { message: 'applicationId must be 32-128 characters of A-Z a-z 0-9 . _ ~ -' })
  applicationId?: string;
}

export class UpdateIntegrationBody extends IntegrationSettings {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsPermissionList()
  permissions?: string[];
}

export class UpdateIntegrationCommand extends UpdateIntegrationBody {
  @IsUUID('all') id: string;
}

export class IntegrationIdRequest {
  @IsUUID('all') id: string;
}

export class RotateSecretBody {
  /** How long the old secret keeps working, so clients can be redeployed without downtime. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  graceSeconds?: number;
}

export class RotateSecretCommand extends RotateSecretBody {
  @IsUUID('all') id: string;
}

export class ListIntegrationsRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  /** Case-insensitive substring of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  enabled?: boolean;
}

export class ClientCredentialsRequest {
  @IsString() @MaxLength(256) applicationId: string;
}

export interface IntegrationView {
  id: string;
  name: string;
  applicationId: string;
  redirectUris: string[];
  enabled: boolean;
  refreshTokensValidUntilRevoked: boolean;
  permissions: string[];
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  refreshTokensOnClientCredentials: boolean;
  clientCredentialsTokensPerHour: number | null;
  grantTypes: IntegrationGrantType[];
  createdAt: string;
  updatedAt: string;
}

/** The ready-to-paste client configuration: P6's application.conf block and the same as environment variables. */
export interface ClientConfiguration {
  hocon: string;
  env: Record<string, string>;
}

/** Returned once, at creation and on rotation: the only time the secret is shown. */
export interface IntegrationWithSecret extends IntegrationView {
  appSecret: string;
  config: ClientConfiguration;
}

/**
 * What auth-server needs to authenticate a client, asked of the registry over request/reply (never in an event).
 * Secrets are only ever present as keyed hashes (HMAC-SHA-256 with the platform's pepper).
 */
export interface ClientCredentialsRecord {
  integrationId: string;
  applicationId: string;
  name: string;
  secretHashes: { hash: string; validUntil: string | null }[];
  enabled: boolean;
  permissions: string[];
  redirectUris: string[];
  refreshTokensValidUntilRevoked: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  /**
   * The integration's revision: it goes up with every change. auth-server stamps it on the tokens it issues (claim
   * `cv`) and refuses to issue under a revision older than the latest change it was told of (ADR 0013).
   */
  revision: number;
  refreshTokensOnClientCredentials: boolean;
  clientCredentialsTokensPerHour: number | null;
  grantTypes: IntegrationGrantType[];
}

/**
 * `tessera.events.integration.*`: what changed, as facts. Each consumer decides what follows for it — auth-server,
 * for one, which tokens to revoke and why (disabled, deleted, permissions taken away, a secret replaced without grace).
 */
export interface IntegrationChangedEvent {
  integrationId: string;
  applicationId: string;
  name: string;
  enabled: boolean;
  permissions: string[];
  change: 'created' | 'updated' | 'secret_rotated' | 'deleted';
  /** The integration's revision after this change (see ClientCredentialsRecord.revision). */
  revision: number;
  /** `updated`: the integration as it was before this change. */
  previous?: { enabled: boolean; permissions: string[] };
  /** `secret_rotated`: until when the replaced secret still authenticates; null when it stopped at once. */
  previousSecretValidUntil?: string | null;
}
