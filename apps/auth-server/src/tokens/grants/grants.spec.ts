import { BusError, type ClientCredentialsRecord } from '@tessera/contracts';
import type { Bus } from '@tessera/messaging';
import { describe, expect, it } from 'vitest';
import type { AuthenticatedClient } from '../../clients/client-directory.js';
import { StaleClientRecord } from '../../clients/client-directory.js';
import type { SigningKeysService } from '../../keys/signing-keys.service.js';
import type { RotationState } from '../refresh-token-family.store.js';
import type { TokenMetrics } from '../token-metrics.js';
import { isCodeVerifier, verifierMatches } from './authorization-code.grant.js';
import { narrowedScope, withinReuseInterval } from './refresh-token.grant.js';
import { isResourceIndicator, TokenIssuance, type Grant } from './token-issuance.js';

// Each grant's decisions, without a database or a bus: what the token endpoint's end-to-end tests also prove through
// HTTP, here one rule at a time.

const ISSUER = 'https://tessera.example';
const NOW = new Date('2026-12-07T12:00:00Z');

function client(changes: Partial<ClientCredentialsRecord & AuthenticatedClient> = {}): AuthenticatedClient {
  return {
    integrationId: 'i1',
    applicationId: 'app-1',
    name: 'crm',
    enabled: true,
    permissions: ['*:orgs=read', '*:users=read'],
    redirectUris: [],
    secretHashes: [],
    refreshTokensValidUntilRevoked: false,
    accessTokenTtlSeconds: 3600,
    refreshTokenReuseIntervalSeconds: 30,
    revision: 4,
    refreshTokensOnClientCredentials: true,
    clientCredentialsTokensPerHour: null,
    grantTypes: ['client_credentials', 'refresh_token', 'authorization_code'],
    authMethod: 'client_secret_basic',
    fromCache: false,
    ...changes,
  } as AuthenticatedClient;
}

/** The OAuth error code a decision refused with. */
function refusedWith(decide: () => unknown): string | undefined {
  try {
    decide();
  } catch (error) {
    if (error instanceof BusError) return (error.details as { error?: string }).error;
    if (error instanceof StaleClientRecord) return 'stale';
    throw error;
  }
  return undefined;
}

