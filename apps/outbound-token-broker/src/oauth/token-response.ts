import type { ExpiresInUnit } from '@tessera/contracts';
import { readResponseValues, type ResponseValueMapping } from './response-values.js';
import { readPath, TokenResponseError } from './token-answer.js';

/** How to read one provider's token responses (where the access token, refresh token and lifetime are in the answer). */
export interface ResponseMapping {
  accessTokenPath: string;
  refreshTokenPath: string;
  expiresInPath: string;
  expiresInUnit: ExpiresInUnit;
  /** Where an absolute expiry is (epoch seconds or an ISO 8601 date), for answers that send one; null: none. */
  expiresAtPath: string | null;
  /** Lifetime to assume when the response has no expires_in; null: valid until a 401 says otherwise. */
  defaultLifetimeSeconds: number | null;
  /** Values the answer carries for the token's URLs (Salesforce's instance_url); absent: none. */
  values?: ResponseValueMapping;
}

export interface MappedToken {
  accessToken: string;
  /** Absent when the provider sent none (then the caller keeps the refresh token it had). */
  refreshToken?: string;
  tokenType: string;
  expiresAt: Date | null;
  scope: string | null;
  /** The values the answer carried for the token's URLs (only those present; absent when none). */
  values?: Record<string, string>;
}

export { readPath, TokenResponseError };

/** Longest lifetime believed: ten years. Beyond it the answer is wrong (or hostile), not generous, and dates overflow. */
const MAX_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;
/** RFC 6750 §2.1 / RFC 9110 §11.1: the scheme in `Authorization: <token_type> <token>` is one token of tchars. */
const TOKEN_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** What can travel after the scheme in a header: visible ASCII, no spaces (token68 and the real-world `|`, `:`, …). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
const MAX_TOKEN_LENGTH = 16_384;

/**
 * expires_in as a number or a numeric string ("3600"), in the provider's unit, as milliseconds; absent or negative
 * counts as absent. A number beyond ten years (or not finite) is refused: it would be stored as a date nobody can use.
 */
export function parseExpiresIn(value: unknown, unit: ExpiresInUnit): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TokenResponseError("the token response's expires_in is not a finite number");
  if (Number.isNaN(number) || number < 0) return undefined;
  const ms = unit === 'milliseconds' ? number : number * 1000;
  if (!Number.isFinite(ms) || ms > MAX_LIFETIME_MS)
    throw new TokenResponseError(`the token response's expires_in (${number} ${unit}) is out of range (at most ten years)`);
  return ms;
}

/**
 * An absolute expiry (epoch seconds, as a number or numeric string, or an ISO 8601 date) as the lifetime left from
 * `now`, in milliseconds; absent or unreadable counts as absent, a date already past as 0, and beyond ten years is refused.
 */
export function parseExpiresAt(value: unknown, now: Date): number | undefined {
  let at: number;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))) at = Number(value) * 1000;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) at = Date.parse(value);
  else return undefined;
  if (!Number.isFinite(at)) return undefined;
  const ms = Math.max(0, at - now.getTime());
  if (ms > MAX_LIFETIME_MS) throw new TokenResponseError("the token response's expiry date is out of range (at most ten years ahead)");
  return ms;
}

export function mapTokenResponse(body: unknown, mapping: ResponseMapping, now: Date): MappedToken {
  const accessToken = readPath(body, mapping.accessTokenPath);
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new TokenResponseError(`the token response has no access token at "${mapping.accessTokenPath}"`);
  }
  // The token goes into an Authorization header: anything that could end the header or add another is refused, and
  // the message never repeats the value.
  if (accessToken.length > MAX_TOKEN_LENGTH || !HEADER_SAFE.test(accessToken)) {
    throw new TokenResponseError(
      `the token response's access token at "${mapping.accessTokenPath}" is not a single header-safe word (or is longer than ${MAX_TOKEN_LENGTH} characters)`,
    );
  }
  const refreshToken = readPath(body, mapping.refreshTokenPath);
  if (typeof refreshToken === 'string' && refreshToken.length > MAX_TOKEN_LENGTH)
    throw new TokenResponseError(`the token response's refresh token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const lifetimeMs =
    parseExpiresIn(readPath(body, mapping.expiresInPath), mapping.expiresInUnit) ??
    (mapping.expiresAtPath ? parseExpiresAt(readPath(body, mapping.expiresAtPath), now) : undefined) ??
    (mapping.defaultLifetimeSeconds ? mapping.defaultLifetimeSeconds * 1000 : undefined);
  const tokenType = readPath(body, 'token_type');
  if (tokenType !== undefined && tokenType !== null && tokenType !== '' && (typeof tokenType !== 'string' || !TOKEN_TYPE.test(tokenType))) {
    throw new TokenResponseError(
      'the token response\'s token_type is not a single word (RFC 6750: an auth-scheme token such as "Bearer"); the answer was refused',
    );
  }
  const scope = readPath(body, 'scope');
  const values = mapping.values ? readResponseValues(body, mapping.values) : {};
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
    tokenType: typeof tokenType === 'string' && tokenType ? normaliseTokenType(tokenType) : 'Bearer',
    expiresAt: lifetimeMs === undefined ? null : new Date(now.getTime() + lifetimeMs),
    scope: typeof scope === 'string' ? scope : Array.isArray(scope) ? scope.join(' ') : null,
    ...(Object.keys(values).length ? { values } : {}),
  };
}

/** "bearer" and "BEARER" are the same scheme; the Authorization header reads best as RFC 6750 spells it. */
function normaliseTokenType(type: string): string {
  return type.toLowerCase() === 'bearer' ? 'Bearer' : type;
}
