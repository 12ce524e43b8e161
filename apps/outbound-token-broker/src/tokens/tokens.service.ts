import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  type AdminRole,
  type CreateTokenCommand,
  type OutboundTokenPage,
  type OutboundTokenView,
  type TokenChanges,
  type TokenState,
} from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, isUniqueViolation, Transactions } from '@tessera/persistence';
import { CLOCK, EGRESS } from '@tessera/runtime';
import { missingVariables } from '../oauth/resolved-provider.js';
import type { Provider } from '../providers/provider.entity.js';
import { ProviderStore } from '../providers/provider.store.js';
import { ProvidersService } from '../providers/providers.service.js';
import { RefreshService } from '../refresh/refresh.service.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { tokenUrls } from '../secrets/secret-destinations.js';
import { forgetTokens } from '../outbound-token/token-credentials.js';
import { clearSecretsSentElsewhere } from './url-change.js';
import { checkDestinationVariables, checkRetiredName } from './destination-ceiling.js';
import { RetiredTokenNameStore } from './retired-token-name.store.js';
import { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import { settledState } from '../outbound-token/token-state.js';
import { toTokenView } from './token-view.js';
import { egressWarnings, withWarnings } from '../providers/egress-warnings.js';

/** How long creating a client_credentials/password token waits for its first fetch before answering. */
const FIRST_FETCH_WAIT_MS = 2_000;

/** A token's variables must fill every placeholder its provider's URLs and its own baseUrl hold: say which are missing now, not at 3 a.m. */
function checkVariables(provider: Provider, token: Pick<OutboundToken, 'variables' | 'baseUrl'>): void {
  const missing = missingVariables(
    [provider.authorizationUrl, provider.tokenUrl, provider.refreshUrl, provider.revocationUrl, token.baseUrl],
    token.variables,
    provider.tokenResponseVariables,
  );
  if (missing.length) {
    throw new BusError(
      'validation_failed',
      `The provider's URLs need the variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      Object.fromEntries(missing.map((name) => [`variables.${name}`, [`variables.${name} is required: a URL uses {{${name}}}`]])),
    );
  }
}

const tokenTarget = (token: OutboundToken) => ({ type: 'outbound_token', id: token.id, name: token.name });

@Injectable()
export class TokensService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: OutboundTokenStore,
    private readonly providerStore: ProviderStore,
    private readonly retiredNames: RetiredTokenNameStore,
    private readonly providers: ProvidersService,
    private readonly secrets: BrokerSecrets,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly refresher: RefreshService,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {}

  /** Where /proxy/:name would forward to, when the egress policy refuses it now. */
  private refusedBaseUrl(token: OutboundToken): Promise<string[]> {
    return egressWarnings(this.egress, { baseUrl: token.baseUrl });
  }

  async create(request: CreateTokenCommand): Promise<OutboundTokenView> {
    const provider = await this.providerStore.get(request.providerId);
    if (!provider) throw new BusError('validation_failed', 'The request has invalid fields', { providerId: [`provider ${request.providerId} does not exist`] });
    if (provider.grantType === 'password' && (!request.username || !request.password)) {
      throw new BusError('validation_failed', 'The request has invalid fields', {
        ...(!request.username ? { username: ['username is required for a password-grant provider'] } : {}),
        ...(!request.password ? { password: ['password is required for a password-grant provider'] } : {}),
      });
    }
    const retired = await this.retiredNames.get(request.name);
    checkRetiredName(request.callerRole, request.name, retired?.providerId, provider.id);
    const token = Object.assign(new OutboundToken(), {
      id: this.clock.uuid(),
      name: request.name,
      providerId: provider.id,
      active: request.active ?? true,
      scopes: request.scopes ?? null,
      prompt: request.prompt ?? null,
      variables: request.variables ?? {},
      // A provider made from a template knows where its API is; a token may still name its own.
      baseUrl: (request.baseUrl ?? (await this.providers.templateBaseUrl(provider)))?.replace(/\/+$/, '') ?? null,
      responseValues: {},
      platformInstance: request.platformInstance ?? null,
      username: request.username ?? null,
      tokenType: 'Bearer',
      consecutiveFailures: 0,
      proxyLimits: { ...request.proxyLimits },
    });
    token.passwordSealed = this.secrets.sealOptional(request.password, token.id, 'password');
    checkVariables(provider, token);
    checkDestinationVariables(request.callerRole, provider, token, {}, token.variables);
    token.state = this.settle(token, provider);
    try {
      await this.transactions.run(async (manager) => {
        const created = await this.store.insert(manager, token);
        await this.audit.record(manager, { action: 'outbound_token.create', target: tokenTarget(created), after: toTokenView(created, this.clock.now()) });
      });
      void this.outbox.flush();
    } catch (error) {
      if (isUniqueViolation(error)) throw BusError.conflict(`A token named "${request.name}" already exists`);
      throw error;
    }
    if (token.active) await this.firstFetch(token.id, provider);
    return withWarnings(await this.get(token.id), await this.refusedBaseUrl(token));
  }

  /**
   * A client_credentials or password token is fetched as soon as it exists (or is re-activated, or given a new
   * password), as Nango does, so the admin sees at once whether the provider accepts it — valid, or refused with what
   * to do — rather than a new token reading `expired`. Waited for only briefly: a slow provider's token answers
   * `refreshing` and the attempt carries on; its failures are the refresh policy's as ever.
   */
  private async firstFetch(id: string, provider: Provider): Promise<void> {
    if (provider.grantType === 'authorization_code') return;
    const attempt = this.refresher.refresh(id, { kind: 'on_demand' }).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      attempt,
      new Promise((resolve) => {
        timer = setTimeout(resolve, FIRST_FETCH_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private settle(token: OutboundToken, provider: Provider): TokenState {
    return settledState(
      {
        active: token.active,
        grantType: provider.grantType,
        hasAccessToken: token.accessTokenSealed != null,
        hasRefreshToken: token.refreshTokenSealed != null,
        expiresAt: token.expiresAt ?? null,
        revoked: token.state === 'revoked',
        refreshFailed: token.state === 'refresh_failed',
      },
      this.clock.now(),
    );
  }

  async find(id: string): Promise<OutboundToken> {
    const token = await this.store.get(id);
    if (!token) throw BusError.notFound('Token', id);
    return token;
  }

  async findByName(name: string): Promise<OutboundToken> {
    const token = await this.store.byName(name);
    if (!token) throw new BusError('not_found', `No outbound token is named "${name}"`);
    return token;
  }

  async get(id: string): Promise<OutboundTokenView> {
    return toTokenView(await this.find(id), this.clock.now());
  }

  async list(limit = 50, offset = 0, state?: TokenState): Promise<OutboundTokenPage> {
    // Filtered by the displayed state (see displayedState), not the stored one: an expired token is listed as expired.
    const { items, total } = await this.store.page({ limit, offset, state, now: this.clock.now() });
    const now = this.clock.now();
    return { items: items.map((t) => toTokenView(t, now)), total, limit, offset };
  }

  /** PATCH of active, scopes, prompt, variables and baseUrl; re-activating settles the state from what the token holds. */
  async update(id: string, changes: TokenChanges, callerRole?: AdminRole): Promise<OutboundTokenView> {
    const token = await this.find(id);
    const provider = await this.providers.find(token.providerId);
    if (changes.variables !== undefined) checkDestinationVariables(callerRole, provider, token, token.variables, changes.variables);
    const viewBefore = toTokenView(token, this.clock.now());
    const before = tokenUrls(provider, token);
    // A client_credentials or password token holds a token issued for its old scopes: forgotten, and fetched again.
    const rescoped =
      changes.scopes !== undefined &&
      provider.grantType !== 'authorization_code' &&
      token.accessTokenSealed !== null &&
      JSON.stringify(changes.scopes) !== JSON.stringify(token.scopes);
    if (rescoped) forgetTokens(token);
    if (changes.scopes !== undefined) token.scopes = changes.scopes;
    if (changes.prompt !== undefined) token.prompt = changes.prompt || null;
    if (changes.variables !== undefined) token.variables = changes.variables;
    if (changes.proxyLimits !== undefined) token.proxyLimits = { ...changes.proxyLimits };
    if (changes.baseUrl !== undefined) {
      // A P2PI token's base URL is its platform instance's, kept by the registry when the instance changes.
      if (token.platformInstance)
        throw new BusError('validation_failed', 'The request has invalid fields', {
          baseUrl: [`baseUrl of a platform instance's token follows the instance: change the instance ${token.platformInstance}'s baseUrl instead`],
        });
      token.baseUrl = changes.baseUrl.replace(/\/+$/, '') || null;
    }
    checkVariables(provider, token);
    // Variables can move the provider's URLs or the baseUrl to another host: the rule of ADR 0015 applies to them too.
    clearSecretsSentElsewhere(token, provider, before, tokenUrls(provider, token), this.clock.now(), changes.password !== undefined ? ['password'] : []);
    if (changes.password !== undefined) token.passwordSealed = this.secrets.sealOptional(changes.password, token.id, 'password');
    const reactivated = changes.active === true && !token.active;
    if ((changes.active !== undefined && changes.active !== token.active) || rescoped) {
      token.active = changes.active ?? token.active;
      token.state = this.settle(token, provider);
    }
    // A password-grant token refused for its password is worth trying again with the new one.
    const newPassword = changes.password !== undefined && token.state === 'refresh_failed' && provider.grantType === 'password';
    if (newPassword) token.state = 'expired';
    await this.transactions.run(async (manager) => {
      await this.store.save(manager, token);
      await this.audit.record(manager, {
        action: 'outbound_token.update',
        target: tokenTarget(token),
        before: viewBefore,
        after: toTokenView(token, this.clock.now()),
        ...(changes.password !== undefined ? { detail: { passwordChanged: true } } : {}),
      });
    });
    void this.outbox.flush();
    if (token.active && (reactivated || newPassword || rescoped) && token.state === 'expired') await this.firstFetch(id, provider);
    return withWarnings(await this.get(id), changes.baseUrl !== undefined ? await this.refusedBaseUrl(token) : []);
  }

  async delete(id: string): Promise<{ deleted: true }> {
    const token = await this.find(id);
    await this.transactions.run(async (manager) => {
      await this.store.delete(manager, id);
      await this.retiredNames.retire(manager, { name: token.name, providerId: token.providerId, retiredAt: this.clock.now() });
      await this.audit.record(manager, { action: 'outbound_token.delete', target: tokenTarget(token), before: toTokenView(token, this.clock.now()) });
    });
    void this.outbox.flush();
    return { deleted: true };
  }
}
