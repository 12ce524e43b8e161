import { AuditRecordedEvent } from './audit.js';
import { TokenIssuedEvent, TokenRevokedEvent } from './auth.js';
import {
  OutboundTokenAuthorizedEvent,
  OutboundTokenRecoveredEvent,
  OutboundTokenRefreshedEvent,
  OutboundTokenRefreshFailedEvent,
  OutboundTokenRevokedEvent,
} from './broker/events.js';
import { WebhookDisabledEvent } from './broker/webhooks.js';
import { InstanceAuthorizationEvent, InstanceDeletedEvent, InstanceRegisteredEvent, InstanceUpdatedEvent } from './instances.js';
import { IntegrationChangedEvent } from './integration-views.js';
import { EventsByOwner, type EventOwner } from './subjects.js';

type PayloadClass = new () => object;
type OwnerPayloads<O extends EventOwner> = { [K in keyof (typeof EventsByOwner)[O]]: PayloadClass };

/**
 * The class of each event kind's `data`, by owner and name exactly as `EventsByOwner` lists them: a kind added there
 * without a class here does not compile. Every consumer (durable and live) checks a payload against it before a
 * handler runs (`@tessera/messaging` envelopeProblem).
 */
const BY_OWNER: { [O in EventOwner]: OwnerPayloads<O> } = {
  'auth-server': { tokenRevoked: TokenRevokedEvent, tokenIssued: TokenIssuedEvent, auditRecorded: AuditRecordedEvent },
  'integrations-registry': {
    instanceRegistered: InstanceRegisteredEvent,
    instanceUpdated: InstanceUpdatedEvent,
    instanceAuthorized: InstanceAuthorizationEvent,
    instanceDeauthorized: InstanceAuthorizationEvent,
    instanceDeleted: InstanceDeletedEvent,
    integrationCreated: IntegrationChangedEvent,
    integrationUpdated: IntegrationChangedEvent,
    integrationDeleted: IntegrationChangedEvent,
    auditRecorded: AuditRecordedEvent,
  },
  'outbound-token-broker': {
    outboundTokenRefreshed: OutboundTokenRefreshedEvent,
    outboundTokenRefreshFailed: OutboundTokenRefreshFailedEvent,
    outboundTokenRecovered: OutboundTokenRecoveredEvent,
    outboundTokenRevoked: OutboundTokenRevokedEvent,
    outboundTokenAuthorized: OutboundTokenAuthorizedEvent,
    webhookDisabled: WebhookDisabledEvent,
    auditRecorded: AuditRecordedEvent,
  },
};

/** Event subject (unprefixed) → the class its payload must fit. */
export const EVENT_PAYLOADS: ReadonlyMap<string, PayloadClass> = new Map(
  (Object.keys(EventsByOwner) as EventOwner[]).flatMap((owner) =>
    Object.entries(EventsByOwner[owner]).map(([name, subject]) => [subject as string, (BY_OWNER[owner] as Record<string, PayloadClass>)[name]] as const),
  ),
);
