import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  type CreateProviderRequest,
  type DiscoverProviderRequest,
  type ImportProvidersRequest,
  type ProviderPage,
  type ProviderView,
  type UpdateProviderFields,
  STORED_SETTING_NAMES,
} from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, isUniqueViolation, Transactions } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { CLOCK, EGRESS, ISSUER } from '@tessera/runtime';
import { CatalogService } from '../catalog/catalog.service.js';
import { providerFromTemplate, providerVariables, templateBaseUrl, templateSettings } from '../catalog/template-provider.js';
import { PlatformClientAssertions } from '../oauth/platform-client-assertions.js';
import type { ProviderCredential } from '../oauth/resolved-provider.js';
import type { ClientCredentials } from '../oauth/token-endpoint.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { movedSecrets, providerUrls, tokenUrls } from '../secrets/secret-destinations.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import { retryAfterProviderChange } from '../tokens/provider-change.js';
import { clearSecretsSentElsewhere } from '../tokens/url-change.js';
import { fetchAuthorizationServerMetadata } from './authorization-server-metadata.js';
import { checkClientCredentials } from './client-credentials-check.js';
import { providersFromOpenApi } from './openapi-import.js';
import { Provider } from './provider.entity.js';
import { ProviderStore } from './provider.store.js';
import { toProviderView } from './provider-view.js';
import { applySigningKey, openSigningKey, publicJwks, rotateSigningKey } from '../signing/provider-signing-keys.js';
import { withServiceAccount } from '../signing/service-account.js';
import { clientAssertionSigner } from '../signing/client-assertion-signer.js';

/** Settings copied as given: every stored one (PROVIDER_SETTINGS); the secret is sealed on its own. */
const PLAIN_FIELDS = STORED_SETTING_NAMES;

/** Rules that span fields, checked on the provider as it will be stored (after a PATCH as much as on create). */
function checkConsistency(provider: Provider): void {
  if (provider.grantType === 'authorization_code' && !provider.authorizationUrl) {
    throw new BusError('validation_failed', 'The request has invalid fields', {
      authorizationUrl: ['authorizationUrl is required for the authorization_code grant'],
    });
  }
  const problems = tokenResponseProblems(provider);
  if (Object.keys(problems).length) throw new BusError('validation_failed', 'The request has invalid fields', problems);
}

import { egressWarnings, withWarnings } from './egress-warnings.js';
import { tokenResponseProblems } from './token-response-settings.js';

/** The template a provider is made from (or moved to), and the variables it was filled with. */
interface TemplateOrigin {
  id: string;
  version: number;
  variables: Record<string, string>;
}

const providerTarget = (provider: Provider) => ({ type: 'provider', id: provider.id, name: provider.name });

