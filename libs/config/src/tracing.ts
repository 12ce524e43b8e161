/**
 * OpenTelemetry trace export, from the standard OTEL_* variables (the OpenTelemetry specification's names and
 * meanings). Tracing is on only when an OTLP endpoint is set: without one nothing is started or exported.
 */
export interface TracingConfig {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  /** OTEL_EXPORTER_OTLP_[TRACES_]HEADERS (often an API key: never logged). */
  headers: Record<string, string>;
  timeoutMs: number;
  /** OTEL_SERVICE_NAME; unset, each process names itself after its service (`tessera-gateway`, … or `tessera`). */
  serviceName?: string;
  /** OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes: Record<string, string>;
  sampler: TraceSampler;
  /** Ratio for the `traceidratio` samplers (OTEL_TRACES_SAMPLER_ARG), 0-1. */
  samplerRatio: number;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be sent in a batch. */
  scheduleDelayMs: number;
}

export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

export const TRACING_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_SCHEDULE_DELAY',
] as const;

/** `key=value,key=value` with percent-encoded values (the W3C baggage form the specification uses for both lists). */
function keyValueList(variable: string, value: string | undefined, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    try {
      if (!key) throw new Error('no key');
      out[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // The pair is not quoted: it may hold a secret (an API key header).
      problems.push(`${variable} must be key=value pairs separated by commas (values percent-encoded)`);
      return out;
    }
  }
  return out;
}

function integer(variable: string, value: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) problems.push(`${variable} must be an integer between ${min} and ${max} (milliseconds)`);
  return n;
}

function endpointUrl(variable: string, value: string, problems: string[]): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  problems.push(`${variable} must be an http(s) URL`);
  return undefined;
}

/** Reads the OTEL_* variables; undefined when tracing is off (no endpoint, OTEL_SDK_DISABLED, or OTEL_TRACES_EXPORTER=none). */
export function readTracing(env: Record<string, string | undefined>, problems: string[]): TracingConfig | undefined {
  const value = (name: (typeof TRACING_VARIABLES)[number]) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const before = problems.length;
  const tracesEndpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  const url = tracesEndpoint
    ? endpointUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint, problems)
    : endpoint && endpointUrl('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, problems)?.replace(/\/?$/, '/v1/traces');
  const exporter = value('OTEL_TRACES_EXPORTER') ?? 'otlp';
  if (exporter !== 'otlp' && exporter !== 'none') problems.push('OTEL_TRACES_EXPORTER must be otlp or none (the only exporters Tessera ships)');
  const disabled = value('OTEL_SDK_DISABLED');
  if (disabled && disabled !== 'true' && disabled !== 'false') problems.push('OTEL_SDK_DISABLED must be true or false');
  const protocol = value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    problems.push('OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (Tessera exports OTLP over HTTP; grpc is not supported)');
  }
  const sampler = (value('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on') as TraceSampler;
  if (!TRACE_SAMPLERS.includes(sampler)) problems.push(`OTEL_TRACES_SAMPLER must be one of ${TRACE_SAMPLERS.join(', ')}`);
  const ratioText = value('OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioText === undefined ? 1 : Number(ratioText);
  if (ratioText !== undefined && !(samplerRatio >= 0 && samplerRatio <= 1))
    problems.push('OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1 (the share of traces sampled)');
  const headers = {
    ...keyValueList('OTEL_EXPORTER_OTLP_HEADERS', value('OTEL_EXPORTER_OTLP_HEADERS'), problems),
    ...keyValueList('OTEL_EXPORTER_OTLP_TRACES_HEADERS', value('OTEL_EXPORTER_OTLP_TRACES_HEADERS'), problems),
  };
  const resourceAttributes = keyValueList('OTEL_RESOURCE_ATTRIBUTES', value('OTEL_RESOURCE_ATTRIBUTES'), problems);
  const timeoutMs = integer(
    'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
    value('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT') ?? value('OTEL_EXPORTER_OTLP_TIMEOUT'),
    10_000,
    1,
    300_000,
    problems,
  );
  const scheduleDelayMs = integer('OTEL_BSP_SCHEDULE_DELAY', value('OTEL_BSP_SCHEDULE_DELAY'), 5_000, 1, 300_000, problems);
  if (!url || problems.length > before || disabled === 'true' || exporter === 'none') return undefined;
  return {
    url,
    protocol: protocol as TracingConfig['protocol'],
    headers,
    timeoutMs,
    serviceName: value('OTEL_SERVICE_NAME'),
    resourceAttributes,
    sampler,
    samplerRatio,
    scheduleDelayMs,
  };
}
