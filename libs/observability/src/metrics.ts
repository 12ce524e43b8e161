import type { GaugeConfiguration, Registry } from 'prom-client';
import { LocalCounter, LocalHistogram, registerLocal, type CounterFamily, type HistogramFamily } from './local-metrics.js';

export type { CounterChild, CounterFamily, HistogramChild, HistogramFamily } from './local-metrics.js';

export interface CounterSettings<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}
export interface HistogramSettings<L extends string> extends CounterSettings<L> {
  buckets: readonly number[];
}

/** Latency buckets (seconds) for what Tessera answers in a few milliseconds, with room for the slow tail. */
export const FAST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets (seconds) for calls to other systems (providers, upstream APIs) and for lags that may grow to minutes. */
export const SLOW_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** What a scrape-time gauge's sources write: a value per label set (sources naming the same labels add up). */
export type GaugeSample<L extends string> = (labels: Partial<Record<L, string>>, value: number) => void;
export type GaugeSource<L extends string> = (sample: GaugeSample<L>) => void | Promise<void>;

const noop = () => undefined;
const NOOP_CHILD = { inc: noop, dec: noop, set: noop, observe: noop, startTimer: () => noop, reset: noop, setToCurrentTime: noop, remove: noop };
const NOOP_METRIC = { ...NOOP_CHILD, labels: () => NOOP_CHILD, zero: noop, labelNames: [] };

/**
 * The metrics of one process (embedded mode: of every service in it), on a registry of its own so several platforms
 * can run in one test process. Each component declares the metrics it moves where it lives; declaring one twice
 * (the same name from two services in one process) returns the one already registered.
 *
 * `Metrics.off()` hands out instruments that do nothing, so with metrics disabled the hot paths pay only a call to
 * an empty function and nothing is ever collected.
 */
export class Metrics {
  private readonly sources = new Map<string, Set<GaugeSource<string>>>();

  private constructor(
    /** Unset when metrics are off. */
    readonly registry: Registry | undefined,
    /** prom-client, loaded only when metrics are on: a process with metrics off never imports it. */
    private readonly prom: typeof import('prom-client') | undefined,
    /** TESSERA_METRICS_CLIENT_LABELS: label token-endpoint metrics by client id (unbounded with many integrations). */
    readonly clientLabels: boolean,
  ) {}

  static off(): Metrics {
    return new Metrics(undefined, undefined, false);
  }

  /** A registry with the default process and Node.js metrics (standard names, as dashboards expect them). */
  static async on(options: { clientLabels?: boolean } = {}): Promise<Metrics> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry });
    return new Metrics(registry, prom, options.clientLabels ?? false);
  }

  get enabled(): boolean {
    return this.registry !== undefined;
  }

  /** A counter whose children are plain numbers (local-metrics.ts): what the hot paths count with. */
  counter<L extends string>(config: CounterSettings<L>): CounterFamily<L> {
    return this.getOrCreate(config.name, () => this.registered(new LocalCounter(config.name, config.help, config.labelNames ?? [])));
  }

  histogram<L extends string>(config: HistogramSettings<L>): HistogramFamily<L> {
    return this.getOrCreate(config.name, () => this.registered(new LocalHistogram(config.name, config.help, config.labelNames ?? [], config.buckets)));
  }

  /**
   * A gauge read at scrape time from every source added to it (each service's outbox, each pool …): nothing is
   * computed between scrapes. Returns the function that removes this source (call it when the component stops).
   */
  sampledGauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'collect'>, source: GaugeSource<L>): () => void {
    if (!this.registry) return noop;
    let sources = this.sources.get(config.name);
    if (!sources) {
      const all = (sources = new Set());
      this.sources.set(config.name, all);
      new this.prom!.Gauge<L>({
        ...config,
        registers: [this.registry],
        async collect() {
          this.reset();
          const sample: GaugeSample<L> = (labels, value) => this.inc(labels, value);
          // One failing source (a database that is down) must not blank the others.
          await Promise.all(
            [...all].map((read) =>
              Promise.resolve()
                .then(() => read(sample as GaugeSample<string>))
                .catch(noop),
            ),
          );
        },
      });
    }
    const own = source as GaugeSource<string>;
    sources.add(own);
    return () => void sources.delete(own);
  }

  /** The text exposition format (what Prometheus scrapes). */
  async exposition(): Promise<{ contentType: string; body: string }> {
    if (!this.registry) return { contentType: 'text/plain', body: '' };
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private registered<M extends { name: string }>(metric: M): M {
    registerLocal(this.registry!, metric);
    return metric;
  }

  private getOrCreate<M>(name: string, create: () => M): M {
    if (!this.registry) return NOOP_METRIC as unknown as M;
    return (this.registry.getSingleMetric(name) as M | undefined) ?? create();
  }
}
