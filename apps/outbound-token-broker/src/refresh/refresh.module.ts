import { type DynamicModule, Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module.js';
import { DEFAULT_SCHEDULER_OPTIONS, REFRESH_SCHEDULER_OPTIONS, RefreshScheduler, type RefreshSchedulerOptions } from './refresh.scheduler.js';
import { RefreshMetrics } from './refresh-metrics.js';
import { RefreshService } from './refresh.service.js';

@Module({})
export class RefreshModule {
  static forRoot(options: Partial<RefreshSchedulerOptions> = {}): DynamicModule {
    return {
      module: RefreshModule,
      global: true,
      imports: [ProvidersModule],
      providers: [RefreshService, RefreshMetrics, RefreshScheduler, { provide: REFRESH_SCHEDULER_OPTIONS, useValue: { ...DEFAULT_SCHEDULER_OPTIONS, ...options } }],
      exports: [RefreshService, RefreshScheduler],
    };
  }
}
