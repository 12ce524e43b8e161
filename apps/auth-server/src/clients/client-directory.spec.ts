import { randomUUID } from 'node:crypto';
import { BusError, type ClientCredentialsRecord } from '@tessera/contracts';
import { deriveKey, hmacSha256 } from '@tessera/crypto';
import type { Egress } from '@tessera/egress';
import { MemoryReplayCache, type Bus, type BusClient } from '@tessera/messaging';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../security/failure-limiter.js';
import { ClientAssertions } from './client-assertions.js';
import { ClientDirectory, StaleClientRecord } from './client-directory.js';
import { ClientKeySets } from './client-key-sets.js';

const masterKey = Buffer.alloc(32, 7);
const secret = 'the-app-secret';
const clock = { now: () => new Date(), uuid: () => randomUUID() };
const ISSUER = 'https://auth.example.com';

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
  const registry = {
    call: async (_subject: string, { applicationId }: { applicationId: string }) => {
      if (applicationId !== current.record.applicationId) throw BusError.notFound('Client', applicationId);
      return structuredClone(current.record);
    },
  } as unknown as BusClient;
  const bus = { replayCache: (_name: string, maxAgeMs: number) => new MemoryReplayCache(maxAgeMs) } as unknown as Bus;
  const assertions = new ClientAssertions(new ClientKeySets({} as Egress, clock), bus, ISSUER, clock);
  return new ClientDirectory(registry, new FailureLimiter(clock), assertions, masterKey, clock);
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

describe('client directory: private_key_jwt (RFC 7523 §2.2)', () => {
  const keys = generateKeyPair('ES256');
  async function setUp() {
    const { publicKey, privateKey } = await keys;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const current = { record: record({ tokenEndpointAuthMethod: 'private_key_jwt', secretHashes: [], jwks: { keys: [jwk as never] } }) };
    const sign = (claims: Record<string, unknown> = {}, alg = 'ES256', key: CryptoKey | Uint8Array = privateKey) =>
      new SignJWT({ jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg, kid: 'k1' })
        .setIssuer('app-1')
        .setSubject('app-1')
        .setAudience((claims.aud as string) ?? ISSUER)
        .setIssuedAt()
        .setExpirationTime((claims.exp as number) ?? '2m')
        .sign(key);
    return { directory: directoryOver(current), sign };
  }
  const assertion = (clientAssertion: string, clientId?: string) => ({ method: 'private_key_jwt' as const, clientAssertion, clientId });
  const refused = { code: 'oauth', details: { error: 'invalid_client' } };

  it('authenticates the client its assertion names, with or without client_id', async () => {
    const { directory, sign } = await setUp();
    await expect(directory.authenticate(assertion(await sign()), '10.0.0.1')).resolves.toMatchObject({ applicationId: 'app-1', authMethod: 'private_key_jwt' });
    await expect(directory.authenticate(assertion(await sign(), 'app-1'), '10.0.0.1')).resolves.toMatchObject({ applicationId: 'app-1' });
  });

  it('takes the token endpoint URL as audience too, and nothing else', async () => {
    const { directory, sign } = await setUp();
    await expect(directory.authenticate(assertion(await sign({ aud: `${ISSUER}/oauth/token` })), '10.0.0.2')).resolves.toMatchObject({
      applicationId: 'app-1',
    });
    await expect(directory.authenticate(assertion(await sign({ aud: 'https://elsewhere.example.com' })), '10.0.0.2')).rejects.toMatchObject(refused);
  });

  it('refuses an assertion used twice', async () => {
    const { directory, sign } = await setUp();
    const once = await sign();
    await directory.authenticate(assertion(once), '10.0.0.3');
    await expect(directory.authenticate(assertion(once), '10.0.0.3')).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/already used/) });
  });

  it('refuses one that lives for days, one signed with a shared-secret algorithm, and one naming another client', async () => {
    const { directory, sign } = await setUp();
    const days = Math.floor(Date.now() / 1000) + 3 * 86_400;
    await expect(directory.authenticate(assertion(await sign({ exp: days })), '10.0.0.4')).rejects.toMatchObject(refused);
    await expect(directory.authenticate(assertion(await sign({}, 'HS256', new Uint8Array(32))), '10.0.0.4')).rejects.toMatchObject(refused);
    await expect(directory.authenticate(assertion(await sign(), 'app-2'), '10.0.0.4')).rejects.toMatchObject(refused);
  });

  it('refuses an assertion from a client that authenticates with a secret', async () => {
    const { sign } = await setUp();
    const directory = directoryOver({ record: record({}) });
    await expect(directory.authenticate(assertion(await sign()), '10.0.0.5')).rejects.toMatchObject(refused);
  });
});
