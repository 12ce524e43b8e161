/* eslint-disable */
// @ts-nocheck
// GENERATED from ../../schema/provider-template.schema.json by `npm run catalog:schema` (ajv standalone). Do not edit:
// change the schema and regenerate; the catalog's spec fails while this file and the schema disagree.
import { equal, ucs2length } from './validator-runtime.js';
export const validate = validate20;
export default validate20;
const schema31 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://tessera.dev/schemas/catalog/provider-template.schema.json',
  title: 'Tessera provider template',
  description:
    "One OAuth 2 provider of the catalog: its URLs, variables and quirks, each fact backed by a page of the provider's own documentation. docs/decisions/0041-provider-catalog-format.md explains the format; libs/catalog/README.md how to add a provider.",
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'name', 'categories', 'docsUrl', 'grantTypes', 'tokenUrl', 'sources'],
  properties: {
    $schema: { type: 'string', description: 'Editor hint: the relative path to this schema.' },
    id: {
      type: 'string',
      pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
      description: "Stable identifier, the file's name without .json. Lowercase words joined by hyphens; never reused for another provider.",
    },
    version: {
      type: 'integer',
      minimum: 1,
      description: 'Bumped on every change of a fact; a provider made from the template remembers it, and a newer one is offered, never applied silently.',
    },
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Display name.' },
    description: { type: 'string', maxLength: 500, description: 'One sentence for the catalog list.' },
    categories: { type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: { $ref: '#/$defs/category' } },
    docsUrl: { $ref: '#/$defs/httpsUrl', description: "The provider's OAuth documentation, linked from the console." },
    grantTypes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['authorization_code', 'client_credentials', 'password', 'jwt_bearer'] },
      description:
        'The grants Tessera can run against this provider with this template. All other fields apply to each of them; a grant that needs other URLs or parameters is a template of its own.',
    },
    variables: {
      type: 'array',
      items: { $ref: '#/$defs/variable' },
      description: 'Every {{name}} used in a URL, declared. Order is the order a form asks for them.',
    },
    authorizationUrl: { $ref: '#/$defs/urlTemplate' },
    tokenUrl: { $ref: '#/$defs/urlTemplate' },
    refreshUrl: { $ref: '#/$defs/urlTemplate', description: 'Only when refreshes go elsewhere than tokenUrl.' },
    revocationUrl: { $ref: '#/$defs/urlTemplate', description: 'An RFC 7009 revocation endpoint (POST token, token_type_hint, client authentication).' },
    defaultScopes: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 200 },
      description: 'Scopes a new provider starts with; the admin may change them.',
    },
    scopeSeparator: {
      type: 'string',
      minLength: 1,
      maxLength: 5,
      description: 'How scopes are joined in the scope parameter. Absent: a space (RFC 6749 §3.3).',
    },
    authorizationParams: { $ref: '#/$defs/params', description: 'Extra query parameters of the authorization request.' },
    tokenParams: { $ref: '#/$defs/params', description: 'Extra form parameters of every token request.' },
    clientCredentialsGrantType: {
      type: 'string',
      pattern: '^[A-Za-z0-9_:.\\-]{1,100}$',
      description: "The grant_type value the provider expects where RFC 6749 says client_credentials (Zoom's account_credentials).",
    },
    clientAuthMethod: {
      enum: ['client_secret_basic', 'client_secret_post'],
      description:
        "How the client authenticates at the token endpoint: HTTP Basic, or client_id and client_secret in the form. Absent: not stated by the provider's docs.",
    },
    pkce: {
      enum: ['required', 'supported', 'unsupported'],
      description: "PKCE (RFC 7636, S256) at the authorization endpoint. Absent: the provider's docs do not say.",
    },
    tokenRequestFormat: {
      enum: ['form', 'json', 'query'],
      description:
        "Where token requests carry their parameters: form (RFC 6749), JSON where the provider accepts nothing else, or query where the provider documents the grant parameters in the URL's query string (Miro); with client_secret_post the client credentials then go in the form body. Absent: form.",
    },
    revocationRequestFormat: {
      enum: ['form', 'json'],
      description: 'Body of revocation requests: form (RFC 7009) or JSON where the provider documents only that. Absent: form.',
    },
    tokenResponse: { $ref: '#/$defs/tokenResponse' },
    assertion: { $ref: '#/$defs/assertion' },
    accessTokenLifetimeSeconds: {
      type: 'integer',
      minimum: 1,
      maximum: 315360000,
      description: 'The documented access-token lifetime, for providers whose answer has no expires_in.',
    },
    refresh: { $ref: '#/$defs/refresh' },
    api: { $ref: '#/$defs/api' },
    notes: { type: 'string', maxLength: 2000, description: 'What an admin should know that no field says (app registration, review, limits).' },
    unconfirmed: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 200 },
      description: "Facts looked for and not found in the provider's docs, so left out rather than guessed (field paths, or a short phrase).",
    },
    sources: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/source' },
      description: "The provider's own documentation pages, each naming the fields it supports.",
    },
  },
  $defs: {
    assertion: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'jwt_bearer (RFC 7523 §2.1): how the provider wants the assertion the broker signs. One fact as a whole.',
      properties: {
        audience: {
          type: 'string',
          minLength: 1,
          maxLength: 2048,
          description: 'The aud it wants, when not the token URL (Salesforce: https://login.salesforce.com; DocuSign: account.docusign.com).',
        },
        scope: {
          enum: ['param', 'claim'],
          description: 'Where it reads the scopes: the form parameter scope (RFC 7523) or a scope claim in the assertion (Google, DocuSign).',
        },
        algorithm: { enum: ['ES256', 'RS256', 'PS256'], description: 'The signing algorithm it takes.' },
      },
    },
    category: {
      enum: [
        'accounting',
        'analytics',
        'communication',
        'construction',
        'crm',
        'design',
        'developer-tools',
        'e-commerce',
        'erp',
        'file-storage',
        'fitness',
        'forms',
        'hr',
        'identity',
        'itsm',
        'marketing',
        'media',
        'payments',
        'productivity',
        'project-management',
        'sales',
        'scheduling',
        'signature',
        'social',
        'support',
        'video',
      ],
    },
    httpsUrl: { type: 'string', maxLength: 2048, pattern: '^https://[^\\s{}]+$' },
    urlTemplate: {
      type: 'string',
      maxLength: 2048,
      pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$',
      description: "An https URL that may hold {{variable}} placeholders; it may start with a variable that is a whole origin (Salesforce's instance_url).",
    },
    paramName: { type: 'string', pattern: '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' },
    params: { type: 'object', propertyNames: { $ref: '#/$defs/paramName' }, additionalProperties: { type: 'string', maxLength: 1000 } },
    variable: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'description', 'pattern', 'example', 'from'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$' },
        label: { type: 'string', maxLength: 100, description: 'Form label; absent: the name.' },
        description: { type: 'string', minLength: 1, maxLength: 500 },
        pattern: { type: 'string', minLength: 3, maxLength: 500, description: 'An anchored (^…$) JavaScript regular expression every value must match.' },
        example: { type: 'string', minLength: 1, maxLength: 500 },
        default: { type: 'string', minLength: 1, maxLength: 500 },
        from: {
          enum: ['provider', 'token', 'tokenResponse', 'callback'],
          description:
            "provider: entered once, when a provider is made from the template; token: entered for each token (one app, many accounts); tokenResponse: read from the token response at `key`; callback: read from the authorization callback's query parameter `key`.",
        },
        key: { type: 'string', pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', description: 'Where a tokenResponse or callback variable is read.' },
        hostParent: {
          type: 'string',
          pattern: '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
          description: 'For a variable that fills a host: the domain every filled host must be (or be under). The pattern must keep it there.',
        },
      },
    },
    tokenResponse: {
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { enum: ['json', 'form'], description: 'form: the provider answers application/x-www-form-urlencoded (at least unless asked for JSON).' },
        accessTokenPath: { $ref: '#/$defs/path' },
        refreshTokenPath: { $ref: '#/$defs/path' },
        expiresInPath: { $ref: '#/$defs/path' },
        expiresInUnit: { enum: ['seconds', 'milliseconds'] },
        expiresAtPath: { $ref: '#/$defs/path', description: 'An absolute expiry (seconds since the epoch) instead of expires_in.' },
        scopeSeparator: { type: 'string', minLength: 1, maxLength: 5, description: "How the answer's scope joins scopes, when not as requested." },
        errorWith200: {
          type: 'object',
          additionalProperties: false,
          required: ['path', 'okValue'],
          properties: { path: { $ref: '#/$defs/path' }, okValue: { type: ['boolean', 'string'] } },
          description: "The provider answers errors with 200: the answer is a success only when `path` holds `okValue` (Slack's ok: true).",
        },
      },
    },
    refresh: {
      type: 'object',
      additionalProperties: false,
      required: ['refreshTokens'],
      properties: {
        refreshTokens: { type: 'boolean', description: "Whether the provider issues refresh tokens with this template's settings." },
        rotating: { type: 'boolean', description: 'A refresh answers with a new refresh token and the old one stops working.' },
        lifetimeSeconds: { type: 'integer', minimum: 1, description: 'Absolute lifetime of a refresh token.' },
        idleLifetimeSeconds: { type: 'integer', minimum: 1, description: 'A refresh token unused this long expires.' },
        requires: {
          type: 'object',
          additionalProperties: false,
          properties: {
            scopes: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
            authorizationParams: { $ref: '#/$defs/params' },
          },
          description:
            'What must be asked for to get a refresh token (offline_access, access_type=offline); each must also be in defaultScopes / authorizationParams.',
        },
        grantParam: { $ref: '#/$defs/paramName', description: 'Parameter naming the refresh grant; absent: grant_type.' },
        grantValue: { type: 'string', minLength: 1, maxLength: 100, description: 'Its value; absent: refresh_token.' },
        params: { $ref: '#/$defs/params', description: 'Parameters of refresh requests, replacing tokenParams.' },
      },
    },
    api: {
      type: 'object',
      additionalProperties: false,
      required: ['baseUrl'],
      properties: {
        baseUrl: { $ref: '#/$defs/urlTemplate', description: 'Where the proxy forwards; the access token goes only here.' },
        tokenHeader: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'prefix'],
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' },
            prefix: { type: 'string', maxLength: 40, description: 'Written before the token, its space included ("Bearer "); empty for the bare token.' },
          },
          description: 'How API calls carry the token, when not Authorization: Bearer.',
        },
        headers: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z0-9-]{1,64}$' },
          additionalProperties: { type: 'string', maxLength: 200 },
          description: 'Fixed headers every API call needs (a version header).',
        },
        check: {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'path', 'expectedStatus'],
          properties: {
            method: { enum: ['GET', 'POST'] },
            path: { type: 'string', pattern: '^/[^\\s]*$', maxLength: 500, description: 'Under baseUrl; may hold {{variable}}s.' },
            body: { type: 'string', maxLength: 2000, description: 'A JSON body for POST checks.' },
            expectedStatus: { type: 'integer', minimum: 200, maximum: 299 },
          },
          description: 'One request that proves a token works.',
        },
      },
    },
    path: { type: 'string', pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', maxLength: 200 },
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'supports'],
      properties: {
        url: { $ref: '#/$defs/httpsUrl', description: "A page of the provider's own documentation." },
        title: { type: 'string', maxLength: 200 },
        via: { $ref: '#/$defs/httpsUrl', description: "Where the page's text was read, when not the page itself (the provider's documentation repository)." },
        supports: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_.\\-\\[\\]]+)?$' },
          description:
            'The fields this page supports, as paths (tokenUrl, refresh.rotating, authorizationParams.access_type, variables.tenant); a group (refresh) covers all its fields.',
        },
      },
    },
  },
};
const schema32 = {
  enum: [
    'accounting',
    'analytics',
    'communication',
    'construction',
    'crm',
    'design',
    'developer-tools',
    'e-commerce',
    'erp',
    'file-storage',
    'fitness',
    'forms',
    'hr',
    'identity',
    'itsm',
    'marketing',
    'media',
    'payments',
    'productivity',
    'project-management',
    'sales',
    'scheduling',
    'signature',
    'social',
    'support',
    'video',
  ],
};
const schema33 = { type: 'string', maxLength: 2048, pattern: '^https://[^\\s{}]+$' };
const schema34 = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'pattern', 'example', 'from'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$' },
    label: { type: 'string', maxLength: 100, description: 'Form label; absent: the name.' },
    description: { type: 'string', minLength: 1, maxLength: 500 },
    pattern: { type: 'string', minLength: 3, maxLength: 500, description: 'An anchored (^…$) JavaScript regular expression every value must match.' },
    example: { type: 'string', minLength: 1, maxLength: 500 },
    default: { type: 'string', minLength: 1, maxLength: 500 },
    from: {
      enum: ['provider', 'token', 'tokenResponse', 'callback'],
      description:
        "provider: entered once, when a provider is made from the template; token: entered for each token (one app, many accounts); tokenResponse: read from the token response at `key`; callback: read from the authorization callback's query parameter `key`.",
    },
    key: { type: 'string', pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', description: 'Where a tokenResponse or callback variable is read.' },
    hostParent: {
      type: 'string',
      pattern: '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
      description: 'For a variable that fills a host: the domain every filled host must be (or be under). The pattern must keep it there.',
    },
  },
};
const schema35 = {
  type: 'string',
  maxLength: 2048,
  pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$',
  description: "An https URL that may hold {{variable}} placeholders; it may start with a variable that is a whole origin (Salesforce's instance_url).",
};
const schema47 = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'jwt_bearer (RFC 7523 §2.1): how the provider wants the assertion the broker signs. One fact as a whole.',
  properties: {
    audience: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      description: 'The aud it wants, when not the token URL (Salesforce: https://login.salesforce.com; DocuSign: account.docusign.com).',
    },
    scope: {
      enum: ['param', 'claim'],
      description: 'Where it reads the scopes: the form parameter scope (RFC 7523) or a scope claim in the assertion (Google, DocuSign).',
    },
    algorithm: { enum: ['ES256', 'RS256', 'PS256'], description: 'The signing algorithm it takes.' },
  },
};
const func1 = Object.prototype.hasOwnProperty;
const func2 = ucs2length;
const func0 = equal;
const pattern4 = new RegExp('^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$', 'u');
const pattern5 = new RegExp('^https://[^\\s{}]+$', 'u');
const pattern6 = new RegExp('^[A-Za-z][A-Za-z0-9_]{0,62}$', 'u');
const pattern7 = new RegExp('^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', 'u');
const pattern8 = new RegExp('^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$', 'u');
const pattern9 = new RegExp('^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$', 'u');
const pattern14 = new RegExp('^[A-Za-z0-9_:.\\-]{1,100}$', 'u');
const schema39 = { type: 'object', propertyNames: { $ref: '#/$defs/paramName' }, additionalProperties: { type: 'string', maxLength: 1000 } };
const schema40 = { type: 'string', pattern: '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' };
const pattern13 = new RegExp('^[A-Za-z0-9_.\\-\\[\\]]{1,100}$', 'u');
function validate21(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate21.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    for (const key0 in data) {
      const _errs1 = errors;
      if (typeof key0 === 'string') {
        if (!pattern13.test(key0)) {
          const err0 = {
            instancePath,
            schemaPath: '#/$defs/paramName/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' + '"',
            propertyName: key0,
          };
          if (vErrors === null) {
            vErrors = [err0];
          } else {
            vErrors.push(err0);
          }
          errors++;
        }
      } else {
        const err1 = {
          instancePath,
          schemaPath: '#/$defs/paramName/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
          propertyName: key0,
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
      var valid0 = _errs1 === errors;
      if (!valid0) {
        const err2 = {
          instancePath,
          schemaPath: '#/propertyNames',
          keyword: 'propertyNames',
          params: { propertyName: key0 },
          message: 'property name must be valid',
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    for (const key1 in data) {
      let data0 = data[key1];
      if (typeof data0 === 'string') {
        if (func2(data0) > 1000) {
          const err3 = {
            instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
            schemaPath: '#/additionalProperties/maxLength',
            keyword: 'maxLength',
            params: { limit: 1000 },
            message: 'must NOT have more than 1000 characters',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/' + key1.replace(/~/g, '~0').replace(/\//g, '~1'),
          schemaPath: '#/additionalProperties/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
  } else {
    const err5 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  validate21.errors = vErrors;
  return errors === 0;
}
validate21.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema41 = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { enum: ['json', 'form'], description: 'form: the provider answers application/x-www-form-urlencoded (at least unless asked for JSON).' },
    accessTokenPath: { $ref: '#/$defs/path' },
    refreshTokenPath: { $ref: '#/$defs/path' },
    expiresInPath: { $ref: '#/$defs/path' },
    expiresInUnit: { enum: ['seconds', 'milliseconds'] },
    expiresAtPath: { $ref: '#/$defs/path', description: 'An absolute expiry (seconds since the epoch) instead of expires_in.' },
    scopeSeparator: { type: 'string', minLength: 1, maxLength: 5, description: "How the answer's scope joins scopes, when not as requested." },
    errorWith200: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'okValue'],
      properties: { path: { $ref: '#/$defs/path' }, okValue: { type: ['boolean', 'string'] } },
      description: "The provider answers errors with 200: the answer is a success only when `path` holds `okValue` (Slack's ok: true).",
    },
  },
};
const schema42 = { type: 'string', pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', maxLength: 200 };
function validate24(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate24.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!(
        key0 === 'format' ||
        key0 === 'accessTokenPath' ||
        key0 === 'refreshTokenPath' ||
        key0 === 'expiresInPath' ||
        key0 === 'expiresInUnit' ||
        key0 === 'expiresAtPath' ||
        key0 === 'scopeSeparator' ||
        key0 === 'errorWith200'
      )) {
        const err0 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.format !== undefined) {
      let data0 = data.format;
      if (!(data0 === 'json' || data0 === 'form')) {
        const err1 = {
          instancePath: instancePath + '/format',
          schemaPath: '#/properties/format/enum',
          keyword: 'enum',
          params: { allowedValues: schema41.properties.format.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.accessTokenPath !== undefined) {
      let data1 = data.accessTokenPath;
      if (typeof data1 === 'string') {
        if (func2(data1) > 200) {
          const err2 = {
            instancePath: instancePath + '/accessTokenPath',
            schemaPath: '#/$defs/path/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (!pattern7.test(data1)) {
          const err3 = {
            instancePath: instancePath + '/accessTokenPath',
            schemaPath: '#/$defs/path/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/accessTokenPath',
          schemaPath: '#/$defs/path/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.refreshTokenPath !== undefined) {
      let data2 = data.refreshTokenPath;
      if (typeof data2 === 'string') {
        if (func2(data2) > 200) {
          const err5 = {
            instancePath: instancePath + '/refreshTokenPath',
            schemaPath: '#/$defs/path/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
        if (!pattern7.test(data2)) {
          const err6 = {
            instancePath: instancePath + '/refreshTokenPath',
            schemaPath: '#/$defs/path/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + '/refreshTokenPath',
          schemaPath: '#/$defs/path/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
    if (data.expiresInPath !== undefined) {
      let data3 = data.expiresInPath;
      if (typeof data3 === 'string') {
        if (func2(data3) > 200) {
          const err8 = {
            instancePath: instancePath + '/expiresInPath',
            schemaPath: '#/$defs/path/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        if (!pattern7.test(data3)) {
          const err9 = {
            instancePath: instancePath + '/expiresInPath',
            schemaPath: '#/$defs/path/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      } else {
        const err10 = {
          instancePath: instancePath + '/expiresInPath',
          schemaPath: '#/$defs/path/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
    }
    if (data.expiresInUnit !== undefined) {
      let data4 = data.expiresInUnit;
      if (!(data4 === 'seconds' || data4 === 'milliseconds')) {
        const err11 = {
          instancePath: instancePath + '/expiresInUnit',
          schemaPath: '#/properties/expiresInUnit/enum',
          keyword: 'enum',
          params: { allowedValues: schema41.properties.expiresInUnit.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err11];
        } else {
          vErrors.push(err11);
        }
        errors++;
      }
    }
    if (data.expiresAtPath !== undefined) {
      let data5 = data.expiresAtPath;
      if (typeof data5 === 'string') {
        if (func2(data5) > 200) {
          const err12 = {
            instancePath: instancePath + '/expiresAtPath',
            schemaPath: '#/$defs/path/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err12];
          } else {
            vErrors.push(err12);
          }
          errors++;
        }
        if (!pattern7.test(data5)) {
          const err13 = {
            instancePath: instancePath + '/expiresAtPath',
            schemaPath: '#/$defs/path/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err13];
          } else {
            vErrors.push(err13);
          }
          errors++;
        }
      } else {
        const err14 = {
          instancePath: instancePath + '/expiresAtPath',
          schemaPath: '#/$defs/path/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
    }
    if (data.scopeSeparator !== undefined) {
      let data6 = data.scopeSeparator;
      if (typeof data6 === 'string') {
        if (func2(data6) > 5) {
          const err15 = {
            instancePath: instancePath + '/scopeSeparator',
            schemaPath: '#/properties/scopeSeparator/maxLength',
            keyword: 'maxLength',
            params: { limit: 5 },
            message: 'must NOT have more than 5 characters',
          };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
        if (func2(data6) < 1) {
          const err16 = {
            instancePath: instancePath + '/scopeSeparator',
            schemaPath: '#/properties/scopeSeparator/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
      } else {
        const err17 = {
          instancePath: instancePath + '/scopeSeparator',
          schemaPath: '#/properties/scopeSeparator/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
    }
    if (data.errorWith200 !== undefined) {
      let data7 = data.errorWith200;
      if (data7 && typeof data7 == 'object' && !Array.isArray(data7)) {
        if (data7.path === undefined) {
          const err18 = {
            instancePath: instancePath + '/errorWith200',
            schemaPath: '#/properties/errorWith200/required',
            keyword: 'required',
            params: { missingProperty: 'path' },
            message: "must have required property '" + 'path' + "'",
          };
          if (vErrors === null) {
            vErrors = [err18];
          } else {
            vErrors.push(err18);
          }
          errors++;
        }
        if (data7.okValue === undefined) {
          const err19 = {
            instancePath: instancePath + '/errorWith200',
            schemaPath: '#/properties/errorWith200/required',
            keyword: 'required',
            params: { missingProperty: 'okValue' },
            message: "must have required property '" + 'okValue' + "'",
          };
          if (vErrors === null) {
            vErrors = [err19];
          } else {
            vErrors.push(err19);
          }
          errors++;
        }
        for (const key1 in data7) {
          if (!(key1 === 'path' || key1 === 'okValue')) {
            const err20 = {
              instancePath: instancePath + '/errorWith200',
              schemaPath: '#/properties/errorWith200/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key1 },
              message: 'must NOT have additional properties',
            };
            if (vErrors === null) {
              vErrors = [err20];
            } else {
              vErrors.push(err20);
            }
            errors++;
          }
        }
        if (data7.path !== undefined) {
          let data8 = data7.path;
          if (typeof data8 === 'string') {
            if (func2(data8) > 200) {
              const err21 = {
                instancePath: instancePath + '/errorWith200/path',
                schemaPath: '#/$defs/path/maxLength',
                keyword: 'maxLength',
                params: { limit: 200 },
                message: 'must NOT have more than 200 characters',
              };
              if (vErrors === null) {
                vErrors = [err21];
              } else {
                vErrors.push(err21);
              }
              errors++;
            }
            if (!pattern7.test(data8)) {
              const err22 = {
                instancePath: instancePath + '/errorWith200/path',
                schemaPath: '#/$defs/path/pattern',
                keyword: 'pattern',
                params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
                message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
              };
              if (vErrors === null) {
                vErrors = [err22];
              } else {
                vErrors.push(err22);
              }
              errors++;
            }
          } else {
            const err23 = {
              instancePath: instancePath + '/errorWith200/path',
              schemaPath: '#/$defs/path/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err23];
            } else {
              vErrors.push(err23);
            }
            errors++;
          }
        }
        if (data7.okValue !== undefined) {
          let data9 = data7.okValue;
          if (typeof data9 !== 'boolean' && typeof data9 !== 'string') {
            const err24 = {
              instancePath: instancePath + '/errorWith200/okValue',
              schemaPath: '#/properties/errorWith200/properties/okValue/type',
              keyword: 'type',
              params: { type: schema41.properties.errorWith200.properties.okValue.type },
              message: 'must be boolean,string',
            };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
        }
      } else {
        const err25 = {
          instancePath: instancePath + '/errorWith200',
          schemaPath: '#/properties/errorWith200/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err25];
        } else {
          vErrors.push(err25);
        }
        errors++;
      }
    }
  } else {
    const err26 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err26];
    } else {
      vErrors.push(err26);
    }
    errors++;
  }
  validate24.errors = vErrors;
  return errors === 0;
}
validate24.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema48 = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshTokens'],
  properties: {
    refreshTokens: { type: 'boolean', description: "Whether the provider issues refresh tokens with this template's settings." },
    rotating: { type: 'boolean', description: 'A refresh answers with a new refresh token and the old one stops working.' },
    lifetimeSeconds: { type: 'integer', minimum: 1, description: 'Absolute lifetime of a refresh token.' },
    idleLifetimeSeconds: { type: 'integer', minimum: 1, description: 'A refresh token unused this long expires.' },
    requires: {
      type: 'object',
      additionalProperties: false,
      properties: { scopes: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } }, authorizationParams: { $ref: '#/$defs/params' } },
      description:
        'What must be asked for to get a refresh token (offline_access, access_type=offline); each must also be in defaultScopes / authorizationParams.',
    },
    grantParam: { $ref: '#/$defs/paramName', description: 'Parameter naming the refresh grant; absent: grant_type.' },
    grantValue: { type: 'string', minLength: 1, maxLength: 100, description: 'Its value; absent: refresh_token.' },
    params: { $ref: '#/$defs/params', description: 'Parameters of refresh requests, replacing tokenParams.' },
  },
};
function validate26(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate26.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.refreshTokens === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'refreshTokens' },
        message: "must have required property '" + 'refreshTokens' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(
        key0 === 'refreshTokens' ||
        key0 === 'rotating' ||
        key0 === 'lifetimeSeconds' ||
        key0 === 'idleLifetimeSeconds' ||
        key0 === 'requires' ||
        key0 === 'grantParam' ||
        key0 === 'grantValue' ||
        key0 === 'params'
      )) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.refreshTokens !== undefined) {
      if (typeof data.refreshTokens !== 'boolean') {
        const err2 = {
          instancePath: instancePath + '/refreshTokens',
          schemaPath: '#/properties/refreshTokens/type',
          keyword: 'type',
          params: { type: 'boolean' },
          message: 'must be boolean',
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.rotating !== undefined) {
      if (typeof data.rotating !== 'boolean') {
        const err3 = {
          instancePath: instancePath + '/rotating',
          schemaPath: '#/properties/rotating/type',
          keyword: 'type',
          params: { type: 'boolean' },
          message: 'must be boolean',
        };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.lifetimeSeconds !== undefined) {
      let data2 = data.lifetimeSeconds;
      if (!(typeof data2 == 'number' && !(data2 % 1) && !isNaN(data2) && isFinite(data2))) {
        const err4 = {
          instancePath: instancePath + '/lifetimeSeconds',
          schemaPath: '#/properties/lifetimeSeconds/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
      if (typeof data2 == 'number' && isFinite(data2)) {
        if (data2 < 1 || isNaN(data2)) {
          const err5 = {
            instancePath: instancePath + '/lifetimeSeconds',
            schemaPath: '#/properties/lifetimeSeconds/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      }
    }
    if (data.idleLifetimeSeconds !== undefined) {
      let data3 = data.idleLifetimeSeconds;
      if (!(typeof data3 == 'number' && !(data3 % 1) && !isNaN(data3) && isFinite(data3))) {
        const err6 = {
          instancePath: instancePath + '/idleLifetimeSeconds',
          schemaPath: '#/properties/idleLifetimeSeconds/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
      if (typeof data3 == 'number' && isFinite(data3)) {
        if (data3 < 1 || isNaN(data3)) {
          const err7 = {
            instancePath: instancePath + '/idleLifetimeSeconds',
            schemaPath: '#/properties/idleLifetimeSeconds/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      }
    }
    if (data.requires !== undefined) {
      let data4 = data.requires;
      if (data4 && typeof data4 == 'object' && !Array.isArray(data4)) {
        for (const key1 in data4) {
          if (!(key1 === 'scopes' || key1 === 'authorizationParams')) {
            const err8 = {
              instancePath: instancePath + '/requires',
              schemaPath: '#/properties/requires/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key1 },
              message: 'must NOT have additional properties',
            };
            if (vErrors === null) {
              vErrors = [err8];
            } else {
              vErrors.push(err8);
            }
            errors++;
          }
        }
        if (data4.scopes !== undefined) {
          let data5 = data4.scopes;
          if (Array.isArray(data5)) {
            const len0 = data5.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data6 = data5[i0];
              if (typeof data6 === 'string') {
                if (func2(data6) < 1) {
                  const err9 = {
                    instancePath: instancePath + '/requires/scopes/' + i0,
                    schemaPath: '#/properties/requires/properties/scopes/items/minLength',
                    keyword: 'minLength',
                    params: { limit: 1 },
                    message: 'must NOT have fewer than 1 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err9];
                  } else {
                    vErrors.push(err9);
                  }
                  errors++;
                }
              } else {
                const err10 = {
                  instancePath: instancePath + '/requires/scopes/' + i0,
                  schemaPath: '#/properties/requires/properties/scopes/items/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err10];
                } else {
                  vErrors.push(err10);
                }
                errors++;
              }
            }
            let i1 = data5.length;
            let j0;
            if (i1 > 1) {
              const indices0 = {};
              for (; i1--;) {
                let item0 = data5[i1];
                if (typeof item0 !== 'string') {
                  continue;
                }
                if (typeof indices0[item0] == 'number') {
                  j0 = indices0[item0];
                  const err11 = {
                    instancePath: instancePath + '/requires/scopes',
                    schemaPath: '#/properties/requires/properties/scopes/uniqueItems',
                    keyword: 'uniqueItems',
                    params: { i: i1, j: j0 },
                    message: 'must NOT have duplicate items (items ## ' + j0 + ' and ' + i1 + ' are identical)',
                  };
                  if (vErrors === null) {
                    vErrors = [err11];
                  } else {
                    vErrors.push(err11);
                  }
                  errors++;
                  break;
                }
                indices0[item0] = i1;
              }
            }
          } else {
            const err12 = {
              instancePath: instancePath + '/requires/scopes',
              schemaPath: '#/properties/requires/properties/scopes/type',
              keyword: 'type',
              params: { type: 'array' },
              message: 'must be array',
            };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
        if (data4.authorizationParams !== undefined) {
          if (
            !validate21(data4.authorizationParams, {
              instancePath: instancePath + '/requires/authorizationParams',
              parentData: data4,
              parentDataProperty: 'authorizationParams',
              rootData,
              dynamicAnchors,
            })
          ) {
            vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err13 = {
          instancePath: instancePath + '/requires',
          schemaPath: '#/properties/requires/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
    }
    if (data.grantParam !== undefined) {
      let data8 = data.grantParam;
      if (typeof data8 === 'string') {
        if (!pattern13.test(data8)) {
          const err14 = {
            instancePath: instancePath + '/grantParam',
            schemaPath: '#/$defs/paramName/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_.\\-\\[\\]]{1,100}$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      } else {
        const err15 = {
          instancePath: instancePath + '/grantParam',
          schemaPath: '#/$defs/paramName/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
    if (data.grantValue !== undefined) {
      let data9 = data.grantValue;
      if (typeof data9 === 'string') {
        if (func2(data9) > 100) {
          const err16 = {
            instancePath: instancePath + '/grantValue',
            schemaPath: '#/properties/grantValue/maxLength',
            keyword: 'maxLength',
            params: { limit: 100 },
            message: 'must NOT have more than 100 characters',
          };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
        if (func2(data9) < 1) {
          const err17 = {
            instancePath: instancePath + '/grantValue',
            schemaPath: '#/properties/grantValue/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err17];
          } else {
            vErrors.push(err17);
          }
          errors++;
        }
      } else {
        const err18 = {
          instancePath: instancePath + '/grantValue',
          schemaPath: '#/properties/grantValue/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
    if (data.params !== undefined) {
      if (!validate21(data.params, { instancePath: instancePath + '/params', parentData: data, parentDataProperty: 'params', rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err19 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err19];
    } else {
      vErrors.push(err19);
    }
    errors++;
  }
  validate26.errors = vErrors;
  return errors === 0;
}
validate26.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema50 = {
  type: 'object',
  additionalProperties: false,
  required: ['baseUrl'],
  properties: {
    baseUrl: { $ref: '#/$defs/urlTemplate', description: 'Where the proxy forwards; the access token goes only here.' },
    tokenHeader: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'prefix'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' },
        prefix: { type: 'string', maxLength: 40, description: 'Written before the token, its space included ("Bearer "); empty for the bare token.' },
      },
      description: 'How API calls carry the token, when not Authorization: Bearer.',
    },
    headers: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{1,64}$' },
      additionalProperties: { type: 'string', maxLength: 200 },
      description: 'Fixed headers every API call needs (a version header).',
    },
    check: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'path', 'expectedStatus'],
      properties: {
        method: { enum: ['GET', 'POST'] },
        path: { type: 'string', pattern: '^/[^\\s]*$', maxLength: 500, description: 'Under baseUrl; may hold {{variable}}s.' },
        body: { type: 'string', maxLength: 2000, description: 'A JSON body for POST checks.' },
        expectedStatus: { type: 'integer', minimum: 200, maximum: 299 },
      },
      description: 'One request that proves a token works.',
    },
  },
};
const pattern22 = new RegExp('^[A-Za-z0-9-]{1,64}$', 'u');
const pattern24 = new RegExp('^/[^\\s]*$', 'u');
function validate30(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate30.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.baseUrl === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'baseUrl' },
        message: "must have required property '" + 'baseUrl' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === 'baseUrl' || key0 === 'tokenHeader' || key0 === 'headers' || key0 === 'check')) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.baseUrl !== undefined) {
      let data0 = data.baseUrl;
      if (typeof data0 === 'string') {
        if (func2(data0) > 2048) {
          const err2 = {
            instancePath: instancePath + '/baseUrl',
            schemaPath: '#/$defs/urlTemplate/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (!pattern9.test(data0)) {
          const err3 = {
            instancePath: instancePath + '/baseUrl',
            schemaPath: '#/$defs/urlTemplate/pattern',
            keyword: 'pattern',
            params: { pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' },
            message: 'must match pattern "' + '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = {
          instancePath: instancePath + '/baseUrl',
          schemaPath: '#/$defs/urlTemplate/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.tokenHeader !== undefined) {
      let data1 = data.tokenHeader;
      if (data1 && typeof data1 == 'object' && !Array.isArray(data1)) {
        if (data1.name === undefined) {
          const err5 = {
            instancePath: instancePath + '/tokenHeader',
            schemaPath: '#/properties/tokenHeader/required',
            keyword: 'required',
            params: { missingProperty: 'name' },
            message: "must have required property '" + 'name' + "'",
          };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
        if (data1.prefix === undefined) {
          const err6 = {
            instancePath: instancePath + '/tokenHeader',
            schemaPath: '#/properties/tokenHeader/required',
            keyword: 'required',
            params: { missingProperty: 'prefix' },
            message: "must have required property '" + 'prefix' + "'",
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
        for (const key1 in data1) {
          if (!(key1 === 'name' || key1 === 'prefix')) {
            const err7 = {
              instancePath: instancePath + '/tokenHeader',
              schemaPath: '#/properties/tokenHeader/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key1 },
              message: 'must NOT have additional properties',
            };
            if (vErrors === null) {
              vErrors = [err7];
            } else {
              vErrors.push(err7);
            }
            errors++;
          }
        }
        if (data1.name !== undefined) {
          let data2 = data1.name;
          if (typeof data2 === 'string') {
            if (!pattern22.test(data2)) {
              const err8 = {
                instancePath: instancePath + '/tokenHeader/name',
                schemaPath: '#/properties/tokenHeader/properties/name/pattern',
                keyword: 'pattern',
                params: { pattern: '^[A-Za-z0-9-]{1,64}$' },
                message: 'must match pattern "' + '^[A-Za-z0-9-]{1,64}$' + '"',
              };
              if (vErrors === null) {
                vErrors = [err8];
              } else {
                vErrors.push(err8);
              }
              errors++;
            }
          } else {
            const err9 = {
              instancePath: instancePath + '/tokenHeader/name',
              schemaPath: '#/properties/tokenHeader/properties/name/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err9];
            } else {
              vErrors.push(err9);
            }
            errors++;
          }
        }
        if (data1.prefix !== undefined) {
          let data3 = data1.prefix;
          if (typeof data3 === 'string') {
            if (func2(data3) > 40) {
              const err10 = {
                instancePath: instancePath + '/tokenHeader/prefix',
                schemaPath: '#/properties/tokenHeader/properties/prefix/maxLength',
                keyword: 'maxLength',
                params: { limit: 40 },
                message: 'must NOT have more than 40 characters',
              };
              if (vErrors === null) {
                vErrors = [err10];
              } else {
                vErrors.push(err10);
              }
              errors++;
            }
          } else {
            const err11 = {
              instancePath: instancePath + '/tokenHeader/prefix',
              schemaPath: '#/properties/tokenHeader/properties/prefix/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err11];
            } else {
              vErrors.push(err11);
            }
            errors++;
          }
        }
      } else {
        const err12 = {
          instancePath: instancePath + '/tokenHeader',
          schemaPath: '#/properties/tokenHeader/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
    }
    if (data.headers !== undefined) {
      let data4 = data.headers;
      if (data4 && typeof data4 == 'object' && !Array.isArray(data4)) {
        for (const key2 in data4) {
          const _errs14 = errors;
          if (typeof key2 === 'string') {
            if (!pattern22.test(key2)) {
              const err13 = {
                instancePath: instancePath + '/headers',
                schemaPath: '#/properties/headers/propertyNames/pattern',
                keyword: 'pattern',
                params: { pattern: '^[A-Za-z0-9-]{1,64}$' },
                message: 'must match pattern "' + '^[A-Za-z0-9-]{1,64}$' + '"',
                propertyName: key2,
              };
              if (vErrors === null) {
                vErrors = [err13];
              } else {
                vErrors.push(err13);
              }
              errors++;
            }
          }
          var valid3 = _errs14 === errors;
          if (!valid3) {
            const err14 = {
              instancePath: instancePath + '/headers',
              schemaPath: '#/properties/headers/propertyNames',
              keyword: 'propertyNames',
              params: { propertyName: key2 },
              message: 'property name must be valid',
            };
            if (vErrors === null) {
              vErrors = [err14];
            } else {
              vErrors.push(err14);
            }
            errors++;
          }
        }
        for (const key3 in data4) {
          let data5 = data4[key3];
          if (typeof data5 === 'string') {
            if (func2(data5) > 200) {
              const err15 = {
                instancePath: instancePath + '/headers/' + key3.replace(/~/g, '~0').replace(/\//g, '~1'),
                schemaPath: '#/properties/headers/additionalProperties/maxLength',
                keyword: 'maxLength',
                params: { limit: 200 },
                message: 'must NOT have more than 200 characters',
              };
              if (vErrors === null) {
                vErrors = [err15];
              } else {
                vErrors.push(err15);
              }
              errors++;
            }
          } else {
            const err16 = {
              instancePath: instancePath + '/headers/' + key3.replace(/~/g, '~0').replace(/\//g, '~1'),
              schemaPath: '#/properties/headers/additionalProperties/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err16];
            } else {
              vErrors.push(err16);
            }
            errors++;
          }
        }
      } else {
        const err17 = {
          instancePath: instancePath + '/headers',
          schemaPath: '#/properties/headers/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
    }
    if (data.check !== undefined) {
      let data6 = data.check;
      if (data6 && typeof data6 == 'object' && !Array.isArray(data6)) {
        if (data6.method === undefined) {
          const err18 = {
            instancePath: instancePath + '/check',
            schemaPath: '#/properties/check/required',
            keyword: 'required',
            params: { missingProperty: 'method' },
            message: "must have required property '" + 'method' + "'",
          };
          if (vErrors === null) {
            vErrors = [err18];
          } else {
            vErrors.push(err18);
          }
          errors++;
        }
        if (data6.path === undefined) {
          const err19 = {
            instancePath: instancePath + '/check',
            schemaPath: '#/properties/check/required',
            keyword: 'required',
            params: { missingProperty: 'path' },
            message: "must have required property '" + 'path' + "'",
          };
          if (vErrors === null) {
            vErrors = [err19];
          } else {
            vErrors.push(err19);
          }
          errors++;
        }
        if (data6.expectedStatus === undefined) {
          const err20 = {
            instancePath: instancePath + '/check',
            schemaPath: '#/properties/check/required',
            keyword: 'required',
            params: { missingProperty: 'expectedStatus' },
            message: "must have required property '" + 'expectedStatus' + "'",
          };
          if (vErrors === null) {
            vErrors = [err20];
          } else {
            vErrors.push(err20);
          }
          errors++;
        }
        for (const key4 in data6) {
          if (!(key4 === 'method' || key4 === 'path' || key4 === 'body' || key4 === 'expectedStatus')) {
            const err21 = {
              instancePath: instancePath + '/check',
              schemaPath: '#/properties/check/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key4 },
              message: 'must NOT have additional properties',
            };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
        if (data6.method !== undefined) {
          let data7 = data6.method;
          if (!(data7 === 'GET' || data7 === 'POST')) {
            const err22 = {
              instancePath: instancePath + '/check/method',
              schemaPath: '#/properties/check/properties/method/enum',
              keyword: 'enum',
              params: { allowedValues: schema50.properties.check.properties.method.enum },
              message: 'must be equal to one of the allowed values',
            };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
        if (data6.path !== undefined) {
          let data8 = data6.path;
          if (typeof data8 === 'string') {
            if (func2(data8) > 500) {
              const err23 = {
                instancePath: instancePath + '/check/path',
                schemaPath: '#/properties/check/properties/path/maxLength',
                keyword: 'maxLength',
                params: { limit: 500 },
                message: 'must NOT have more than 500 characters',
              };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
            if (!pattern24.test(data8)) {
              const err24 = {
                instancePath: instancePath + '/check/path',
                schemaPath: '#/properties/check/properties/path/pattern',
                keyword: 'pattern',
                params: { pattern: '^/[^\\s]*$' },
                message: 'must match pattern "' + '^/[^\\s]*$' + '"',
              };
              if (vErrors === null) {
                vErrors = [err24];
              } else {
                vErrors.push(err24);
              }
              errors++;
            }
          } else {
            const err25 = {
              instancePath: instancePath + '/check/path',
              schemaPath: '#/properties/check/properties/path/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err25];
            } else {
              vErrors.push(err25);
            }
            errors++;
          }
        }
        if (data6.body !== undefined) {
          let data9 = data6.body;
          if (typeof data9 === 'string') {
            if (func2(data9) > 2000) {
              const err26 = {
                instancePath: instancePath + '/check/body',
                schemaPath: '#/properties/check/properties/body/maxLength',
                keyword: 'maxLength',
                params: { limit: 2000 },
                message: 'must NOT have more than 2000 characters',
              };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
          } else {
            const err27 = {
              instancePath: instancePath + '/check/body',
              schemaPath: '#/properties/check/properties/body/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err27];
            } else {
              vErrors.push(err27);
            }
            errors++;
          }
        }
        if (data6.expectedStatus !== undefined) {
          let data10 = data6.expectedStatus;
          if (!(typeof data10 == 'number' && !(data10 % 1) && !isNaN(data10) && isFinite(data10))) {
            const err28 = {
              instancePath: instancePath + '/check/expectedStatus',
              schemaPath: '#/properties/check/properties/expectedStatus/type',
              keyword: 'type',
              params: { type: 'integer' },
              message: 'must be integer',
            };
            if (vErrors === null) {
              vErrors = [err28];
            } else {
              vErrors.push(err28);
            }
            errors++;
          }
          if (typeof data10 == 'number' && isFinite(data10)) {
            if (data10 > 299 || isNaN(data10)) {
              const err29 = {
                instancePath: instancePath + '/check/expectedStatus',
                schemaPath: '#/properties/check/properties/expectedStatus/maximum',
                keyword: 'maximum',
                params: { comparison: '<=', limit: 299 },
                message: 'must be <= 299',
              };
              if (vErrors === null) {
                vErrors = [err29];
              } else {
                vErrors.push(err29);
              }
              errors++;
            }
            if (data10 < 200 || isNaN(data10)) {
              const err30 = {
                instancePath: instancePath + '/check/expectedStatus',
                schemaPath: '#/properties/check/properties/expectedStatus/minimum',
                keyword: 'minimum',
                params: { comparison: '>=', limit: 200 },
                message: 'must be >= 200',
              };
              if (vErrors === null) {
                vErrors = [err30];
              } else {
                vErrors.push(err30);
              }
              errors++;
            }
          }
        }
      } else {
        const err31 = {
          instancePath: instancePath + '/check',
          schemaPath: '#/properties/check/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err31];
        } else {
          vErrors.push(err31);
        }
        errors++;
      }
    }
  } else {
    const err32 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err32];
    } else {
      vErrors.push(err32);
    }
    errors++;
  }
  validate30.errors = vErrors;
  return errors === 0;
}
validate30.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
const schema52 = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'supports'],
  properties: {
    url: { $ref: '#/$defs/httpsUrl', description: "A page of the provider's own documentation." },
    title: { type: 'string', maxLength: 200 },
    via: { $ref: '#/$defs/httpsUrl', description: "Where the page's text was read, when not the page itself (the provider's documentation repository)." },
    supports: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_.\\-\\[\\]]+)?$' },
      description:
        'The fields this page supports, as paths (tokenUrl, refresh.rotating, authorizationParams.access_type, variables.tenant); a group (refresh) covers all its fields.',
    },
  },
};
const pattern27 = new RegExp('^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_.\\-\\[\\]]+)?$', 'u');
function validate32(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate32.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.url === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'url' },
        message: "must have required property '" + 'url' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.supports === undefined) {
      const err1 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'supports' },
        message: "must have required property '" + 'supports' + "'",
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === 'url' || key0 === 'title' || key0 === 'via' || key0 === 'supports')) {
        const err2 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.url !== undefined) {
      let data0 = data.url;
      if (typeof data0 === 'string') {
        if (func2(data0) > 2048) {
          const err3 = {
            instancePath: instancePath + '/url',
            schemaPath: '#/$defs/httpsUrl/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
        if (!pattern5.test(data0)) {
          const err4 = {
            instancePath: instancePath + '/url',
            schemaPath: '#/$defs/httpsUrl/pattern',
            keyword: 'pattern',
            params: { pattern: '^https://[^\\s{}]+$' },
            message: 'must match pattern "' + '^https://[^\\s{}]+$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
      } else {
        const err5 = {
          instancePath: instancePath + '/url',
          schemaPath: '#/$defs/httpsUrl/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.title !== undefined) {
      let data1 = data.title;
      if (typeof data1 === 'string') {
        if (func2(data1) > 200) {
          const err6 = {
            instancePath: instancePath + '/title',
            schemaPath: '#/properties/title/maxLength',
            keyword: 'maxLength',
            params: { limit: 200 },
            message: 'must NOT have more than 200 characters',
          };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = {
          instancePath: instancePath + '/title',
          schemaPath: '#/properties/title/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
    }
    if (data.via !== undefined) {
      let data2 = data.via;
      if (typeof data2 === 'string') {
        if (func2(data2) > 2048) {
          const err8 = {
            instancePath: instancePath + '/via',
            schemaPath: '#/$defs/httpsUrl/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        if (!pattern5.test(data2)) {
          const err9 = {
            instancePath: instancePath + '/via',
            schemaPath: '#/$defs/httpsUrl/pattern',
            keyword: 'pattern',
            params: { pattern: '^https://[^\\s{}]+$' },
            message: 'must match pattern "' + '^https://[^\\s{}]+$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      } else {
        const err10 = {
          instancePath: instancePath + '/via',
          schemaPath: '#/$defs/httpsUrl/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
    }
    if (data.supports !== undefined) {
      let data3 = data.supports;
      if (Array.isArray(data3)) {
        if (data3.length < 1) {
          const err11 = {
            instancePath: instancePath + '/supports',
            schemaPath: '#/properties/supports/minItems',
            keyword: 'minItems',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 items',
          };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
        const len0 = data3.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data4 = data3[i0];
          if (typeof data4 === 'string') {
            if (!pattern27.test(data4)) {
              const err12 = {
                instancePath: instancePath + '/supports/' + i0,
                schemaPath: '#/properties/supports/items/pattern',
                keyword: 'pattern',
                params: { pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_.\\-\\[\\]]+)?$' },
                message: 'must match pattern "' + '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_.\\-\\[\\]]+)?$' + '"',
              };
              if (vErrors === null) {
                vErrors = [err12];
              } else {
                vErrors.push(err12);
              }
              errors++;
            }
          } else {
            const err13 = {
              instancePath: instancePath + '/supports/' + i0,
              schemaPath: '#/properties/supports/items/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
        let i1 = data3.length;
        let j0;
        if (i1 > 1) {
          const indices0 = {};
          for (; i1--;) {
            let item0 = data3[i1];
            if (typeof item0 !== 'string') {
              continue;
            }
            if (typeof indices0[item0] == 'number') {
              j0 = indices0[item0];
              const err14 = {
                instancePath: instancePath + '/supports',
                schemaPath: '#/properties/supports/uniqueItems',
                keyword: 'uniqueItems',
                params: { i: i1, j: j0 },
                message: 'must NOT have duplicate items (items ## ' + j0 + ' and ' + i1 + ' are identical)',
              };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
              break;
            }
            indices0[item0] = i1;
          }
        }
      } else {
        const err15 = {
          instancePath: instancePath + '/supports',
          schemaPath: '#/properties/supports/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
  } else {
    const err16 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err16];
    } else {
      vErrors.push(err16);
    }
    errors++;
  }
  validate32.errors = vErrors;
  return errors === 0;
}
validate32.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
function validate20(data, { instancePath = '', parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  /*# sourceURL="https://tessera.dev/schemas/catalog/provider-template.schema.json" */ let vErrors = null;
  let errors = 0;
  const evaluated0 = validate20.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
  }
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.id === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'id' },
        message: "must have required property '" + 'id' + "'",
      };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.version === undefined) {
      const err1 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'version' },
        message: "must have required property '" + 'version' + "'",
      };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data.name === undefined) {
      const err2 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'name' },
        message: "must have required property '" + 'name' + "'",
      };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
    if (data.categories === undefined) {
      const err3 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'categories' },
        message: "must have required property '" + 'categories' + "'",
      };
      if (vErrors === null) {
        vErrors = [err3];
      } else {
        vErrors.push(err3);
      }
      errors++;
    }
    if (data.docsUrl === undefined) {
      const err4 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'docsUrl' },
        message: "must have required property '" + 'docsUrl' + "'",
      };
      if (vErrors === null) {
        vErrors = [err4];
      } else {
        vErrors.push(err4);
      }
      errors++;
    }
    if (data.grantTypes === undefined) {
      const err5 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'grantTypes' },
        message: "must have required property '" + 'grantTypes' + "'",
      };
      if (vErrors === null) {
        vErrors = [err5];
      } else {
        vErrors.push(err5);
      }
      errors++;
    }
    if (data.tokenUrl === undefined) {
      const err6 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'tokenUrl' },
        message: "must have required property '" + 'tokenUrl' + "'",
      };
      if (vErrors === null) {
        vErrors = [err6];
      } else {
        vErrors.push(err6);
      }
      errors++;
    }
    if (data.sources === undefined) {
      const err7 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'sources' },
        message: "must have required property '" + 'sources' + "'",
      };
      if (vErrors === null) {
        vErrors = [err7];
      } else {
        vErrors.push(err7);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func1.call(schema31.properties, key0)) {
        const err8 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties',
        };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.$schema !== undefined) {
      if (typeof data.$schema !== 'string') {
        const err9 = {
          instancePath: instancePath + '/$schema',
          schemaPath: '#/properties/%24schema/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
    }
    if (data.id !== undefined) {
      let data1 = data.id;
      if (typeof data1 === 'string') {
        if (!pattern4.test(data1)) {
          const err10 = {
            instancePath: instancePath + '/id',
            schemaPath: '#/properties/id/pattern',
            keyword: 'pattern',
            params: { pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$' },
            message: 'must match pattern "' + '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err10];
          } else {
            vErrors.push(err10);
          }
          errors++;
        }
      } else {
        const err11 = {
          instancePath: instancePath + '/id',
          schemaPath: '#/properties/id/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err11];
        } else {
          vErrors.push(err11);
        }
        errors++;
      }
    }
    if (data.version !== undefined) {
      let data2 = data.version;
      if (!(typeof data2 == 'number' && !(data2 % 1) && !isNaN(data2) && isFinite(data2))) {
        const err12 = {
          instancePath: instancePath + '/version',
          schemaPath: '#/properties/version/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
      if (typeof data2 == 'number' && isFinite(data2)) {
        if (data2 < 1 || isNaN(data2)) {
          const err13 = {
            instancePath: instancePath + '/version',
            schemaPath: '#/properties/version/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err13];
          } else {
            vErrors.push(err13);
          }
          errors++;
        }
      }
    }
    if (data.name !== undefined) {
      let data3 = data.name;
      if (typeof data3 === 'string') {
        if (func2(data3) > 100) {
          const err14 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/maxLength',
            keyword: 'maxLength',
            params: { limit: 100 },
            message: 'must NOT have more than 100 characters',
          };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
        if (func2(data3) < 1) {
          const err15 = {
            instancePath: instancePath + '/name',
            schemaPath: '#/properties/name/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
      } else {
        const err16 = {
          instancePath: instancePath + '/name',
          schemaPath: '#/properties/name/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err16];
        } else {
          vErrors.push(err16);
        }
        errors++;
      }
    }
    if (data.description !== undefined) {
      let data4 = data.description;
      if (typeof data4 === 'string') {
        if (func2(data4) > 500) {
          const err17 = {
            instancePath: instancePath + '/description',
            schemaPath: '#/properties/description/maxLength',
            keyword: 'maxLength',
            params: { limit: 500 },
            message: 'must NOT have more than 500 characters',
          };
          if (vErrors === null) {
            vErrors = [err17];
          } else {
            vErrors.push(err17);
          }
          errors++;
        }
      } else {
        const err18 = {
          instancePath: instancePath + '/description',
          schemaPath: '#/properties/description/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
    if (data.categories !== undefined) {
      let data5 = data.categories;
      if (Array.isArray(data5)) {
        if (data5.length > 4) {
          const err19 = {
            instancePath: instancePath + '/categories',
            schemaPath: '#/properties/categories/maxItems',
            keyword: 'maxItems',
            params: { limit: 4 },
            message: 'must NOT have more than 4 items',
          };
          if (vErrors === null) {
            vErrors = [err19];
          } else {
            vErrors.push(err19);
          }
          errors++;
        }
        if (data5.length < 1) {
          const err20 = {
            instancePath: instancePath + '/categories',
            schemaPath: '#/properties/categories/minItems',
            keyword: 'minItems',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 items',
          };
          if (vErrors === null) {
            vErrors = [err20];
          } else {
            vErrors.push(err20);
          }
          errors++;
        }
        const len0 = data5.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data6 = data5[i0];
          if (!(
            data6 === 'accounting' ||
            data6 === 'analytics' ||
            data6 === 'communication' ||
            data6 === 'construction' ||
            data6 === 'crm' ||
            data6 === 'design' ||
            data6 === 'developer-tools' ||
            data6 === 'e-commerce' ||
            data6 === 'erp' ||
            data6 === 'file-storage' ||
            data6 === 'fitness' ||
            data6 === 'forms' ||
            data6 === 'hr' ||
            data6 === 'identity' ||
            data6 === 'itsm' ||
            data6 === 'marketing' ||
            data6 === 'media' ||
            data6 === 'payments' ||
            data6 === 'productivity' ||
            data6 === 'project-management' ||
            data6 === 'sales' ||
            data6 === 'scheduling' ||
            data6 === 'signature' ||
            data6 === 'social' ||
            data6 === 'support' ||
            data6 === 'video'
          )) {
            const err21 = {
              instancePath: instancePath + '/categories/' + i0,
              schemaPath: '#/$defs/category/enum',
              keyword: 'enum',
              params: { allowedValues: schema32.enum },
              message: 'must be equal to one of the allowed values',
            };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
        let i1 = data5.length;
        let j0;
        if (i1 > 1) {
          outer0: for (; i1--;) {
            for (j0 = i1; j0--;) {
              if (func0(data5[i1], data5[j0])) {
                const err22 = {
                  instancePath: instancePath + '/categories',
                  schemaPath: '#/properties/categories/uniqueItems',
                  keyword: 'uniqueItems',
                  params: { i: i1, j: j0 },
                  message: 'must NOT have duplicate items (items ## ' + j0 + ' and ' + i1 + ' are identical)',
                };
                if (vErrors === null) {
                  vErrors = [err22];
                } else {
                  vErrors.push(err22);
                }
                errors++;
                break outer0;
              }
            }
          }
        }
      } else {
        const err23 = {
          instancePath: instancePath + '/categories',
          schemaPath: '#/properties/categories/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.docsUrl !== undefined) {
      let data7 = data.docsUrl;
      if (typeof data7 === 'string') {
        if (func2(data7) > 2048) {
          const err24 = {
            instancePath: instancePath + '/docsUrl',
            schemaPath: '#/$defs/httpsUrl/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err24];
          } else {
            vErrors.push(err24);
          }
          errors++;
        }
        if (!pattern5.test(data7)) {
          const err25 = {
            instancePath: instancePath + '/docsUrl',
            schemaPath: '#/$defs/httpsUrl/pattern',
            keyword: 'pattern',
            params: { pattern: '^https://[^\\s{}]+$' },
            message: 'must match pattern "' + '^https://[^\\s{}]+$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err25];
          } else {
            vErrors.push(err25);
          }
          errors++;
        }
      } else {
        const err26 = {
          instancePath: instancePath + '/docsUrl',
          schemaPath: '#/$defs/httpsUrl/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err26];
        } else {
          vErrors.push(err26);
        }
        errors++;
      }
    }
    if (data.grantTypes !== undefined) {
      let data8 = data.grantTypes;
      if (Array.isArray(data8)) {
        if (data8.length < 1) {
          const err27 = {
            instancePath: instancePath + '/grantTypes',
            schemaPath: '#/properties/grantTypes/minItems',
            keyword: 'minItems',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 items',
          };
          if (vErrors === null) {
            vErrors = [err27];
          } else {
            vErrors.push(err27);
          }
          errors++;
        }
        const len1 = data8.length;
        for (let i2 = 0; i2 < len1; i2++) {
          let data9 = data8[i2];
          if (!(data9 === 'authorization_code' || data9 === 'client_credentials' || data9 === 'password' || data9 === 'jwt_bearer')) {
            const err28 = {
              instancePath: instancePath + '/grantTypes/' + i2,
              schemaPath: '#/properties/grantTypes/items/enum',
              keyword: 'enum',
              params: { allowedValues: schema31.properties.grantTypes.items.enum },
              message: 'must be equal to one of the allowed values',
            };
            if (vErrors === null) {
              vErrors = [err28];
            } else {
              vErrors.push(err28);
            }
            errors++;
          }
        }
        let i3 = data8.length;
        let j1;
        if (i3 > 1) {
          outer1: for (; i3--;) {
            for (j1 = i3; j1--;) {
              if (func0(data8[i3], data8[j1])) {
                const err29 = {
                  instancePath: instancePath + '/grantTypes',
                  schemaPath: '#/properties/grantTypes/uniqueItems',
                  keyword: 'uniqueItems',
                  params: { i: i3, j: j1 },
                  message: 'must NOT have duplicate items (items ## ' + j1 + ' and ' + i3 + ' are identical)',
                };
                if (vErrors === null) {
                  vErrors = [err29];
                } else {
                  vErrors.push(err29);
                }
                errors++;
                break outer1;
              }
            }
          }
        }
      } else {
        const err30 = {
          instancePath: instancePath + '/grantTypes',
          schemaPath: '#/properties/grantTypes/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err30];
        } else {
          vErrors.push(err30);
        }
        errors++;
      }
    }
    if (data.variables !== undefined) {
      let data10 = data.variables;
      if (Array.isArray(data10)) {
        const len2 = data10.length;
        for (let i4 = 0; i4 < len2; i4++) {
          let data11 = data10[i4];
          if (data11 && typeof data11 == 'object' && !Array.isArray(data11)) {
            if (data11.name === undefined) {
              const err31 = {
                instancePath: instancePath + '/variables/' + i4,
                schemaPath: '#/$defs/variable/required',
                keyword: 'required',
                params: { missingProperty: 'name' },
                message: "must have required property '" + 'name' + "'",
              };
              if (vErrors === null) {
                vErrors = [err31];
              } else {
                vErrors.push(err31);
              }
              errors++;
            }
            if (data11.description === undefined) {
              const err32 = {
                instancePath: instancePath + '/variables/' + i4,
                schemaPath: '#/$defs/variable/required',
                keyword: 'required',
                params: { missingProperty: 'description' },
                message: "must have required property '" + 'description' + "'",
              };
              if (vErrors === null) {
                vErrors = [err32];
              } else {
                vErrors.push(err32);
              }
              errors++;
            }
            if (data11.pattern === undefined) {
              const err33 = {
                instancePath: instancePath + '/variables/' + i4,
                schemaPath: '#/$defs/variable/required',
                keyword: 'required',
                params: { missingProperty: 'pattern' },
                message: "must have required property '" + 'pattern' + "'",
              };
              if (vErrors === null) {
                vErrors = [err33];
              } else {
                vErrors.push(err33);
              }
              errors++;
            }
            if (data11.example === undefined) {
              const err34 = {
                instancePath: instancePath + '/variables/' + i4,
                schemaPath: '#/$defs/variable/required',
                keyword: 'required',
                params: { missingProperty: 'example' },
                message: "must have required property '" + 'example' + "'",
              };
              if (vErrors === null) {
                vErrors = [err34];
              } else {
                vErrors.push(err34);
              }
              errors++;
            }
            if (data11.from === undefined) {
              const err35 = {
                instancePath: instancePath + '/variables/' + i4,
                schemaPath: '#/$defs/variable/required',
                keyword: 'required',
                params: { missingProperty: 'from' },
                message: "must have required property '" + 'from' + "'",
              };
              if (vErrors === null) {
                vErrors = [err35];
              } else {
                vErrors.push(err35);
              }
              errors++;
            }
            for (const key1 in data11) {
              if (!func1.call(schema34.properties, key1)) {
                const err36 = {
                  instancePath: instancePath + '/variables/' + i4,
                  schemaPath: '#/$defs/variable/additionalProperties',
                  keyword: 'additionalProperties',
                  params: { additionalProperty: key1 },
                  message: 'must NOT have additional properties',
                };
                if (vErrors === null) {
                  vErrors = [err36];
                } else {
                  vErrors.push(err36);
                }
                errors++;
              }
            }
            if (data11.name !== undefined) {
              let data12 = data11.name;
              if (typeof data12 === 'string') {
                if (!pattern6.test(data12)) {
                  const err37 = {
                    instancePath: instancePath + '/variables/' + i4 + '/name',
                    schemaPath: '#/$defs/variable/properties/name/pattern',
                    keyword: 'pattern',
                    params: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$' },
                    message: 'must match pattern "' + '^[A-Za-z][A-Za-z0-9_]{0,62}$' + '"',
                  };
                  if (vErrors === null) {
                    vErrors = [err37];
                  } else {
                    vErrors.push(err37);
                  }
                  errors++;
                }
              } else {
                const err38 = {
                  instancePath: instancePath + '/variables/' + i4 + '/name',
                  schemaPath: '#/$defs/variable/properties/name/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err38];
                } else {
                  vErrors.push(err38);
                }
                errors++;
              }
            }
            if (data11.label !== undefined) {
              let data13 = data11.label;
              if (typeof data13 === 'string') {
                if (func2(data13) > 100) {
                  const err39 = {
                    instancePath: instancePath + '/variables/' + i4 + '/label',
                    schemaPath: '#/$defs/variable/properties/label/maxLength',
                    keyword: 'maxLength',
                    params: { limit: 100 },
                    message: 'must NOT have more than 100 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err39];
                  } else {
                    vErrors.push(err39);
                  }
                  errors++;
                }
              } else {
                const err40 = {
                  instancePath: instancePath + '/variables/' + i4 + '/label',
                  schemaPath: '#/$defs/variable/properties/label/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err40];
                } else {
                  vErrors.push(err40);
                }
                errors++;
              }
            }
            if (data11.description !== undefined) {
              let data14 = data11.description;
              if (typeof data14 === 'string') {
                if (func2(data14) > 500) {
                  const err41 = {
                    instancePath: instancePath + '/variables/' + i4 + '/description',
                    schemaPath: '#/$defs/variable/properties/description/maxLength',
                    keyword: 'maxLength',
                    params: { limit: 500 },
                    message: 'must NOT have more than 500 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err41];
                  } else {
                    vErrors.push(err41);
                  }
                  errors++;
                }
                if (func2(data14) < 1) {
                  const err42 = {
                    instancePath: instancePath + '/variables/' + i4 + '/description',
                    schemaPath: '#/$defs/variable/properties/description/minLength',
                    keyword: 'minLength',
                    params: { limit: 1 },
                    message: 'must NOT have fewer than 1 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err42];
                  } else {
                    vErrors.push(err42);
                  }
                  errors++;
                }
              } else {
                const err43 = {
                  instancePath: instancePath + '/variables/' + i4 + '/description',
                  schemaPath: '#/$defs/variable/properties/description/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err43];
                } else {
                  vErrors.push(err43);
                }
                errors++;
              }
            }
            if (data11.pattern !== undefined) {
              let data15 = data11.pattern;
              if (typeof data15 === 'string') {
                if (func2(data15) > 500) {
                  const err44 = {
                    instancePath: instancePath + '/variables/' + i4 + '/pattern',
                    schemaPath: '#/$defs/variable/properties/pattern/maxLength',
                    keyword: 'maxLength',
                    params: { limit: 500 },
                    message: 'must NOT have more than 500 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err44];
                  } else {
                    vErrors.push(err44);
                  }
                  errors++;
                }
                if (func2(data15) < 3) {
                  const err45 = {
                    instancePath: instancePath + '/variables/' + i4 + '/pattern',
                    schemaPath: '#/$defs/variable/properties/pattern/minLength',
                    keyword: 'minLength',
                    params: { limit: 3 },
                    message: 'must NOT have fewer than 3 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err45];
                  } else {
                    vErrors.push(err45);
                  }
                  errors++;
                }
              } else {
                const err46 = {
                  instancePath: instancePath + '/variables/' + i4 + '/pattern',
                  schemaPath: '#/$defs/variable/properties/pattern/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err46];
                } else {
                  vErrors.push(err46);
                }
                errors++;
              }
            }
            if (data11.example !== undefined) {
              let data16 = data11.example;
              if (typeof data16 === 'string') {
                if (func2(data16) > 500) {
                  const err47 = {
                    instancePath: instancePath + '/variables/' + i4 + '/example',
                    schemaPath: '#/$defs/variable/properties/example/maxLength',
                    keyword: 'maxLength',
                    params: { limit: 500 },
                    message: 'must NOT have more than 500 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err47];
                  } else {
                    vErrors.push(err47);
                  }
                  errors++;
                }
                if (func2(data16) < 1) {
                  const err48 = {
                    instancePath: instancePath + '/variables/' + i4 + '/example',
                    schemaPath: '#/$defs/variable/properties/example/minLength',
                    keyword: 'minLength',
                    params: { limit: 1 },
                    message: 'must NOT have fewer than 1 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err48];
                  } else {
                    vErrors.push(err48);
                  }
                  errors++;
                }
              } else {
                const err49 = {
                  instancePath: instancePath + '/variables/' + i4 + '/example',
                  schemaPath: '#/$defs/variable/properties/example/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err49];
                } else {
                  vErrors.push(err49);
                }
                errors++;
              }
            }
            if (data11.default !== undefined) {
              let data17 = data11.default;
              if (typeof data17 === 'string') {
                if (func2(data17) > 500) {
                  const err50 = {
                    instancePath: instancePath + '/variables/' + i4 + '/default',
                    schemaPath: '#/$defs/variable/properties/default/maxLength',
                    keyword: 'maxLength',
                    params: { limit: 500 },
                    message: 'must NOT have more than 500 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err50];
                  } else {
                    vErrors.push(err50);
                  }
                  errors++;
                }
                if (func2(data17) < 1) {
                  const err51 = {
                    instancePath: instancePath + '/variables/' + i4 + '/default',
                    schemaPath: '#/$defs/variable/properties/default/minLength',
                    keyword: 'minLength',
                    params: { limit: 1 },
                    message: 'must NOT have fewer than 1 characters',
                  };
                  if (vErrors === null) {
                    vErrors = [err51];
                  } else {
                    vErrors.push(err51);
                  }
                  errors++;
                }
              } else {
                const err52 = {
                  instancePath: instancePath + '/variables/' + i4 + '/default',
                  schemaPath: '#/$defs/variable/properties/default/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err52];
                } else {
                  vErrors.push(err52);
                }
                errors++;
              }
            }
            if (data11.from !== undefined) {
              let data18 = data11.from;
              if (!(data18 === 'provider' || data18 === 'token' || data18 === 'tokenResponse' || data18 === 'callback')) {
                const err53 = {
                  instancePath: instancePath + '/variables/' + i4 + '/from',
                  schemaPath: '#/$defs/variable/properties/from/enum',
                  keyword: 'enum',
                  params: { allowedValues: schema34.properties.from.enum },
                  message: 'must be equal to one of the allowed values',
                };
                if (vErrors === null) {
                  vErrors = [err53];
                } else {
                  vErrors.push(err53);
                }
                errors++;
              }
            }
            if (data11.key !== undefined) {
              let data19 = data11.key;
              if (typeof data19 === 'string') {
                if (!pattern7.test(data19)) {
                  const err54 = {
                    instancePath: instancePath + '/variables/' + i4 + '/key',
                    schemaPath: '#/$defs/variable/properties/key/pattern',
                    keyword: 'pattern',
                    params: { pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
                    message: 'must match pattern "' + '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' + '"',
                  };
                  if (vErrors === null) {
                    vErrors = [err54];
                  } else {
                    vErrors.push(err54);
                  }
                  errors++;
                }
              } else {
                const err55 = {
                  instancePath: instancePath + '/variables/' + i4 + '/key',
                  schemaPath: '#/$defs/variable/properties/key/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err55];
                } else {
                  vErrors.push(err55);
                }
                errors++;
              }
            }
            if (data11.hostParent !== undefined) {
              let data20 = data11.hostParent;
              if (typeof data20 === 'string') {
                if (!pattern8.test(data20)) {
                  const err56 = {
                    instancePath: instancePath + '/variables/' + i4 + '/hostParent',
                    schemaPath: '#/$defs/variable/properties/hostParent/pattern',
                    keyword: 'pattern',
                    params: { pattern: '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' },
                    message: 'must match pattern "' + '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' + '"',
                  };
                  if (vErrors === null) {
                    vErrors = [err56];
                  } else {
                    vErrors.push(err56);
                  }
                  errors++;
                }
              } else {
                const err57 = {
                  instancePath: instancePath + '/variables/' + i4 + '/hostParent',
                  schemaPath: '#/$defs/variable/properties/hostParent/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string',
                };
                if (vErrors === null) {
                  vErrors = [err57];
                } else {
                  vErrors.push(err57);
                }
                errors++;
              }
            }
          } else {
            const err58 = {
              instancePath: instancePath + '/variables/' + i4,
              schemaPath: '#/$defs/variable/type',
              keyword: 'type',
              params: { type: 'object' },
              message: 'must be object',
            };
            if (vErrors === null) {
              vErrors = [err58];
            } else {
              vErrors.push(err58);
            }
            errors++;
          }
        }
      } else {
        const err59 = {
          instancePath: instancePath + '/variables',
          schemaPath: '#/properties/variables/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err59];
        } else {
          vErrors.push(err59);
        }
        errors++;
      }
    }
    if (data.authorizationUrl !== undefined) {
      let data21 = data.authorizationUrl;
      if (typeof data21 === 'string') {
        if (func2(data21) > 2048) {
          const err60 = {
            instancePath: instancePath + '/authorizationUrl',
            schemaPath: '#/$defs/urlTemplate/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err60];
          } else {
            vErrors.push(err60);
          }
          errors++;
        }
        if (!pattern9.test(data21)) {
          const err61 = {
            instancePath: instancePath + '/authorizationUrl',
            schemaPath: '#/$defs/urlTemplate/pattern',
            keyword: 'pattern',
            params: { pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' },
            message: 'must match pattern "' + '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err61];
          } else {
            vErrors.push(err61);
          }
          errors++;
        }
      } else {
        const err62 = {
          instancePath: instancePath + '/authorizationUrl',
          schemaPath: '#/$defs/urlTemplate/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err62];
        } else {
          vErrors.push(err62);
        }
        errors++;
      }
    }
    if (data.tokenUrl !== undefined) {
      let data22 = data.tokenUrl;
      if (typeof data22 === 'string') {
        if (func2(data22) > 2048) {
          const err63 = {
            instancePath: instancePath + '/tokenUrl',
            schemaPath: '#/$defs/urlTemplate/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err63];
          } else {
            vErrors.push(err63);
          }
          errors++;
        }
        if (!pattern9.test(data22)) {
          const err64 = {
            instancePath: instancePath + '/tokenUrl',
            schemaPath: '#/$defs/urlTemplate/pattern',
            keyword: 'pattern',
            params: { pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' },
            message: 'must match pattern "' + '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err64];
          } else {
            vErrors.push(err64);
          }
          errors++;
        }
      } else {
        const err65 = {
          instancePath: instancePath + '/tokenUrl',
          schemaPath: '#/$defs/urlTemplate/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err65];
        } else {
          vErrors.push(err65);
        }
        errors++;
      }
    }
    if (data.refreshUrl !== undefined) {
      let data23 = data.refreshUrl;
      if (typeof data23 === 'string') {
        if (func2(data23) > 2048) {
          const err66 = {
            instancePath: instancePath + '/refreshUrl',
            schemaPath: '#/$defs/urlTemplate/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err66];
          } else {
            vErrors.push(err66);
          }
          errors++;
        }
        if (!pattern9.test(data23)) {
          const err67 = {
            instancePath: instancePath + '/refreshUrl',
            schemaPath: '#/$defs/urlTemplate/pattern',
            keyword: 'pattern',
            params: { pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' },
            message: 'must match pattern "' + '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err67];
          } else {
            vErrors.push(err67);
          }
          errors++;
        }
      } else {
        const err68 = {
          instancePath: instancePath + '/refreshUrl',
          schemaPath: '#/$defs/urlTemplate/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err68];
        } else {
          vErrors.push(err68);
        }
        errors++;
      }
    }
    if (data.revocationUrl !== undefined) {
      let data24 = data.revocationUrl;
      if (typeof data24 === 'string') {
        if (func2(data24) > 2048) {
          const err69 = {
            instancePath: instancePath + '/revocationUrl',
            schemaPath: '#/$defs/urlTemplate/maxLength',
            keyword: 'maxLength',
            params: { limit: 2048 },
            message: 'must NOT have more than 2048 characters',
          };
          if (vErrors === null) {
            vErrors = [err69];
          } else {
            vErrors.push(err69);
          }
          errors++;
        }
        if (!pattern9.test(data24)) {
          const err70 = {
            instancePath: instancePath + '/revocationUrl',
            schemaPath: '#/$defs/urlTemplate/pattern',
            keyword: 'pattern',
            params: { pattern: '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' },
            message: 'must match pattern "' + '^(https://|\\{\\{[A-Za-z][A-Za-z0-9_]*\\}\\})[^\\s]*$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err70];
          } else {
            vErrors.push(err70);
          }
          errors++;
        }
      } else {
        const err71 = {
          instancePath: instancePath + '/revocationUrl',
          schemaPath: '#/$defs/urlTemplate/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err71];
        } else {
          vErrors.push(err71);
        }
        errors++;
      }
    }
    if (data.defaultScopes !== undefined) {
      let data25 = data.defaultScopes;
      if (Array.isArray(data25)) {
        const len3 = data25.length;
        for (let i5 = 0; i5 < len3; i5++) {
          let data26 = data25[i5];
          if (typeof data26 === 'string') {
            if (func2(data26) > 200) {
              const err72 = {
                instancePath: instancePath + '/defaultScopes/' + i5,
                schemaPath: '#/properties/defaultScopes/items/maxLength',
                keyword: 'maxLength',
                params: { limit: 200 },
                message: 'must NOT have more than 200 characters',
              };
              if (vErrors === null) {
                vErrors = [err72];
              } else {
                vErrors.push(err72);
              }
              errors++;
            }
            if (func2(data26) < 1) {
              const err73 = {
                instancePath: instancePath + '/defaultScopes/' + i5,
                schemaPath: '#/properties/defaultScopes/items/minLength',
                keyword: 'minLength',
                params: { limit: 1 },
                message: 'must NOT have fewer than 1 characters',
              };
              if (vErrors === null) {
                vErrors = [err73];
              } else {
                vErrors.push(err73);
              }
              errors++;
            }
          } else {
            const err74 = {
              instancePath: instancePath + '/defaultScopes/' + i5,
              schemaPath: '#/properties/defaultScopes/items/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err74];
            } else {
              vErrors.push(err74);
            }
            errors++;
          }
        }
        let i6 = data25.length;
        let j2;
        if (i6 > 1) {
          const indices0 = {};
          for (; i6--;) {
            let item0 = data25[i6];
            if (typeof item0 !== 'string') {
              continue;
            }
            if (typeof indices0[item0] == 'number') {
              j2 = indices0[item0];
              const err75 = {
                instancePath: instancePath + '/defaultScopes',
                schemaPath: '#/properties/defaultScopes/uniqueItems',
                keyword: 'uniqueItems',
                params: { i: i6, j: j2 },
                message: 'must NOT have duplicate items (items ## ' + j2 + ' and ' + i6 + ' are identical)',
              };
              if (vErrors === null) {
                vErrors = [err75];
              } else {
                vErrors.push(err75);
              }
              errors++;
              break;
            }
            indices0[item0] = i6;
          }
        }
      } else {
        const err76 = {
          instancePath: instancePath + '/defaultScopes',
          schemaPath: '#/properties/defaultScopes/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err76];
        } else {
          vErrors.push(err76);
        }
        errors++;
      }
    }
    if (data.scopeSeparator !== undefined) {
      let data27 = data.scopeSeparator;
      if (typeof data27 === 'string') {
        if (func2(data27) > 5) {
          const err77 = {
            instancePath: instancePath + '/scopeSeparator',
            schemaPath: '#/properties/scopeSeparator/maxLength',
            keyword: 'maxLength',
            params: { limit: 5 },
            message: 'must NOT have more than 5 characters',
          };
          if (vErrors === null) {
            vErrors = [err77];
          } else {
            vErrors.push(err77);
          }
          errors++;
        }
        if (func2(data27) < 1) {
          const err78 = {
            instancePath: instancePath + '/scopeSeparator',
            schemaPath: '#/properties/scopeSeparator/minLength',
            keyword: 'minLength',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 characters',
          };
          if (vErrors === null) {
            vErrors = [err78];
          } else {
            vErrors.push(err78);
          }
          errors++;
        }
      } else {
        const err79 = {
          instancePath: instancePath + '/scopeSeparator',
          schemaPath: '#/properties/scopeSeparator/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err79];
        } else {
          vErrors.push(err79);
        }
        errors++;
      }
    }
    if (data.authorizationParams !== undefined) {
      if (
        !validate21(data.authorizationParams, {
          instancePath: instancePath + '/authorizationParams',
          parentData: data,
          parentDataProperty: 'authorizationParams',
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
        errors = vErrors.length;
      }
    }
    if (data.tokenParams !== undefined) {
      if (
        !validate21(data.tokenParams, {
          instancePath: instancePath + '/tokenParams',
          parentData: data,
          parentDataProperty: 'tokenParams',
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
        errors = vErrors.length;
      }
    }
    if (data.clientCredentialsGrantType !== undefined) {
      let data30 = data.clientCredentialsGrantType;
      if (typeof data30 === 'string') {
        if (!pattern14.test(data30)) {
          const err80 = {
            instancePath: instancePath + '/clientCredentialsGrantType',
            schemaPath: '#/properties/clientCredentialsGrantType/pattern',
            keyword: 'pattern',
            params: { pattern: '^[A-Za-z0-9_:.\\-]{1,100}$' },
            message: 'must match pattern "' + '^[A-Za-z0-9_:.\\-]{1,100}$' + '"',
          };
          if (vErrors === null) {
            vErrors = [err80];
          } else {
            vErrors.push(err80);
          }
          errors++;
        }
      } else {
        const err81 = {
          instancePath: instancePath + '/clientCredentialsGrantType',
          schemaPath: '#/properties/clientCredentialsGrantType/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err81];
        } else {
          vErrors.push(err81);
        }
        errors++;
      }
    }
    if (data.clientAuthMethod !== undefined) {
      let data31 = data.clientAuthMethod;
      if (!(data31 === 'client_secret_basic' || data31 === 'client_secret_post')) {
        const err82 = {
          instancePath: instancePath + '/clientAuthMethod',
          schemaPath: '#/properties/clientAuthMethod/enum',
          keyword: 'enum',
          params: { allowedValues: schema31.properties.clientAuthMethod.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err82];
        } else {
          vErrors.push(err82);
        }
        errors++;
      }
    }
    if (data.pkce !== undefined) {
      let data32 = data.pkce;
      if (!(data32 === 'required' || data32 === 'supported' || data32 === 'unsupported')) {
        const err83 = {
          instancePath: instancePath + '/pkce',
          schemaPath: '#/properties/pkce/enum',
          keyword: 'enum',
          params: { allowedValues: schema31.properties.pkce.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err83];
        } else {
          vErrors.push(err83);
        }
        errors++;
      }
    }
    if (data.tokenRequestFormat !== undefined) {
      let data33 = data.tokenRequestFormat;
      if (!(data33 === 'form' || data33 === 'json' || data33 === 'query')) {
        const err84 = {
          instancePath: instancePath + '/tokenRequestFormat',
          schemaPath: '#/properties/tokenRequestFormat/enum',
          keyword: 'enum',
          params: { allowedValues: schema31.properties.tokenRequestFormat.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err84];
        } else {
          vErrors.push(err84);
        }
        errors++;
      }
    }
    if (data.revocationRequestFormat !== undefined) {
      let data34 = data.revocationRequestFormat;
      if (!(data34 === 'form' || data34 === 'json')) {
        const err85 = {
          instancePath: instancePath + '/revocationRequestFormat',
          schemaPath: '#/properties/revocationRequestFormat/enum',
          keyword: 'enum',
          params: { allowedValues: schema31.properties.revocationRequestFormat.enum },
          message: 'must be equal to one of the allowed values',
        };
        if (vErrors === null) {
          vErrors = [err85];
        } else {
          vErrors.push(err85);
        }
        errors++;
      }
    }
    if (data.tokenResponse !== undefined) {
      if (
        !validate24(data.tokenResponse, {
          instancePath: instancePath + '/tokenResponse',
          parentData: data,
          parentDataProperty: 'tokenResponse',
          rootData,
          dynamicAnchors,
        })
      ) {
        vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
        errors = vErrors.length;
      }
    }
    if (data.assertion !== undefined) {
      let data36 = data.assertion;
      if (data36 && typeof data36 == 'object' && !Array.isArray(data36)) {
        if (Object.keys(data36).length < 1) {
          const err86 = {
            instancePath: instancePath + '/assertion',
            schemaPath: '#/$defs/assertion/minProperties',
            keyword: 'minProperties',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 properties',
          };
          if (vErrors === null) {
            vErrors = [err86];
          } else {
            vErrors.push(err86);
          }
          errors++;
        }
        for (const key2 in data36) {
          if (!(key2 === 'audience' || key2 === 'scope' || key2 === 'algorithm')) {
            const err87 = {
              instancePath: instancePath + '/assertion',
              schemaPath: '#/$defs/assertion/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key2 },
              message: 'must NOT have additional properties',
            };
            if (vErrors === null) {
              vErrors = [err87];
            } else {
              vErrors.push(err87);
            }
            errors++;
          }
        }
        if (data36.audience !== undefined) {
          let data37 = data36.audience;
          if (typeof data37 === 'string') {
            if (func2(data37) > 2048) {
              const err88 = {
                instancePath: instancePath + '/assertion/audience',
                schemaPath: '#/$defs/assertion/properties/audience/maxLength',
                keyword: 'maxLength',
                params: { limit: 2048 },
                message: 'must NOT have more than 2048 characters',
              };
              if (vErrors === null) {
                vErrors = [err88];
              } else {
                vErrors.push(err88);
              }
              errors++;
            }
            if (func2(data37) < 1) {
              const err89 = {
                instancePath: instancePath + '/assertion/audience',
                schemaPath: '#/$defs/assertion/properties/audience/minLength',
                keyword: 'minLength',
                params: { limit: 1 },
                message: 'must NOT have fewer than 1 characters',
              };
              if (vErrors === null) {
                vErrors = [err89];
              } else {
                vErrors.push(err89);
              }
              errors++;
            }
          } else {
            const err90 = {
              instancePath: instancePath + '/assertion/audience',
              schemaPath: '#/$defs/assertion/properties/audience/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err90];
            } else {
              vErrors.push(err90);
            }
            errors++;
          }
        }
        if (data36.scope !== undefined) {
          let data38 = data36.scope;
          if (!(data38 === 'param' || data38 === 'claim')) {
            const err91 = {
              instancePath: instancePath + '/assertion/scope',
              schemaPath: '#/$defs/assertion/properties/scope/enum',
              keyword: 'enum',
              params: { allowedValues: schema47.properties.scope.enum },
              message: 'must be equal to one of the allowed values',
            };
            if (vErrors === null) {
              vErrors = [err91];
            } else {
              vErrors.push(err91);
            }
            errors++;
          }
        }
        if (data36.algorithm !== undefined) {
          let data39 = data36.algorithm;
          if (!(data39 === 'ES256' || data39 === 'RS256' || data39 === 'PS256')) {
            const err92 = {
              instancePath: instancePath + '/assertion/algorithm',
              schemaPath: '#/$defs/assertion/properties/algorithm/enum',
              keyword: 'enum',
              params: { allowedValues: schema47.properties.algorithm.enum },
              message: 'must be equal to one of the allowed values',
            };
            if (vErrors === null) {
              vErrors = [err92];
            } else {
              vErrors.push(err92);
            }
            errors++;
          }
        }
      } else {
        const err93 = {
          instancePath: instancePath + '/assertion',
          schemaPath: '#/$defs/assertion/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object',
        };
        if (vErrors === null) {
          vErrors = [err93];
        } else {
          vErrors.push(err93);
        }
        errors++;
      }
    }
    if (data.accessTokenLifetimeSeconds !== undefined) {
      let data40 = data.accessTokenLifetimeSeconds;
      if (!(typeof data40 == 'number' && !(data40 % 1) && !isNaN(data40) && isFinite(data40))) {
        const err94 = {
          instancePath: instancePath + '/accessTokenLifetimeSeconds',
          schemaPath: '#/properties/accessTokenLifetimeSeconds/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        };
        if (vErrors === null) {
          vErrors = [err94];
        } else {
          vErrors.push(err94);
        }
        errors++;
      }
      if (typeof data40 == 'number' && isFinite(data40)) {
        if (data40 > 315360000 || isNaN(data40)) {
          const err95 = {
            instancePath: instancePath + '/accessTokenLifetimeSeconds',
            schemaPath: '#/properties/accessTokenLifetimeSeconds/maximum',
            keyword: 'maximum',
            params: { comparison: '<=', limit: 315360000 },
            message: 'must be <= 315360000',
          };
          if (vErrors === null) {
            vErrors = [err95];
          } else {
            vErrors.push(err95);
          }
          errors++;
        }
        if (data40 < 1 || isNaN(data40)) {
          const err96 = {
            instancePath: instancePath + '/accessTokenLifetimeSeconds',
            schemaPath: '#/properties/accessTokenLifetimeSeconds/minimum',
            keyword: 'minimum',
            params: { comparison: '>=', limit: 1 },
            message: 'must be >= 1',
          };
          if (vErrors === null) {
            vErrors = [err96];
          } else {
            vErrors.push(err96);
          }
          errors++;
        }
      }
    }
    if (data.refresh !== undefined) {
      if (!validate26(data.refresh, { instancePath: instancePath + '/refresh', parentData: data, parentDataProperty: 'refresh', rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.api !== undefined) {
      if (!validate30(data.api, { instancePath: instancePath + '/api', parentData: data, parentDataProperty: 'api', rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate30.errors : vErrors.concat(validate30.errors);
        errors = vErrors.length;
      }
    }
    if (data.notes !== undefined) {
      let data43 = data.notes;
      if (typeof data43 === 'string') {
        if (func2(data43) > 2000) {
          const err97 = {
            instancePath: instancePath + '/notes',
            schemaPath: '#/properties/notes/maxLength',
            keyword: 'maxLength',
            params: { limit: 2000 },
            message: 'must NOT have more than 2000 characters',
          };
          if (vErrors === null) {
            vErrors = [err97];
          } else {
            vErrors.push(err97);
          }
          errors++;
        }
      } else {
        const err98 = {
          instancePath: instancePath + '/notes',
          schemaPath: '#/properties/notes/type',
          keyword: 'type',
          params: { type: 'string' },
          message: 'must be string',
        };
        if (vErrors === null) {
          vErrors = [err98];
        } else {
          vErrors.push(err98);
        }
        errors++;
      }
    }
    if (data.unconfirmed !== undefined) {
      let data44 = data.unconfirmed;
      if (Array.isArray(data44)) {
        const len4 = data44.length;
        for (let i7 = 0; i7 < len4; i7++) {
          let data45 = data44[i7];
          if (typeof data45 === 'string') {
            if (func2(data45) > 200) {
              const err99 = {
                instancePath: instancePath + '/unconfirmed/' + i7,
                schemaPath: '#/properties/unconfirmed/items/maxLength',
                keyword: 'maxLength',
                params: { limit: 200 },
                message: 'must NOT have more than 200 characters',
              };
              if (vErrors === null) {
                vErrors = [err99];
              } else {
                vErrors.push(err99);
              }
              errors++;
            }
            if (func2(data45) < 1) {
              const err100 = {
                instancePath: instancePath + '/unconfirmed/' + i7,
                schemaPath: '#/properties/unconfirmed/items/minLength',
                keyword: 'minLength',
                params: { limit: 1 },
                message: 'must NOT have fewer than 1 characters',
              };
              if (vErrors === null) {
                vErrors = [err100];
              } else {
                vErrors.push(err100);
              }
              errors++;
            }
          } else {
            const err101 = {
              instancePath: instancePath + '/unconfirmed/' + i7,
              schemaPath: '#/properties/unconfirmed/items/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string',
            };
            if (vErrors === null) {
              vErrors = [err101];
            } else {
              vErrors.push(err101);
            }
            errors++;
          }
        }
        let i8 = data44.length;
        let j3;
        if (i8 > 1) {
          const indices1 = {};
          for (; i8--;) {
            let item1 = data44[i8];
            if (typeof item1 !== 'string') {
              continue;
            }
            if (typeof indices1[item1] == 'number') {
              j3 = indices1[item1];
              const err102 = {
                instancePath: instancePath + '/unconfirmed',
                schemaPath: '#/properties/unconfirmed/uniqueItems',
                keyword: 'uniqueItems',
                params: { i: i8, j: j3 },
                message: 'must NOT have duplicate items (items ## ' + j3 + ' and ' + i8 + ' are identical)',
              };
              if (vErrors === null) {
                vErrors = [err102];
              } else {
                vErrors.push(err102);
              }
              errors++;
              break;
            }
            indices1[item1] = i8;
          }
        }
      } else {
        const err103 = {
          instancePath: instancePath + '/unconfirmed',
          schemaPath: '#/properties/unconfirmed/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err103];
        } else {
          vErrors.push(err103);
        }
        errors++;
      }
    }
    if (data.sources !== undefined) {
      let data46 = data.sources;
      if (Array.isArray(data46)) {
        if (data46.length < 1) {
          const err104 = {
            instancePath: instancePath + '/sources',
            schemaPath: '#/properties/sources/minItems',
            keyword: 'minItems',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 items',
          };
          if (vErrors === null) {
            vErrors = [err104];
          } else {
            vErrors.push(err104);
          }
          errors++;
        }
        const len5 = data46.length;
        for (let i9 = 0; i9 < len5; i9++) {
          if (
            !validate32(data46[i9], { instancePath: instancePath + '/sources/' + i9, parentData: data46, parentDataProperty: i9, rootData, dynamicAnchors })
          ) {
            vErrors = vErrors === null ? validate32.errors : vErrors.concat(validate32.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err105 = {
          instancePath: instancePath + '/sources',
          schemaPath: '#/properties/sources/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array',
        };
        if (vErrors === null) {
          vErrors = [err105];
        } else {
          vErrors.push(err105);
        }
        errors++;
      }
    }
  } else {
    const err106 = { instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' };
    if (vErrors === null) {
      vErrors = [err106];
    } else {
      vErrors.push(err106);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
validate20.evaluated = { props: true, dynamicProps: false, dynamicItems: false };
