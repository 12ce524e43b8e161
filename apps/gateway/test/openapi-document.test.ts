import 'reflect-metadata';
import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, documentText, offlineDocument } from '../src/openapi/offline.js';

let document: Awaited<ReturnType<typeof offlineDocument>>;
beforeAll(async () => {
  document = await offlineDocument();
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (an independent validator)', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('is the copy committed in docs/openapi.json (run `npm run openapi` after changing a route or a DTO)', () => {
    expect(readFileSync(DOCUMENT_FILE, 'utf8')).toBe(documentText(document));
  });

  it('describes request bodies from the class-validator DTOs the routes validate with', () => {
    const schemas = document.components!.schemas as Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>;
    expect(schemas.CreateIntegrationRequest.required).toEqual(['name', 'permissions']);
    expect(schemas.CreateIntegrationRequest.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(schemas.CreateIntegrationRequest.properties.accessTokenTtlSeconds).toMatchObject({ type: 'integer', minimum: 60, maximum: 86_400 });
    // ValidateIf: only required when type says so, which a schema cannot express; `type` itself is required.
    expect(schemas.InstanceAuthRequest.required).toEqual(['type']);
    expect(schemas.UpdateInstanceBody.properties.auth).toEqual({ $ref: '#/components/schemas/InstanceAuthRequest' });
    const listQuery = document.paths['/admin/tokens'].get!.parameters!.map((p) => (p as { name: string }).name);
    expect(listQuery).toEqual(['limit', 'offset', 'state']);
  });

  it('says how each route authenticates, and the OAuth endpoints take forms and answer RFC 6749 errors', () => {
    const create = document.paths['/admin/integrations'].post!;
    expect(create.security).toEqual([{ bearer: [] }]);
    expect((create as unknown as Record<string, unknown>)['x-tessera-permission']).toBe('*:platform=admin');
    const token = document.paths['/oauth/token'].post!;
    expect(token.security).toEqual(expect.arrayContaining([{ clientSecretBasic: [] }, {}]));
    expect(Object.keys((token.requestBody as { content: object }).content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } } });
    expect(document.paths['/admin/providers/{id}'].delete!.responses['204']).toBeDefined();
  });

  it('describes every schema, every property and every parameter (a property holding one object is described by its schema)', () => {
    const missing: string[] = [];
    const schemas = document.components!.schemas as Record<string, { description?: string; properties?: Record<string, Record<string, unknown>> }>;
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema.description) missing.push(name);
      for (const [property, propertySchema] of Object.entries(schema.properties ?? {}))
        if (!propertySchema.description && !(propertySchema.$ref && Object.keys(propertySchema).length === 1)) missing.push(`${name}.${property}`);
    }
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(item as Record<string, { parameters?: { name: string; description?: string }[] }>))
        for (const parameter of operation.parameters ?? []) if (!parameter.description) missing.push(`${method} ${path} ${parameter.name}`);
    expect(missing).toEqual([]);
  });

  it('answers with closed schemas: every field of a reply class required unless optional, and no other', () => {
    const schemas = document.components!.schemas as Record<string, { required?: string[]; additionalProperties?: unknown; properties?: object }>;
    expect(schemas.AdminUserView).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['id', 'username', 'role', 'lastSeenAt']) });
    expect(schemas.AdminUserView.properties).toMatchObject({ lastSeenAt: { type: ['string', 'null'], format: 'date-time' } });
    expect(schemas.PlatformInstanceView.properties).toMatchObject({
      token: { oneOf: [{ $ref: '#/components/schemas/InstanceTokenView' }, { type: 'null' }] },
    });
    expect(schemas.TokenResponse.required).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
    expect(schemas.OAuthError.properties).toMatchObject({ error: { enum: expect.arrayContaining(['invalid_client', 'unsupported_token_type']) } });
  });

  it('holds no secret: examples are placeholders', () => {
    const text = documentText(document);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toMatch(/"[A-Za-z0-9_-]{43}"/);
  });
});
