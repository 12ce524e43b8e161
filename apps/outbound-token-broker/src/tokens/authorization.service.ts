import { Inject, Injectable } from '@nestjs/common';
import type { BrokerSettings } from '@tessera/config';
import {
  BusError,
  Events,
  type AuthorizationCallbackReply,
  type AuthorizationCallbackRequest,
  type AuthorizeTokenReply,
  type OutboundTokenAuthorizedEvent,
} from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { BROKER_SETTINGS, CLOCK, EGRESS, ISSUER } from '@tessera/runtime';
import { randomInt } from 'node:crypto';
import { AuthorizationCodeClient, StateRefusedError, type AuthorizationCodeProvider, type StateHooks } from '../oauth/authorization-code-client.js';
import { codeFlowProvider, resolveProvider } from '../oauth/resolved-provider.js';
import { TokenEndpointError } from '../oauth/token-endpoint-error.js';
import { mapTokenResponse, TokenResponseError } from '../oauth/token-response.js';
import type { Provider } from '../providers/provider.entity.js';
import { ProvidersService } from '../providers/providers.service.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { AuthorizationRequestStore } from './authorization-request.store.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import { storeIssuedTokens } from '../outbound-token/token-credentials.js';
import { TokensService } from './tokens.service.js';

/** How long the provider's redirect may take: long enough for a human to sign in, short enough that a leaked state is stale. */
const STATE_LIFETIME_MS = 10 * 60 * 1000;
const STATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The provider's state length: that many characters from a CSPRNG, unbiased (randomInt rejects modulo bias). */
function randomState(length: number): string {
  return Array.from({ length }, () => STATE_ALPHABET[randomInt(STATE_ALPHABET.length)]).join('');
}

/** The "get authorization token" button and the provider's redirect back (authorization code with PKCE). */
@Injectable()
export class AuthorizationService {
  private readonly client: AuthorizationCodeClient;
  private readonly timeoutCeilingMs: number;

  constructor(
    private readonly transactions: Transactions,
    private readonly tokenStore: OutboundTokenStore,
    private readonly requests: AuthorizationRequestStore,
    private readonly tokens: TokensService,
    private readonly providers: ProvidersService,
    private readonly secrets: BrokerSecrets,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) issuer: string,
    @Inject(BROKER_SETTINGS) broker: BrokerSettings,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {
    this.client = new AuthorizationCodeClient(`${issuer}/oauth/callback`, egress);
    this.timeoutCeilingMs = broker.providerTimeoutMs;
  }

  private async codeProvider(token: OutboundToken): Promise<{ provider: Provider; flow: AuthorizationCodeProvider; scopes: string[] }> {
    const provider = await this.providers.find(token.providerId);
    if (provider.grantType !== 'authorization_code')
      throw BusError.conflict(`Token "${token.name}" uses a ${provider.grantType} provider, which needs no authorization`);
    const resolved = resolveProvider(
      provider,
      this.providers.clientSecret(provider),
      token,
      this.egress,
      this.timeoutCeilingMs,
      this.providers.signingKey(provider),
    );
    return {
      provider,
      scopes: resolved.scopes,
      flow: codeFlowProvider(resolved),
    };
  }

  async authorize(tokenId: string): Promise<AuthorizeTokenReply> {
    const token = await this.tokens.find(tokenId);
    if (!token.active) throw BusError.conflict(`Token "${token.name}" is inactive; activate it first`);
    const { provider, flow, scopes } = await this.codeProvider(token);
    const hooks: StateHooks = {
      save: async (codeVerifier) => {
        const state = randomState(provider.stateLength);
        const now = this.clock.now();
        await this.transactions.run(async (manager) => {
          await this.requests.insert(manager, {
            state,
            tokenId: token.id,
            codeVerifierSealed: this.secrets.sealOptional(codeVerifier, state, 'code_verifier'),
            createdAt: now,
            expiresAt: new Date(now.getTime() + STATE_LIFETIME_MS),
            usedAt: null,
          });
          await this.audit.record(manager, {
            action: 'outbound_token.authorize',
            target: { type: 'outbound_token', id: token.id, name: token.name },
            detail: { provider: provider.name },
          });
        });
        return state;
      },
      consume: () => Promise.reject(new Error('not expected while authorizing')),
    };
    const authorizationUrl = await this.client.authorizationUrl(flow, { scopes, prompt: token.prompt ?? provider.prompt ?? undefined }, hooks);
    void this.outbox.flush();
    return { authorizationUrl };
  }

