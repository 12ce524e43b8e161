import { ADMIN_ROLES, CLIENT_AUTH_METHODS, EXPIRES_IN_UNITS, GRANT_TYPES, INTEGRATION_GRANT_TYPES, TOKEN_STATES } from '@tessera/contracts';

/**
 * Schemas of what the gateway answers (the views in libs/contracts are TypeScript interfaces, which leave nothing at
 * run time to read). Closed objects (`additionalProperties: false`, every field required): a field added to or
 * dropped from a view fails the end-to-end response checks until it is described here, so the document cannot drift.
 */
type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const string = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type, 'null'] });
const dateTime = string({ format: 'date-time' });
const uuid = string({ format: 'uuid' });
const strings = { type: 'array', items: string() };
const stringRecord = { type: 'object', additionalProperties: string() };
const integer = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });

/** Every field required, nothing else allowed, except the ones named optional. */
function closed(properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties).filter((p) => !optional.includes(p)),
    additionalProperties: false,
  };
}

const page = (item: string): Schema =>
  closed({ items: { type: 'array', items: ref(item) }, total: integer({ minimum: 0 }), limit: integer(), offset: integer() });

const integrationView = {
  id: uuid,
  name: string(),
  applicationId: string({ examples: ['tsr_1f0c5b7e2d9a4c6b8e3f7a1d5c9b2e4f'] }),
  redirectUris: strings,
  enabled: { type: 'boolean' },
  refreshTokensValidUntilRevoked: { type: 'boolean' },
  permissions: { ...strings, examples: [['*:orgs=read', 'acme:users=read']] },
  accessTokenTtlSeconds: integer(),
  refreshTokenReuseIntervalSeconds: integer(),
  refreshTokensOnClientCredentials: { type: 'boolean' },
  clientCredentialsTokensPerHour: nullable(integer()),
  grantTypes: { type: 'array', items: string({ enum: [...INTEGRATION_GRANT_TYPES] }) },
  createdAt: dateTime,
  updatedAt: dateTime,
};

const adminUserView = {
  id: uuid,
  username: string({ examples: ['otto'] }),
  role: string({ enum: [...ADMIN_ROLES] }),
  mustChangePassword: { type: 'boolean' },
  createdAt: dateTime,
  updatedAt: dateTime,
  activeSessions: integer({ minimum: 0 }),
  lastSeenAt: nullable(dateTime),
};

const instanceAuth = closed({ type: string({ enum: ['none', 'oauth', 'password'] }), clientAppId: uuid, username: string() }, ['clientAppId', 'username']);

const proxyLimits = closed({ connectTimeoutMs: integer(), firstByteTimeoutMs: integer(), idleTimeoutMs: integer(), maxResponseBytes: integer() }, [
  'connectTimeoutMs',
  'firstByteTimeoutMs',
  'idleTimeoutMs',
  'maxResponseBytes',
]);

const providerView = closed({
  id: uuid,
  name: string(),
  description: nullable(string()),
  docsUrl: nullable(string()),
  grantType: string({ enum: [...GRANT_TYPES] }),
  clientId: string(),
  hasClientSecret: { type: 'boolean', description: 'The secret itself is write-only' },
  authorizationUrl: nullable(string()),
  tokenUrl: string(),
  refreshUrl: nullable(string()),
  revocationUrl: nullable(string()),
  scopes: strings,
  scopeSeparator: string(),
  clientAuthMethod: string({ enum: [...CLIENT_AUTH_METHODS] }),
  pkce: { type: 'boolean' },
  stateLength: integer(),
  prompt: nullable(string()),
  authorizationParams: stringRecord,
  tokenParams: stringRecord,
  accessTokenPath: string(),
  refreshTokenPath: string(),
  expiresInPath: string(),
  refreshGrantParam: string(),
  refreshGrantValue: string(),
  refreshParams: stringRecord,
  expiresInUnit: string({ enum: [...EXPIRES_IN_UNITS] }),
  refreshBufferSeconds: integer(),
  timeoutSeconds: integer(),
  defaultLifetimeSeconds: nullable(integer()),
  createdAt: dateTime,
  updatedAt: dateTime,
});

const outboundTokenView = closed(
  {
    id: uuid,
    name: string(),
    providerId: uuid,
    active: { type: 'boolean' },
    scopes: nullable(strings),
    prompt: nullable(string()),
    variables: stringRecord,
    baseUrl: nullable(string()),
    platformInstance: nullable(string({ description: 'The platform instance a P2PI token acts on; null for an ordinary outbound token' })),
    username: nullable(string()),
    hasPassword: { type: 'boolean' },
    state: string({ enum: [...TOKEN_STATES] }),
    tokenType: string(),
    scope: nullable(string()),
    createdAt: dateTime,
    updatedAt: dateTime,
    expiresAt: nullable(dateTime),
    lastRefreshedAt: nullable(dateTime),
    nextRefreshAt: nullable(dateTime),
    lastMessage: nullable(string()),
    consecutiveFailures: integer({ minimum: 0 }),
    lastTransientError: nullable(string()),
    proxyLimits: ref('ProxyLimitsView'),
  },
  [],
  'An outbound token: never the access token, refresh token or password',
);

