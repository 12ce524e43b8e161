import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { PeerInstance } from './instances/peer-instance.entity.js';
import { PeerInstancesHandler } from './instances/peer-instances.handler.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { OutboundTokens1764100000000 } from './migrations/1764100000000-outbound-tokens.js';
import { RefreshLeases1764200000000 } from './migrations/1764200000000-refresh-leases.js';
import { ProxyLimits1764300015000 } from './migrations/1764300015000-proxy-limits.js';
import { TokenPlatformInstance1765160000000 } from './migrations/1765160000000-token-platform-instance.js';
import { Retention1765160001000 } from './migrations/1765160001000-retention.js';
import { RetiredTokenNames1767100000000 } from './migrations/1767100000000-retired-token-names.js';
import { Provider } from './providers/provider.entity.js';
import { ProvidersModule } from './providers/providers.module.js';
import { RefreshModule } from './refresh/refresh.module.js';
import type { RefreshSchedulerOptions } from './refresh/refresh.scheduler.js';
import { AuthorizationRequest } from './tokens/authorization-request.entity.js';
import { brokerPruneRules } from './tokens/authorization-request-retention.js';
import { OutboundToken } from './outbound-token/outbound-token.entity.js';
import { RetiredTokenName } from './tokens/retired-token-name.entity.js';
import { TokensModule } from './tokens/tokens.module.js';

export const SERVICE_NAME = 'outbound-token-broker';
export type { RefreshSchedulerOptions } from './refresh/refresh.scheduler.js';

@Module({ controllers: [PeerInstancesHandler] })
class PeerInstancesModule {}

export interface BrokerOptions {
  /** Tuning for the proactive refresh scheduler over the configuration's (tests and benchmarks shorten the poll interval). */
  scheduler?: Partial<RefreshSchedulerOptions>;
}

/** OAuth providers, outbound tokens and their refresh scheduler; schema `broker`. */
export function startOutboundTokenBroker(runtime: MicroserviceRuntime, options: BrokerOptions = {}): Promise<RunningMicroservice> {
  const refresh = RefreshModule.forRoot({
    concurrency: runtime.config.broker.refreshConcurrency,
    providerConcurrency: runtime.config.broker.providerConcurrency,
    ...options.scheduler,
  });
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'broker',
    pingSubject: Subjects.broker.ping,
    deadLetterSubject: Subjects.broker.deadLetter.list,
    entities: [PeerInstance, Provider, OutboundToken, AuthorizationRequest, RetiredTokenName],
    migrations: [
      Initial1764000000000,
      OutboundTokens1764100000000,
      RefreshLeases1764200000000,
      ProxyLimits1764300015000,
      TokenPlatformInstance1765160000000,
      Retention1765160001000,
      RetiredTokenNames1767100000000,
    ],
    prune: brokerPruneRules,
    imports: [PeerInstancesModule, ProvidersModule, refresh, TokensModule.register(refresh)],
  });
}
