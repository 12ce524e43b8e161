import type { WebhookAttemptView, WebhookMessageView, WebhookView } from '@tessera/contracts';
import type { WebhookAttempt } from './webhook-attempt.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import type { WebhookMessage } from './webhook-message.entity.js';

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

/** An endpoint as admins read it: never a secret, only the public key. */
export function toWebhookView(endpoint: WebhookEndpoint, now: Date): WebhookView {
  const overlap = endpoint.previousSecretSealed && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now;
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: iso(endpoint.failingSince),
    publicKey: endpoint.publicKey,
    previousSecretUntil: overlap ? iso(endpoint.previousSecretUntil) : null,
    createdAt: iso(endpoint.createdAt)!,
    updatedAt: iso(endpoint.updatedAt)!,
  };
}

function toAttemptView(attempt: WebhookAttempt): WebhookAttemptView {
  return { attemptedAt: iso(attempt.attemptedAt)!, status: attempt.status, latencyMs: attempt.latencyMs, response: attempt.response, error: attempt.error };
}

export function toMessageView(message: WebhookMessage, attempts: WebhookAttempt[]): WebhookMessageView {
  return {
    id: message.messageId,
    eventId: message.eventId,
    eventType: message.eventType,
    state: message.state,
    createdAt: iso(message.createdAt)!,
    nextAttemptAt: message.state === 'pending' ? iso(message.nextAttemptAt) : null,
    deliveredAt: iso(message.deliveredAt),
    attempts: attempts.filter((a) => a.messageRowId === message.id).map(toAttemptView),
  };
}
