import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, Headers, request as undiciRequest, Response, type Dispatcher, type RequestInit } from 'undici';
import { endSpanWithError, SpanKind, SpanStatusCode, startSpan, traceHeadersFor, tracingActive, type Span } from '@tessera/observability';
import { egressCause, EgressRefusedError, ResponseTooLargeError } from './egress-errors.js';
import type { EgressPolicy } from './egress-policy.js';

export interface EgressLimits {
  connectTimeoutMs: number;
  /** Until the answer's status and headers have arrived. */
  firstByteTimeoutMs: number;
  /** Longest silence between two chunks of the body. */
  idleTimeoutMs: number;
  maxResponseBytes: number;
}

/** What {@link Egress.request} sends. */
export interface EgressRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** For the platform's own calls (token endpoints, metadata, the provider test): small answers, expected quickly. */
export const DEFAULT_LIMITS: EgressLimits = { connectTimeoutMs: 5_000, firstByteTimeoutMs: 30_000, idleTimeoutMs: 30_000, maxResponseBytes: 1024 * 1024 };
const MAX_AGENTS = 32;

/**
 * A client span for one outbound call. Its URL leaves out the query, which may carry a key or a token (the proxy
 * forwards whatever its caller sent).
 */
function outboundSpan(url: URL, init: { method?: string }): Span {
  const method = (init.method ?? 'GET').toUpperCase();
  return startSpan(method, SpanKind.CLIENT, {
    'http.request.method': method,
    'url.full': `${url.origin}${url.pathname}`,
    'server.address': url.hostname,
    'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
  });
}

/** The request's headers with the span's `traceparent`, replacing one its caller may have forwarded. */
function withTraceparent(headers: RequestInit['headers'], span: Span): Headers {
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(traceHeadersFor(span))) merged.set(name, value);
  return merged;
}

/** A Response whose body errors (ResponseTooLargeError) once more than `max` bytes have come through. */
function capped(response: Response, max: number): Response {
  if (!response.body) return response;
  let seen = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new ResponseTooLargeError(max));
      else controller.enqueue(chunk);
    },
  });
  const body = (response.body as unknown as ReadableStream<Uint8Array>).pipeThrough(counter);
  const copy = new Response(body as never, { status: response.status, statusText: response.statusText, headers: response.headers });
  return copy;
}

/**
 * Every outbound HTTP request the platform makes goes through here (ADR 0015). The policy is checked inside the
 * connection itself: the name is resolved once, the address is judged, and that same address is the one connected to,
 * so there is no gap between the check and the connect for DNS re-binding to use.
 */
/** Name resolution: the system resolver unless a test brings its own (to play a re-binding DNS server). */
export type Resolve = (hostname: string) => Promise<string[]>;
const systemResolve: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);

export class Egress {
  private readonly agents = new Map<string, Agent>();

  constructor(
    private readonly policy: EgressPolicy,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  private async addressFor(hostname: string, port: number, target: string): Promise<string> {
    const host = hostname.replace(/^\[|\]$/g, '');
    const candidates = isIP(host) ? [host] : await this.resolve(host);
    if (!candidates.length && !isIP(host)) throw Object.assign(new Error(`${target}: the host name does not resolve`), { code: 'ENOTFOUND' });
    // Of several addresses, only an allowed one is used: a name cannot smuggle a metadata address in among public ones.
    const allowed = candidates.find((address) => this.policy.allows({ hostname: host, port, address }));
    if (!allowed) throw new EgressRefusedError(target, this.refusalOf(host, port, candidates));
    return allowed;
  }

  /** `internal` if listing any of the addresses would open it, else `never`. */
  private refusalOf(hostname: string, port: number, addresses: string[]) {
    const reasons = addresses.map((address) => this.policy.refusal({ hostname, port, address }));
    return reasons.includes('internal') ? 'internal' : 'never';
  }

  /**
   * Whether a call to `url` would be refused now, without sending anything: the refusal's message, or undefined. For
   * saying so when a URL is entered rather than at its first use; a name that does not resolve (yet) is not judged,
   * nor a URL whose host is a {{variable}}.
   */
  async refusalFor(url: string): Promise<string | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return new EgressRefusedError(`${parsed.protocol} URLs`).message;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (host.includes('{') || host.includes('%7B')) return undefined;
    const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
    const candidates = isIP(host) ? [host] : await this.resolve(host);
    if (!candidates.length || candidates.some((address) => this.policy.allows({ hostname: host, port, address }))) return undefined;
    return new EgressRefusedError(`${parsed.protocol}//${parsed.host}`, this.refusalOf(host, port, candidates)).message;
  }

