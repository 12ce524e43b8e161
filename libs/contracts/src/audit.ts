import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CursorPage } from './pages.js';
import { Doc, IsTimestamp, Nullable } from './schema.js';

export const AUDIT_ACTOR_TYPES = ['user', 'integration'] as const;

/** Who did it: an administrator (user id) or an integration (client id); none for what the platform did itself. */
@Doc('Who did it: an administrator or an integration')
export class AuditActor {
  @Doc('user (an administrator) or integration') @IsIn(AUDIT_ACTOR_TYPES) type: (typeof AUDIT_ACTOR_TYPES)[number];
  @Doc("The administrator's user id, or the integration's client id") @IsString() id: string;
  @Doc('Their name then (a username, an integration name)') @IsOptional() @IsString() name?: string;
}

@Doc('What was acted on')
export class AuditTarget {
  @Doc('What kind of thing: integration, instance, provider, outbound_token, admin_user, admin_session, grant, client …') @IsString() type: string;
  @Doc('Its id') @IsOptional() @IsString() id?: string;
  @Doc('Its name then') @IsOptional() @IsString() name?: string;
}

/** A field's value before and after the change; secrets never appear, only that they changed (`"[changed]"`). */
export type AuditChanges = Record<string, { before?: unknown; after?: unknown }>;
const CHANGES_SCHEMA = { additionalProperties: { type: 'object', properties: { before: {}, after: {} }, additionalProperties: false } };

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * `tessera.events.<owner>.audit.recorded`: one admin action or security event, written to the outbox of the service
 * that did it, in the transaction of the change (ADR 0023). It does not name its service: the audit log takes that
 * from the subject it arrived on, which only that service may publish to (ADR 0027).
 */
@Doc('One admin action or security event')
export class AuditRecordedEvent {
  @Doc('What was done', { examples: ['integration.update'] }) @IsString() action: string;
  @Doc('success or failure') @IsIn(AUDIT_OUTCOMES) outcome: AuditOutcome;
  @ValidateNested() @Type(() => AuditTarget) target: AuditTarget;
  @Doc('Who did it; null: the platform itself') @Nullable() @ValidateNested() @Type(() => AuditActor) actor: AuditActor | null;
  /** Verified by the audit log, never shown: a person is named only on a line the gateway vouched for (ADR 0027). */
  @Doc("The gateway's signed statement that the actor, a person, made the request (not kept in the log)")
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actorProof?: string;
  @Doc('The address it came from; null: none (the platform itself)') @Nullable() @IsString() address: string | null;
  @Doc("The platform's own id for the request it came with (the X-Request-Id the platform answered)") @Nullable() @IsString() requestId: string | null;
  @Doc('The X-Request-Id the caller sent, as the caller chose it; null: none') @Nullable() @IsString() @MaxLength(128) clientRequestId: string | null;
  @Doc('Each changed field before and after; secrets only as "[changed]"', CHANGES_SCHEMA) @IsOptional() @IsObject() changes?: AuditChanges;
  @Doc('Why a failure failed, or what a security event saw (never a secret)') @IsOptional() @IsObject() detail?: Record<
    string,
    string | number | boolean | null
  >;
}

/** What the gateway signs its statements of who made a request with: the public nkey of its bus credential. */
@Doc("The gateway's public key for the statements of who made a request")
export class GatewayActorKey {
  @Doc('A public nkey (U…)') @IsString() publicKey: string;
}

/** One line of the audit log (GET /admin/audit, NDJSON export). */
@Doc('One entry of the audit log')
export class AuditEntryView extends AuditRecordedEvent {
  @Doc('The service that made the change (the publisher the bus verified)') @IsString() service: string;
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('When it happened') @IsTimestamp() occurredAt: string;
}

@Doc('A page of the audit log, newest first')
export class AuditPage extends CursorPage {
  @Doc('The entries on this page') @ValidateNested({ each: true }) @Type(() => AuditEntryView) items: AuditEntryView[];
}

/** GET /admin/audit filters: all optional; `from`/`to` are ISO 8601 times (from inclusive, to exclusive). */
@Doc('Which audit entries to read: every filter optional')
export class ListAuditQuery {
  @Doc("The actor's id or name (a username, an integration's client id)") @IsOptional() @IsString() @MaxLength(200) actor?: string;
  @Doc('An action (`integration.update`) or a prefix ending in a dot (`integration.`)')
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_.]{1,100}$/, { message: 'action must be an action such as integration.update, or a prefix such as integration.' })
  action?: string;
  @Doc("A target's id or name, or its type (`integration`)") @IsOptional() @IsString() @MaxLength(200) target?: string;
  @Doc('success or failure') @IsOptional() @IsIn(AUDIT_OUTCOMES) outcome?: AuditOutcome;
  @Doc('From this time on (inclusive), ISO 8601') @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' }) from?: string;
  @Doc('Before this time (exclusive), ISO 8601') @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' }) to?: string;
  @Doc('At most this many (default 100)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @Doc('The nextCursor of the previous page')
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of the previous page' })
  cursor?: string;
}
