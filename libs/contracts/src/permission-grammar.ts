import { ROLE_PERMISSIONS } from './admin-roles.js';

/** The permission that makes an integration a Shared Signals receiver: it manages its own streams (ADR 0049). */
export const SSF_RECEIVER_PERMISSION = '*:ssf=receive';
/**
 * The permission grammar, as far as a message needs it to be valid: permissions are the scopes, in Platform 6's (P6) grammar
 * `<instance>:<resource>=<action>`: `*:orgs=read`, `acme:users=read`. `instance` is an instance name or `*` (any
 * instance); action is a lowercase word; resource is a lowercase word, optionally narrowed to one named thing of that
 * kind with `/<name>` (`*:tokens/acme-crm=read`). See docs/decisions/0016. What a permission grants (coverage, scope
 * decisions) is `@tessera/permissions`' business; it builds on this.
 */
export const PERMISSION_PATTERN =
  /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?):([a-z][a-z0-9_-]{0,62})(?:\/([a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?))?=([a-z][a-z0-9_-]{0,62})$/;

export interface Permission {
  instance: string;
  /** The resource's kind, without the name: `tokens` for `*:tokens/acme-crm=read`. */
  resource: string;
  /** The one named thing the permission is narrowed to, if any. */
  name?: string;
  action: string;
}

export function parsePermission(text: string): Permission | undefined {
  const match = PERMISSION_PATTERN.exec(text);
  if (!match) return undefined;
  return { instance: match[1], resource: match[2], ...(match[3] ? { name: match[3] } : {}), action: match[4] };
}

export function isPermission(text: unknown): text is string {
  return typeof text === 'string' && PERMISSION_PATTERN.test(text);
}

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

/**
 * The scopes whose meaning the platform itself defines (RFC 8414 `scopes_supported`): the administrators' roles, every
 * ordinary outbound token, what is held for any platform instance, and the Shared Signals receiver's. Integrations also hold scopes of the
 * `<instance>:<resource>=<action>` grammar that their own APIs define; those are not listed (they are the operators',
 * and naming instances to anyone who asks would tell which platforms this one trusts).
 */
export const PLATFORM_SCOPES: readonly string[] = Object.freeze([
  ...Object.values(ROLE_PERMISSIONS),
  ...TOKEN_USES.map((use) => `*:${OUTBOUND_TOKENS}=${use}`),
  ...TOKEN_USES.map((use) => `*:${PLATFORM_INSTANCE_TOKENS}=${use}`),
  SSF_RECEIVER_PERMISSION,
]);

/**
 * Why a permission cannot be granted, or undefined when it can. The grammar allows any word as a resource; for the
 * two token resources, forms that would silently grant nothing are refused with the form that was meant.
 */
export function permissionProblem(text: string): string | undefined {
  const parsed = parsePermission(text);
  if (!parsed) return 'is not <instance>:<resource>=<action> (e.g. "*:orgs=read", "acme:users=read", "*:tokens/acme-crm=proxy")';
  const { instance, resource, name, action } = parsed;
  if (resource !== OUTBOUND_TOKENS && resource !== PLATFORM_INSTANCE_TOKENS) return undefined;
  if (!(TOKEN_USES as readonly string[]).includes(action))
    return `names ${resource} with action "${action}": the actions are read (the raw token) and proxy (calls through /proxy)`;
  if (resource === OUTBOUND_TOKENS && instance !== '*') {
    return `names instance "${instance}", but outbound tokens belong to no instance: use *:tokens${name ? `/${name}` : ''}=${action}, or ${instance}:p2pi=${action} for what the platform holds to call instance ${instance}`;
  }
  if (resource === PLATFORM_INSTANCE_TOKENS && name)
    return `names a token, but the instance names the P2PI token: use ${name}:p2pi=${action} (the instance's name) or *:p2pi=${action}`;
  return undefined;
}
