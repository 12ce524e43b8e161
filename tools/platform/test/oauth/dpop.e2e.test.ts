import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** DPoP (RFC 9449) with oauth4webapi as the client: proofs, server nonces, bound tokens, and the refusals. */
let t: TestPlatform;
let admin: string;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createIntegration(body: Record<string, unknown> = {}) {
  const response = await api('POST', '/admin/integrations', { name: `dpop-${randomUUID()}`, permissions: ['*:orgs=read'], ...body });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = await json<{ applicationId: string; appSecret: string }>(response);
  return { client: { client_id: created.applicationId } as oauth.Client, auth: oauth.ClientSecretBasic(created.appSecret) };
}

/** A request made with oauth4webapi's DPoP handle, retried once when the server asks for its nonce (RFC 9449 §8). */
async function withNonce<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return request();
  }
}

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.adminToken();
  const issuer = new URL(t.config.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
});
afterAll(() => t?.stop());

describe('DPoP at the token endpoint', () => {
  it('announces its signing algorithms', () => {
    expect(as.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'EdDSA', 'PS256']));
  });

  it('binds client_credentials and refreshed tokens to the proof key (token_type DPoP, cnf.jkt), and introspection says so', async () => {
    const { client, auth } = await createIntegration();
    const keyPair = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(client, keyPair);
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    const issued = await withNonce(async () =>
      oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, {}, { DPoP, ...insecure })),
    );
    expect(issued.token_type).toBe('dpop');
    expect(decodeJwt(issued.access_token).cnf).toEqual({ jkt });
    // A confidential client's refresh token is bound to its client authentication, not to the key (RFC 9449 §5);
    // the refreshed access token is bound to the key of the refresh request's proof.
    const refreshed = await withNonce(async () =>
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, issued.refresh_token!, { DPoP, ...insecure })),
    );
    expect(refreshed.token_type).toBe('dpop');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt });
    const introspected = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure),
    );
    expect(introspected).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt } });
  });

  it('asks for a nonce with use_dpop_nonce and the DPoP-Nonce header, and refuses a replayed proof', async () => {
    const { client, auth } = await createIntegration();
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const proof = (nonce?: string) =>
      new SignJWT({ htm: 'POST', htu: `${t.config.issuer}/oauth/token`, jti: randomUUID(), ...(nonce ? { nonce } : {}) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .setIssuedAt()
        .sign(privateKey);
    const request = (dpop: string) => oauth.clientCredentialsGrantRequest(as, client, auth, {}, { ...insecure, headers: { dpop } } as never);
    const first = await request(await proof());
    expect(first.status).toBe(400);
    expect(await json(first)).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toBeTruthy();
    const once = await proof(nonce);
    const ok = await request(once);
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ token_type: 'DPoP' });
    const replayed = await request(once);
    expect(replayed.status).toBe(400);
    expect(await json(replayed)).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/already used/) });
    const wrongUrl = await new SignJWT({ htm: 'POST', htu: `${t.config.issuer}/oauth/revoke`, jti: randomUUID(), nonce })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .sign(privateKey);
    expect(await json(await request(wrongUrl))).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses a token request without a proof from an integration that requires DPoP (dpop_bound_access_tokens)', async () => {
    const { client, auth } = await createIntegration({ dpopBoundAccessTokens: true });
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, {}, insecure);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: 'invalid_dpop_proof' });
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('EdDSA'));
    const issued = await withNonce(async () =>
      oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, {}, { DPoP, ...insecure })),
    );
    expect(issued.token_type).toBe('dpop');
  });

  it('works with private_key_jwt client authentication in the same request', async () => {
    const key = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k' };
    const response = await api('POST', '/admin/integrations', {
      name: `dpop-pkjwt-${randomUUID()}`,
      permissions: ['*:orgs=read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    const client: oauth.Client = { client_id: (await json<{ applicationId: string }>(response)).applicationId };
    const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: 'k' });
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const issued = await withNonce(async () =>
      oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, {}, { DPoP, ...insecure })),
    );
    expect(issued.token_type).toBe('dpop');
  });
});
