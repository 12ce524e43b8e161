import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

/**
 * The keys this platform signs its client assertions with when it calls another platform (P2PI with private_key_jwt,
 * RFC 7523 §2.2): `next` is published but not used yet, `current` signs, `previous` stays published until every
 * assertion it signed has expired.
 */
export const PLATFORM_CLIENT_KEY_STATES = ['next', 'current', 'previous'] as const;
export type PlatformClientKeyState = (typeof PLATFORM_CLIENT_KEY_STATES)[number];

/** Where a platform publishes that JWKS: a Tessera extension member of its RFC 8414 metadata. */
export const CLIENT_JWKS_METADATA_MEMBER = 'tessera_client_jwks_uri';
export const CLIENT_JWKS_PATH = '/oauth/client-jwks';

@Doc("One of this platform's client keys (never its private part)")
export class PlatformClientKeyView {
  @Doc('Its key id: the RFC 7638 thumbprint') @IsString() kid: string;
  @Doc('The algorithm it signs with') @IsIn(['ES256']) alg: 'ES256';
  @Doc('next: published, not signing yet; current: signs; previous: published until its assertions have expired')
  @IsIn(PLATFORM_CLIENT_KEY_STATES)
  state: PlatformClientKeyState;
  @Doc('When it was made') @IsTimestamp() createdAt: string;
  @Doc('From when it signs') @IsTimestamp() activeFrom: string;
  @Doc('When it leaves the published JWKS; null: not planned') @Nullable() @IsTimestamp() retiresAt: string | null;
}

@Doc("This platform's client keys and where their public parts are published")
export class PlatformClientKeyList {
  @Doc('The keys, newest first') @ValidateNested({ each: true }) @Type(() => PlatformClientKeyView) items: PlatformClientKeyView[];
  @Doc('The JWKS URL other platforms register for this one (also in its metadata as tessera_client_jwks_uri)') @IsString() jwksUri: string;
}

@Doc('A new client key: published at once, signing after the overlap')
export class RotateClientKeyRequest {
  @Doc('Seconds between publishing the new key and signing with it, so the other platforms see it first (default 300: their JWKS cache)')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  activateAfterSeconds?: number;
}

@Doc('A client assertion to sign (RFC 7523 §2.2), for one request to another platform')
export class SignClientAssertionRequest {
  @Doc('The client id the other platform issued to this one: iss and sub') @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @Doc('The endpoint the assertion is sent to: its aud') @IsString() @MinLength(1) @MaxLength(2048) audience: string;
}

@Doc('A signed client assertion, good once and for a minute')
export class ClientAssertionReply {
  @Secret() @Doc('The JWT') @IsString() assertion: string;
}
