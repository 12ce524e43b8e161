import type { BusErrorCode, BusErrorPayload } from './envelope.js';

/** A domain error that crosses the bus as a typed payload; the gateway maps `code` to an HTTP status in one place. */
export class BusError extends Error {
  constructor(readonly code: BusErrorCode, message: string, readonly details?: Record<string, unknown>) {
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

  static conflict(message: string) {
    return new BusError('conflict', message);
  }
}
