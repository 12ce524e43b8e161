// The broker's closed lists, without validators, so the console bundles them (browser.ts).

/** How the broker gets a token from a provider. */
export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
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
