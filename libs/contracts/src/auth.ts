import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsStringRecord } from './broker/common.js';

export const CLIENT_AUTHENTICATION_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;

/** How the client authenticated at the HTTP edge (RFC 6749 §2.3.1); the gateway only extracts, auth-server decides. */
export class ClientAuthentication {
  @IsIn(CLIENT_AUTHENTICATION_METHODS, { message: `method must be one of ${CLIENT_AUTHENTICATION_METHODS.join(', ')}` })
  method: (typeof CLIENT_AUTHENTICATION_METHODS)[number];
  @IsOptional() @IsString() clientId?: string;
  @IsOptional() @IsString() clientSecret?: string;
}

/** What every OAuth endpoint's message carries: the client's authentication and its address (for rate limits). */
class OAuthEndpointMessage {
  @ValidateNested() @Type(() => ClientAuthentication) client: ClientAuthentication;
  @IsString() @MaxLength(200) address: string;
}

/** Token endpoint parameters as received (form fields, a flat map of strings), plus the client's authentication and address. */
export class TokenRequest extends OAuthEndpointMessage {
  @IsStringRecord() params: Record<string, string>;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
  /** Admin sign-in with a one-time password: the token may only change the password (POST /admin/password). */
  must_change_password?: true;
}

export class IntrospectionRequest extends OAuthEndpointMessage {
  @IsString() token: string;
  @IsOptional() @IsString() tokenTypeHint?: string;
}

/** RFC 7662 §2.2. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  sub?: string;
  token_type?: 'access_token' | 'refresh_token';
  exp?: number;
  iat?: number;
  iss?: string;
  aud?: string | string[];
  jti?: string;
}

export type RevocationRequest = IntrospectionRequest;

export class AdminLoginRequest {
  @IsString() @MaxLength(200) username: string;
  @IsString() @MaxLength(1024) password: string;
}

/** The admin password policy (issue 11): at least 12 characters, and not the username in any case. */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;

export function adminPasswordProblem(username: string, password: string): string | undefined {
  if ([...password].length < ADMIN_PASSWORD_MIN_LENGTH) return `The password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'The password must not be the username';
  return undefined;
}

export class ChangeAdminPasswordRequest {
  @IsString() @MaxLength(1024) currentPassword: string;
  @IsString() @MaxLength(1024) newPassword: string;
}

/** Sent by the gateway with the subject of the admin token that asked (never trusted from the body). */
export class ChangeAdminPasswordCommand extends ChangeAdminPasswordRequest {
  @IsString() @MaxLength(200) subject: string;
  @IsString() @MaxLength(200) address: string;
}

/** Revokes one admin token (POST /admin/logout): its jti, client and expiry, as the verifier read them. */
export class AdminLogoutRequest {
  @IsString() @MaxLength(200) jti: string;
  @IsString() @MaxLength(200) clientId: string;
  @IsInt() exp: number;
  /** The session the token belongs to (its `fid`): signing out ends the session, not only this token. */
  @IsOptional() @IsUUID('all') sessionId?: string;
  @IsOptional() @IsString() @MaxLength(300) subject?: string;
}

export class AdminLoginCommand extends AdminLoginRequest {
  @IsString() @MaxLength(200) address: string;
}

export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}

/** The authorization request of RFC 6749 §4.1.1 with PKCE (RFC 7636), as received at /oauth/authorize. */
export class AuthorizationRequest {
  @IsStringRecord() params: Record<string, string>;
}

export interface AuthorizationPrompt {
  clientId: string;
  clientName: string;
  redirectUri: string;
  scope: string[];
  state?: string;
}

export class AuthorizationDecision extends AuthorizationRequest {
  /** The admin who consented (verified by the gateway from the admin session). */
  @IsString() @MaxLength(200) subject: string;
  @IsBoolean() approved: boolean;
}

export interface AuthorizationRedirect {
  redirectTo: string;
}

/** The live grants, newest first, a page at a time: `cursor` is the `nextCursor` of the page before. */
export class ListFamiliesQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of the previous page' }) cursor?: string;
}

export class ListFamiliesRequest extends ListFamiliesQuery {
  @IsUUID('all') integrationId: string;
}

export interface FamilyPage {
  items: RefreshTokenFamilyView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class RevokeAllFamiliesRequest {
  @IsUUID('all') integrationId: string;
  @IsString() @MaxLength(256) clientId: string;
}

export class RevokeFamilyRequest {
  @IsUUID('all') integrationId: string;
  @IsUUID('all') familyId: string;
}

export class RevokeFamilyReason {
  @IsOptional() @IsString() @IsIn(['admin']) reason?: string;
}

/** A chain of rotated refresh tokens from one grant: what an admin sees and revokes. */
export interface RefreshTokenFamilyView {
  id: string;
  integrationId: string;
  clientId: string;
  scope: string;
  grantType: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/**
 * `tessera.events.token.revoked`: never the token itself. A verifier rejects tokens whose `jti` or family (`fid`
 * claim) is named; an event naming only `clientId` revokes every token of that client issued up to `revokedAt`.
 */
export interface TokenRevokedEvent {
  jti?: string;
  familyId?: string;
  clientId: string;
  reason:
    | 'api'
    | 'refresh_token_reuse'
    | 'code_replay'
    | 'integration_disabled'
    | 'integration_deleted'
    | 'permissions_narrowed'
    | 'admin'
    | 'secret_rotated'
    | 'logout'
    | 'password_changed'
    | 'password_reset'
    | 'role_changed'
    | 'user_deleted'
    | 'session_expired';
  revokedAt: string;
  /**
   * Client-wide only: tokens of this client stamped with an integration revision (claim `cv`) below this one are
   * revoked, whenever and by whichever replica they were issued. Tokens without `cv` fall back to `iat <= revokedAt`.
   */
  clientRevision?: number;
  /** After this instant no token the event covers can be valid, so verifiers may forget the entry. */
  expiresAt: string;
}

/** `tessera.events.token.issued`: an access token (and refresh token) was issued. Never the token itself. */
export interface TokenIssuedEvent {
  jti: string;
  /** Absent when no refresh token was issued (an integration that takes none on client_credentials). */
  familyId?: string;
  clientId: string;
  integrationId: string;
  grantType: string;
  scope: string;
  /** When the access token expires. */
  expiresAt: string;
}
