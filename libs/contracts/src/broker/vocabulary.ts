// The broker's closed lists, without validators, so the console bundles them (browser.ts).

/** How the broker gets a token from a provider. */
export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password', 'jwt_bearer'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
/** `jwt_bearer` is RFC 7523 §2.1: the broker signs an assertion (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer). */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): a signed assertion instead of a secret. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
/** The algorithms the broker signs assertions with: asymmetric only (the provider holds just the public key). */
export const ASSERTION_ALGORITHMS = ['ES256', 'RS256', 'PS256'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];
/** Where the scopes of a jwt_bearer request go: the form's `scope` (RFC 7523) or a `scope` claim in the assertion (Google, DocuSign). */
/**
 * Whose key signs a private_key_jwt provider's client assertions: its own, held by the broker (published at
 * /providers/:id/jwks.json), or this platform's client key, held by integrations-registry (a P2PI client app).
 */
export const ASSERTION_SIGNERS = ['provider', 'platform'] as const;
export type AssertionSigner = (typeof ASSERTION_SIGNERS)[number];
export const ASSERTION_SCOPE_PLACES = ['param', 'claim'] as const;
export type AssertionScopePlace = (typeof ASSERTION_SCOPE_PLACES)[number];
export const EXPIRES_IN_UNITS = ['seconds', 'milliseconds'] as const;
export type ExpiresInUnit = (typeof EXPIRES_IN_UNITS)[number];

export const TOKEN_STATES = ['pending_authorization', 'valid', 'refreshing', 'expired', 'refresh_failed', 'revoked', 'inactive'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];
/** How a token or refresh request carries its parameters: an RFC 6749 form, a JSON body, or the URL's query (Miro). */
export const REQUEST_FORMATS = ['form', 'json', 'query'] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];
/** How a revocation request carries its parameters: an RFC 7009 form, or a JSON body (Intuit). */
export const REVOCATION_REQUEST_FORMATS = ['form', 'json'] as const;
export type RevocationRequestFormat = (typeof REVOCATION_REQUEST_FORMATS)[number];
