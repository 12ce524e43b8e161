import { STORED_SETTING_NAMES, type ProviderView } from '@tessera/contracts';
import type { Provider } from './provider.entity.js';

/** Every stored setting as it is, the secret as whether there is one. */
export function toProviderView(p: Provider): ProviderView {
  const settings = Object.fromEntries(STORED_SETTING_NAMES.map((name) => [name, p[name]]));
  return {
    id: p.id,
    ...(settings as unknown as Pick<ProviderView, (typeof STORED_SETTING_NAMES)[number]>),
    hasClientSecret: p.clientSecretSealed !== null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
