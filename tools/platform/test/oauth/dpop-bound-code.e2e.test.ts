import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBrowser } from '../support/admin-browser.js';
import { ADMIN_PASSWORD, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/** RFC 9449 §10: an authorization code bound to the DPoP key named by `dpop_jkt`, with oauth4webapi as the client. */
let t: SharedPlatform;
let admin: string;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };
const redirectUri = 'https://dpop-code.example/callback';

async function withNonce<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return request();
  }
}

/** The admin signs in on the authorization page and approves; answers where the page sent the browser. */
async function consent(url: URL): Promise<URL> {
  const browser = new AdminBrowser();
  const loginPage = await (await browser.get(url.toString())).text();
  expect(loginPage).toContain('Sign in to Tessera');
  const consentPage = await (await browser.submit(t.url, loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD })).text();
  const approved = await browser.submit(t.url, consentPage, { action: 'approve' });
  expect(approved.status).toBe(303);
  return new URL(approved.headers.get('location')!);
}

beforeAll(async () => {
  t = await sharedPlatform();
  admin = await t.adminToken();
  const issuer = new URL(t.config.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
});
afterAll(() => t?.stop());

describe('dpop_jkt on the authorization request', () => {
  let client: oauth.Client;
  let auth: oauth.ClientAuth;

  beforeAll(async () => {
    const response = await fetch(`${t.url}/admin/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `dpop-code-${randomUUID()}`,
        permissions: ['*:orgs=read'],
        redirectUris: [redirectUri],
        grantTypes: ['authorization_code', 'refresh_token'],
      }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const created = await json<{ applicationId: string; appSecret: string }>(response);
    client = { client_id: created.applicationId };
    auth = oauth.ClientSecretBasic(created.appSecret);
  });

  it('binds the code to that key: a proof of another key or none is invalid_grant, and the rightful client still redeems it', async () => {
    const bound = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const other = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const jkt = await bound.calculateThumbprint();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      dpop_jkt: jkt,
    }).toString();
    const params = oauth.validateAuthResponse(as, client, await consent(url), state);

    const exchange = (DPoP?: oauth.DPoPHandle) => oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, { ...insecure, DPoP });
    const refused = async (DPoP?: oauth.DPoPHandle) => {
      const error = await withNonce(async () => oauth.processAuthorizationCodeResponse(as, client, await exchange(DPoP))).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(oauth.ResponseBodyError);
      return (error as oauth.ResponseBodyError).error;
    };
    expect(await refused(other)).toBe('invalid_grant');
    expect(await refused(undefined)).toBe('invalid_grant');

    const issued = await withNonce(async () => oauth.processAuthorizationCodeResponse(as, client, await exchange(bound)));
    expect(issued.token_type).toBe('dpop');
    expect(decodeJwt(issued.access_token).cnf).toEqual({ jkt });
  });

  it('refuses a dpop_jkt that is no SHA-256 thumbprint with invalid_request, at the redirect URI', async () => {
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      state: 's',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
      dpop_jkt: 'not-a-thumbprint',
    }).toString();
    const answer = await fetch(url, { redirect: 'manual' });
    const location = new URL(answer.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/dpop_jkt/);
  });
});
