import { isPermission, parsePermission } from '@tessera/contracts';

// The grammar itself lives in contracts (messages validate permissions with it); this library decides what they grant.
export { isPermission, parsePermission };
export { PERMISSION_PATTERN, type Permission } from '@tessera/contracts';

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
