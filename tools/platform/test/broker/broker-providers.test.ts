import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

let p: SharedPlatform;
beforeAll(async () => {
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const base = { grantType: 'client_credentials', clientId: 'acme-client', clientSecret: 'sup3r-s3cret', tokenUrl: 'https://auth.acme.test/token/{{account}}' };

describe('/admin/providers', () => {
  it('creates a provider with defaults, never returns the client secret, and stores it encrypted', async () => {
    const created = await p.http<Record<string, unknown>>('POST', '/admin/providers', { ...base, name: 'acme-cc', scopes: ['a', 'b'], scopeSeparator: ',' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'acme-cc',
      grantType: 'client_credentials',
      hasClientSecret: true,
      scopeSeparator: ',',
      clientAuthMethod: 'client_secret_basic',
      pkce: false,
      stateLength: 32,
      accessTokenPath: 'access_token',
      refreshTokenPath: 'refresh_token',
      expiresInPath: 'expires_in',
      refreshGrantParam: 'grant_type',
      refreshGrantValue: 'refresh_token',
      expiresInUnit: 'seconds',
      timeoutSeconds: 30,
    });
    expect(created.text).not.toContain('sup3r-s3cret');
    const [row] = await p.db.query<{ client_secret_sealed: string }>('SELECT client_secret_sealed FROM broker.provider WHERE id = $1', [created.body.id]);
    expect(row.client_secret_sealed).toMatch(/^v1\./);
    expect(row.client_secret_sealed).not.toContain('sup3r');
    const listed = await p.http<{ items: unknown[] }>('GET', '/admin/providers');
    expect(JSON.stringify(listed.body)).not.toContain('sup3r-s3cret');
  });

  it('turns PKCE on by default for the authorization-code grant and requires its authorization URL', async () => {
    const missing = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      ...base,
      name: 'acme-code',
      grantType: 'authorization_code',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('authorizationUrl');
    const created = await p.http('POST', '/admin/providers', {
      ...base,
      name: 'acme-code',
      grantType: 'authorization_code',
      authorizationUrl: 'https://auth.acme.test/authorize',
    });
    expect(created.body).toMatchObject({ pkce: true });
  });

  it('answers bad input with 400 and a message per field, never 500', async () => {
    const bad = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'Bad Name',
      grantType: 'implicit',
      clientId: '',
      tokenUrl: 'ftp://x',
      stateLength: 3,
      expiresInUnit: 'hours',
      tokenParams: { a: 1 },
      surprise: true,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual([
      'clientId',
      'expiresInUnit',
      'grantType',
      'name',
      'stateLength',
      'surprise',
      'tokenParams',
      'tokenUrl',
    ]);
  });

  it('refuses a second provider with the same name with 409', async () => {
    expect((await p.http('POST', '/admin/providers', { ...base, name: 'dup' })).status).toBe(201);
    expect((await p.http('POST', '/admin/providers', { ...base, name: 'dup' })).status).toBe(409);
  });

  it('updates fields, replaces the secret without showing it, and deletes', async () => {
    const { body: created } = await p.http<{ id: string; version?: number }>('POST', '/admin/providers', { ...base, name: 'to-edit' });
    const patched = await p.http<Record<string, unknown>>('PATCH', `/admin/providers/${created.id}`, {
      clientSecret: 'n3w-s3cret',
      refreshGrantParam: 'refresh_grant_type',
      expiresInPath: 'data.ttl',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ refreshGrantParam: 'refresh_grant_type', expiresInPath: 'data.ttl', hasClientSecret: true });
    expect(patched.text).not.toContain('n3w-s3cret');
    expect((await p.http('PATCH', `/admin/providers/${created.id}`, { grantType: 'nope' })).status).toBe(400);
    expect((await p.http('DELETE', `/admin/providers/${created.id}`)).status).toBe(204);
    expect((await p.http('GET', `/admin/providers/${created.id}`)).status).toBe(404);
    expect((await p.http('GET', '/admin/providers/not-a-uuid')).status).toBe(404);
  });

  it('imports one provider per oauth2 flow from an OpenAPI 3 document sent as YAML', async () => {
    const yaml = [
      'openapi: 3.0.3',
      'info: { title: Widget API, version: "2" }',
      'paths: {}',
      'components:',
      '  securitySchemes:',
      '    oauth:',
      '      type: oauth2',
      '      flows:',
      '        password: { tokenUrl: "https://w.test/token", refreshUrl: "https://w.test/refresh", scopes: { "w:read": "" } }',
      '        clientCredentials: { tokenUrl: "https://w.test/token", scopes: {} }',
    ].join('\n');
    const imported = await p.http<{ items: Record<string, unknown>[] }>('POST', '/admin/providers/import?clientId=widget-client', yaml);
    expect(imported.status).toBe(201);
    expect(imported.body.items.map((i) => [i.name, i.grantType, i.refreshUrl, i.clientId])).toEqual([
      ['widget-api-oauth-password', 'password', 'https://w.test/refresh', 'widget-client'],
      ['widget-api-oauth-client-credentials', 'client_credentials', null, 'widget-client'],
    ]);
    const json = await p.http<{ items: unknown[] }>('POST', '/admin/providers/import', {
      document: {
        openapi: '3.1.0',
        components: {
          securitySchemes: {
            o: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://j.test/a', tokenUrl: 'https://j.test/t', scopes: {} } } },
          },
        },
      },
      namePrefix: 'json',
    });
    expect(json.status).toBe(201);
    expect(json.body.items).toHaveLength(1);
    const notOpenApi = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers/import', 'swagger: "2.0"');
    expect(notOpenApi.status).toBe(400);
    expect(notOpenApi.body.fields).toHaveProperty('document');
  });
});
