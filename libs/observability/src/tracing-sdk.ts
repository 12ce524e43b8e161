import { context, propagation, trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { setTracingActive } from './tracing.js';

/** What startTracing needs: libs/config's TracingConfig (kept structural, so this lib does not depend on config). */
export interface TracingSettings {
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  timeoutMs: number;
  serviceName?: string;
  resourceAttributes: Record<string, string>;
  sampler: 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
  samplerRatio: number;
  scheduleDelayMs: number;
}

export interface Tracing {
  /** Sends what is still buffered, then stops; the API is a no-op again afterwards. */
  shutdown(): Promise<void>;
}

const NOTHING: Tracing = { shutdown: async () => undefined };
/** One SDK per process (the API is global): a second platform in the same process shares the first one's. */
let running: { users: number; shutdown: () => Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry SDK for this process: spans batched and sent to the OTLP endpoint, W3C trace context
 * propagation, AsyncLocalStorage context. Without settings (no OTEL_EXPORTER_OTLP_ENDPOINT) nothing is loaded at all.
 */
export async function startTracing(settings: TracingSettings | undefined, defaultServiceName: string): Promise<Tracing> {
  if (!settings) return NOTHING;
  if (running) {
    running.users++;
    return { shutdown: () => release() };
  }
  // Loaded only now, so a process without tracing never even parses the SDK.
  const [sdk, { resourceFromAttributes, defaultResource }, { W3CTraceContextPropagator }, exporterModule] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    settings.protocol === 'http/json' ? import('@opentelemetry/exporter-trace-otlp-http') : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const ratio = new sdk.TraceIdRatioBasedSampler(settings.samplerRatio);
  const root = { always_on: new sdk.AlwaysOnSampler(), always_off: new sdk.AlwaysOffSampler(), traceidratio: ratio }[
    settings.sampler.replace('parentbased_', '') as 'always_on' | 'always_off' | 'traceidratio'
  ];
  const sampler = settings.sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': settings.serviceName ?? defaultServiceName,
      'service.namespace': 'tessera',
      'service.instance.id': randomUUID(),
      ...settings.resourceAttributes,
    }),
  );
  const exporter = new exporterModule.OTLPTraceExporter({ url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMs });
  const provider = new sdk.NodeTracerProvider({
    resource,
    sampler,
    spanProcessors: [new sdk.BatchSpanProcessor(exporter, { scheduledDelayMillis: settings.scheduleDelayMs })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setTracingActive(provider.getTracer('tessera'));
  running = {
    users: 1,
    shutdown: async () => {
      setTracingActive(undefined);
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  return { shutdown: () => release() };
}

async function release(): Promise<void> {
  if (!running || --running.users > 0) return;
  const stopping = running;
  running = undefined;
  await stopping.shutdown();
}
