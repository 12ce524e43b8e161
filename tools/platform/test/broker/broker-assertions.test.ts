import { generateKeyPairSync } from 'node:crypto';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * Assertions the broker signs (RFC 7523): the JWT bearer grant from a Google-style service-account key file, and
 * private_key_jwt with a key pair the broker makes. The fake provider checks every assertion with jose against the JWKS
 * it fetches from the gateway's public URL, as a real provider that registered that URL would.
 */
let p: SharedPlatform;
let google: FakeOAuthProvider;
let oidc: FakeOAuthProvider;
beforeAll(async () => {
  google = await new FakeOAuthProvider().start();
  oidc = await new FakeOAuthProvider().start();
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  await google?.stop();
  await oidc?.stop();
});

interface KeyView {
  kid: string;
  alg: string;
  signing: boolean;
  generated: boolean;
}
interface ProviderView {
  id: string;
  grantType: string;
  clientId: string;
  tokenUrl: string;
  assertionKeyId: string | null;
  assertionKeys: KeyView[];
  jwksUrl: string | null;
}
type TokenView = { id: string; state: string };

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
// The base64 body of the key: what must never come back in any form.
const KEY_BODY = PRIVATE_PEM.split('\n')[5];

const keyFile = (tokenUri: string) => ({
  type: 'service_account',
  project_id: 'assertions-project',
  private_key_id: 'sa-key-1',
  private_key: PRIVATE_PEM,
  client_email: 'robot@assertions-project.iam.gserviceaccount.com',
  client_id: '1234567890',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: tokenUri,
  auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
  client_x509_cert_url: 'https://www.googleapis.com/robot/v1/metadata/x509/robot',
  universe_domain: 'googleapis.com',
});

const accessToken = async (name: string) => (await p.http<{ access_token: string }>('GET', `/tokens/${name}`)).body.access_token;

