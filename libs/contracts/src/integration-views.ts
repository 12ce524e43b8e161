import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { IsStringRecord } from './broker/common.js';
import { ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, INTEGRATION_GRANT_TYPES, type IntegrationAuthenticationMethod, type IntegrationGrantType } from './oauth.js';
import { IsPublicJwks, type ClientJwks } from './client-keys.js';
import { OffsetPage } from './pages.js';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

export const INTEGRATION_CHANGES = ['created', 'updated', 'secret_rotated', 'deleted'] as const;
export type IntegrationChange = (typeof INTEGRATION_CHANGES)[number];

@Doc('An inbound OAuth client: its settings and permissions (never its secret)')
export class IntegrationView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Shown in the console, the consent page and the audit log') @IsString() name: string;
  @Doc('Its client id at the token endpoint', { examples: ['tsr_1f0c5b7e2d9a4c6b8e3f7a1d5c9b2e4f'] }) @IsString() applicationId: string;
  @Doc('Where /oauth/authorize may send the browser back with a code') @IsArray() @IsString({ each: true }) redirectUris: string[];
  @Doc('A disabled integration gets no tokens') @IsBoolean() enabled: boolean;
  @Doc('Refresh tokens never expire by time, only when revoked or rotated') @IsBoolean() refreshTokensValidUntilRevoked: boolean;
  @Doc('What its tokens may be granted', { examples: [['*:orgs=read', 'acme:users=read']] }) @IsArray() @IsString({ each: true }) permissions: string[];
  @Doc('How long its access tokens last, in seconds') @IsInt() accessTokenTtlSeconds: number;
  @Doc('Seconds during which a just-rotated refresh token may be presented again; 0: never') @IsInt() refreshTokenReuseIntervalSeconds: number;
  @Doc('Whether client_credentials answers carry a refresh token') @IsBoolean() refreshTokensOnClientCredentials: boolean;
  @Doc('At most this many client_credentials tokens per hour; null: no quota') @Nullable() @IsInt() clientCredentialsTokensPerHour: number | null;
  @Doc('The grants it may use at the token endpoint') @IsArray() @IsIn(INTEGRATION_GRANT_TYPES, { each: true }) grantTypes: IntegrationGrantType[];
  @Doc('How it authenticates at the OAuth endpoints') @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS) tokenEndpointAuthMethod: IntegrationAuthenticationMethod;
  @Doc('private_key_jwt: its public keys, inline; null: none') @Nullable() @IsPublicJwks() jwks: ClientJwks | null;
  @Doc('private_key_jwt: where its public keys are published; null: none') @Nullable() @IsString() jwksUri: string | null;
  @Doc('Whether its access tokens are always DPoP-bound (RFC 9449 §5.2)') @IsBoolean() dpopBoundAccessTokens: boolean;
  @Doc('When it was created') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
}

/** The ready-to-paste client configuration: the block a Platform 6 (P6) instance reads from application.conf, and the same as environment variables. */
@Doc('The client configuration, ready to paste')
export class ClientConfiguration {
  @Doc(
    'The ready-to-paste `p6auth { client { id, secret, redirect.uri } }` block: the configuration block a Platform 6 (P6) instance reads from its application.conf',
  )
  @IsString()
  hocon: string;
  @Doc('The same as environment variables') @IsStringRecord() env: Record<string, string>;
}

/** Returned once, at creation and on rotation: the only time the secret is shown. */
@Doc('An integration with its app secret, shown this once (at creation and on rotation); none for private_key_jwt')
export class IntegrationWithSecret extends IntegrationView {
  @Secret()
  @Doc('Shown once: at creation and on rotation; absent for private_key_jwt (no shared secret)', { examples: ['<app secret>'] })
  @IsOptional()
  @IsString()
  appSecret?: string;
  @Doc('The ready-to-paste configuration; absent for private_key_jwt')
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientConfiguration)
  config?: ClientConfiguration;
}

@Doc('A page of integrations')
export class IntegrationPage extends OffsetPage {
  @Doc('The integrations on this page') @ValidateNested({ each: true }) @Type(() => IntegrationView) items: IntegrationView[];
}

@Doc('A permission and how many integrations hold it')
export class PermissionUsage {
  @Doc('A permission, as integrations hold it', { examples: ['*:orgs=read'] }) @IsString() permission: string;
  @Doc('How many integrations hold it') @IsInt() @Min(0) integrations: number;
}

@Doc('Every permission in use')
export class PermissionList {
  @Doc('Each permission with how many integrations hold it') @ValidateNested({ each: true }) @Type(() => PermissionUsage) items: PermissionUsage[];
}

