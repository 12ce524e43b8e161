import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ADMIN_ROLES, type AdminRole } from './admin-roles.js';
import { IsStringRecord } from './broker/common.js';
import { CLIENT_AUTHENTICATION_METHODS, type ClientAuthenticationMethod } from './oauth.js';
import { CursorPage } from './pages.js';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

const CNF_SCHEMA = { type: 'object', properties: { jkt: { type: 'string' } }, required: ['jkt'] };

/** How the client authenticated at the HTTP edge (RFC 6749 §2.3.1); the gateway only extracts, auth-server decides. */
@Doc('How the client authenticated at the HTTP edge (RFC 6749 §2.3.1), as the gateway extracted it')
export class ClientAuthentication {
  @Doc('HTTP Basic, form fields, a signed client assertion, or nothing')
  @IsIn(CLIENT_AUTHENTICATION_METHODS, { message: `method must be one of ${CLIENT_AUTHENTICATION_METHODS.join(', ')}` })
  method: ClientAuthenticationMethod;
  @Doc('The client id presented') @IsOptional() @IsString() clientId?: string;
  @Secret() @Doc('The secret presented (checked against its keyed hash, never stored)') @IsOptional() @IsString() clientSecret?: string;
  @Secret() @Doc('private_key_jwt: the client assertion presented (RFC 7523 §2.2)') @IsOptional() @IsString() @MaxLength(8192) clientAssertion?: string;
}

/** What every OAuth endpoint's message carries: the client's authentication and its address (for rate limits). */
@Doc("What every OAuth endpoint's message carries")
class OAuthEndpointMessage {
  @ValidateNested() @Type(() => ClientAuthentication) client: ClientAuthentication;
  @Doc("The caller's address (failure limits are per address)") @IsString() @MaxLength(200) address: string;
}

/** Token endpoint parameters as received (form fields, a flat map of strings), plus the client's authentication and address. */
@Doc('A token request as the gateway received it')
export class TokenRequest extends OAuthEndpointMessage {
  @Doc('The form fields, as sent') @IsStringRecord() params: Record<string, string>;
  @Doc('RFC 9449: the DPoP header, as sent (a proof of possession of the key the tokens are to be bound to)')
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  dpop?: string;
}

@Doc('RFC 6749 §5.1: the tokens issued')
export class TokenResponse {
  @Secret() @Doc('An RFC 9068 JWT (ES256)', { examples: ['<access token>'] }) @IsString() access_token: string;
  @Doc('Bearer, or DPoP when the request carried a DPoP proof (RFC 9449 §5): the token then works only with that key') @IsIn(['Bearer', 'DPoP']) token_type:
    'Bearer' | 'DPoP';
  @Doc('Seconds until the access token expires') @IsInt() @Min(1) expires_in: number;
  @Secret() @Doc('Opaque; rotated on every use', { examples: ['<refresh token>'] }) @IsOptional() @IsString() refresh_token?: string;
  @Doc('The permissions granted, space-separated', { examples: ['*:orgs=read acme:users=read'] }) @IsString() scope: string;
  @Doc('Admin sign-in with a one-time password: the token may only change the password (POST /admin/password)')
  @IsOptional()
  @IsIn([true])
  must_change_password?: true;
}

@Doc('A token to introspect or revoke, with how the client authenticated')
export class IntrospectionRequest extends OAuthEndpointMessage {
  @Secret() @Doc('The token') @IsString() token: string;
  @Doc('access_token or refresh_token: where to look first') @IsOptional() @IsString() tokenTypeHint?: string;
}

