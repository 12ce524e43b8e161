// The authorization server's vocabulary, one list each: what the token endpoint, the discovery metadata, the metrics,
// the gateway's error mapping, the OpenAPI document and the console derive from. No validators here, so the console
// bundles it (browser.ts).

/**
 * The grants the token endpoint serves (`authorization_code` also at /oauth/authorize); an integration is allowed a
 * subset of them. A grant added here is one the metadata announces and the metrics count: it needs its handler in
 * auth-server (tokens/grants/), where the type of this list makes the token service's dispatch table incomplete until then.
 */
export const INTEGRATION_GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
export type IntegrationGrantType = (typeof INTEGRATION_GRANT_TYPES)[number];

/** How a client authenticates at the token, introspection and revocation endpoints (RFC 6749 §2.3.1); `none`: it sent nothing. */
export const CLIENT_AUTHENTICATION_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type ClientAuthenticationMethod = (typeof CLIENT_AUTHENTICATION_METHODS)[number];
/** The methods a client may authenticate with, as the discovery metadata announces them: `none` is not one. */
export const ANNOUNCED_CLIENT_AUTHENTICATION_METHODS = CLIENT_AUTHENTICATION_METHODS.filter(
  (method): method is Exclude<ClientAuthenticationMethod, 'none'> => method !== 'none',
);

/**
 * Every error code the OAuth endpoints answer with (RFC 6749 §4.1.2.1 and §5.2, RFC 7009 §2.2.1), its HTTP status
 * and what it means: §5.2 makes every error a 400 but `invalid_client` (401); the two server-side ones are 5xx.
 */
export const OAUTH_ERRORS = {
  invalid_request: { status: 400, description: 'A parameter is missing, repeated, unsupported or malformed' },
  invalid_client: { status: 401, description: 'The client is unknown, disabled, or its authentication failed' },
  invalid_grant: { status: 400, description: 'The code, refresh token or credentials are invalid, expired, revoked or were issued to another client' },
  unauthorized_client: { status: 400, description: 'This client may not use this grant or response type' },
  unsupported_grant_type: { status: 400, description: 'The authorization server does not serve this grant type' },
  invalid_scope: { status: 400, description: "The scope asks for more than the client's permissions, or is malformed" },
  access_denied: { status: 400, description: 'The administrator denied the authorization request' },
  unsupported_response_type: { status: 400, description: 'The authorization server does not serve this response type (only code)' },
  server_error: { status: 500, description: 'The authorization server failed to handle the request' },
  temporarily_unavailable: { status: 503, description: 'The authorization server is overloaded or a service it needs is down; retry shortly' },
  unsupported_token_type: { status: 400, description: 'Revocation of this token type is not supported' },
} as const satisfies Record<string, { status: number; description: string }>;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;
export const OAUTH_ERROR_CODES = Object.keys(OAUTH_ERRORS) as OAuthErrorCode[];