@Doc("A keyed hash of one of a client's secrets")
export class SecretHash {
  @Secret() @Doc("HMAC-SHA-256 of the secret with the platform's pepper") @IsString() hash: string;
  @Doc('Until when a replaced secret still authenticates; null: no end') @Nullable() @IsTimestamp() validUntil: string | null;
}

/**
 * What auth-server needs to authenticate a client, asked of the registry over request/reply (never in an event).
 * Secrets are only ever present as keyed hashes (HMAC-SHA-256 with the platform's pepper).
 */
@Doc('What auth-server needs to authenticate a client (secrets only as keyed hashes)')
export class ClientCredentialsRecord {
  @Doc('The integration') @IsUUID('all') integrationId: string;
  @Doc('Its client id') @IsString() applicationId: string;
  @Doc('Its name') @IsString() name: string;
  @Secret() @Doc('The secrets that authenticate it now') @ValidateNested({ each: true }) @Type(() => SecretHash) secretHashes: SecretHash[];
  @Doc('A disabled integration gets no tokens') @IsBoolean() enabled: boolean;
  @Doc('What its tokens may be granted') @IsArray() @IsString({ each: true }) permissions: string[];
  @Doc('Where /oauth/authorize may send the browser back') @IsArray() @IsString({ each: true }) redirectUris: string[];
  @Doc('Refresh tokens never expire by time') @IsBoolean() refreshTokensValidUntilRevoked: boolean;
  @Doc('How long its access tokens last, in seconds') @IsInt() accessTokenTtlSeconds: number;
  @Doc('Seconds during which a just-rotated refresh token may be presented again') @IsInt() refreshTokenReuseIntervalSeconds: number;
  /**
   * The integration's revision: it goes up with every change. auth-server stamps it on the tokens it issues (claim
   * `cv`) and refuses to issue under a revision older than the latest change it was told of (ADR 0013).
   */
  @Doc('Goes up with every change; stamped on the tokens issued (claim `cv`)') @IsInt() revision: number;
  @Doc('Whether client_credentials answers carry a refresh token') @IsBoolean() refreshTokensOnClientCredentials: boolean;
  @Doc('At most this many client_credentials tokens per hour; null: no quota') @Nullable() @IsInt() clientCredentialsTokensPerHour: number | null;
  @Doc('The grants it may use') @IsArray() @IsIn(INTEGRATION_GRANT_TYPES, { each: true }) grantTypes: IntegrationGrantType[];
  @Doc('How it authenticates; a secret method accepts either secret method')
  @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS)
  tokenEndpointAuthMethod: IntegrationAuthenticationMethod;
  @Doc('private_key_jwt: its public keys, inline') @Nullable() @IsPublicJwks() jwks: ClientJwks | null;
  @Doc('private_key_jwt: where its public keys are published') @Nullable() @IsString() jwksUri: string | null;
  @Doc('Its access tokens are always DPoP-bound') @IsBoolean() dpopBoundAccessTokens: boolean;
}

/**
 * `tessera.events.registry.integration.*`: what changed, as facts. Each consumer decides what follows for it — auth-server,
 * for one, which tokens to revoke and why (disabled, deleted, permissions taken away, a secret replaced without grace).
 */
@Doc('The integration as it was before an update')
export class IntegrationBefore {
  @Doc('Whether it was enabled') @IsBoolean() enabled: boolean;
  @Doc('Its permissions') @IsArray() @IsString({ each: true }) permissions: string[];
}

@Doc('tessera.events.registry.integration.*: what changed, as facts')
export class IntegrationChangedEvent {
  @Doc('The integration') @IsString() integrationId: string;
  @Doc('Its client id') @IsString() applicationId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('Whether it is enabled') @IsBoolean() enabled: boolean;
  @Doc('Its permissions') @IsArray() @IsString({ each: true }) permissions: string[];
  @Doc('What happened') @IsIn(INTEGRATION_CHANGES) change: IntegrationChange;
  /** The integration's revision after this change (see ClientCredentialsRecord.revision). */
  @Doc("The integration's revision after this change") @IsInt() @Min(0) revision: number;
  /** `updated`: the integration as it was before this change. */
  @Doc('updated: the integration as it was before') @IsOptional() @ValidateNested() @Type(() => IntegrationBefore) previous?: IntegrationBefore;
  /** `secret_rotated`: until when the replaced secret still authenticates; null when it stopped at once. */
  @Doc('secret_rotated: until when the replaced secret still authenticates; null: it stopped at once')
  @IsOptional()
  @Nullable()
  @IsTimestamp()
  previousSecretValidUntil?: string | null;
}
