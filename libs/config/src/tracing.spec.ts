import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

describe('tracing from the OTEL_* variables', () => {
  it('is off without an OTLP endpoint, whatever else is set', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'tessera', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeUndefined();
  });

  it("sends to <endpoint>/v1/traces, or to the traces endpoint as given, with the specification's defaults", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMs: 10_000,
      serviceName: undefined,
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      scheduleDelayMs: 5_000,
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' }).tracing?.url).toBe('http://collector:4318/otlp/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces' }).tracing?.url).toBe(
      'https://b/traces',
    );
  });

  it('reads sampler, ratio, protocol, headers, resource attributes and the service name', () => {
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret, x-tenant=acme',
      OTEL_SERVICE_NAME: 'auth',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    }).tracing;
    expect(tracing).toMatchObject({
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.01,
      protocol: 'http/json',
      headers: { 'api-key': 's=cret', 'x-tenant': 'acme' },
      serviceName: 'auth',
      resourceAttributes: { 'deployment.environment': 'prod' },
      scheduleDelayMs: 200,
    });
  });

  it('is off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeUndefined();
  });

  it('refuses bad values with one clear message each, never quoting a header', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=%E0%A4%A',
      OTEL_TRACES_EXPORTER: 'jaeger',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/OTEL_TRACES_SAMPLER must be one of/);
    expect(problems.join('\n')).toMatch(/OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1/);
    expect(problems.join('\n')).toMatch(/grpc is not supported/);
    expect(problems.join('\n')).toMatch(/OTEL_TRACES_EXPORTER must be otlp or none/);
    expect(problems.join('\n')).not.toContain('%E0');
  });
});
