import { BusError, type AdminRole, type UpdateIntegrationCommand } from '@tessera/contracts';
import { beyondRole, beyondRoleMessage, isCovered } from '@tessera/permissions';
import type { Integration } from './integration.entity.js';

type Changes = Omit<UpdateIntegrationCommand, 'id' | 'callerRole'>;

function refuse(role: AdminRole, beyond: string[], doing: string): BusError {
  return new BusError('forbidden', beyondRoleMessage(role, beyond, doing), { permissions: beyond });
}

/** Creating: every permission the integration is given must be within the caller's role. */
export function checkGrant(role: AdminRole | undefined, permissions: readonly string[]): void {
  const beyond = role ? beyondRole(role, permissions) : [];
  if (beyond.length) throw refuse(role!, beyond, 'grant');
}

/**
 * Changing: the integration may end up holding permissions beyond the caller's role only when the change widens
 * nothing — it disables, takes permissions away, or sets what is already set. Anything else (re-enabling, a redirect
 * URI, a grant type, a name on the consent page) changes who can obtain those permissions.
 */
export function checkChange(role: AdminRole | undefined, current: Integration, changes: Changes): void {
  if (!role) return;
  const after = changes.permissions ?? current.permissions;
  const beyond = beyondRole(role, after);
  if (!beyond.length) return;
  const added = beyond.filter((permission) => !isCovered(current.permissions, permission));
  if (added.length) throw refuse(role, added, 'grant');
  const widens = Object.entries(changes).some(([key, value]) => {
    if (value === undefined) return false;
    if (key === 'enabled' && value === false) return false;
    if (key === 'permissions') return false; // every permission kept was held already (checked above)
    return JSON.stringify(value) !== JSON.stringify(current[key as keyof Integration]);
  });
  if (widens) throw refuse(role, beyond, 'change, other than to disable it or take permissions away, an integration holding');
}

/** A new secret hands whoever receives it every permission the integration holds. */
export function checkRotation(role: AdminRole | undefined, current: Integration): void {
  const beyond = role ? beyondRole(role, current.permissions) : [];
  if (beyond.length) throw refuse(role!, beyond, 'rotate the secret of an integration holding');
}
