import { randomUUID } from 'node:crypto';
import { BusError, type ClientCredentialsRecord } from '@tessera/contracts';
import { deriveKey, hmacSha256 } from '@tessera/crypto';
import type { BusClient } from '@tessera/messaging';
import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../security/failure-limiter.js';
import { ClientDirectory, StaleClientRecord } from './client-directory.js';

const masterKey = Buffer.alloc(32, 7);
const secret = 'the-app-secret';
const clock = { now: () => new Date(), uuid: () => randomUUID() };

function record(changes: Partial<ClientCredentialsRecord>): ClientCredentialsRecord {
  return {
    integrationId: 'i1',
    applicationId: 'app-1',
    name: 'crm',
    enabled: true,
    permissions: ['*:orgs=read'],
    redirectUris: [],
    secretHashes: [{ hash: hmacSha256(deriveKey(masterKey, 'client-secret-pepper'), secret), validUntil: null }],
    refreshTokensValidUntilRevoked: false,
    accessTokenTtlSeconds: 3600,
    refreshTokenReuseIntervalSeconds: 30,
    revision: 1,
    refreshTokensOnClientCredentials: true,
    clientCredentialsTokensPerHour: null,
    grantTypes: ['client_credentials'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    jwks: null,
    jwksUri: null,
    dpopBoundAccessTokens: false,
    ...changes,
  };
}

/** The registry's side of `registry.integration.credentials`: answers whatever the record is now. */
function directoryOver(current: { record: ClientCredentialsRecord }) {
  const registry = { call: async () => structuredClone(current.record) } as unknown as BusClient;
  return new ClientDirectory(registry, new FailureLimiter(clock), masterKey, clock);
}

const auth = { method: 'client_secret_basic' as const, clientId: 'app-1', clientSecret: secret };

describe('client directory: a refusal decided on a cached record', () => {
  it('is re-decided on a fresh record (StaleClientRecord) when the cached one says disabled', async () => {
    const current = { record: record({ enabled: false, revision: 2 }) };
    const directory = directoryOver(current);
    // Fetched afresh: the refusal is final.
    await expect(directory.authenticate(auth, '10.0.0.1')).rejects.toMatchObject({ code: 'oauth', details: { error: 'unauthorized_client' } });
    // Re-enabled at the registry; this replica's cache still holds the disabled record (its eviction not yet heard).
    current.record = record({ enabled: true, revision: 3 });
    await expect(directory.authenticate(auth, '10.0.0.1')).rejects.toBeInstanceOf(StaleClientRecord);
    // The caller evicts and asks again: the fresh record is enabled.
    directory.evict('app-1');
    await expect(directory.authenticate(auth, '10.0.0.1')).resolves.toMatchObject({ enabled: true, revision: 3, fromCache: false });
  });

  it('marks a client authenticated from the cache, so grant-type and scope refusals can be re-decided too', async () => {
    const directory = directoryOver({ record: record({}) });
    await expect(directory.authenticate(auth, '10.0.0.1')).resolves.toMatchObject({ fromCache: false });
    await expect(directory.authenticate(auth, '10.0.0.1')).resolves.toMatchObject({ fromCache: true });
  });

  it('still answers invalid_client for a wrong secret, cached or not', async () => {
    const directory = directoryOver({ record: record({}) });
    const wrong = { ...auth, clientSecret: 'wrong' };
    await expect(directory.authenticate(wrong, '10.0.0.1')).rejects.toBeInstanceOf(BusError);
    await expect(directory.authenticate(wrong, '10.0.0.1')).rejects.toMatchObject({ details: { error: 'invalid_client' } });
  });
});
