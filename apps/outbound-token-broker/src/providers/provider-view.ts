import { STORED_SETTING_NAMES, type ProviderView } from '@tessera/contracts';
import type { Provider } from './provider.entity.js';

/**
 * Every stored setting as it is, the secret as whether there is one, and the template it was made from; `latest` is
 * that template's newest version, offered as `templateUpdate` when it is newer (never applied here).
 */
export function toProviderView(p: Provider, latest?: number, issuer?: string): ProviderView {
  const keys = p.signingKeys ?? [];
  const template = p.templateId && p.templateVersion ? { id: p.templateId, version: p.templateVersion } : null;
  const settings = Object.fromEntries(STORED_SETTING_NAMES.map((name) => [name, p[name]]));
  return {
    id: p.id,
    ...(settings as unknown as Pick<ProviderView, (typeof STORED_SETTING_NAMES)[number]>),
    hasClientSecret: p.clientSecretSealed !== null,
    assertionKeys: keys.map(({ kid, alg, generated, createdAt }, index) => ({ kid, alg, generated, createdAt, signing: index === 0 })),
    // Where the gateway publishes them (JwksController); the audit log's copies carry none (no issuer there).
    jwksUrl: keys.length && issuer ? `${issuer}/providers/${p.id}/jwks.json` : null,
    template,
    templateUpdate: template && latest !== undefined && latest > template.version ? { id: template.id, version: latest } : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
