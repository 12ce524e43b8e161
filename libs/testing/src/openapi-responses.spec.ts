import { describe, expect, it } from 'vitest';
import { OpenApiResponseChecker } from './openapi-responses.js';

const document = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          404: { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
      delete: { responses: { 204: { description: 'No Content' } } },
      put: { responses: { default: { description: 'Anything', content: { '*/*': {} } }, 400: { description: 'Bad', content: { 'text/*': {} } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'at'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid' },
          at: { type: ['string', 'null'], format: 'date-time' },
          owner: { $ref: '#/components/schemas/Owner' },
        },
      },
      Owner: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string', pattern: '^[a-z_]+$' } } },
    },
  },
};
const checker = new OpenApiResponseChecker(document);
const seen = (status: number, body: unknown, extra: object = {}) => ({
  method: 'GET',
  path: '/things/{id}',
  status,
  contentType: 'application/json; charset=utf-8',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
});
const id = '5b0c6c52-3f6e-4a39-9c43-8d6a4b1f2e10';

describe('OpenApiResponseChecker', () => {
  it('accepts an answer the document describes, references and nullable types included', () => {
    expect(() => checker.check(seen(200, { id, at: null, owner: { name: 'ops' } }))).not.toThrow();
    expect(() => checker.check(seen(404, { error: 'not_found' }))).not.toThrow();
    expect(() => checker.check({ method: 'DELETE', path: '/things/{id}', status: 204, contentType: null, body: '' })).not.toThrow();
    expect(() => checker.check({ method: 'PUT', path: '/things/{id}', status: 201, contentType: 'image/png', body: 'png' })).not.toThrow();
    expect(() => checker.check({ method: 'PUT', path: '/things/{id}', status: 400, contentType: 'text/plain', body: 'bad' })).not.toThrow();
    expect(() => checker.check({ method: 'PUT', path: '/things/{id}', status: 400, contentType: 'application/json', body: '{}' })).toThrow(
      /not among the documented text\/\*/,
    );
  });

  it('refuses a field the schema lacks, a missing or mistyped one, and a bad format', () => {
    expect(() => checker.check(seen(200, { id, at: null, secret: 'x' }))).toThrow(/additional properties \(secret\)/);
    expect(() => checker.check(seen(200, { id }))).toThrow(/must have required property 'at'/);
    expect(() => checker.check(seen(200, { id: 'nope', at: null }))).toThrow(/\/id must match format "uuid"/);
    expect(() => checker.check(seen(200, { id, at: null, owner: {} }))).toThrow(/\/owner must have required property 'name'/);
    expect(() => checker.check(seen(404, { error: 'Not Found' }))).toThrow(/\/error must match pattern/);
  });

  it('refuses an undocumented status, operation or media type, and a body where none is documented', () => {
    expect(() => checker.check(seen(500, {}))).toThrow(/lists only 200, 404/);
    expect(() => checker.check(seen(200, {}, { path: '/nothing' }))).toThrow(/no such operation/);
    expect(() => checker.check(seen(200, 'hi', { contentType: 'text/plain' }))).toThrow(/text\/plain is not among the documented application\/json/);
    expect(() => checker.check({ method: 'DELETE', path: '/things/{id}', status: 204, contentType: 'application/json', body: '{"deleted":true}' })).toThrow(
      /says no body/,
    );
    expect(() => checker.check(seen(200, '<html>'))).toThrow(/not JSON/);
  });

  it('checks a value against one component schema', () => {
    expect(() => checker.checkComponent('Error', { error: 'not_found' })).not.toThrow();
    expect(() => checker.checkComponent('Error', { error: 'Not Found' })).toThrow(/is not a Error: \/error must match pattern/);
  });
});