  /**
   * The provider's redirect. The state must exist, be unexpired and unused (it is consumed atomically, so a replayed
   * redirect fails even when two arrive at once); a refusal is written to the token's lastMessage for the admin to see.
   */
  async callback(request: AuthorizationCallbackRequest): Promise<AuthorizationCallbackReply> {
    if (!request.state) throw new BusError('validation_failed', "The provider's redirect has no state", { state: ['state is required'] });
    const pending = await this.requests.byState(request.state);
    if (!pending)
      throw new BusError('validation_failed', 'Unknown authorization state: this redirect was not started here, or was already cleaned up', {
        state: ['unknown state'],
      });
    const token = await this.tokens.find(pending.tokenId);
    const consume: StateHooks['consume'] = async (state) => {
      const now = this.clock.now();
      const consumed = await this.requests.consume(state, now);
      if (!consumed) return { ok: false, reason: 'authorization state was already used (replayed redirect)' };
      if (new Date(consumed.expires_at) <= now) return { ok: false, reason: 'authorization state expired before the provider redirected back' };
      return { ok: true, codeVerifier: this.secrets.openOptional(consumed.code_verifier_sealed, state, 'code_verifier') };
    };

    if (request.error) {
      const consumed = await consume(request.state);
      const said = `${request.error}${request.error_description ? `: ${request.error_description}` : ''}`;
      await this.fail(token, consumed.ok ? `authorization failed at the provider: ${said}` : consumed.reason);
      throw new BusError('forbidden', `The provider refused the authorization: ${said}`, { error: request.error, tokenName: token.name });
    }
    if (!request.code) throw new BusError('validation_failed', "The provider's redirect has no code", { code: ['code is required'] });

    const { provider, flow } = await this.codeProvider(token);
    let response: unknown;
    try {
      ({ response } = await this.client.exchange(
        flow,
        { code: request.code, state: request.state },
        { save: () => Promise.reject(new Error('not expected')), consume },
      ));
    } catch (error) {
      if (error instanceof StateRefusedError) {
        await this.fail(token, error.reason);
        throw new BusError('validation_failed', error.reason, { state: [error.reason], tokenName: token.name });
      }
      if (error instanceof TokenEndpointError) {
        await this.fail(token, `code exchange failed: ${error.message}`);
        throw new BusError('unavailable', `The provider did not issue a token: ${error.message}`, { tokenName: token.name });
      }
      throw error;
    }
    let issued;
    try {
      issued = mapTokenResponse(response, resolveProvider(provider, '', token, this.egress).mapping, this.clock.now());
    } catch (error) {
      if (!(error instanceof TokenResponseError)) throw error;
      await this.fail(token, error.message);
      throw new BusError('unavailable', error.message, { tokenName: token.name });
    }
    storeIssuedTokens(this.secrets, token, issued, this.clock.now(), provider.refreshBufferSeconds);
    await this.transactions.run(async (manager) => {
      await this.tokenStore.save(manager, token);
      await this.outbox.record<OutboundTokenAuthorizedEvent>(manager, Events.outboundTokenAuthorized, {
        tokenId: token.id,
        name: token.name,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        scope: token.scope,
      });
    });
    void this.outbox.flush();
    return { tokenId: token.id, name: token.name, state: token.state };
  }

  /** Records why an authorization did not complete; a token that still holds a working grant keeps its state. */
  private async fail(token: OutboundToken, message: string): Promise<void> {
    await this.tokenStore.setLastMessage(token.id, message.slice(0, 1000));
  }
}
