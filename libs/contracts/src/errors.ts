import type { BusErrorCode, BusErrorPayload } from './envelope.js';
import type { OAuthErrorCode } from './oauth.js';

/**
 * A domain error that crosses the bus as a typed payload: a code, a message and details, never an HTTP status. The
 * gateway maps codes (and an `oauth` error's RFC 6749 code) to HTTP statuses in one place (rest-error.filter.ts).
 */
export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BusError';
  }

  toPayload(): BusErrorPayload {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  static fromPayload(payload: BusErrorPayload): BusError {
    return new BusError(payload.code, payload.message, payload.details);
  }

  static notFound(what: string, id: string) {
    return new BusError('not_found', `${what} ${id} does not exist`);
  }

  /** An RFC 6749 §5.2 error (`details.error` its code); the edge decides the status (401 for invalid_client). */
  static oauth(error: OAuthErrorCode, description: string, details: Record<string, unknown> = {}) {
    return new BusError('oauth', description, { ...details, error, error_description: description });
  }

  static conflict(message: string) {
    return new BusError('conflict', message);
  }
}
