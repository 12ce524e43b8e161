import { INTROSPECTION_PERMISSION } from '@tessera/permissions';
import { eventually } from '@tessera/testing';
import { TokenVerifier } from '@tessera/verifier';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

interface Client {
  id: string;
  applicationId: string;
  appSecret: string;
}
interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

let t: SharedPlatform;
let admin: string;

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function integration(body: Record<string, unknown>): Promise<Client> {
  const response = await api('POST', '/admin/integrations', body);
  expect(response.status).toBe(201);
  return json<Client>(response);
}

function oauth(path: string, params: Record<string, string>, client?: Client) {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client ? { authorization: basic(client.applicationId, client.appSecret) } : {}) },
  });
}

async function tokens(client: Client, params: Record<string, string> = { grant_type: 'client_credentials' }): Promise<Tokens> {
  const response = await oauth('/oauth/token', params, client);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<Tokens>(response);
}

beforeAll(async () => {
  t = await sharedPlatform();
  admin = await t.adminToken();
});
afterAll(() => t?.stop());

describe('client_credentials', () => {
  it('issues an RFC 9068 access token signed ES256 with a kid from the JWKS, and a refresh token', async () => {
    const client = await integration({ name: 'cc', permissions: ['*:orgs=read', 'acme:users=read'] });
    const response = await oauth('/oauth/token', { grant_type: 'client_credentials' }, client);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await json<Tokens>(response);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: '*:orgs=read acme:users=read' });
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const jwks = await json(await fetch(`${t.url}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks as never), {
      issuer: t.config.issuer,
      audience: t.config.issuer,
      typ: 'at+jwt',
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({ sub: client.applicationId, client_id: client.applicationId, scope: '*:orgs=read acme:users=read' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    const issued = await t.events.waitFor((e) => e.type === 'tessera.events.auth.token.issued' && (e.data as { jti: string }).jti === payload.jti);
    expect(issued.data).toMatchObject({
      clientId: client.applicationId,
      grantType: 'client_credentials',
      scope: '*:orgs=read acme:users=read',
      familyId: payload.fid,
    });
    expect(JSON.stringify(issued)).not.toContain(body.refresh_token);
    expect(JSON.stringify(issued)).not.toContain(body.access_token);
  });

  it('accepts client_secret_post, grants only covered scopes, and answers RFC 6749 errors', async () => {
    const client = await integration({ name: 'cc-post', permissions: ['*:users=read'] });
    const post = (params: Record<string, string>) => oauth('/oauth/token', { client_id: client.applicationId, client_secret: client.appSecret, ...params });
    expect(await json(await post({ grant_type: 'client_credentials', scope: 'acme:users=read' }))).toMatchObject({ scope: 'acme:users=read' });
    expect(await json(await post({ grant_type: 'client_credentials', scope: 'acme:orgs=read' }))).toMatchObject({ error: 'invalid_scope' });
    expect(await json(await post({ grant_type: 'password' }))).toMatchObject({ error: 'unsupported_grant_type' });
    expect(await json(await post({}))).toMatchObject({ error: 'invalid_request' });
    const wrong = await oauth('/oauth/token', { grant_type: 'client_credentials' }, { ...client, appSecret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await json(wrong)).toMatchObject({ error: 'invalid_client' });
    const both = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: `grant_type=client_credentials&client_secret=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
    });
    expect(await json(both)).toMatchObject({ error: 'invalid_request' });
    const asJson = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(asJson.status).toBe(400);
    expect(await json(asJson)).toMatchObject({ error: 'invalid_request' });
  });

  it('rate limits failed client authentication per client', async () => {
    const client = await integration({ name: 'cc-limited', permissions: ['*:orgs=read'] });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await oauth('/oauth/token', { grant_type: 'client_credentials' }, { ...client, appSecret: `wrong-${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await oauth('/oauth/token', { grant_type: 'client_credentials' }, client)).status).toBe(429);
  });

  it('answers concurrent requests only once each refresh token is stored, each in its own family', async () => {
    const client = await integration({ name: 'cc-burst', permissions: ['*:orgs=read'] });
    const burst = await Promise.all(Array.from({ length: 40 }, () => tokens(client)));
    const hashes = burst.map((b) => createHash('sha256').update(b.refresh_token).digest('base64url'));
    const rows = await t.db.query<{ token_hash: string; family_id: string }>(
      `SELECT token_hash, family_id FROM auth.refresh_token WHERE token_hash = ANY($1)`,
      [hashes],
    );
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.family_id)).size).toBe(40);
    expect((await tokens(client, { grant_type: 'refresh_token', refresh_token: burst[17].refresh_token })).refresh_token).not.toBe(burst[17].refresh_token);
  });

  it('refuses a disabled integration', async () => {
    const client = await integration({ name: 'cc-disabled', permissions: ['*:orgs=read'], enabled: false });
    expect(await json(await oauth('/oauth/token', { grant_type: 'client_credentials' }, client))).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('refresh tokens', () => {
  it('rotates on every use, stores only hashes, and expires 28 days after issue', async () => {
    const client = await integration({ name: 'rt', permissions: ['*:orgs=read'] });
    const first = await tokens(client);
    const second = await tokens(client, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const rows = await t.db.query<{ token_hash: string }>(`SELECT token_hash FROM auth.refresh_token`);
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(second.refresh_token).digest('base64url'));
    expect(JSON.stringify(rows)).not.toContain(second.refresh_token);
    const [family] = await t.db.query<{ id: string; created_at: Date; expires_at: Date; last_used_at: Date | null }>(
      `SELECT id, created_at, expires_at, last_used_at FROM auth.refresh_token_family WHERE client_id = $1`,
      [client.applicationId],
    );
    expect(family.expires_at.getTime() - family.created_at.getTime()).toBe(28 * 86_400_000);
    expect(family.last_used_at).not.toBeNull();
    const generations = await t.db.query<{ token_hash: string; rotated_at: Date | null }>(
      `SELECT token_hash, rotated_at FROM auth.refresh_token WHERE family_id = $1`,
      [family.id],
    );
    const byToken = (token: string) => generations.find((g) => g.token_hash === createHash('sha256').update(token).digest('base64url'));
    expect(byToken(first.refresh_token)?.rotated_at).not.toBeNull();
    expect(byToken(second.refresh_token)?.rotated_at).toBeNull();
  });

  it('keeps refresh tokens valid until revoked when the integration says so', async () => {
    const client = await integration({ name: 'rt-forever', permissions: ['*:orgs=read'], refreshTokensValidUntilRevoked: true });
    await tokens(client);
    const [family] = await t.db.query<{ expires_at: Date | null }>(`SELECT expires_at FROM auth.refresh_token_family WHERE client_id = $1`, [
      client.applicationId,
    ]);
    expect(family.expires_at).toBeNull();
  });

  it('does not burn the presented refresh token when the request fails', async () => {
    const client = await integration({ name: 'rt-failure', permissions: ['*:orgs=read', '*:users=read'] });
    const first = await tokens(client, { grant_type: 'client_credentials', scope: '*:orgs=read' });
    const failed = await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: '*:users=read' }, client);
    expect(await json(failed)).toMatchObject({ error: 'invalid_scope' });
    expect((await tokens(client, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).scope).toBe('*:orgs=read');
  });

  it('re-using a rotated refresh token revokes the whole family and publishes the revocation', async () => {
    // No reuse interval: an immediate second presentation is re-use (with one, it is a retry: refresh-reuse.e2e.test.ts).
    const client = await integration({ name: 'rt-reuse', permissions: ['*:orgs=read'], refreshTokenReuseIntervalSeconds: 0 });
    const first = await tokens(client);
    const second = await tokens(client, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    const reuse = await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, client);
    expect(reuse.status).toBe(400);
    expect(await json(reuse)).toMatchObject({ error: 'invalid_grant' });
    expect(await json(await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token }, client))).toMatchObject({
      error: 'invalid_grant',
    });
    const event = await t.events.waitFor(
      (e) => e.type === 'tessera.events.auth.token.revoked' && (e.data as { clientId: string }).clientId === client.applicationId,
    );
    expect(event.data).toMatchObject({ reason: 'refresh_token_reuse', familyId: expect.any(String) });
    expect(JSON.stringify(event)).not.toContain(first.refresh_token);
    expect(await json(await oauth('/oauth/introspect', { token: second.access_token }, client))).toEqual({ active: false });
  });

  it('refuses a refresh token of another client', async () => {
    const a = await integration({ name: 'rt-a', permissions: ['*:orgs=read'] });
    const b = await integration({ name: 'rt-b', permissions: ['*:orgs=read'] });
    const issued = await tokens(a);
    expect(await json(await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token }, b))).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await tokens(a, { grant_type: 'refresh_token', refresh_token: issued.refresh_token })).access_token).toBeTruthy();
  });
});

describe('introspection, revocation and instant effect', () => {
  it('introspects access and refresh tokens, and answers active:false to unknown ones', async () => {
    const client = await integration({ name: 'intro', permissions: ['*:orgs=read'] });
    const issued = await tokens(client);
    expect(await json(await oauth('/oauth/introspect', { token: issued.access_token }, client))).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: client.applicationId,
      scope: '*:orgs=read',
      iss: t.config.issuer,
    });
    const refresh = await json(await oauth('/oauth/introspect', { token: issued.refresh_token }, client));
    expect(refresh).toMatchObject({ active: true, client_id: client.applicationId });
    expect(refresh).not.toHaveProperty('token_type');
    const unknown = await oauth('/oauth/introspect', { token: 'nothing-like-a-token' }, client);
    expect(unknown.status).toBe(200);
    expect(await json(unknown)).toEqual({ active: false });
    expect((await oauth('/oauth/introspect', { token: issued.access_token })).status).toBe(401);
  });

  it("answers another client's token only to a resource server (RFC 7662 §4): anyone else learns nothing", async () => {
    const owner = await integration({ name: 'intro-owner', permissions: ['*:orgs=read'] });
    const stranger = await integration({ name: 'intro-stranger', permissions: ['*:orgs=read', '*:platform=read'] });
    const resourceServer = await integration({ name: 'intro-rs', permissions: [INTROSPECTION_PERMISSION] });
    const issued = await tokens(owner);
    expect(await json(await oauth('/oauth/introspect', { token: issued.access_token }, stranger))).toEqual({ active: false });
    expect(await json(await oauth('/oauth/introspect', { token: issued.refresh_token }, stranger))).toEqual({ active: false });
    expect(await json(await oauth('/oauth/introspect', { token: issued.access_token }, resourceServer))).toMatchObject({
      active: true,
      client_id: owner.applicationId,
    });
    expect(await json(await oauth('/oauth/introspect', { token: issued.access_token }, owner))).toMatchObject({ active: true });
  });

  it('revokes an access token (RFC 7009) and a verifier in this process rejects it once the event arrives', async () => {
    const client = await integration({ name: 'revoke-at', permissions: ['*:orgs=read'] });
    const issued = await tokens(client);
    const verifier = new TokenVerifier({ issuer: t.config.issuer, keys: { jwksUri: `${t.url}/oauth/jwks` } });
    expect((await verifier.verify(issued.access_token)).client_id).toBe(client.applicationId);
    const revoked = await oauth('/oauth/revoke', { token: issued.access_token, token_type_hint: 'access_token' }, client);
    expect(revoked.status).toBe(200);
    const { jti } = decodeJwtPayload(issued.access_token);
    const event = await t.events.waitFor((e) => e.type === 'tessera.events.auth.token.revoked' && (e.data as { jti?: string }).jti === jti);
    verifier.revoked(event.data as never);
    await expect(verifier.verify(issued.access_token)).rejects.toThrow(/revoked/);
    expect(await json(await oauth('/oauth/introspect', { token: issued.access_token }, client))).toEqual({ active: false });
    expect((await oauth('/oauth/revoke', { token: 'unknown-token' }, client)).status).toBe(200);
    verifier.close();
  });

  it('the gateway rejects a revoked admin-capable token at once', async () => {
    const client = await integration({ name: 'revoke-admin', permissions: ['*:platform=admin'] });
    const issued = await tokens(client);
    const call = () => fetch(`${t.url}/admin/integrations`, { headers: { authorization: `Bearer ${issued.access_token}` } });
    expect((await call()).status).toBe(200);
    await oauth('/oauth/revoke', { token: issued.refresh_token }, client);
    await eventually(async () => (await call()).status === 401, 2000);
  });

  it('disabling an integration revokes its tokens and publishes integration.updated and token.revoked', async () => {
    const client = await integration({ name: 'disable-me', permissions: ['*:orgs=read'] });
    const issued = await tokens(client);
    expect((await json<{ items: unknown[] }>(await api('GET', `/admin/integrations/${client.id}/tokens`))).items).toHaveLength(1);
    expect((await api('PATCH', `/admin/integrations/${client.id}`, { enabled: false })).status).toBe(200);
    await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.updated' && (e.data as { integrationId: string }).integrationId === client.id,
    );
    const event = await t.events.waitFor(
      (e) => e.type === 'tessera.events.auth.token.revoked' && (e.data as { clientId: string }).clientId === client.applicationId,
    );
    expect(event.data).toMatchObject({ reason: 'integration_disabled' });
    await eventually(
      async () =>
        (
          await json<{ active: boolean }>(
            await oauth(
              '/oauth/introspect',
              { token: issued.access_token },
              await integration({ name: `rs-${Date.now()}`, permissions: [INTROSPECTION_PERMISSION] }),
            ),
          )
        ).active === false,
    );
    expect((await json<{ items: unknown[] }>(await api('GET', `/admin/integrations/${client.id}/tokens`))).items).toHaveLength(0);
  });

  it('narrowing permissions revokes issued tokens; widening does not', async () => {
    const client = await integration({ name: 'narrow-me', permissions: ['*:orgs=read', '*:users=read'] });
    const issued = await tokens(client);
    await api('PATCH', `/admin/integrations/${client.id}`, { permissions: ['*:orgs=read', '*:users=read', '*:groups=read'] });
    await api('PATCH', `/admin/integrations/${client.id}`, { permissions: ['*:orgs=read'] });
    const event = await t.events.waitFor(
      (e) => e.type === 'tessera.events.auth.token.revoked' && (e.data as { clientId: string }).clientId === client.applicationId,
    );
    expect(event.data).toMatchObject({ reason: 'permissions_narrowed' });
    expect(await json(await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token }, client))).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('lists the live token families of an integration and revokes one', async () => {
    const client = await integration({ name: 'families', permissions: ['*:orgs=read'] });
    const issued = await tokens(client);
    await tokens(client);
    const list = await json<{ items: { id: string; scope: string; createdAt: string; lastUsedAt: string | null; expiresAt: string }[] }>(
      await api('GET', `/admin/integrations/${client.id}/tokens`),
    );
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).toMatchObject({ scope: '*:orgs=read', lastUsedAt: null });
    const [family] = await t.db.query<{ id: string }>(
      `SELECT f.id FROM auth.refresh_token_family f JOIN auth.refresh_token r ON r.family_id = f.id WHERE r.token_hash = $1`,
      [createHash('sha256').update(issued.refresh_token).digest('base64url')],
    );
    expect((await api('DELETE', `/admin/integrations/${client.id}/tokens/${family.id}`)).status).toBe(204);
    expect((await json<{ items: unknown[] }>(await api('GET', `/admin/integrations/${client.id}/tokens`))).items).toHaveLength(1);
    expect(await json(await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token }, client))).toMatchObject({
      error: 'invalid_grant',
    });
    expect((await api('DELETE', `/admin/integrations/${client.id}/tokens/${family.id}`)).status).toBe(404);
  });

  it('deleting an integration revokes its tokens and publishes integration.deleted', async () => {
    const client = await integration({ name: 'delete-me', permissions: ['*:orgs=read'] });
    await tokens(client);
    expect((await api('DELETE', `/admin/integrations/${client.id}`)).status).toBe(204);
    await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.deleted' && (e.data as { integrationId: string }).integrationId === client.id,
    );
    await t.events.waitFor(
      (e) =>
        e.type === 'tessera.events.auth.token.revoked' &&
        (e.data as { reason: string; clientId: string }).reason === 'integration_deleted' &&
        (e.data as { clientId: string }).clientId === client.applicationId,
    );
    expect((await api('GET', `/admin/integrations/${client.id}`)).status).toBe(404);
  });
});

describe('metadata', () => {
  it('publishes RFC 8414 metadata naming every endpoint', async () => {
    const metadata = await json(await fetch(`${t.url}/.well-known/oauth-authorization-server`));
    expect(metadata).toMatchObject({
      issuer: t.config.issuer,
      token_endpoint: `${t.config.issuer}/oauth/token`,
      authorization_endpoint: `${t.config.issuer}/oauth/authorize`,
      jwks_uri: `${t.config.issuer}/oauth/jwks`,
      introspection_endpoint: `${t.config.issuer}/oauth/introspect`,
      revocation_endpoint: `${t.config.issuer}/oauth/revoke`,
      grant_types_supported: expect.arrayContaining(['client_credentials', 'refresh_token', 'authorization_code']),
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['ES256', 'RS256', 'EdDSA']),
      dpop_signing_alg_values_supported: expect.arrayContaining(['ES256']),
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = await json<{ keys: { kid: string }[] }>(await fetch(`${t.url}/oauth/jwks`));
    const client = await integration({ name: 'meta', permissions: ['*:orgs=read'] });
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader((await tokens(client)).access_token).kid);
  });
});

function decodeJwtPayload(token: string): { jti: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
