import { isCovered } from './permission.js';

/**
 * What makes a client a resource server for introspection (RFC 7662 §4): it may learn about access tokens issued to
 * other clients. Without it a client introspects only its own tokens; any other answers `{"active": false}`, so a
 * client holding someone's token learns nothing from us about it (not even that it is live).
 */
export const INTROSPECTION_PERMISSION = '*:introspection=read';

/** Whether `caller` (with its permission set) may see the details of a token issued to `tokenClient`. */
export function mayIntrospect(caller: { clientId: string; permissions: readonly string[] }, tokenClient: string): boolean {
  return caller.clientId === tokenClient || isCovered(caller.permissions, INTROSPECTION_PERMISSION);
}
