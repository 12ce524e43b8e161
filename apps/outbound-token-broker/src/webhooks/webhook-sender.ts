import { Inject, Injectable } from '@nestjs/common';
import type { Egress } from '@tessera/egress';
import { EGRESS } from '@tessera/runtime';
import type { AttemptAnswer } from './delivery-outcome.js';

/** Standard Webhooks asks for a short timeout; a receiver should answer at once and work afterwards. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** How much of an answer is kept, for the delivery log. */
const RESPONSE_KEPT = 1_024;

export interface SentAttempt extends AttemptAnswer {
  latencyMs: number;
  response: string;
  error: string | null;
}

/** One POST to an endpoint, under the egress policy, never following a redirect, answered within 15 s. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(EGRESS) private readonly egress: Egress) {}

  async send(url: string, headers: Record<string, string>, body: string): Promise<SentAttempt> {
    const started = performance.now();
    const signal = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
    try {
      const response = await this.egress.fetch(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Tessera-Webhooks/1', ...headers }, body, redirect: 'manual', signal },
        { connectTimeoutMs: 5_000, firstByteTimeoutMs: ATTEMPT_TIMEOUT_MS, idleTimeoutMs: ATTEMPT_TIMEOUT_MS, maxResponseBytes: 1024 * 1024 },
      );
      const answer = await head(response.body as unknown as ReadableStream<Uint8Array> | null, signal).catch(() => '');
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        latencyMs: Math.round(performance.now() - started),
        response: answer,
        error: null,
      };
    } catch (error) {
      const message = signal.aborted ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` : String((error as Error)?.message ?? error);
      return { status: null, latencyMs: Math.round(performance.now() - started), response: '', error: message.slice(0, 500) };
    }
  }
}

/** The first bytes of a body; the rest is not read (the connection is let go). */
async function head(body: ReadableStream<Uint8Array> | null, signal: AbortSignal): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_KEPT && !signal.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks)
    .subarray(0, RESPONSE_KEPT)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}
