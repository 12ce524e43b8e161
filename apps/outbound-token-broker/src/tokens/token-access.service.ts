import { Inject, Injectable } from '@nestjs/common';
import { BusError, Events, type AccessTokenReply, type OutboundTokenView, type OutboundTokenRevokedEvent } from '@tessera/contracts';
import type { Logger, Clock } from '@tessera/observability';
import { mayUseToken, tokenPermission, type TokenUse } from '@tessera/permissions';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import { CLOCK, EGRESS, LOGGER } from '@tessera/runtime';
import type { Egress } from '@tessera/egress';
import { revokeAtProvider } from '../oauth/grants.js';
import { resolveProvider } from '../oauth/resolved-provider.js';
import { fillTemplate } from '../oauth/url-template.js';
import { ProvidersService } from '../providers/providers.service.js';
import { RefreshService, type RefreshResult } from '../refresh/refresh.service.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import type { Provider } from '../providers/provider.entity.js';
import { forgetTokens, openAccessToken, openRefreshToken } from '../outbound-token/token-credentials.js';
import { canServe, displayedState, isFresh, retryAfter } from '../outbound-token/token-state.js';
import { TokensService } from './tokens.service.js';
import { toTokenView } from './token-view.js';

/** Using a token, refreshing it on request, and revoking it. */
/** The API-call settings of a provider, as the proxy applies them; nothing for a provider that takes a Bearer token alone. */
function apiHeaders(provider: Provider): Pick<AccessTokenReply, 'token_header' | 'token_prefix' | 'api_headers'> {
  const fixed = Object.entries(provider.apiHeaders).map(([name, value]) => [name, value.replaceAll('{{client_id}}', provider.clientId)]);
  return {
    ...(provider.apiTokenHeader ? { token_header: provider.apiTokenHeader, token_prefix: provider.apiTokenPrefix ?? '' } : {}),
    ...(fixed.length ? { api_headers: Object.fromEntries(fixed) } : {}),
  };
}