describe('the JWT bearer grant with a Google service-account key file', () => {
  it('takes the file over REST, gets a token with a signed assertion, renews it with a new one, and never shows the key', async () => {
    const created = await p.http<ProviderView>('POST', '/admin/providers', {
      name: 'assertions-google',
      serviceAccount: keyFile(`${google.url}/token`),
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      refreshBufferSeconds: 2,
    });
    expect(created.status, created.text).toBe(201);
    const provider = created.body;
    expect(provider).toMatchObject({
      grantType: 'jwt_bearer',
      clientId: 'robot@assertions-project.iam.gserviceaccount.com',
      tokenUrl: `${google.url}/token`,
      assertionKeyId: 'sa-key-1',
      assertionKeys: [{ kid: 'sa-key-1', alg: 'RS256', signing: true, generated: false }],
      jwksUrl: `${p.url}/providers/${provider.id}/jwks.json`,
    });
    // The provider checks what the broker signs against the keys the gateway publishes.
    google.behaviour.jwksUrl = provider.jwksUrl!;
    const jwks = await fetch(provider.jwksUrl!);
    expect(jwks.status).toBe(200);
    const published = (await jwks.json()) as { keys: Record<string, unknown>[] };
    expect(published.keys).toEqual([expect.objectContaining({ kid: 'sa-key-1', alg: 'RS256', kty: 'RSA', use: 'sig' })]);
    expect(published.keys[0]).not.toHaveProperty('d');

    // The first token comes at once; the provider answers a lifetime of seconds, so the scheduler renews it soon —
    // with a new assertion, as there is no refresh token.
    google.behaviour.expiresIn = 4;
    const token = await p.http<TokenView>('POST', '/admin/tokens', { name: 'assertions-google-token', providerId: provider.id });
    expect(token.status, token.text).toBe(201);
    await eventually(async () => expect((await p.http<TokenView>('GET', `/admin/tokens/${token.body.id}`)).body.state).toBe('valid'));
    const first = await accessToken('assertions-google-token');
    expect(google.accessTokens.has(first)).toBe(true);
    const grant = google.assertions.find((a) => a.kind === 'grant')!;
    expect(grant.header).toMatchObject({ alg: 'RS256', kid: 'sa-key-1' });
    expect(grant.payload).toMatchObject({
      iss: 'robot@assertions-project.iam.gserviceaccount.com',
      aud: `${google.url}/token`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    expect(grant.payload).not.toHaveProperty('sub');
    expect(grant.payload.exp! - grant.payload.iat!).toBeLessThanOrEqual(300);
    const request = google.tokenRequests.at(-1)!;
    expect(Object.keys(request.params).sort()).toEqual(['assertion', 'grant_type']);
    expect(request.params.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');

    google.behaviour.expiresIn = 3600;
    await eventually(async () => expect(await accessToken('assertions-google-token')).not.toBe(first), 20_000, 200);
    expect(google.tokenRequests.filter((r) => r.params.refresh_token)).toEqual([]);
    const grants = google.assertions.filter((a) => a.kind === 'grant');
    expect(grants.length).toBeGreaterThanOrEqual(2);
    expect(new Set(grants.map((a) => a.payload.jti)).size).toBe(grants.length);

    // The key is nowhere to be read: not in the view, the list, the audit log, the events, nor in clear in the row.
    const shown = [
      (await p.http('GET', `/admin/providers/${provider.id}`)).text,
      (await p.http('GET', '/admin/providers?limit=500')).text,
      (await p.http('GET', `/admin/audit?target=${provider.id}`)).text,
      JSON.stringify(p.events.events),
      created.text,
    ];
    for (const text of shown) {
      expect(text).not.toContain(KEY_BODY);
      expect(text).not.toContain('PRIVATE KEY');
    }
    const [row] = await p.db.query('SELECT * FROM broker.provider WHERE id = $1', [provider.id]);
    expect(JSON.stringify(row)).not.toContain(KEY_BODY);
    expect(p.openSealed(row.signing_key_sealed as string, provider.id, 'signing_key')).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses a key file with missing or wrong fields, and a key that is not one, with 400 and field messages', async () => {
    const { client_email: _email, ...noEmail } = keyFile(`${google.url}/token`);
    const bad = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'assertions-bad-file',
      serviceAccount: { ...noEmail, private_key: 'not a key', token_uri: 'ftp://x' },
    });
    expect(bad.status, bad.text).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['serviceAccount.client_email', 'serviceAccount.private_key', 'serviceAccount.token_uri']);
    expect(bad.text).not.toContain(KEY_BODY);

    const garbled = `${PRIVATE_PEM.split('\n').slice(0, 4).join('\n')}\n-----END PRIVATE KEY-----\n`;
    const unreadable = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'assertions-unreadable',
      serviceAccount: { ...keyFile(`${google.url}/token`), private_key: garbled },
    });
    expect(unreadable.status, unreadable.text).toBe(400);
    expect(unreadable.body.fields).toEqual({ 'serviceAccount.private_key': [expect.stringContaining('must be a private key')] });

    const wrongGrant = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'assertions-wrong-grant',
      grantType: 'client_credentials',
      serviceAccount: keyFile(`${google.url}/token`),
    });
    expect(wrongGrant.status).toBe(400);
    expect(wrongGrant.body.fields).toHaveProperty('grantType');

    const symmetric = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'assertions-hs256',
      grantType: 'jwt_bearer',
      clientId: 'x',
      tokenUrl: `${google.url}/token`,
      assertionAlgorithm: 'HS256',
    });
    expect(symmetric.status).toBe(400);
    expect(symmetric.body.fields).toHaveProperty('assertionAlgorithm');
  });
});

