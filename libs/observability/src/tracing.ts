import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

export { SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** The W3C Trace Context headers (https://www.w3.org/TR/trace-context/), in HTTP requests and bus messages alike. */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * Whether this process exports traces (startTracing ran). Every hot path checks this first: with tracing off no
 * span is created, no header is written, and the OpenTelemetry API underneath is its no-op.
 */
let active = false;
/**
 * The running SDK's tracer itself, not the API's proxy: a proxy tracer keeps the first provider it delegated to, so
 * after a stop and a new start in one process (tests, the benchmark) its spans would go to the stopped one.
 */
let tracer: Tracer = trace.getTracer('tessera');

export function tracingActive(): boolean {
  return active;
}

/** For startTracing only: the SDK's tracer while it runs, none after. */
export function setTracingActive(sdkTracer: Tracer | undefined): void {
  active = !!sdkTracer;
  tracer = sdkTracer ?? trace.getTracer('tessera');
}

/** Trace context read from message or request headers (an invalid `traceparent` is ignored: a new trace starts). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** `traceparent` (and `tracestate`) for the span active in `ctx`, to put on a message or an outbound request. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  if (!active) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The headers that make `span` (started under `parent`) the parent of what receives them. */
export function traceHeadersFor(span: Span, parent: Context = context.active()): Record<string, string> {
  return traceHeaders(trace.setSpan(parent, span));
}

/** The context in force here (for a span that must continue it later). */
export function activeContext(): Context {
  return context.active();
}

/** The span that is active here, if it records (sampled): a query or a call is traced only inside a recorded trace. */
export function recordingSpan(): Span | undefined {
  if (!active) return undefined;
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? span : undefined;
}

/** `trace_id`/`span_id` fields for a log line: the active span's, or the given one's. */
export function traceLogFields(span: Span | undefined = active ? trace.getSpan(context.active()) : undefined): { trace_id?: string; span_id?: string } {
  const ids = span?.spanContext();
  return ids && isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/** Runs `fn` with `span` active, so what it logs, queries, sends and calls joins the span's trace. */
export function withSpan<T>(span: Span, fn: () => T, parent: Context = context.active()): T {
  return context.with(trace.setSpan(parent, span), fn);
}

/** Starts a span as a child of `parent` (default: the active context). */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes, parent: Context = context.active()): Span {
  return tracer.startSpan(name, { kind, attributes }, parent);
}

/** Ends a span as failed: the exception is recorded (its message only: no secrets travel in our errors' messages). */
export function endSpanWithError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
  span.end();
}

/**
 * Runs `fn` inside a new span (child of the active context), ending it when the promise settles. With tracing off
 * it is `fn()` and nothing else.
 */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span?: Span) => Promise<T>, parent?: Context): Promise<T> {
  if (!active) return fn();
  const span = startSpan(name, kind, attributes, parent);
  try {
    const result = await withSpan(span, () => fn(span), parent);
    span.end();
    return result;
  } catch (error) {
    endSpanWithError(span, error);
    throw error;
  }
}
