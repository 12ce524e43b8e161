import { Inject, Injectable } from '@nestjs/common';
import type { Egress } from '@tessera/egress';
import { EGRESS } from '@tessera/runtime';
import type { AttemptAnswer } from './delivery-outcome.js';
import type { Readable } from 'node:stream';

/** Standard Webhooks asks for a short timeout; a receiver should answer at once and work afterwards. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** How much of an answer is kept, for the delivery log. */
const RESPONSE_KEPT = 1_024;
/** How much of an answer is read at most: the rest is not worth a connection. */
const DRAINED = 64 * 1_024;

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
      const response = await this.egress.request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Tessera-Webhooks/1', ...headers }, body, signal },
        { connectTimeoutMs: 5_000, firstByteTimeoutMs: ATTEMPT_TIMEOUT_MS, idleTimeoutMs: ATTEMPT_TIMEOUT_MS, maxResponseBytes: 1024 * 1024 },
      );
      const answer = await head(response.body);
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null),
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

/**
 * The first bytes of a body. A short answer is read to its end, so the connection is kept for the next attempt; one
 * longer than DRAINED is cut off (the connection is let go rather than read for nothing).
 */
function head(body: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () =>
      resolve(
        Buffer.concat(chunks)
          .subarray(0, RESPONSE_KEPT)
          .toString('utf8')
          .replace(/\uFFFD+$/, ''),
      );
    body.on('data', (chunk: Buffer) => {
      if (size < RESPONSE_KEPT) chunks.push(chunk);
      size += chunk.byteLength;
      if (size > DRAINED) {
        body.destroy();
        done();
      }
    });
    body.once('end', done);
    body.once('error', done);
  });
}