@Injectable()
export class TokenAccessService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: OutboundTokenStore,
    private readonly tokens: TokensService,
    private readonly providers: ProvidersService,
    private readonly refresher: RefreshService,
    private readonly secrets: BrokerSecrets,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {}

  /** The token as a caller uses it, with how the provider's API wants it sent (its api* settings). */
  private async reply(token: OutboundToken): Promise<AccessTokenReply> {
    const provider = await this.providers.find(token.providerId);
    return {
      ...apiHeaders(provider),
      access_token: openAccessToken(this.secrets, token)!,
      token_type: token.tokenType,
      expires_at: token.expiresAt?.toISOString() ?? null,
      scope: token.scope,
      base_url: token.baseUrl ? fillTemplate(token.baseUrl, token.variables, 'baseUrl') : null,
      proxy_limits: token.proxyLimits ?? {},
    };
  }

  private async refusal(token: OutboundToken, detail?: string): Promise<BusError> {
    // Only an authorization-code grant has a consent to get again; the others are fixed on their provider or token.
    const grantType = token.state === 'refresh_failed' ? (await this.providers.find(token.providerId).catch(() => undefined))?.grantType : undefined;
    const why =
      token.state === 'pending_authorization'
        ? 'has not been authorized yet'
        : token.state === 'refresh_failed' && grantType !== 'authorization_code'
          ? `cannot be fetched (${token.lastMessage ?? 'the provider refused'})`
          : token.state === 'refresh_failed'
            ? `needs re-authorization (${token.lastMessage ?? 'refresh failed'})`
            : token.state === 'inactive'
              ? 'is inactive'
              : token.state === 'revoked'
                ? 'was revoked'
                : `cannot be used (${detail ?? token.state})`;
    return new BusError('conflict', `Token "${token.name}" ${why}`, { state: token.state });
  }

  /**
   * A usable access token, fetched or refreshed first when needed (client_credentials and password tokens are fetched
   * on first use and whenever expired). With `rejectedTokenHash`, the caller says an API refused that token: it is
   * refreshed once, however many callers report the same rejection.
   */
  async access(ref: { name: string } | { id: string }, rejectedTokenHash?: string, caller?: { scope: string; use: TokenUse }): Promise<AccessTokenReply> {
    let token = await ('id' in ref ? this.tokens.find(ref.id) : this.tokens.findByName(ref.name)).catch((error: unknown) => {
      // A caller who could not use a token of that name anyway does not learn whether one exists. (An id comes from a
      // record the caller was already allowed to use, such as a platform instance's: its absence tells nothing.)
      if (caller && 'name' in ref && error instanceof BusError && error.code === 'not_found' && !mayUseToken(caller.scope, ref, caller.use)) {
        throw new BusError('forbidden', `The access token lacks the ${tokenPermission(ref, caller.use)} permission`);
      }
      throw error;
    });
    const name = token.name;
    // Decided here, where it is known whether the token acts on another platform (P2PI), and before any fetch or refresh
    // is done for a caller who may not use it.
    if (caller && !mayUseToken(caller.scope, token, caller.use)) {
      throw new BusError('forbidden', `The access token lacks the ${tokenPermission(token, caller.use)} permission`, {
        required: tokenPermission(token, caller.use),
      });
    }
    if (!canServe(token.state)) throw await this.refusal(token);
    const now = this.clock.now();
    if (!rejectedTokenHash && isFresh(token.accessTokenSealed !== null, token.expiresAt, now)) return this.reply(token);
    const result: RefreshResult = await this.refresher.refresh(
      token.id,
      rejectedTokenHash ? { kind: 'rejected', tokenHash: rejectedTokenHash } : { kind: 'on_demand' },
    );
    token = result.token;
    // A token an API just refused is not handed out again while its refresh waits out a backoff.
    const refusedByApi = rejectedTokenHash !== undefined && (result.outcome === 'backing_off' || result.outcome === 'busy');
    if (!refusedByApi && token.accessTokenSealed && isFresh(true, token.expiresAt, this.clock.now(), 0) && canServe(token.state)) return this.reply(token);
    const state = displayedState(token, this.clock.now());
    if (result.outcome === 'transient_failure' || result.outcome === 'backing_off') {
      const retryAfterSeconds = result.retryAfterSeconds ?? retryAfter(token, this.clock.now());
      throw new BusError(
        'unavailable',
        `Token "${name}" could not be refreshed: ${result.error ?? token.lastTransientError ?? 'the provider failed'}; next attempt in ${retryAfterSeconds} s`,
        { state, retryAfterSeconds },
      );
    }
    if (result.outcome === 'busy')
      throw new BusError('unavailable', `Token "${name}" is being refreshed; ask again shortly`, { state, retryAfterSeconds: result.retryAfterSeconds ?? 1 });
    throw await this.refusal(token, result.error);
  }

  /** POST /admin/tokens/:id/refresh: refresh (or fetch) now, whatever the schedule says. */
  async refreshNow(id: string): Promise<OutboundTokenView> {
    await this.tokens.find(id);
    const result = await this.refresher.refresh(id, { kind: 'admin' });
    // The refresh's own write happens under its lease deep in the refresher; the admin's request is recorded beside it.
    await this.audit.recordAlone({
      action: 'outbound_token.refresh',
      outcome: result.outcome === 'busy' || result.outcome === 'not_possible' ? 'failure' : 'success',
      target: { type: 'outbound_token', id, name: result.token.name },
      detail: { outcome: result.outcome, state: displayedState(result.token, this.clock.now()) },
    });
    if (result.outcome === 'busy')
      throw new BusError('unavailable', `Token ${result.token.name} is being refreshed; ask again shortly`, {
        state: displayedState(result.token, this.clock.now()),
        retryAfterSeconds: 1,
      });
    if (result.outcome === 'not_possible')
      throw new BusError('conflict', `Token ${result.token.name} cannot be refreshed: ${result.error}`, { state: result.token.state });
    return toTokenView(result.token, this.clock.now());
  }

  /**
   * Revokes at the provider (RFC 7009, when it has a revocation URL), then forgets the tokens whatever the provider
   * said: an administrator who revokes wants the broker to stop using the grant now, and lastMessage keeps the reason
   * if the provider could not be told.
   */
  async revoke(id: string): Promise<OutboundTokenView> {
    await this.tokens.find(id);
    // Revocation takes the token over even from a refresh in flight: that refresh's result is then refused by the
    // lease fence, which is what an administrator who revokes wants. No connection is held during the provider calls.
    const leaseId = this.clock.uuid();
    await this.store.claim(id, leaseId, this.refresher.timeoutCeilingMs, { takeOver: true });
    const token = await this.tokens.find(id);
    const stateBefore = displayedState(token, this.clock.now());
    const provider = await this.providers.find(token.providerId);
    const resolved = resolveProvider(
      provider,
      this.providers.clientSecret(provider),
      token,
      this.egress,
      this.refresher.timeoutCeilingMs,
      this.providers.signingKey(provider),
    );
    let revokedAtProvider = false;
    let problem: string | null = null;
    if (resolved.urls.revocationUrl) {
      try {
        const refreshToken = openRefreshToken(this.secrets, token);
        const accessToken = openAccessToken(this.secrets, token);
        // Revoking the refresh token ends the whole grant at providers that support it; the access token goes too.
        if (refreshToken) await revokeAtProvider(resolved, refreshToken, 'refresh_token');
        if (accessToken) await revokeAtProvider(resolved, accessToken, 'access_token');
        revokedAtProvider = Boolean(refreshToken || accessToken);
      } catch (error) {
        problem = `the provider's revocation endpoint failed: ${(error as Error).message}`;
        this.logger.warn({ tokenId: id, problem }, 'revocation at the provider failed; forgetting the tokens anyway');
      }
    }
    forgetTokens(token);
    token.state = 'revoked';
    token.lastMessage = problem;
    await this.transactions.run(async (tx) => {
      await this.store.revoke(tx, id, { state: token.state, lastMessage: problem });
      await this.outbox.record<OutboundTokenRevokedEvent>(tx, Events.outboundTokenRevoked, { tokenId: token.id, name: token.name, revokedAtProvider });
      await this.audit.record(tx, {
        action: 'outbound_token.revoke',
        target: { type: 'outbound_token', id: token.id, name: token.name },
        before: { state: stateBefore },
        after: { state: 'revoked' },
        detail: { revokedAtProvider },
      });
    });
    void this.outbox.flush();
    return toTokenView(await this.tokens.find(id), this.clock.now());
  }
}
