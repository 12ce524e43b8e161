// The authorization server's vocabulary, one list each: what the token endpoint, the discovery metadata, the metrics,
// the gateway's error mapping, the OpenAPI document and the console derive from. No validators here, so the console
// bundles it (browser.ts).

/** What a grant or a client authentication method declares about itself: the registry everything else derives from. */
export interface OAuthGrantDeclaration {
  /** The form parameters it reads at the token endpoint (besides `grant_type` and the client's authentication). */
  readonly parameters: readonly string[];
  /** One line for the console and the API reference. */
  readonly label: string;
}

/**
 * The grants the token endpoint serves (`authorization_code` also at /oauth/authorize), each declaring itself; an
 * integration is allowed a subset of them. A grant added here is one the metadata announces, the metrics count, the
 * OpenAPI enum and the console offer: it needs its handler in auth-server (tokens/grants/), where the type of this
 * table makes the token service's dispatch incomplete until then.
 */
export const OAUTH_GRANTS = {
  client_credentials: { parameters: ['scope', 'resource'], label: 'Client credentials' },
  authorization_code: { parameters: ['code', 'redirect_uri', 'code_verifier', 'resource'], label: 'Authorization code (admin consent)' },
  refresh_token: { parameters: ['refresh_token', 'scope', 'resource'], label: 'Refresh token' },
} as const satisfies Record<string, OAuthGrantDeclaration>;
export type IntegrationGrantType = keyof typeof OAUTH_GRANTS;
export const INTEGRATION_GRANT_TYPES = Object.keys(OAUTH_GRANTS) as [IntegrationGrantType, ...IntegrationGrantType[]];

/**
 * JWS algorithms a client may sign with (assertions, DPoP proofs): asymmetric only, so the server holds no key that
 * could forge them (RFC 7523 §3, RFC 9449 §4.2 — `none` and the HMAC family are never accepted).
 */
export const ASYMMETRIC_SIGNING_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'] as const;
export type AsymmetricSigningAlgorithm = (typeof ASYMMETRIC_SIGNING_ALGORITHMS)[number];

export interface ClientAuthenticationDeclaration extends OAuthGrantDeclaration {
  /** What the integration holds to authenticate with it: a shared secret, a public key set, or nothing. */
  readonly credential: 'secret' | 'jwks' | 'none';
  /** The JWS algorithms it accepts (`<endpoint>_auth_signing_alg_values_supported`, RFC 8414 §2). */
  readonly signingAlgorithms?: readonly AsymmetricSigningAlgorithm[];
}

/**
 * How a client authenticates at the token, introspection and revocation endpoints (RFC 6749 §2.3.1, RFC 7523 §2.2),
 * each declaring itself; `none`: it sent nothing (public clients, and every refusal the endpoint answers first).
 */
export const CLIENT_AUTHENTICATION = {
  client_secret_basic: { parameters: [], credential: 'secret', label: 'Client secret in HTTP Basic' },
  client_secret_post: { parameters: ['client_id', 'client_secret'], credential: 'secret', label: 'Client secret in the form' },
  private_key_jwt: {
    parameters: ['client_id', 'client_assertion_type', 'client_assertion'],
    credential: 'jwks',
    label: 'Signed JWT (private_key_jwt): no shared secret',
    signingAlgorithms: ASYMMETRIC_SIGNING_ALGORITHMS,
  },
  none: { parameters: ['client_id'], credential: 'none', label: 'None' },
} as const satisfies Record<string, ClientAuthenticationDeclaration>;
export type ClientAuthenticationMethod = keyof typeof CLIENT_AUTHENTICATION;
export const CLIENT_AUTHENTICATION_METHODS = Object.keys(CLIENT_AUTHENTICATION) as [ClientAuthenticationMethod, ...ClientAuthenticationMethod[]];
/** The methods a client may authenticate with, as the discovery metadata announces them: `none` is not one. */
export type IntegrationAuthenticationMethod = Exclude<ClientAuthenticationMethod, 'none'>;
export const ANNOUNCED_CLIENT_AUTHENTICATION_METHODS = CLIENT_AUTHENTICATION_METHODS.filter(
  (method): method is IntegrationAuthenticationMethod => method !== 'none',
);
/** An integration's `tokenEndpointAuthMethod` (RFC 7591 §2) when none is given. */
export const DEFAULT_CLIENT_AUTHENTICATION_METHOD: IntegrationAuthenticationMethod = 'client_secret_basic';
/** RFC 7523 §2.2: the only `client_assertion_type` private_key_jwt takes. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The JWS algorithms accepted in DPoP proofs (RFC 9449 §5.1: `dpop_signing_alg_values_supported`). */
export const DPOP_SIGNING_ALGORITHMS: readonly AsymmetricSigningAlgorithm[] = [...ASYMMETRIC_SIGNING_ALGORITHMS];

/**
 * What the client authentication registry adds to RFC 8414 metadata: for each endpoint that authenticates clients, the
 * methods and the union of their signing algorithms (§2); and what DPoP adds (RFC 9449 §5.1).
 */
export function clientAuthenticationMetadata() {
  const methods = [...ANNOUNCED_CLIENT_AUTHENTICATION_METHODS];
  const algorithms = [...new Set(methods.flatMap((method) => (CLIENT_AUTHENTICATION[method] as ClientAuthenticationDeclaration).signingAlgorithms ?? []))];
  return {
    token_endpoint_auth_methods_supported: methods,
    token_endpoint_auth_signing_alg_values_supported: algorithms,
    introspection_endpoint_auth_methods_supported: methods,
    introspection_endpoint_auth_signing_alg_values_supported: algorithms,
    revocation_endpoint_auth_methods_supported: methods,
    revocation_endpoint_auth_signing_alg_values_supported: algorithms,
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGORITHMS],
  };
}

/**
 * The longest an access token of ours lives (an admin session's token included). A revocation covers nothing issued
 * more than this before it expires, so verifiers cut a revocation's `expiresAt` to `revokedAt` plus this.
 */
export const MAX_ACCESS_TOKEN_LIFETIME_MS = 86_400_000;

/**
 * Every error code the OAuth endpoints answer with (RFC 6749 §4.1.2.1 and §5.2, RFC 7009 §2.2.1, RFC 9449 §12.2), its HTTP status
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
  invalid_dpop_proof: { status: 400, description: 'RFC 9449 §5: the DPoP proof is missing, malformed, replayed or does not match the request' },
  use_dpop_nonce: { status: 400, description: 'RFC 9449 §8: the DPoP proof must carry the nonce sent in the DPoP-Nonce header' },
} as const satisfies Record<string, { status: number; description: string }>;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;
export const OAUTH_ERROR_CODES = Object.keys(OAUTH_ERRORS) as OAuthErrorCode[];
