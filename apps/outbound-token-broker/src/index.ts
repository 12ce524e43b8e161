import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { BROKER_SCHEMA } from './broker-schema.js';
import { PeerInstancesHandler } from './instances/peer-instances.handler.js';
import { PeerInstanceStore, SqlPeerInstanceStore } from './instances/peer-instance.store.js';
import { ProvidersModule } from './providers/providers.module.js';
import { RefreshModule } from './refresh/refresh.module.js';
import type { RefreshSchedulerOptions } from './refresh/refresh.scheduler.js';
import { brokerPruneRules } from './tokens/authorization-request-retention.js';
import { webhookPruneRules } from './webhooks/webhook-retention.js';
import { TokensModule } from './tokens/tokens.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export const SERVICE_NAME = 'outbound-token-broker';
export type { RefreshSchedulerOptions } from './refresh/refresh.scheduler.js';

@Module({ controllers: [PeerInstancesHandler], providers: [{ provide: PeerInstanceStore, useClass: SqlPeerInstanceStore }] })
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
    ...BROKER_SCHEMA,
    pingSubject: Subjects.broker.ping,
    deadLetterSubject: Subjects.broker.deadLetter.list,
    prune: (retention) => [...brokerPruneRules(retention), ...webhookPruneRules(runtime.config.webhooks.retentionMs)],
    imports: [PeerInstancesModule, ProvidersModule, refresh, TokensModule.register(refresh), WebhooksModule],
  });
}
