import { Egress, EgressPolicy } from '@tessera/egress';
import { describe, expect, it } from 'vitest';
import { AuthorizationCodeClient, StateRefusedError, type AuthorizationCodeProvider, type StateHooks } from './authorization-code-client.js';

const provider: AuthorizationCodeProvider = {
  id: 'p1',
  version: '1',
  authorizationUrl: 'https://idp.test/authorize',
  tokenUrl: 'https://idp.test/token',
  client: { clientId: 'client one', clientSecret: 's', method: 'client_secret_basic' },
  endpoint: {},
  pkce: true,
  scopeSeparator: ',',
  authorizationParams: { access_type: 'offline' },
  tokenParams: {},
  accessTokenPath: 'access_token',
  timeoutMs: 1000,
};

function hooks(saved: (string | undefined)[]): StateHooks {
  return {
    save: async (verifier) => (saved.push(verifier), 'S'.repeat(16)),
    consume: async () => ({ ok: false, reason: 'authorization state was already used (replayed redirect)' }),
  };
}

describe('AuthorizationCodeClient', () => {
  const client = new AuthorizationCodeClient('https://tessera.test/oauth/callback', new Egress(new EgressPolicy(false)));

  it('builds the redirect through passport-oauth2: PKCE S256 whose verifier is handed to the state store, prompt, extra params, literal scope separator', async () => {
    const saved: (string | undefined)[] = [];
    const url = await client.authorizationUrl(provider, { scopes: ['a:read', 'b'], prompt: 'select_account' }, hooks(saved));
    const params = new URL(url).searchParams;
    expect(url).toContain('&scope=a%3Aread,b');
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: 'client one',
      redirect_uri: 'https://tessera.test/oauth/callback',
      state: 'SSSSSSSSSSSSSSSS',
      prompt: 'select_account',
      access_type: 'offline',
      code_challenge_method: 'S256',
    });
    expect(saved[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { createHash } = await import('node:crypto');
    expect(params.get('code_challenge')).toBe(createHash('sha256').update(saved[0]!).digest('base64url'));
  });

  it('rebuilds the strategy when the provider record changes (a new version)', async () => {
    await client.authorizationUrl(provider, { scopes: [] }, hooks([]));
    const edited = await client.authorizationUrl(
      { ...provider, version: '2', authorizationUrl: 'https://idp.test/v2/authorize', pkce: false },
      { scopes: [] },
      hooks([]),
    );
    expect(edited.startsWith('https://idp.test/v2/authorize?')).toBe(true);
    expect(edited).not.toContain('code_challenge');
  });

  it('refuses a state the store will not consume, before any code exchange', async () => {
    await expect(client.exchange(provider, { code: 'c', state: 'S' }, hooks([]))).rejects.toThrow(StateRefusedError);
  });
});
