import { expect } from 'vitest';
import { login } from './sign-in.js';
import { basic, json } from './http-helpers.js';

export { login } from './sign-in.js';

/** One JSON call at the gateway with a bearer token; `body` undefined sends none. */
export function api(url: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface SignedIn {
  access_token: string;
  scope: string;
  expires_in: number;
  must_change_password?: true;
}

export async function signIn(url: string, username: string, password: string): Promise<SignedIn> {
  const response = await login(url, username, password);
  expect(response.status, `sign-in of ${username}`).toBe(200);
  return json<SignedIn>(response);
}

/**
 * Creates an administrator with `role` as the owner, replaces the one-time password the way a new user does at the
 * first sign-in, and returns the user, its password and a working token.
 */
export async function createAdmin(url: string, ownerToken: string, username: string, role: string): Promise<{ id: string; password: string; token: string }> {
  const created = await api(url, ownerToken, 'POST', '/admin/users', { username, role });
  expect(created.status, `create ${username}`).toBe(201);
  const { id, oneTimePassword } = await json<{ id: string; oneTimePassword: string }>(created);
  const first = await signIn(url, username, oneTimePassword);
  const password = `${username} has a long password 1`;
  expect((await api(url, first.access_token, 'POST', '/admin/password', { currentPassword: oneTimePassword, newPassword: password })).status).toBe(204);
  return { id, password, token: (await signIn(url, username, password)).access_token };
}

/** Creates an integration holding `permissions` and returns its application id with a client_credentials token. */
export async function integrationWithToken(
  url: string,
  adminToken: string,
  name: string,
  permissions: string[],
): Promise<{ applicationId: string; accessToken: string }> {
  const created = await api(url, adminToken, 'POST', '/admin/integrations', { name, permissions });
  expect(created.status, `create integration ${name}`).toBe(201);
  const { applicationId, appSecret } = await json<{ applicationId: string; appSecret: string }>(created);
  const token = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(applicationId, appSecret) },
  });
  expect(token.status, `client_credentials token of ${name}`).toBe(200);
  return { applicationId, accessToken: (await json<{ access_token: string }>(token)).access_token };
}

/** The claims of a JWT, unverified (the tests read what the gateway issued). */
export function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
