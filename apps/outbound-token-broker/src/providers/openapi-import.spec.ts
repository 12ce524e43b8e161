import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { providersFromOpenApi } from './openapi-import.js';

const yamlDocument = `
openapi: 3.0.3
info: { title: Acme CRM, version: "1" }
paths: {}
components:
  securitySchemes:
    acmeAuth:
      type: oauth2
      flows:
        password:
          tokenUrl: https://auth.acme.test/token
          refreshUrl: https://auth.acme.test/refresh
          scopes: { "crm:read": read, "crm:write": write }
        clientCredentials:
          tokenUrl: https://auth.acme.test/token
          scopes: {}
        implicit:
          authorizationUrl: https://auth.acme.test/authorize
          scopes: {}
    apiKey: { type: apiKey, in: header, name: X-Key }
`;

describe('providersFromOpenApi', () => {
  it('creates one provider per brokerable oauth2 flow from YAML, with its URLs and scopes', () => {
    const drafts = providersFromOpenApi(yamlDocument);
    expect(drafts.map((d) => [d.name, d.grantType])).toEqual([
      ['acme-crm-acmeauth-password', 'password'],
      ['acme-crm-acmeauth-client-credentials', 'client_credentials'],
    ]);
    expect(drafts[0]).toMatchObject({
      tokenUrl: 'https://auth.acme.test/token',
      refreshUrl: 'https://auth.acme.test/refresh',
      scopes: ['crm:read', 'crm:write'],
    });
  });

  it('reads a JSON object and an authorization-code flow, with a chosen name prefix', () => {
    const drafts = providersFromOpenApi(
      {
        openapi: '3.1.0',
        components: {
          securitySchemes: {
            oauth: {
              type: 'oauth2',
              flows: { authorizationCode: { authorizationUrl: 'https://a.test/auth', tokenUrl: 'https://a.test/token', scopes: { openid: '' } } },
            },
          },
        },
      },
      'mine',
    );
    expect(drafts).toEqual([expect.objectContaining({ name: 'mine-oauth-authorization-code', authorizationUrl: 'https://a.test/auth', scopes: ['openid'] })]);
  });

  it.each([
    ['swagger: "2.0"', 'document must be an OpenAPI 3 document'],
    ['openapi: 3.0.0\ncomponents: {}', 'document has no oauth2 security scheme'],
    ['{ not: [valid', 'document is neither JSON nor YAML'],
  ])('rejects %j as a validation error', (text, message) => {
    expect(() => providersFromOpenApi(text)).toThrow(BusError);
    expect(() => providersFromOpenApi(text)).toThrow(message);
  });
});
