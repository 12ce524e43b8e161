import { isCovered, parsePermission, parseScope } from './permission.js';

/** What the platform's administrators hold; it covers everything an integration may be granted. */
export const PLATFORM_ADMIN = '*:platform=admin';

/** The broker's ordinary outbound tokens: `*:tokens=<use>` (all of them) or `*:tokens/<token name>=<use>` (one). */
export const OUTBOUND_TOKENS = 'tokens';
/**
 * What the platform holds to call another platform instance (its P2PI token, or its password): `<instance>:p2pi=<use>`.
 * A resource of its own, so that no permission meant for ordinary tokens reaches a token that acts as this platform
 * on another one (docs/decisions/0016).
 */
export const PLATFORM_INSTANCE_TOKENS = 'p2pi';

/** `read`: the raw access token (`GET /tokens/:name`); `proxy`: calls through `/proxy/…` without seeing it. */
export const TOKEN_USES = ['read', 'proxy'] as const;
export type TokenUse = (typeof TOKEN_USES)[number];

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

/**
 * Why a permission cannot be granted, or undefined when it can. The grammar allows any word as a resource; for the
 * two token resources, forms that would silently grant nothing are refused with the form that was meant.
 */
export function permissionProblem(text: string): string | undefined {
  const parsed = parsePermission(text);
  if (!parsed) return 'is not <instance>:<resource>=<action> (e.g. "*:orgs=read", "acme:users=read", "*:tokens/acme-crm=proxy")';
  const { instance, resource, name, action } = parsed;
  if (resource !== OUTBOUND_TOKENS && resource !== PLATFORM_INSTANCE_TOKENS) return undefined;
  if (!(TOKEN_USES as readonly string[]).includes(action)) return `names ${resource} with action "${action}": the actions are read (the raw token) and proxy (calls through /proxy)`;
  if (resource === OUTBOUND_TOKENS && instance !== '*') {
    return `names instance "${instance}", but outbound tokens belong to no instance: use *:tokens${name ? `/${name}` : ''}=${action}, or ${instance}:p2pi=${action} for what the platform holds to call instance ${instance}`;
  }
  if (resource === PLATFORM_INSTANCE_TOKENS && name) return `names a token, but the instance names the P2PI token: use ${name}:p2pi=${action} (the instance's name) or *:p2pi=${action}`;
  return undefined;
}
