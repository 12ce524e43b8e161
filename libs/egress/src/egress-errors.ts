/**
 * A destination the egress policy refuses. The message names only what the caller asked for: it is the same whether
 * anything listens there, so it cannot be used to map internal ports or addresses.
 */
export class EgressRefusedError extends Error {
  constructor(
    readonly target: string,
    readonly reason?: 'never' | 'internal',
  ) {
    super(`${target} is not allowed by the egress policy${egressFix(target, reason)}`);
    this.name = 'EgressRefusedError';
  }
}

/**
 * What the operator can do about a refusal: a private or loopback destination is opened by listing it in
 * TESSERA_EGRESS_ALLOW (the example is the very host:port refused); link-local, metadata and reserved ones never are.
 */
export function egressFix(target: string, reason?: 'never' | 'internal'): string {
  if (reason === 'never') return ' (link-local, cloud metadata and reserved addresses are always refused)';
  if (reason !== 'internal') return '';
  const hostPort = target.replace(/^[a-z]+:\/\//, '');
  return ` (a private or loopback address: to allow it, list it in TESSERA_EGRESS_ALLOW, e.g. TESSERA_EGRESS_ALLOW=${hostPort}, and restart)`;
}

/** An answer bigger than the caller's cap (checked on Content-Length first, then on the bytes as they stream). */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export type EgressTimeout = 'connect' | 'first_byte' | 'idle';

/** The upstream took too long: to connect, to send its first byte (headers), or between two chunks of its body. */
export class EgressTimeoutError extends Error {
  constructor(
    readonly phase: EgressTimeout,
    readonly ms: number,
  ) {
    super(`${phase === 'connect' ? 'could not connect' : phase === 'first_byte' ? 'sent no answer' : 'went silent'} within ${ms} ms`);
    this.name = 'EgressTimeoutError';
  }
}

const TIMEOUT_CODES: Record<string, EgressTimeout> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'first_byte',
  UND_ERR_BODY_TIMEOUT: 'idle',
};

/** The error behind undici's `TypeError: fetch failed` (or a body stream's error) as one of ours, when it is one. */
export function egressCause(error: unknown, limits: { connectTimeoutMs: number; firstByteTimeoutMs: number; idleTimeoutMs: number }): unknown {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof EgressRefusedError || current instanceof ResponseTooLargeError || current instanceof EgressTimeoutError) return current;
    const code = (current as { code?: string }).code;
    const phase = code ? TIMEOUT_CODES[code] : undefined;
    if (phase)
      return new EgressTimeoutError(
        phase,
        phase === 'connect' ? limits.connectTimeoutMs : phase === 'first_byte' ? limits.firstByteTimeoutMs : limits.idleTimeoutMs,
      );
    current = (current as { cause?: unknown }).cause;
  }
  return error;
}
