import { createPrivateKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientAssertionSigner } from './client-assertion-signer.js';
import { needsSigningKey } from './provider-signing-keys.js';
import { generateSigningKey } from './signing-key.js';

const platform = (clientId: string) => (audience: string) => Promise.resolve(`platform:${clientId}:${audience}`);

describe('who signs a provider’s client assertions', () => {
  it('the platform’s client key when the provider says platform, with no key of its own needed', async () => {
    const provider = { clientId: 'app', clientAuthMethod: 'private_key_jwt', assertionSigner: 'platform', grantType: 'authorization_code' } as const;
    expect(await clientAssertionSigner(provider, null, platform)!('https://two.example/oauth/token')).toBe('platform:app:https://two.example/oauth/token');
    expect(needsSigningKey(provider)).toBe(false);
    // jwt_bearer signs its grant with the provider's own key whoever signs the client assertions.
    expect(needsSigningKey({ ...provider, grantType: 'jwt_bearer' })).toBe(true);
  });

  it('the provider’s own key otherwise: iss and sub the client id, aud as asked; none without a key or for a secret method', async () => {
    const key = await generateSigningKey('ES256', new Date());
    const opened = { privateKey: createPrivateKey(key.privatePem), alg: key.stored.alg, kid: key.stored.kid };
    const provider = { clientId: 'app', clientAuthMethod: 'private_key_jwt', assertionSigner: 'provider', grantType: 'client_credentials' } as const;
    expect(needsSigningKey(provider)).toBe(true);
    const assertion = await clientAssertionSigner(provider, opened, platform)!('https://idp.example/token');
    const { payload } = await jwtVerify(assertion, createLocalJWKSet({ keys: [key.stored.publicJwk] }), { audience: 'https://idp.example/token' });
    expect(payload).toMatchObject({ iss: 'app', sub: 'app' });
    expect(clientAssertionSigner(provider, null, platform)).toBeUndefined();
    expect(clientAssertionSigner({ ...provider, clientAuthMethod: 'client_secret_basic' }, opened, platform)).toBeUndefined();
  });
});
