// The broker's closed lists, without validators, so the console bundles them (browser.ts).

/** How the broker gets a token from a provider. */
export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
export const EXPIRES_IN_UNITS = ['seconds', 'milliseconds'] as const;
export type ExpiresInUnit = (typeof EXPIRES_IN_UNITS)[number];

export const TOKEN_STATES = ['pending_authorization', 'valid', 'refreshing', 'expired', 'refresh_failed', 'revoked', 'inactive'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];
