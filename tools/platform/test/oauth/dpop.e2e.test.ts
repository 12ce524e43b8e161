import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
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

describe("DPoP at the gateway's protected routes (libs/verifier, RFC 9449 §7)", () => {
  async function boundToken(permissions = ['*:orgs=read']) {
    const { client, auth } = await createIntegration({ permissions });
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const issued = await withNonce(async () =>
      oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, {}, { DPoP, ...insecure })),
    );
    return { token: issued.access_token, DPoP, client };
  }

  it('takes a bound token with the DPoP scheme and a proof made by oauth4webapi, at /api/whoami and /admin', async () => {
    const { token, DPoP, client } = await boundToken(['*:platform=admin']);
    const whoami = await oauth.protectedResourceRequest(token, 'GET', new URL(`${t.url}/api/whoami`), undefined, undefined, { DPoP, ...insecure });
    expect(whoami.status, await whoami.clone().text()).toBe(200);
    expect(await json(whoami)).toMatchObject({ clientId: client.client_id });
    const admin = await oauth.protectedResourceRequest(token, 'GET', new URL(`${t.url}/admin/integrations?limit=1`), undefined, undefined, {
      DPoP,
      ...insecure,
    });
    expect(admin.status).toBe(200);
  });

  it('refuses a bound token presented as Bearer (RFC 9449 §7.1), naming the DPoP scheme in the challenge', async () => {
    const { token } = await boundToken();
    const response = await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/DPoP realm="tessera"/);
  });

  it('refuses a proof signed by another key than the one the token is bound to', async () => {
    const { token } = await boundToken();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const ath = createHash('sha256').update(token).digest('base64url');
    const proof = (htu: string, key = privateKey, header = jwk) =>
      new SignJWT({ htm: 'GET', htu, jti: randomUUID(), ath }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: header }).setIssuedAt().sign(key);
    const call = (dpop: string) => fetch(`${t.url}/api/whoami`, { headers: { authorization: `DPoP ${token}`, dpop } });
    // Signed by a key that is not the token's: refused whatever else is right.
    const foreign = await call(await proof(`${t.url}/api/whoami`));
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('www-authenticate')).toMatch(/DPoP realm="tessera", error="invalid_dpop_proof"/);
  });

  it('refuses a replayed proof and one for another URL, with the right key', async () => {
    const { token, DPoP } = await boundToken();
    let sent: string | undefined;
    // oauth4webapi's proof as it went out, to send it again ourselves.
    const capture = async (url: string, options: oauth.CustomFetchOptions<string, oauth.ProtectedResourceRequestBody>) => {
      sent = new Headers(options.headers).get('dpop') ?? undefined;
      return fetch(url, options as RequestInit);
    };
    const first = await oauth.protectedResourceRequest(token, 'GET', new URL(`${t.url}/api/whoami`), undefined, undefined, {
      DPoP,
      ...insecure,
      [oauth.customFetch]: capture,
    });
    expect(first.status).toBe(200);
    const replayed = await fetch(`${t.url}/api/whoami`, { headers: { authorization: `DPoP ${token}`, dpop: sent! } });
    expect(replayed.status).toBe(401);
    expect(await replayed.text()).toMatch(/already used/);
    const elsewhere = await oauth.protectedResourceRequest(token, 'GET', new URL(`${t.url}/api/whoami`), undefined, undefined, {
      DPoP,
      ...insecure,
      [oauth.customFetch]: capture,
    });
    expect(elsewhere.status).toBe(200);
    const wrongUrl = await fetch(`${t.url}/admin/integrations`, { headers: { authorization: `DPoP ${token}`, dpop: sent! } });
    expect(wrongUrl.status).toBe(401);
  });
});
