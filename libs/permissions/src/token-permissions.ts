import { OUTBOUND_TOKENS, PLATFORM_INSTANCE_TOKENS, type TokenUse } from '@tessera/contracts';
import { isCovered, parsePermission, parseScope } from './permission.js';

export { OUTBOUND_TOKENS, permissionProblem, PLATFORM_INSTANCE_TOKENS, TOKEN_USES, type TokenUse } from '@tessera/contracts';

/** What the platform's administrators hold; it covers everything an integration may be granted. */
export const PLATFORM_ADMIN = '*:platform=admin';

/** An outbound token as far as permissions go: its name, and the platform instance it is held for (P2PI), if any. */
export interface TokenTarget {
  name: string;
  platformInstance?: string | null;
}

/** The permission that lets a caller use `token` that way. */
export function tokenPermission(token: TokenTarget, use: TokenUse): string {
  return token.platformInstance ? `${token.platformInstance}:${PLATFORM_INSTANCE_TOKENS}=${use}` : `*:${OUTBOUND_TOKENS}/${token.name}=${use}`;
}

/** The permission that lets a caller use what the platform holds for platform instance `instance` that way. */
export function instancePermission(instance: string, use: TokenUse): string {
  return `${instance}:${PLATFORM_INSTANCE_TOKENS}=${use}`;
}

/** Whether a caller whose access token has `scope` (space-delimited) may use `token` that way. */
export function mayUseToken(scope: string | undefined, token: TokenTarget, use: TokenUse): boolean {
  const granted = parseScope(scope);
  return isCovered(granted, tokenPermission(token, use)) || isCovered(granted, PLATFORM_ADMIN);
}

/**
 * Whether some token of that name could be usable to this caller, before anyone looks the token up: an ordinary
 * token's permission, or any P2PI permission for that use (the name alone does not say which instance a token is
 * for). A caller that fails this is refused without learning whether the token exists.
 */
export function mightUseToken(scope: string | undefined, name: string, use: TokenUse): boolean {
  const granted = parseScope(scope);
  if (mayUseToken(scope, { name }, use)) return true;
  return granted.some((p) => {
    const parsed = parsePermission(p);
    return parsed?.resource === PLATFORM_INSTANCE_TOKENS && parsed.action === use;
  });
}
