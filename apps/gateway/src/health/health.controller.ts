import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SERVICES, type Liveness, type ServiceName } from '@tessera/contracts';
import { BusClient, type Bus } from '@tessera/messaging';
import { BUS } from '@tessera/runtime';
import { Answers } from '../openapi/decorators.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly bus: BusClient,
    @Inject(BUS) private readonly connection: Bus,
  ) {}

  /** Liveness: the process is up and serving HTTP. */
  @Answers(200, 'Liveness: the process serves HTTP')
  @Get()
  live(): Liveness {
    return { status: 'ok' };
  }

  /**
   * Readiness: the bus is connected, the gateway's live feeds (the deny-list above all) are up to date, every service
   * answers its ping, reaches the database and has its own feeds up to date. 503 names what failed. A feed catching up
   * after a bus outage is not ready: until it has, a revoked token could still be accepted.
   */
  @ApiOperation({ summary: 'Readiness: the bus, the live feeds and every service (and its database); 503 names what failed' })
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.busConnected(),
      () => this.feedsLive(),
      ...(Object.keys(SERVICES) as ServiceName[]).map((service) => () => this.servicePing(service)),
    ]);
  }

  private busConnected(): HealthIndicatorResult {
    const indicator = this.indicators.check('bus');
    return this.connection.isConnected()
      ? indicator.up({ kind: this.connection.kind })
      : indicator.down({ kind: this.connection.kind, message: 'not connected' });
  }

  private feedsLive(): HealthIndicatorResult {
    const indicator = this.indicators.check('feeds');
    const feeds = this.connection.feeds();
    const notLive = feeds.filter((feed) => feed.state !== 'live').map(({ subject, state }) => ({ subject, state }));
    return notLive.length ? indicator.down({ message: 'event feeds catching up', feeds: notLive }) : indicator.up({ count: feeds.length });
  }

  private async servicePing(service: ServiceName): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(service);
    try {
      const reply = await this.bus.call(SERVICES[service], {});
      if (reply.database !== 'up') return indicator.down({ database: 'down', message: 'database unreachable' });
      if (reply.feeds === 'behind') return indicator.down({ database: 'up', feeds: 'behind', message: 'event feeds catching up' });
      return indicator.up({ database: 'up' });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