@Injectable()
export class ProvidersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: ProviderStore,
    private readonly tokens: OutboundTokenStore,
    private readonly secrets: BrokerSecrets,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EGRESS) private readonly egress: Egress,
    private readonly catalog: CatalogService,
    private readonly assertions: PlatformClientAssertions,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  private async build(request: CreateProviderRequest, origin?: TemplateOrigin): Promise<Provider> {
    const provider = Object.assign(new Provider(), {
      id: this.clock.uuid(),
      templateId: origin?.id ?? null,
      templateVersion: origin?.version ?? null,
      templateVariables: origin?.variables ?? null,
    });
    for (const field of PLAIN_FIELDS) if (request[field] !== undefined) (provider as unknown as Record<string, unknown>)[field] = request[field];
    // PKCE is on by default for the authorization-code grant; it costs nothing and stops stolen codes being redeemed.
    provider.pkce = request.pkce ?? request.grantType === 'authorization_code';
    provider.clientSecretSealed = this.secrets.sealOptional(request.clientSecret, provider.id, 'client_secret');
    provider.signingKeys = [];
    await applySigningKey(provider, request.assertionKey, this.secrets, this.clock.now());
    checkConsistency(provider);
    return provider;
  }

  private async saveAll(requests: CreateProviderRequest[], action: 'provider.create' | 'provider.import', origin?: TemplateOrigin): Promise<Provider[]> {
    const built = await Promise.all(requests.map((r) => this.build(r, origin)));
    try {
      const saved = await this.transactions.run(async (manager) => {
        const providers = await this.store.insert(manager, built);
        for (const provider of providers) await this.audit.record(manager, { action, target: providerTarget(provider), after: toProviderView(provider) });
        return providers;
      });
      void this.outbox.flush();
      return saved;
    } catch (error) {
      if (isUniqueViolation(error))
        throw BusError.conflict(`A provider named ${requests.length === 1 ? `"${requests[0].name}"` : 'like one of these'} already exists`);
      throw error;
    }
  }

  /** A provider typed in full, or made from a catalog template (`template`, `variables`): it then remembers which, and at what version. */
  async create(request: CreateProviderRequest): Promise<ProviderView> {
    let origin: TemplateOrigin | undefined;
    request = await withServiceAccount(request);
    if (request.template !== undefined) {
      const found = await this.catalog.find(request.template);
      if (!found)
        throw new BusError('validation_failed', 'The request has invalid fields', {
          template: [`${request.template} is not a template of the catalog (GET /admin/catalog)`],
        });
      origin = { id: found.template.id, version: found.template.version, variables: providerVariables(found.template, request.variables) };
      request = providerFromTemplate(found.template, request);
    } else if (request.variables !== undefined) {
      throw new BusError('validation_failed', 'The request has invalid fields', { variables: ['variables fill a template: give template too'] });
    }
    const [provider] = await this.saveAll([request], 'provider.create', origin);
    return withWarnings(await this.get(provider.id), await this.refusedUrls(provider));
  }

  /**
   * Moves a provider made from a template to the template's newest version: the template's settings, filled with the
   * variables it was made with, replace the provider's (its client, name and scopes stay). Done by an admin's request
   * only, through update, so the secret-origin rule (ADR 0015) applies to any URL the new version moves.
   */
  async applyTemplateUpdate(id: string): Promise<ProviderView> {
    const provider = await this.find(id);
    if (!provider.templateId) throw BusError.conflict(`Provider ${provider.name} was not made from a catalog template`);
    const found = await this.catalog.find(provider.templateId);
    if (!found) throw BusError.conflict(`Template ${provider.templateId} is no longer in the catalog`);
    if (found.template.version <= (provider.templateVersion ?? 0))
      throw BusError.conflict(`Provider ${provider.name} already follows version ${provider.templateVersion} of ${provider.templateId}`);
    const values = providerVariables(found.template, provider.templateVariables ?? {});
    const { scopes: _scopes, ...settings } = templateSettings(found.template, values, provider.grantType);
    return this.update(id, settings, { id: found.template.id, version: found.template.version, variables: values });
  }

  /** The provider's URLs the broker calls (the authorization URL is the browser's) that the egress policy refuses now. */
  private refusedUrls(provider: Provider): Promise<string[]> {
    return egressWarnings(this.egress, { tokenUrl: provider.tokenUrl, refreshUrl: provider.refreshUrl, revocationUrl: provider.revocationUrl });
  }

  /**
   * Creates a provider for another platform from its RFC 8414 metadata (P2PI's outbound client app): authorization
   * code with PKCE and HTTP Basic client authentication, as a Tessera authorization server expects. The credentials
   * are checked at the platform's token endpoint first. With `replaceId` naming an existing provider, that one is
   * updated in place instead, so setting new credentials never leaves the old client app behind.
   */
  async discover(request: DiscoverProviderRequest): Promise<ProviderView> {
    const issuer = request.issuer.replace(/\/+$/, '');
    const metadata = await fetchAuthorizationServerMetadata(issuer, this.egress);
    // No secret: the other platform registered this one's published keys, and this platform signs its assertions.
    const client: ClientCredentials = request.clientSecret
      ? { clientId: request.clientId, clientSecret: request.clientSecret, method: 'client_secret_basic' }
      : { clientId: request.clientId, clientSecret: '', method: 'private_key_jwt', assertion: this.assertions.signerFor(request.clientId) };
    await checkClientCredentials(metadata.token_endpoint, client, this.egress);
    const fields = {
      description: `Platform instance at ${issuer} (discovered from its metadata)`,
      grantType: 'authorization_code',
      clientId: request.clientId,
      // An empty secret is none: a client app moving to private_key_jwt forgets the secret it had.
      clientSecret: request.clientSecret ?? '',
      authorizationUrl: metadata.authorization_endpoint,
      tokenUrl: metadata.token_endpoint,
      ...(metadata.revocation_endpoint ? { revocationUrl: metadata.revocation_endpoint } : {}),
      clientAuthMethod: client.method,
      // Stored, not guessed later: this client app's assertions are the platform's, signed by the registry's key.
      assertionSigner: client.method === 'private_key_jwt' ? 'platform' : 'provider',
      pkce: true,
    } as const;
    if (request.replaceId && (await this.store.exists(request.replaceId))) return this.update(request.replaceId, fields);
    return this.create({ name: request.name, ...fields } as CreateProviderRequest);
  }

  async import(request: ImportProvidersRequest): Promise<ProviderPage> {
    const drafts = providersFromOpenApi(request.document, request.namePrefix);
    const saved = await this.saveAll(
      drafts.map((d) => ({ ...d, clientId: request.clientId ?? '', clientSecret: request.clientSecret })),
      'provider.import',
    );
    const items = await Promise.all(saved.map((p) => this.get(p.id)));
    return { items, total: items.length, limit: items.length, offset: 0 };
  }

  async find(id: string): Promise<Provider> {
    const provider = await this.store.get(id);
    if (!provider) throw BusError.notFound('Provider', id);
    return provider;
  }

  /** Where a token of this provider calls the API when it names no base URL: its template's, if it was made from one. */
  async templateBaseUrl(provider: Provider): Promise<string | undefined> {
    const found = provider.templateId ? await this.catalog.find(provider.templateId) : undefined;
    return found && templateBaseUrl(found.template, provider.templateVariables ?? {});
  }

  /** The view, with a newer version of its template offered when there is one. */
  private async view(provider: Provider): Promise<ProviderView> {
    const latest = provider.templateId ? (await this.catalog.find(provider.templateId))?.template.version : undefined;
    return toProviderView(provider, latest, this.issuer);
  }

  async get(id: string): Promise<ProviderView> {
    return this.view(await this.find(id));
  }

  async list(limit = 50, offset = 0): Promise<ProviderPage> {
    const { items, total } = await this.store.page(limit, offset);
    return { items: await Promise.all(items.map((p) => this.view(p))), total, limit, offset };
  }

  /**
   * PATCH. A stored secret never goes to an origin it was not entered for (ADR 0015): when the change gives the client
   * secret a new origin and does not re-enter it, it is cleared; the tokens' own secrets that would follow are cleared
   * on every token of the provider, in the same transaction.
   */
  async update(id: string, changes: UpdateProviderFields, origin?: TemplateOrigin): Promise<ProviderView> {
    changes = await withServiceAccount(changes);
    const provider = await this.find(id);
    const before = { ...provider };
    if (origin) Object.assign(provider, { templateId: origin.id, templateVersion: origin.version, templateVariables: origin.variables });
    for (const field of PLAIN_FIELDS) if (changes[field] !== undefined) (provider as unknown as Record<string, unknown>)[field] = changes[field];
    // An empty string clears the secret (public clients); absent leaves it as it was.
    if (changes.clientSecret !== undefined) provider.clientSecretSealed = this.secrets.sealOptional(changes.clientSecret, provider.id, 'client_secret');
    else if (movedSecrets(providerUrls(before), providerUrls(provider), ['clientSecret']).length) provider.clientSecretSealed = null;
    await applySigningKey(provider, changes.assertionKey, this.secrets, this.clock.now());
    checkConsistency(provider);
    try {
      await this.transactions.run(async (manager) => {
        await this.store.save(manager, provider);
        const now = this.clock.now();
        for (const token of await this.tokens.ofProvider(manager, id)) {
          const cleared = clearSecretsSentElsewhere(token, provider, tokenUrls(before, token), tokenUrls(provider, token), now).length > 0;
          if (retryAfterProviderChange(token, provider, now) || cleared) await this.tokens.save(manager, token);
        }
        await this.audit.record(manager, {
          action: 'provider.update',
          target: providerTarget(provider),
          before: toProviderView(before as Provider),
          after: toProviderView(provider),
          ...(changes.clientSecret !== undefined || changes.assertionKey !== undefined || origin
            ? {
                detail: {
                  ...(changes.clientSecret !== undefined ? { clientSecretChanged: true } : {}),
                  ...(changes.assertionKey !== undefined ? { signingKeyChanged: true } : {}),
                  ...(origin ? { templateVersion: origin.version } : {}),
                },
              }
            : {}),
        });
      });
      void this.outbox.flush();
    } catch (error) {
      if (isUniqueViolation(error)) throw BusError.conflict(`A provider named "${changes.name}" already exists`);
      throw error;
    }
    return withWarnings(await this.get(id), await this.refusedUrls(provider));
  }

  async delete(id: string): Promise<{ deleted: true }> {
    const inUse = await this.tokens.countOfProvider(id);
    if (inUse) throw BusError.conflict(`Provider ${id} is used by ${inUse} token${inUse > 1 ? 's' : ''}; delete those first`);
    const provider = await this.find(id);
    await this.transactions.run(async (manager) => {
      await this.store.delete(manager, id);
      await this.audit.record(manager, { action: 'provider.delete', target: providerTarget(provider), before: toProviderView(provider) });
    });
    void this.outbox.flush();
    return { deleted: true };
  }

  /**
   * private_key_jwt: a new signing key, published at once beside the previous one (which stays published until the
   * next rotation), and used for every assertion from now on.
   */
  async rotateSigningKey(id: string): Promise<ProviderView> {
    const provider = await this.find(id);
    const before = toProviderView(provider);
    await rotateSigningKey(provider, this.secrets, this.clock.now());
    await this.transactions.run(async (manager) => {
      await this.store.save(manager, provider);
      await this.audit.record(manager, { action: 'provider.signing_key.rotate', target: providerTarget(provider), before, after: toProviderView(provider) });
    });
    void this.outbox.flush();
    return this.get(id);
  }

  /** The public half of its signing keys, for anyone (the provider registers the URL); a provider without keys is not found. */
  async jwks(id: string): Promise<{ keys: Record<string, unknown>[] }> {
    const jwks = publicJwks(await this.find(id));
    if (!jwks.keys.length) throw BusError.notFound('Provider', id);
    return jwks;
  }

  /**
   * How the client proves itself in a request to the provider itself: its secret; for private_key_jwt, assertions
   * signed one per request by whoever its assertionSigner names (its own key here, or this platform's client key in the
   * registry); and for jwt_bearer its own key, opened.
   */
  credential(provider: Provider): ProviderCredential {
    const signingKey = openSigningKey(this.secrets, provider);
    const assertion = clientAssertionSigner(provider, signingKey, (clientId) => this.assertions.signerFor(clientId));
    return {
      clientSecret: this.secrets.openOptional(provider.clientSecretSealed, provider.id, 'client_secret') ?? '',
      signingKey,
      ...(assertion ? { assertion } : {}),
    };
  }
}