  private agent(limits: EgressLimits): Agent {
    const key = `${limits.connectTimeoutMs}:${limits.firstByteTimeoutMs}:${limits.idleTimeoutMs}`;
    let agent = this.agents.get(key);
    if (agent) return agent;
    const connect = buildConnector({ timeout: limits.connectTimeoutMs });
    agent = new Agent({
      headersTimeout: limits.firstByteTimeoutMs,
      bodyTimeout: limits.idleTimeoutMs,
      connect: (options, callback) => {
        const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
        const hostname = options.hostname.replace(/^\[|\]$/g, '');
        const target = `${options.protocol}//${options.hostname}${options.port ? `:${options.port}` : ''}`;
        this.addressFor(hostname, port, target).then(
          (address) => connect({ ...options, hostname: address, servername: options.servername || (isIP(hostname) ? undefined : hostname) } as never, callback),
          (error: Error) => callback(error, null),
        );
      },
    });
    if (this.agents.size >= MAX_AGENTS) {
      const [oldestKey, oldest] = this.agents.entries().next().value!;
      this.agents.delete(oldestKey);
      void oldest.close();
    }
    this.agents.set(key, agent);
    return agent;
  }

  /**
   * fetch() under the policy and the limits. Refusals, timeouts and oversized answers reject with EgressRefusedError,
   * EgressTimeoutError and ResponseTooLargeError (a body that grows too large errors while it is read).
   */
  async fetch(url: string | URL, init: RequestInit = {}, overrides: Partial<EgressLimits> = {}): Promise<Response> {
    const limits = { ...DEFAULT_LIMITS, ...overrides };
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EgressRefusedError(`${parsed.protocol} URLs`);
    const span = tracingActive() ? outboundSpan(parsed, init) : undefined;
    let response: Response;
    try {
      response = await undiciFetch(parsed, { ...init, ...(span && { headers: withTraceparent(init.headers, span) }), dispatcher: this.agent(limits) });
    } catch (error) {
      const cause = egressCause(error, limits);
      if (span) endSpanWithError(span, cause);
      throw cause;
    }
    if (span) {
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > limits.maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limits.maxResponseBytes);
    }
    return capped(response, limits.maxResponseBytes);
  }

  /**
   * One call without the Fetch API (undici's `request`: no web streams, no copy of the request for redirects, a
   * fraction of fetch()'s CPU), for senders that make many small calls, such as webhook delivery. The same policy and
   * timeouts as fetch(); a redirect is answered as it is, never followed; an answer announcing more than the limit is
   * refused. The caller reads or dumps the body.
   */
  async request(url: string | URL, init: EgressRequest, overrides: Partial<EgressLimits> = {}): Promise<Dispatcher.ResponseData> {
    const limits = { ...DEFAULT_LIMITS, ...overrides };
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EgressRefusedError(`${parsed.protocol} URLs`);
    const span = tracingActive() ? outboundSpan(parsed, init) : undefined;
    let response: Dispatcher.ResponseData;
    try {
      response = await undiciRequest(parsed, {
        method: init.method as Dispatcher.HttpMethod,
        headers: span ? { ...init.headers, ...traceHeadersFor(span) } : init.headers,
        body: init.body,
        signal: init.signal,
        dispatcher: this.agent(limits),
      });
    } catch (error) {
      const cause = egressCause(error, limits);
      if (span) endSpanWithError(span, cause);
      throw cause;
    }
    if (span) {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    const length = Number(response.headers['content-length']);
    if (Number.isFinite(length) && length > limits.maxResponseBytes) {
      response.body.destroy();
      throw new ResponseTooLargeError(limits.maxResponseBytes);
    }
    return response;
  }

  /** Nest calls this when the service stops: pooled keep-alive connections must not outlive it. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.close().catch(() => undefined)));
  }
}
