import { BusError, type AdminRole } from '@tessera/contracts';
import { isRoleAtLeast } from '@tessera/permissions';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import type { Provider } from '../providers/provider.entity.js';
import { originVariables, providerUrls } from '../secrets/secret-destinations.js';

/**
 * Operators manage tokens but handle no secrets, so they may not choose where one goes either (docs/decisions/0026):
 * a variable that fills the host of a URL the client secret or a token is sent to is the admin's to set. `callerRole`
 * absent: a service asking for itself (the registry creating a P2PI token).
 */
export function checkDestinationVariables(
  callerRole: AdminRole | undefined,
  provider: Provider,
  token: Pick<OutboundToken, 'baseUrl'>,
  before: Record<string, string>,
  after: Record<string, string>,
): void {
  if (!callerRole || isRoleAtLeast(callerRole, 'admin')) return;
  const chosen = originVariables({ ...providerUrls(provider), baseUrl: token.baseUrl }).filter((name) => before[name] !== after[name]);
  if (chosen.length) {
    throw new BusError(
      'forbidden',
      `Setting variables.${chosen.join(', variables.')} needs the admin role: ${chosen.length > 1 ? 'they choose' : 'it chooses'} the host a stored secret is sent to`,
      { variables: chosen },
    );
  }
}

/** A name a deleted token held still addresses its callers: given to another provider's token by an admin only. */
export function checkRetiredName(callerRole: AdminRole | undefined, name: string, retiredProviderId: string | undefined, providerId: string): void {
  if (!callerRole || isRoleAtLeast(callerRole, 'admin') || retiredProviderId === undefined || retiredProviderId === providerId) return;
  throw new BusError(
    'forbidden',
    `Re-creating the token name "${name}" with another provider needs the admin role: its callers would be sent to another provider's API`,
    { name: [name] },
  );
}
