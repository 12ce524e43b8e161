import { describe, expect, it } from 'vitest';
import { publicJwksProblem } from './client-keys.js';
import { ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, clientAuthenticationMetadata, INTEGRATION_GRANT_TYPES, OAUTH_GRANTS } from './oauth.js';

describe('the grant and client authentication registry', () => {
  it('lists every declared grant, in declaration order', () => {
    expect(INTEGRATION_GRANT_TYPES).toEqual(Object.keys(OAUTH_GRANTS));
  });

  it('announces private_key_jwt with asymmetric algorithms only, at every endpoint that authenticates clients', () => {
    const metadata = clientAuthenticationMetadata();
    expect(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    for (const endpoint of ['token_endpoint', 'introspection_endpoint', 'revocation_endpoint'] as const) {
      expect(metadata[`${endpoint}_auth_methods_supported`]).toEqual(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS);
      expect(metadata[`${endpoint}_auth_signing_alg_values_supported`]).toContain('ES256');
      expect(metadata[`${endpoint}_auth_signing_alg_values_supported`].some((alg) => /^HS|^none$/.test(alg))).toBe(false);
    }
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256');
  });
});

describe('a pasted JWK Set', () => {
  const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' };
  it('takes public asymmetric keys', () => expect(publicJwksProblem({ keys: [ec] })).toBeUndefined());
  it('refuses a private key, naming the member', () => expect(publicJwksProblem({ keys: [{ ...ec, d: 'secret' }] })).toMatch(/private member "d"/));
  it('refuses a symmetric key', () => expect(publicJwksProblem({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).toMatch(/asymmetric/));
  it('refuses what is not a set', () => expect(publicJwksProblem([ec])).toMatch(/JWK Set/));
});