/** RFC 6749 §5.2 (and RFC 7009 §2.2.1) error codes the OAuth endpoints answer with. */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'unsupported_token_type',
];

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  RestError: closed(
    {
      statusCode: integer({ minimum: 400, maximum: 599 }),
      error: string({
        pattern: '^[a-z][a-z0-9_]*$',
        description: 'A snake_case code: validation_failed, unauthorized, forbidden, not_found, conflict, rate_limited, unavailable, internal …',
        examples: ['not_found'],
      }),
      message: string({ description: 'For people; do not parse it' }),
      fields: { type: 'object', description: 'For validation_failed: field (dotted for nested ones) → messages', additionalProperties: strings },
    },
    ['fields'],
    'Every error of the REST API (everything but the OAuth endpoints)',
  ),
  OAuthError: closed(
    {
      error: string({ enum: OAUTH_ERROR_CODES }),
      error_description: string(),
      error_uri: string({ format: 'uri' }),
    },
    ['error_description', 'error_uri'],
    'RFC 6749 §5.2 error response',
  ),
  IntegrationView: closed(integrationView),
  ClientConfiguration: closed({
    hocon: string({ description: "P6's ready-to-paste `p6auth { client { id, secret, redirect.uri } }` block" }),
    env: { ...stringRecord, description: 'The same as environment variables' },
  }),
  IntegrationWithSecret: closed({
    ...integrationView,
    appSecret: string({ description: 'Shown once: at creation and on rotation', examples: ['<app secret>'] }),
    config: ref('ClientConfiguration'),
  }),
  IntegrationPage: page('IntegrationView'),
  PermissionList: closed({ items: { type: 'array', items: closed({ permission: string(), integrations: integer({ minimum: 0 }) }) } }),
  RefreshTokenFamilyView: closed(
    {
      id: uuid,
      integrationId: uuid,
      clientId: string(),
      scope: string(),
      grantType: string(),
      createdAt: dateTime,
      lastUsedAt: nullable(dateTime),
      expiresAt: nullable(dateTime),
    },
    [],
    'A grant: a chain of rotated refresh tokens',
  ),
  FamilyPage: closed({
    items: { type: 'array', items: ref('RefreshTokenFamilyView') },
    nextCursor: nullable(string({ description: 'Pass as `cursor` for the next page; null on the last page' })),
  }),
  InstanceAuthView: instanceAuth,
  InstanceTokenView: closed({
    tokenId: uuid,
    state: string({ enum: [...TOKEN_STATES] }),
    expiresAt: nullable(dateTime),
    scope: nullable(string()),
    lastMessage: nullable(string()),
    updatedAt: dateTime,
  }),
  PlatformInstanceView: closed({
    id: uuid,
    name: string({ examples: ['instance-2'] }),
    baseUrl: string({ format: 'uri' }),
    auth: ref('InstanceAuthView'),
    token: { oneOf: [ref('InstanceTokenView'), { type: 'null' }] },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  PlatformInstancePage: page('PlatformInstanceView'),
  ProviderView: providerView,
  ProviderPage: page('ProviderView'),
  ProviderTestReply: closed({
    ok: { type: 'boolean' },
    grantType: string({ enum: [...GRANT_TYPES] }),
    steps: {
      type: 'array',
      items: closed({ name: string(), url: string(), status: nullable(integer()), ms: { type: 'number' }, ok: { type: 'boolean' }, outcome: string() }),
    },
    answer: { description: 'The provider\'s last answer, every token in it replaced by "[redacted]"' },
  }),
  ProxyLimitsView: proxyLimits,
  OutboundTokenView: outboundTokenView,
  OutboundTokenPage: page('OutboundTokenView'),
  AuthorizationUrl: closed({ authorizationUrl: string({ format: 'uri', description: 'Where to send the browser' }) }),
  AccessTokenReply: closed({
    access_token: string({ examples: ['<access token>'] }),
    token_type: string({ examples: ['Bearer'] }),
    expires_at: nullable(dateTime),
    scope: nullable(string()),
  }),
  TokenResponse: closed(
    {
      access_token: string({ description: 'An RFC 9068 JWT (ES256)', examples: ['<access token>'] }),
      token_type: string({ enum: ['Bearer'] }),
      expires_in: integer({ minimum: 1 }),
      refresh_token: string({ description: 'Opaque; rotated on every use', examples: ['<refresh token>'] }),
      scope: string({ examples: ['*:orgs=read acme:users=read'] }),
      must_change_password: { type: 'boolean', enum: [true], description: 'Admin sign-in with a one-time password: the token may only change it' },
    },
    ['refresh_token', 'must_change_password'],
    'RFC 6749 §5.1',
  ),
  IntrospectionResponse: closed(
    {
      active: { type: 'boolean' },
      scope: string(),
      client_id: string(),
      sub: string(),
      token_type: string({ enum: ['access_token', 'refresh_token'] }),
      exp: integer(),
      iat: integer(),
      iss: string(),
      aud: { oneOf: [string(), strings] },
      jti: string(),
    },
    ['scope', 'client_id', 'sub', 'token_type', 'exp', 'iat', 'iss', 'aud', 'jti'],
    'RFC 7662 §2.2: an inactive token is only `{"active": false}`',
  ),
  JsonWebKeySet: closed({
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'kid'],
        properties: { kty: string({ enum: ['EC'] }), kid: string(), alg: string({ enum: ['ES256'] }), use: string({ enum: ['sig'] }) },
      },
    },
  }),
  AuthorizationServerMetadata: {
    type: 'object',
    description: 'RFC 8414',
    required: [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'grant_types_supported',
      'response_types_supported',
      'token_endpoint_auth_methods_supported',
      'code_challenge_methods_supported',
    ],
    properties: {
      issuer: string({ format: 'uri' }),
      authorization_endpoint: string({ format: 'uri' }),
      token_endpoint: string({ format: 'uri' }),
      jwks_uri: string({ format: 'uri' }),
      introspection_endpoint: string({ format: 'uri' }),
      revocation_endpoint: string({ format: 'uri' }),
      grant_types_supported: strings,
      response_types_supported: strings,
      token_endpoint_auth_methods_supported: strings,
      code_challenge_methods_supported: strings,
    },
  },
  AdminUserView: closed(adminUserView),
  AdminUserWithPassword: closed({
    ...adminUserView,
    oneTimePassword: string({ description: 'Shown once: the first sign-in must replace it', examples: ['<one-time password>'] }),
  }),
  AdminUserList: closed({ items: { type: 'array', items: ref('AdminUserView') } }),
  AdminSessionView: closed({
    sessionId: uuid,
    userId: uuid,
    username: string(),
    role: string({ enum: [...ADMIN_ROLES] }),
    mustChangePassword: { type: 'boolean' },
    startedAt: dateTime,
    endsAt: dateTime,
    idleExpiresAt: dateTime,
  }),
  AuditEntry: closed(
    {
      id: uuid,
      occurredAt: dateTime,
      service: string(),
      action: string({ examples: ['integration.update'] }),
      outcome: string({ enum: ['success', 'failure'] }),
      actor: { oneOf: [closed({ type: string({ enum: ['user', 'integration'] }), id: string(), name: string() }, ['name']), { type: 'null' }] },
      address: nullable(string()),
      requestId: nullable(string()),
      target: closed({ type: string(), id: string(), name: string() }, ['id', 'name']),
      changes: {
        type: 'object',
        description: 'Each changed field before and after; secrets only as "[changed]"',
        additionalProperties: { type: 'object', properties: { before: {}, after: {} }, additionalProperties: false },
      },
      detail: { type: 'object' },
    },
    ['changes', 'detail'],
  ),
  AuditPage: closed({
    items: { type: 'array', items: ref('AuditEntry') },
    nextCursor: nullable(string({ description: 'Pass as `cursor` for the next page; null on the last page' })),
  }),
  WhoAmI: closed({ sub: string(), clientId: string(), scope: strings, issuer: string({ format: 'uri' }), expiresAt: nullable(dateTime) }),
  Liveness: closed({ status: string({ enum: ['ok'] }) }),
  Empty: closed({}, [], 'RFC 7009 §2.2: an empty JSON object'),
};

