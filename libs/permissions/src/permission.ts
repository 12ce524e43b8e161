/**
 * Permissions are the scopes, in P6's grammar `<instance>:<resource>=<action>`: `*:orgs=read`, `acme:users=read`.
 * `instance` is an instance name or `*` (any instance); action is a lowercase word; resource is a lowercase word,
 * optionally narrowed to one named thing of that kind with `/<name>` (`*:tokens/acme-crm=read`). A resource without
 * a name covers every named one of its kind (`*:tokens=read` covers `*:tokens/acme-crm=read`). See docs/decisions/0016.
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

/**
 * `granted` covers `requested` when the actions match, the instance matches or `granted` names any instance, and the
 * resource matches or `granted` names the whole kind that `requested` names one of.
 */
export function covers(granted: string, requested: string): boolean {
  const g = parsePermission(granted);
  const r = parsePermission(requested);
  if (!g || !r) return false;
  return g.resource === r.resource && (g.name === undefined || g.name === r.name) && g.action === r.action && (g.instance === '*' || g.instance === r.instance);
}

export function isCovered(grantedSet: readonly string[], requested: string): boolean {
  return grantedSet.some((granted) => covers(granted, requested));
}

/** Splits an OAuth `scope` parameter (space-delimited, RFC 6749 §3.3), dropping duplicates. */
export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

export type ScopeDecision = { granted: string[] } | { rejected: string[] };

/**
 * What a client gets for the scope it asked: every requested permission must be covered by its permission set
 * (else the request is rejected, naming what is not covered); asking for nothing grants the whole set.
 */
export function grantScope(permissionSet: readonly string[], requested: string | undefined): ScopeDecision {
  const asked = parseScope(requested);
  if (!asked.length) return { granted: [...permissionSet] };
  const rejected = asked.filter((p) => !isPermission(p) || !isCovered(permissionSet, p));
  return rejected.length ? { rejected } : { granted: asked };
}

/** Permissions in `before` that `after` no longer covers: a narrowing that must revoke issued tokens. */
export function lostPermissions(before: readonly string[], after: readonly string[]): string[] {
  return before.filter((p) => !isCovered(after, p));
}