@Doc('RFC 7662 §2.2: an inactive token is only `{"active": false}`')
export class IntrospectionResponse {
  @Doc('Whether the token is valid now') @IsBoolean() active: boolean;
  @Doc('Its permissions, space-separated') @IsOptional() @IsString() scope?: string;
  @Doc('The client it was issued to') @IsOptional() @IsString() client_id?: string;
  @Doc('Its subject') @IsOptional() @IsString() sub?: string;
  @Doc("An access token's type (RFC 6749 §7.1), as the token endpoint answered it; absent for a refresh token")
  @IsOptional()
  @IsIn(['Bearer', 'DPoP'])
  token_type?: 'Bearer' | 'DPoP';
  @Doc('RFC 9449 §6.2: a DPoP-bound token names the key it is bound to (`jkt`, its RFC 7638 thumbprint)', { ...CNF_SCHEMA })
  @IsOptional()
  @Allow()
  cnf?: { jkt: string };
  @Doc('When it expires (seconds since the epoch)') @IsOptional() @IsInt() exp?: number;
  @Doc('When it was issued (seconds since the epoch)') @IsOptional() @IsInt() iat?: number;
  @Doc('Who issued it') @IsOptional() @IsString() iss?: string;
  @Doc('Who it is for', { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) @IsOptional() @Allow() aud?: string | string[];
  @Doc('Its id') @IsOptional() @IsString() jti?: string;
}

export type RevocationRequest = IntrospectionRequest;

@Doc('An administrator signing in')
export class AdminLoginRequest {
  @Doc('Their username') @IsString() @MaxLength(200) username: string;
  @Secret() @Doc('Their password (or a one-time password)', { format: 'password' }) @IsString() @MaxLength(1024) password: string;
}

/** The admin password policy: at least 12 characters, and not the username in any case. */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;

export function adminPasswordProblem(username: string, password: string): string | undefined {
  if ([...password].length < ADMIN_PASSWORD_MIN_LENGTH) return `The password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'The password must not be the username';
  return undefined;
}

@Doc('A new password for the administrator signed in')
export class ChangeAdminPasswordRequest {
  @Secret() @Doc('The password now (or the one-time password)', { format: 'password' }) @IsString() @MaxLength(1024) currentPassword: string;
  @Secret() @Doc('At least 12 characters, not the username', { format: 'password' }) @IsString() @MaxLength(1024) newPassword: string;
}

/** Sent by the gateway with the subject of the admin token that asked (never trusted from the body). */
@Doc('A password change, with who asked and from where')
export class ChangeAdminPasswordCommand extends ChangeAdminPasswordRequest {
  @Doc('The subject of the admin token that asked (never from the body)') @IsString() @MaxLength(200) subject: string;
  @Doc("The caller's address") @IsString() @MaxLength(200) address: string;
}

/** Revokes one admin token (POST /admin/logout): its jti, client and expiry, as the verifier read them. */
@Doc('The admin token to revoke, as the verifier read it')
export class AdminLogoutRequest {
  @Doc('Its id') @IsString() @MaxLength(200) jti: string;
  @Doc('Its client') @IsString() @MaxLength(200) clientId: string;
  @Doc('When it expires (seconds since the epoch)') @IsInt() exp: number;
  /** The session the token belongs to (its `fid`): signing out ends the session, not only this token. */
  @Doc('The session it belongs to (its `fid`): signing out ends the session') @IsOptional() @IsUUID('all') sessionId?: string;
  @Doc('Its subject') @IsOptional() @IsString() @MaxLength(300) subject?: string;
}

@Doc('A sign-in, with the address it came from')
export class AdminLoginCommand extends AdminLoginRequest {
  @Doc("The caller's address (failure limits are per address)") @IsString() @MaxLength(200) address: string;
}

@Doc('A public signing key (JWK, RFC 7517)')
export class PublicJsonWebKey {
  @Doc('Key type') @IsIn(['EC']) kty: 'EC';
  @Doc('Its id: the RFC 7638 thumbprint') @IsString() kid: string;
  @Doc('Curve') @IsIn(['P-256']) crv: 'P-256';
  @Doc('Public key x coordinate (base64url)') @IsString() x: string;
  @Doc('Public key y coordinate (base64url)') @IsString() y: string;
  @Doc('The algorithm it signs with') @IsIn(['ES256']) alg: 'ES256';
  @Doc('What it is for: signatures') @IsIn(['sig']) use: 'sig';
}

@Doc('The public signing keys (JWKS, RFC 7517 §5)')
export class JsonWebKeySet {
  @Doc('The keys tokens may be signed with now') @ValidateNested({ each: true }) @Type(() => PublicJsonWebKey) keys: PublicJsonWebKey[];
}

/** The authorization request of RFC 6749 §4.1.1 with PKCE (RFC 7636), as received at /oauth/authorize. */
@Doc('An authorization request (RFC 6749 §4.1.1, PKCE) as received at /oauth/authorize')
export class AuthorizationRequest {
  @Doc('The query parameters, as sent') @IsStringRecord() params: Record<string, string>;
}

@Doc('What the consent page shows')
export class AuthorizationPrompt {
  @Doc('The client asking') @IsString() clientId: string;
  @Doc('Its name') @IsString() clientName: string;
  @Doc('Where the answer goes') @IsString() redirectUri: string;
  @Doc('The permissions asked for') @IsString({ each: true }) scope: string[];
  @Doc("The client's state, returned with the answer") @IsOptional() @IsString() state?: string;
}

@Doc('An administrator approving or denying an authorization request')
export class AuthorizationDecision extends AuthorizationRequest {
  @Doc('The admin who consented (verified by the gateway from the admin session)') @IsString() @MaxLength(200) subject: string;
  @Doc('Their role (verified by the gateway from the admin session): nothing beyond it may be approved') @IsIn(ADMIN_ROLES) role: AdminRole;
  @Doc('Approved, or denied') @IsBoolean() approved: boolean;
}

@Doc('Where to send the browser with the answer')
export class AuthorizationRedirect {
  @Doc("The client's redirect URI with the code (or error), state and iss") @IsString() redirectTo: string;
}

/** The live grants, newest first, a page at a time: `cursor` is the `nextCursor` of the page before. */
@Doc('Which live grants to list, newest first, a page at a time')
export class ListFamiliesQuery {
  @Doc('At most this many (default 100)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @Doc('The nextCursor of the previous page')
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of the previous page' })
  cursor?: string;
}

@Doc("An integration's live grants, a page at a time")
export class ListFamiliesRequest extends ListFamiliesQuery {
  @Doc('The integration') @IsUUID('all') integrationId: string;
}

/** A chain of rotated refresh tokens from one grant: what an admin sees and revokes. */
@Doc('A grant: a chain of rotated refresh tokens')
export class RefreshTokenFamilyView {
  @Doc('Its id (the `fid` claim of its tokens)') @IsUUID('all') id: string;
  @Doc('The integration it was granted to') @IsUUID('all') integrationId: string;
  @Doc("The integration's client id") @IsString() clientId: string;
  @Doc('The permissions granted, space-separated') @IsString() scope: string;
  @Doc('The grant it came from') @IsString() grantType: string;
  @Doc('When it was granted') @IsTimestamp() createdAt: string;
  @Doc('When its refresh token was last used; null: never') @Nullable() @IsTimestamp() lastUsedAt: string | null;
  @Doc('When it expires; null: when revoked') @Nullable() @IsTimestamp() expiresAt: string | null;
}

@Doc("A page of an integration's live grants, newest first")
export class FamilyPage extends CursorPage {
  @Doc('The grants on this page') @ValidateNested({ each: true }) @Type(() => RefreshTokenFamilyView) items: RefreshTokenFamilyView[];
}

@Doc('Revoke every grant and access token of an integration')
export class RevokeAllFamiliesRequest {
  @Doc('The integration') @IsUUID('all') integrationId: string;
  @Doc('Its client id') @IsString() @MaxLength(256) clientId: string;
}

@Doc("Revoke one of an integration's grants")
export class RevokeFamilyRequest {
  @Doc('The integration') @IsUUID('all') integrationId: string;
  @Doc('The grant') @IsUUID('all') familyId: string;
}

/**
 * `tessera.events.auth.token.revoked`: never the token itself. A verifier rejects tokens whose `jti` or family (`fid`
 * claim) is named; an event naming only `clientId` revokes every token of that client issued up to `revokedAt`.
 */
export const TOKEN_REVOCATION_REASONS = [
  'api',
  'refresh_token_reuse',
  'code_replay',
  'integration_disabled',
  'integration_deleted',
  'permissions_narrowed',
  'admin',
  'secret_rotated',
  'logout',
  'password_changed',
  'password_reset',
  'role_changed',
  'user_deleted',
  'session_expired',
] as const;
export type TokenRevocationReason = (typeof TOKEN_REVOCATION_REASONS)[number];

@Doc('tessera.events.auth.token.revoked: tokens no verifier may accept any more')
export class TokenRevokedEvent {
  @Doc('One access token') @IsOptional() @IsString() jti?: string;
  @Doc('A grant: every token of it') @IsOptional() @IsString() familyId?: string;
  @Doc('The client') @IsString() clientId: string;
  @Doc('Why') @IsIn(TOKEN_REVOCATION_REASONS) reason: TokenRevocationReason;
  @Doc('When') @IsTimestamp() revokedAt: string;
  /**
   * Client-wide only: tokens of this client stamped with an integration revision (claim `cv`) below this one are
   * revoked, whenever and by whichever replica they were issued. Tokens without `cv` fall back to `iat <= revokedAt`.
   */
  @Doc('Client-wide: tokens stamped with a lower integration revision are revoked') @IsOptional() @IsInt() @Min(0) clientRevision?: number;
  /** After this instant no token the event covers can be valid, so verifiers may forget the entry. */
  @Doc('After this, no token the event covers can be valid') @IsTimestamp() expiresAt: string;
}

/** `tessera.events.auth.token.issued`: an access token (and refresh token) was issued. Never the token itself. */
@Doc('tessera.events.auth.token.issued: an access token (and refresh token) was issued, never the token itself')
export class TokenIssuedEvent {
  @Doc('The access token id') @IsString() jti: string;
  /** Absent when no refresh token was issued (an integration that takes none on client_credentials). */
  @Doc('Its grant; absent when no refresh token was issued') @IsOptional() @IsString() familyId?: string;
  @Doc('The client') @IsString() clientId: string;
  @Doc('The integration') @IsString() integrationId: string;
  @Doc('The grant type') @IsString() grantType: string;
  @Doc('The scope') @IsString() scope: string;
  /** When the access token expires. */
  @Doc('When the access token expires') @IsTimestamp() expiresAt: string;
}