describe('private_key_jwt at a provider', () => {
  it('authenticates with a key pair the broker makes, published at a stable URL, and rotates it with an overlap', async () => {
    const created = await p.http<ProviderView>('POST', '/admin/providers', {
      name: 'assertions-oidc',
      grantType: 'client_credentials',
      clientId: 'assertions-client',
      clientAuthMethod: 'private_key_jwt',
      tokenUrl: `${oidc.url}/token`,
      revocationUrl: `${oidc.url}/revoke`,
    });
    expect(created.status, created.text).toBe(201);
    const provider = created.body;
    expect(provider.assertionKeys).toEqual([expect.objectContaining({ alg: 'ES256', signing: true, generated: true })]);
    oidc.behaviour.jwksUrl = provider.jwksUrl!;

    const token = await p.http<TokenView>('POST', '/admin/tokens', { name: 'assertions-oidc-token', providerId: provider.id });
    expect(token.status, token.text).toBe(201);
    await eventually(async () => expect((await p.http<TokenView>('GET', `/admin/tokens/${token.body.id}`)).body.state).toBe('valid'));
    const first = oidc.assertions.at(-1)!;
    expect(first.header).toMatchObject({ alg: 'ES256', kid: provider.assertionKeys[0].kid });
    expect(first.payload).toMatchObject({ iss: 'assertions-client', sub: 'assertions-client', aud: `${oidc.url}/token` });
    expect(oidc.tokenRequests.at(-1)!.params).not.toHaveProperty('client_secret');
    expect(oidc.tokenRequests.at(-1)!.authorization).toBeUndefined();

    const rotated = await p.http<ProviderView>('POST', `/admin/providers/${provider.id}/signing-key`);
    expect(rotated.status, rotated.text).toBe(200);
    const [signing, previous] = rotated.body.assertionKeys;
    expect(previous).toMatchObject({ kid: provider.assertionKeys[0].kid, signing: false });
    expect(signing.signing).toBe(true);
    expect(rotated.body.jwksUrl).toBe(provider.jwksUrl);
    const published = (await (await fetch(provider.jwksUrl!)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid)).toEqual([signing.kid, previous.kid]);

    // The provider learns the new kid from the same URL; an audience it names itself goes in aud.
    const changed = await p.http('PATCH', `/admin/providers/${provider.id}`, { assertionAudience: 'https://idp.example.com' });
    expect(changed.status, changed.text).toBe(200);
    oidc.behaviour.assertionAudience = 'https://idp.example.com';
    const refreshed = await p.http<TokenView>('POST', `/admin/tokens/${token.body.id}/refresh`);
    expect(refreshed.body.state, refreshed.text).toBe('valid');
    expect(oidc.assertions.at(-1)!.header.kid).toBe(signing.kid);
    expect(oidc.assertions.at(-1)!.payload.aud).toBe('https://idp.example.com');
  });

  it('answers 404 for the JWKS of a provider without keys, and 409 when rotating a key it was given', async () => {
    const plain = await p.http<ProviderView>('POST', '/admin/providers', {
      name: 'assertions-plain',
      grantType: 'client_credentials',
      clientId: 'plain',
      clientSecret: 'plain-secret',
      tokenUrl: `${oidc.url}/token`,
    });
    expect(plain.body.jwksUrl).toBeNull();
    expect((await fetch(`${p.url}/providers/${plain.body.id}/jwks.json`)).status).toBe(404);
    expect((await fetch(`${p.url}/providers/not-a-uuid/jwks.json`)).status).toBe(404);
    const given = await p.http<ProviderView>('POST', '/admin/providers', {
      name: 'assertions-given',
      grantType: 'jwt_bearer',
      clientId: 'consumer-key',
      tokenUrl: `${oidc.url}/token`,
      assertionKey: PRIVATE_PEM,
      assertionSubject: 'user@example.com',
      assertionAudience: 'https://login.salesforce.com',
    });
    expect(given.status, given.text).toBe(201);
    expect(given.body.assertionKeys).toEqual([expect.objectContaining({ alg: 'RS256', generated: false })]);
    expect((await p.http('POST', `/admin/providers/${given.body.id}/signing-key`)).status).toBe(409);
  });
});
