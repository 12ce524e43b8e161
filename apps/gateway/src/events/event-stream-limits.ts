import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Metrics } from '@tessera/observability';
import { METRICS, RUNTIME, type ServiceRuntime } from '@tessera/runtime';

/** Gives back a stream's places; safe to call more than once. */
export type StreamRelease = () => void;

/**
 * How many live event streams are open, per caller and per client address. Each open stream holds a JetStream
 * consumer on the server, so one caller (or one address, whatever tokens it holds) may hold only a few: beyond
 * `TESSERA_EVENT_STREAMS_PER_SESSION` / `_PER_ADDRESS` a new one is refused.
 */
@Injectable()
export class EventStreamLimits implements OnModuleDestroy {
  private readonly byCaller = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private open = 0;
  private readonly unmeasure: () => void;

  constructor(
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.unmeasure = metrics.sampledGauge(
      { name: 'tessera_event_streams_open', help: 'Live event streams (/admin/events/stream) open on this gateway' },
      (sample) => sample({}, this.open),
    );
  }

  /** Takes a place for `caller` from `address`, or answers undefined when either already holds its limit. */
  tryOpen(caller: string, address: string): StreamRelease | undefined {
    const { perSession, perAddress } = this.runtime.config.eventStreams;
    if ((this.byCaller.get(caller) ?? 0) >= perSession || (this.byAddress.get(address) ?? 0) >= perAddress) return undefined;
    this.byCaller.set(caller, (this.byCaller.get(caller) ?? 0) + 1);
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      decrement(this.byCaller, caller);
      decrement(this.byAddress, address);
    };
  }

  onModuleDestroy(): void {
    this.unmeasure();
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
