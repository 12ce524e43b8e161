import type { ExpiresInUnit } from '@tessera/contracts';

/** How to read one provider's token responses (Patchworks' "response authentication token key" and friends). */
export interface ResponseMapping {
  accessTokenPath: string;
  refreshTokenPath: string;
  expiresInPath: string;
  expiresInUnit: ExpiresInUnit;
  /** Lifetime to assume when the response has no expires_in; null: valid until a 401 says otherwise. */
  defaultLifetimeSeconds: number | null;
}

export interface MappedToken {
  accessToken: string;
  /** Absent when the provider sent none (then the caller keeps the refresh token it had). */
  refreshToken?: string;
  tokenType: string;
  expiresAt: Date | null;
  scope: string | null;
}

export class TokenResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenResponseError';
  }
}

/** Reads `data.token.access_token` from nested objects; a plain key containing dots is tried first. */
export function readPath(source: unknown, path: string): unknown {
  if (source === null || typeof source !== 'object') return undefined;
  const record = source as Record<string, unknown>;
  if (path in record) return record[path];
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** expires_in as a number or a numeric string ("3600"), in the provider's unit; anything else counts as absent. */
export function parseExpiresIn(value: unknown, unit: ExpiresInUnit): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0) return undefined;
  return unit === 'milliseconds' ? number : number * 1000;
}

export function mapTokenResponse(body: unknown, mapping: ResponseMapping, now: Date): MappedToken {
  const accessToken = readPath(body, mapping.accessTokenPath);
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new TokenResponseError(`the token response has no access token at "${mapping.accessTokenPath}"`);
  }
  const refreshToken = readPath(body, mapping.refreshTokenPath);
  const lifetimeMs = parseExpiresIn(readPath(body, mapping.expiresInPath), mapping.expiresInUnit)
    ?? (mapping.defaultLifetimeSeconds ? mapping.defaultLifetimeSeconds * 1000 : undefined);
  const tokenType = readPath(body, 'token_type');
  const scope = readPath(body, 'scope');
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
    tokenType: typeof tokenType === 'string' && tokenType ? normaliseTokenType(tokenType) : 'Bearer',
    expiresAt: lifetimeMs === undefined ? null : new Date(now.getTime() + lifetimeMs),
    scope: typeof scope === 'string' ? scope : Array.isArray(scope) ? scope.join(' ') : null,
  };
}

/** "bearer" and "BEARER" are the same scheme; the Authorization header reads best as RFC 6750 spells it. */
function normaliseTokenType(type: string): string {
  return type.toLowerCase() === 'bearer' ? 'Bearer' : type;
}
