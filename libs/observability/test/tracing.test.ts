import { OtlpReceiver } from '@tessera/testing';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, inSpan, SpanKind, startTracing, traceHeaders, tracingActive, type TracingSettings } from '../src/index.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const settings = (url: string): TracingSettings => ({
  url: `${url}/v1/traces`,
  protocol: 'http/protobuf',
  headers: { 'x-api-key': 'k' },
  timeoutMs: 5_000,
  resourceAttributes: {},
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
  scheduleDelayMs: 60_000,
});

describe('startTracing', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
  });
  afterAll(() => receiver.stop());

  it('without settings starts nothing: no span, no header, no trace id in logs', async () => {
    const tracing = await startTracing(undefined, 'tessera-test');
    const { lines, logger } = capturedLogger();
    await inSpan('work', SpanKind.INTERNAL, {}, async (span) => {
      expect(span).toBeUndefined();
      expect(traceHeaders()).toEqual({});
      logger.info('inside');
    });
    await tracing.shutdown();
    expect(tracingActive()).toBe(false);
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(receiver.requests).toBe(0);
  });

  it('exports OTLP/protobuf, and log lines and outgoing headers inside a span carry its ids', async () => {
    const tracing = await startTracing(settings(receiver.url), 'tessera-test');
    const { lines, logger } = capturedLogger();
    let ids = { traceId: '', spanId: '' };
    let headers: Record<string, string> = {};
    await inSpan('work', SpanKind.INTERNAL, {}, async (span) => {
      ids = span!.spanContext();
      headers = traceHeaders();
      logger.info('inside');
    });
    logger.info('outside');
    // Shutting down sends what is buffered (the schedule delay here is a minute).
    await tracing.shutdown();
    expect(tracingActive()).toBe(false);
    expect(headers.traceparent).toBe(`00-${ids.traceId}-${ids.spanId}-01`);
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(lines[1]).not.toHaveProperty('trace_id');
    // Protobuf carries ids as raw bytes, and the resource's service name as text.
    const body = Buffer.concat(receiver.protobufBodies);
    expect(body.includes(Buffer.from(ids.traceId, 'hex'))).toBe(true);
    expect(body.includes(Buffer.from(ids.spanId, 'hex'))).toBe(true);
    expect(body.includes(Buffer.from('tessera-test'))).toBe(true);
  });

  it('a second start in the same process (another platform, the next benchmark run) exports too', async () => {
    for (let round = 0; round < 2; round++) {
      const tracing = await startTracing(settings(receiver.url), 'tessera-test');
      let traceId = '';
      await inSpan('again', SpanKind.INTERNAL, {}, async (span) => {
        traceId = span!.spanContext().traceId;
      });
      await tracing.shutdown();
      expect(Buffer.concat(receiver.protobufBodies).includes(Buffer.from(traceId, 'hex')), `round ${round}`).toBe(true);
    }
  });
});
