import { Inject, Injectable } from '@nestjs/common';
import { BusError, type OAuthErrorCode, type AuthorizationDecision, type AuthorizationPrompt, type AuthorizationRedirect } from '@tessera/contracts';
import { randomToken, tokenHash } from '@tessera/crypto';
import { beyondRole, beyondRoleMessage, grantScope } from '@tessera/permissions';
import type { Clock } from '@tessera/observability';
import { CLOCK, ISSUER } from '@tessera/runtime';
import { ClientDirectory } from '../clients/client-directory.js';
import type { ClientCredentialsRecord } from '@tessera/contracts';
import { isResourceIndicator } from '../tokens/grants/token-issuance.js';
import { AuthorizationCodeStore } from './authorization-code.store.js';

const CODE_LIFETIME_MS = 60_000;

/** An error that must not be sent to the redirect URI, because the client or the URI itself is not trusted. */
function notRedirectable(description: string) {
  return BusError.oauth('invalid_request', description, { redirect: false });
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): AuthorizationRedirect {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { redirectTo: url.toString() };
}

/**
 * The authorization endpoint's decisions (RFC 6749 §4.1 with PKCE S256 required, RFC 9207 `iss` on the response).
 * The gateway renders the login and consent pages; this service decides what they may lead to.
 */
@Injectable()
export class AuthorizationService {
  constructor(
    private readonly codes: AuthorizationCodeStore,
    private readonly clients: ClientDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  /** Validates an authorization request and says what the admin is asked to approve. */
  async prompt(params: Record<string, string>): Promise<AuthorizationPrompt> {
    const { client, redirectUri } = await this.trustedClient(params);
    const fail = (error: OAuthErrorCode, description: string) =>
      BusError.oauth(error, description, {
        redirect: true,
        redirectTo: redirectWith(redirectUri, { error, error_description: description, state: params.state, iss: this.issuer }).redirectTo,
      });
    if (params.response_type !== 'code') throw fail('unsupported_response_type', 'response_type must be code');
    if (!client.grantTypes.includes('authorization_code')) throw fail('unauthorized_client', 'This integration may not use the authorization_code grant');
    if (!params.code_challenge) throw fail('invalid_request', 'code_challenge is required (PKCE)');
    if ((params.code_challenge_method ?? 'plain') !== 'S256') throw fail('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge)) throw fail('invalid_request', 'code_challenge must be a base64url SHA-256 (43 characters)');
    if (params.state !== undefined && params.state.length > 1024) throw fail('invalid_request', 'state is too long');
    if (params.resource !== undefined && !isResourceIndicator(params.resource))
      throw fail('invalid_request', 'resource must be an absolute URI without a fragment');
    // A SHA-256 JWK thumbprint, base64url: anything else could never match a proof's key.
    if (params.dpop_jkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(params.dpop_jkt))
      throw fail('invalid_request', 'dpop_jkt must be a base64url SHA-256 JWK thumbprint (43 characters)');
    const decision = grantScope(client.permissions, params.scope);
    if ('rejected' in decision) throw fail('invalid_scope', `Not permitted for this client: ${decision.rejected.join(' ').slice(0, 300)}`);
    return { clientId: client.applicationId, clientName: client.name, redirectUri, scope: decision.granted, state: params.state };
  }

  /** The admin's answer: a single-use code (stored hashed) on approval, access_denied otherwise. */
  async decide(decision: AuthorizationDecision): Promise<AuthorizationRedirect> {
    const prompt = await this.prompt(decision.params);
    const iss = this.issuer;
    if (!decision.approved)
      return redirectWith(prompt.redirectUri, { error: 'access_denied', error_description: 'The administrator declined', state: prompt.state, iss });
    // Consent hands the client these permissions: an approver may hand on only what their own role covers.
    const beyond = beyondRole(decision.role, prompt.scope);
    if (beyond.length) throw new BusError('forbidden', beyondRoleMessage(decision.role, beyond, 'approve'), { permissions: beyond });
    const code = randomToken(32);
    await this.codes.insert({
      codeHash: tokenHash(code),
      clientId: prompt.clientId,
      redirectUri: prompt.redirectUri,
      scope: prompt.scope.join(' '),
      codeChallenge: decision.params.code_challenge,
      subject: decision.subject,
      resource: decision.params.resource ?? null,
      dpopJkt: decision.params.dpop_jkt ?? null,
      expiresAt: new Date(this.clock.now().getTime() + CODE_LIFETIME_MS),
      usedAt: null,
      familyId: null,
    });
    return redirectWith(prompt.redirectUri, { code, state: prompt.state, iss });
  }

  /** The client and redirect URI must check out before anything is sent to that URI (RFC 6749 §4.1.2.1). */
  private async trustedClient(params: Record<string, string>): Promise<{ client: ClientCredentialsRecord; redirectUri: string }> {
    if (!params.client_id) throw notRedirectable('client_id is required');
    const client = await this.clients.find(params.client_id);
    if (!client) throw notRedirectable('Unknown client_id');
    if (!client.enabled) throw notRedirectable('This integration is disabled');
    const redirectUri = params.redirect_uri;
    // Exact string match against a registered URI: no prefix or pattern matching (RFC 9700 §4.1.3).
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) throw notRedirectable('redirect_uri is missing or not registered for this client');
    return { client, redirectUri };
  }
}
