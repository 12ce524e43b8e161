import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Who did it: an administrator (user id) or an integration (client id); none for what the platform did itself. */
export interface AuditActor {
  type: 'user' | 'integration';
  id: string;
  name?: string;
}

export interface AuditTarget {
  /** What kind of thing: integration, instance, provider, outbound_token, admin_user, admin_session, grant, client. */
  type: string;
  id?: string;
  name?: string;
}

/** A field's value before and after the change; secrets never appear, only that they changed (`"[changed]"`). */
export type AuditChanges = Record<string, { before?: unknown; after?: unknown }>;

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * `tessera.events.audit.recorded`: one admin action or security event, written to the outbox of the service that
 * did it, in the transaction of the change (ADR 0023). Carries its actor, address and request id itself, so the
 * audit log needs no other source.
 */
export interface AuditRecordedEvent {
  /** The service that made the change. */
  service: string;
  action: string;
  outcome: AuditOutcome;
  target: AuditTarget;
  actor: AuditActor | null;
  address: string | null;
  requestId: string | null;
  changes?: AuditChanges;
  /** Why a failure failed, or what a security event saw (never a secret). */
  detail?: Record<string, string | number | boolean | null>;
}

/** One line of the audit log (GET /admin/audit, NDJSON export). */
export interface AuditEntryView extends AuditRecordedEvent {
  id: string;
  occurredAt: string;
}

export interface AuditPage {
  items: AuditEntryView[];
  nextCursor: string | null;
}

/** GET /admin/audit filters: all optional; `from`/`to` are ISO 8601 times (from inclusive, to exclusive). */
export class ListAuditQuery {
  /** The actor's id or name (a username, an integration's client id). */
  @IsOptional() @IsString() @MaxLength(200) actor?: string;
  /** An action (`integration.update`) or a prefix ending in a dot (`integration.`). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_.]{1,100}$/, { message: 'action must be an action such as integration.update, or a prefix such as integration.' })
  action?: string;
  /** A target's id or name, or its type (`integration`). */
  @IsOptional() @IsString() @MaxLength(200) target?: string;
  @IsOptional() @IsIn(AUDIT_OUTCOMES) outcome?: AuditOutcome;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' }) to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of the previous page' }) cursor?: string;
}