describe('authorization_code: PKCE (RFC 7636, S256 only)', () => {
  // RFC 7636 appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('accepts the RFC example verifier against its challenge, and nothing else', () => {
    expect(verifierMatches(verifier, challenge)).toBe(true);
    expect(verifierMatches(`${verifier.slice(0, -1)}A`, challenge)).toBe(false);
    // `plain` is not accepted: the verifier itself is not its own challenge.
    expect(verifierMatches(verifier, verifier)).toBe(false);
  });

  it('takes 43 to 128 unreserved characters as a verifier', () => {
    expect(isCodeVerifier(verifier)).toBe(true);
    expect(isCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}=`)).toBe(false);
    expect(isCodeVerifier('-._~'.repeat(11))).toBe(true);
  });
});

describe('refresh_token: the scope of a refresh (RFC 6749 §6)', () => {
  const original = '*:orgs=read *:users=read';

  it('keeps the original scope when none is asked for', () => {
    expect(narrowedScope(original, undefined, client()).split(' ').sort()).toEqual(['*:orgs=read', '*:users=read']);
  });

  it('narrows to a part of the original grant', () => {
    expect(narrowedScope(original, '*:orgs=read', client())).toBe('*:orgs=read');
  });

  it('refuses anything outside the original grant with invalid_scope, even when the integration now holds it', () => {
    expect(refusedWith(() => narrowedScope('*:orgs=read', '*:users=read', client()))).toBe('invalid_scope');
  });

  it('refuses with invalid_grant when the integration no longer holds what the grant had', () => {
    expect(refusedWith(() => narrowedScope(original, undefined, client({ permissions: ['*:orgs=read'] })))).toBe('invalid_grant');
  });
});

describe('refresh_token: the reuse interval (a retry after a lost answer is not re-use)', () => {
  const rotated = (secondsAgo: number, changes: Partial<RotationState> = {}): RotationState => ({
    rotated_at: new Date(NOW.getTime() - secondsAgo * 1000),
    superseded_at: null,
    replaced_by: 'successor-hash',
    successor_rotated_at: null,
    successor_superseded_at: null,
    client_revision: null,
    ...changes,
  });

  it('is a retry within the interval while the successor is unused', () => {
    expect(withinReuseInterval(rotated(29), 30, NOW)).toBe(true);
  });

  it('is re-use once the interval has passed, counted from the first rotation', () => {
    expect(withinReuseInterval(rotated(30), 30, NOW)).toBe(false);
    expect(withinReuseInterval(rotated(3600), 30, NOW)).toBe(false);
  });

  it('is re-use once the successor was used or superseded, however soon', () => {
    expect(withinReuseInterval(rotated(1, { successor_rotated_at: NOW }), 30, NOW)).toBe(false);
    expect(withinReuseInterval(rotated(1, { successor_superseded_at: NOW }), 30, NOW)).toBe(false);
  });

  it('is never a retry with an interval of 0, or for a token that was not rotated', () => {
    expect(withinReuseInterval(rotated(0), 0, NOW)).toBe(false);
    expect(withinReuseInterval(rotated(1, { rotated_at: null, replaced_by: null }), 30, NOW)).toBe(false);
  });
});

describe('what every grant shares: scope, audience, the family, the answer', () => {
  const signed: Record<string, unknown>[] = [];
  const notified: unknown[] = [];
  const issuance = new TokenIssuance(
    { sign: async (claims: Record<string, unknown>) => (signed.push(claims), 'signed.jwt.token') } as unknown as SigningKeysService,
    { now: () => NOW, uuid: () => '00000000-0000-4000-8000-000000000001' },
    ISSUER,
    { notify: (event: unknown) => notified.push(event) } as unknown as Bus,
    { issued: () => undefined } as unknown as TokenMetrics,
  );
  const grant = (changes: Partial<Grant> = {}): Grant => ({
    client: client(),
    subject: 'app-1',
    scope: '*:orgs=read',
    grantType: 'client_credentials',
    audience: ISSUER,
    ...changes,
  });

  it('grants the asked scope within the permissions, all of them when none is asked for', () => {
    expect(issuance.scopeFor(client(), '*:orgs=read')).toBe('*:orgs=read');
    expect(issuance.scopeFor(client(), undefined).split(' ').sort()).toEqual(['*:orgs=read', '*:users=read']);
  });

  it('refuses a scope beyond the permissions, and an integration without any, with invalid_scope', () => {
    expect(refusedWith(() => issuance.scopeFor(client(), '*:orgs=write'))).toBe('invalid_scope');
    expect(refusedWith(() => issuance.scopeFor(client({ permissions: [] }), undefined))).toBe('invalid_scope');
  });

  it('decides a refusal again on a fresh record when the one it had came from the cache', () => {
    expect(refusedWith(() => issuance.scopeFor(client({ fromCache: true }), '*:orgs=write'))).toBe('stale');
  });

  it('addresses the token to the issuer, or to a resource named by an absolute URI without a fragment (RFC 8707)', () => {
    expect(issuance.audience({})).toBe(ISSUER);
    expect(issuance.audience({ resource: 'https://api.example/v1' })).toBe('https://api.example/v1');
    expect(refusedWith(() => issuance.audience({ resource: '/relative' }))).toBe('invalid_request');
    expect(refusedWith(() => issuance.audience({ resource: 'https://api.example/#frag' }))).toBe('invalid_request');
    expect(isResourceIndicator(`https://api.example/${'a'.repeat(2048)}`)).toBe(false);
  });

  it('stores a refresh token only as its hash, expiring after 28 days unless valid until revoked', () => {
    const family = issuance.newFamily(grant(), 'family-1', 'the-refresh-token');
    expect(family.tokenHash).not.toContain('the-refresh-token');
    expect(family.tokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(family.expiresAt).toEqual(new Date(NOW.getTime() + 28 * 86_400_000));
    expect(family.clientRevision).toBe(4);
    const forever = issuance.newFamily(grant({ client: client({ refreshTokensValidUntilRevoked: true }) }), 'family-2', 'r');
    expect(forever.expiresAt).toBeNull();
  });

  it('signs the claims a verifier needs, stamped with the integration revision, and answers RFC 6749 §5.1', async () => {
    const access = await issuance.accessToken(grant(), 'family-1');
    const iat = Math.floor(NOW.getTime() / 1000);
    expect(signed.at(-1)).toEqual({
      iss: ISSUER,
      sub: 'app-1',
      aud: ISSUER,
      client_id: 'app-1',
      scope: '*:orgs=read',
      jti: '00000000-0000-4000-8000-000000000001',
      iat,
      exp: iat + 3600,
      fid: 'family-1',
      cv: 4,
    });
    expect(issuance.response(access, grant(), 'refresh')).toEqual({
      access_token: 'signed.jwt.token',
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: 'refresh',
      scope: '*:orgs=read',
    });
    expect(issuance.response(access, grant())).not.toHaveProperty('refresh_token');
  });

  it('announces who got what, never the token', () => {
    issuance.announceIssued(grant(), { token: 'signed.jwt.token', expiresIn: 3600, jti: 'j1', exp: 1 }, 'family-1');
    expect(JSON.stringify(notified.at(-1))).not.toContain('signed.jwt.token');
    expect(notified.at(-1)).toMatchObject({ data: { jti: 'j1', familyId: 'family-1', clientId: 'app-1', grantType: 'client_credentials' } });
  });
});
