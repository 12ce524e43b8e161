import { type DynamicModule, Module } from '@nestjs/common';
import { OutboundTokenModule } from '../outbound-token/outbound-token.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { DEFAULT_SCHEDULER_OPTIONS, REFRESH_SCHEDULER_OPTIONS, RefreshScheduler, type RefreshSchedulerOptions } from './refresh.scheduler.js';
import { LeaseHeartbeat } from './lease-heartbeat.js';
import { RefreshMetrics } from './refresh-metrics.js';
import { RefreshService } from './refresh.service.js';

/**
 * The refresh scheduler and the refresh it runs, tuned once per service: the one configured instance is handed to
 * the modules that refresh on demand (TokensModule.register), so nothing reaches it without importing it.
 */
@Module({})
export class RefreshModule {
  static forRoot(options: Partial<RefreshSchedulerOptions> = {}): DynamicModule {
    return {
      module: RefreshModule,
      imports: [ProvidersModule, BrokerSecretsModule, OutboundTokenModule],
      providers: [
        RefreshService,
        RefreshMetrics,
        LeaseHeartbeat,
        RefreshScheduler,
        { provide: REFRESH_SCHEDULER_OPTIONS, useValue: { ...DEFAULT_SCHEDULER_OPTIONS, ...options } },
      ],
      exports: [RefreshService, RefreshScheduler],
    };
  }
}
