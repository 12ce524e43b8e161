import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Doc, IsTimestamp, Secret } from '../schema.js';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from './vocabulary.js';

/**
 * A Google service-account key file, as Google hands it out (JSON). The broker takes the four fields the JWT bearer
 * grant needs; the private key is sealed and never shown again. The file's other fields are accepted and ignored, so
 * the file can be pasted as it is.
 */
@Doc('A Google service-account key file (JSON), as downloaded: the private key is sealed and never shown again')
export class ServiceAccountKey {
  @Doc('service_account') @IsOptional() @IsIn(['service_account'], { message: 'type must be service_account' }) type?: string;
  @Doc("The service account's email: the assertion's issuer") @IsEmail({}, { message: 'client_email must be an email address' }) client_email: string;
  @Secret()
  @Doc('Its private key, PEM (write-only)')
  @IsString()
  @MaxLength(10_000)
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'private_key must be a PEM private key (-----BEGIN PRIVATE KEY-----)' })
  private_key: string;
  @Doc("The key's id: the assertion's kid") @IsString() @MinLength(1) @MaxLength(200) private_key_id: string;
  @Doc("Google's token endpoint: where the assertion goes, and its audience")
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'token_uri must be an http(s) URL' })
  @MaxLength(2048)
  token_uri: string;
  @Doc('Ignored') @IsOptional() @IsString() project_id?: string;
  @Doc('Ignored') @IsOptional() @IsString() client_id?: string;
  @Doc('Ignored') @IsOptional() @IsString() auth_uri?: string;
  @Doc('Ignored') @IsOptional() @IsString() auth_provider_x509_cert_url?: string;
  @Doc('Ignored') @IsOptional() @IsString() client_x509_cert_url?: string;
  @Doc('Ignored') @IsOptional() @IsString() universe_domain?: string;
}

/** One public key of a provider's signing key pair, as the view shows it (the key itself is at jwksUrl). */
@Doc("One of a provider's signing keys (its public half is published at jwksUrl)")
export class AssertionKeyView {
  @Doc('Its kid') @IsString() kid: string;
  @Doc('Its algorithm') @IsIn(ASSERTION_ALGORITHMS) alg: AssertionAlgorithm;
  @Doc('Whether assertions are signed with it now (the other one is the previous key, kept published while the rotation settles)')
  @IsBoolean()
  signing: boolean;
  @Doc('Whether the broker made it (false: given as assertionKey or in a service-account file)') @IsBoolean() generated: boolean;
  @Doc('When it was made or given') @IsTimestamp() createdAt: string;
}

/** A JWK Set of public keys only (RFC 7517 §5). */
@Doc("A provider's public signing keys (RFC 7517 JWK Set), to register at the provider")
export class ProviderJwks {
  @Doc('The public keys') keys: Record<string, unknown>[];
}
