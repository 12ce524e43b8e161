import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SERVICES, type PingReply, type ServiceName } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { call } from '../http/bus-call.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly bus: BusClient,
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the bus is connected, every service answers its ping, and each reaches the database. 503 names what failed. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.busConnected(),
      ...(Object.keys(SERVICES) as ServiceName[]).map((service) => () => this.servicePing(service)),
    ]);
  }

  private busConnected(): HealthIndicatorResult {
    const indicator = this.indicators.check('bus');
    return this.runtime.bus.isConnected() ? indicator.up({ kind: this.runtime.bus.kind }) : indicator.down({ kind: this.runtime.bus.kind, message: 'not connected' });
  }

  private async servicePing(service: ServiceName): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(service);
    try {
      const reply = await call<PingReply>(this.bus, SERVICES[service], {});
      return reply.database === 'up' ? indicator.up({ database: 'up' }) : indicator.down({ database: 'down', message: 'database unreachable' });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