/** The token endpoint's form (RFC 6749 §4.1.3, §4.4.2, §6); client_secret_post puts the client's credentials here too. */
export const TOKEN_REQUEST_FORM: Schema = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: string({ enum: ['client_credentials', 'refresh_token', 'authorization_code'] }),
    scope: string({ description: "Space-separated permissions; none: all of the integration's permissions", examples: ['*:orgs=read'] }),
    refresh_token: string({ description: 'refresh_token grant' }),
    code: string({ description: 'authorization_code grant' }),
    redirect_uri: string({ description: 'authorization_code grant: the one sent to /oauth/authorize' }),
    code_verifier: string({ description: 'authorization_code grant: the PKCE verifier (S256)' }),
    client_id: string({ description: 'client_secret_post (or with HTTP Basic: the same id)' }),
    client_secret: string({ description: 'client_secret_post only; never together with HTTP Basic' }),
  },
};

/** Introspection and revocation (RFC 7662 §2.1, RFC 7009 §2.1), authenticated like the token endpoint. */
export const TOKEN_FORM: Schema = {
  type: 'object',
  required: ['token'],
  properties: {
    token: string(),
    token_type_hint: string({ enum: ['access_token', 'refresh_token'] }),
    client_id: string({ description: 'client_secret_post' }),
    client_secret: string({ description: 'client_secret_post' }),
  },
};

/** The sign-in and consent forms the authorization page posts to itself. */
export const AUTHORIZE_FORM: Schema = {
  type: 'object',
  required: ['csrf', 'request', 'action'],
  properties: {
    csrf: string({ description: 'Must equal the tessera_csrf cookie (double submit)' }),
    request: string({ description: 'The authorization request the page was rendered for, as the page sent it' }),
    action: string({ enum: ['login', 'approve', 'deny'] }),
    username: string({ description: 'action=login' }),
    password: string({ description: 'action=login', format: 'password' }),
  },
};
