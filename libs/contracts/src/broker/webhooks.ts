import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVENT_TYPE_PATTERN } from '../event-types.js';
import { CursorPage, OffsetPage } from '../pages.js';
import { Doc, IsTimestamp, Nullable, Secret } from '../schema.js';

const EVENT_TYPE_MESSAGE = 'each event type must be lower-case letters, digits, . _ - and * wildcards (e.g. token.*)';
const WEBHOOK_URL = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/i;

/** Why an endpoint stopped receiving: an administrator turned it off, it answered 410 Gone, or it failed for too long. */
export const WEBHOOK_DISABLED_REASONS = ['manual', 'gone', 'failing'] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

/** A message's state: waiting for its next attempt, delivered (a 2xx), or given up on (retries used up, endpoint gone). */
export const WEBHOOK_MESSAGE_STATES = ['pending', 'delivered', 'failed'] as const;
export type WebhookMessageState = (typeof WEBHOOK_MESSAGE_STATES)[number];

@Doc('The optional settings of a webhook endpoint')
export class WebhookFields {
  @Doc('What it is for, for people') @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @Doc('Whether it receives messages (default true); turning it back on clears why it was disabled') @IsOptional() @IsBoolean() enabled?: boolean;
}

const URL_DOC = 'Where messages are POSTed (http or https; every call goes through the egress policy)';
const TYPES_DOC = 'The event types it receives: `auth.token.revoked`, `token.*` (with or without the owner), `*` for every event but audit lines';

@Doc('A new webhook endpoint')
export class CreateWebhookRequest extends WebhookFields {
  @Doc(URL_DOC) @Matches(WEBHOOK_URL, { message: 'url must be an http(s) URL' }) @MaxLength(2048) url: string;
  @Doc(TYPES_DOC, { examples: [['token.*', 'registry.integration.deleted']] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes: string[];
  @Doc('Also sign with an Ed25519 key (Standard Webhooks `v1a`); its public key (`whpk_…`) is in the view')
  @IsOptional()
  @IsBoolean()
  ed25519?: boolean;
}

@Doc('Changes to a webhook endpoint: only the fields sent change')
export class UpdateWebhookFields extends WebhookFields {
  @Doc(URL_DOC) @IsOptional() @Matches(WEBHOOK_URL, { message: 'url must be an http(s) URL' }) @MaxLength(2048) url?: string;
  @Doc(TYPES_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes?: string[];
}

@Doc('A change to a webhook endpoint (bus command)')
export class UpdateWebhookRequest extends UpdateWebhookFields {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
}

@Doc('One webhook endpoint (bus command)')
export class WebhookIdRequest {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
}

@Doc('How long the previous signing secret keeps signing beside the new one')
export class RotateWebhookSecretBody {
  @Doc('Seconds both secrets sign every message (default 86400; 0: the old one stops at once)')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 86_400)
  graceSeconds?: number;
}

@Doc("A webhook endpoint's secret rotation (bus command)")
export class RotateWebhookSecretRequest extends RotateWebhookSecretBody {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
}

@Doc('Which endpoints to read')
export class ListWebhooksRequest {
  @Doc('At most this many (default 50)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @Doc('How many to skip') @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

@Doc('A webhook endpoint (never its secret)')
export class WebhookView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Where messages are POSTed') @IsString() url: string;
  @Doc('The event types it receives') @IsArray() @IsString({ each: true }) eventTypes: string[];
  @Doc('What it is for') @Nullable() @IsString() description: string | null;
  @Doc('Whether it receives messages') @IsBoolean() enabled: boolean;
  @Doc('Why it was disabled: manual, gone (it answered 410) or failing (it failed for too long)')
  @Nullable()
  @IsIn(WEBHOOK_DISABLED_REASONS)
  disabledReason: WebhookDisabledReason | null;
  @Doc('Since when every delivery to it has failed (null: the last one succeeded)') @Nullable() @IsTimestamp() failingSince: string | null;
  @Doc('The Ed25519 public key (`whpk_…`) its `v1a` signatures verify with, when it has one') @Nullable() @IsString() publicKey: string | null;
  @Doc('Until when the previous secret still signs beside the current one (null: no overlap)') @Nullable() @IsTimestamp() previousSecretUntil: string | null;
  @Doc('When it was created') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
}

@Doc('A webhook endpoint with its signing secret, shown this once')
export class WebhookWithSecret extends WebhookView {
  @Secret() @Doc('The signing secret (`whsec_…`, Standard Webhooks): shown once, at creation or rotation') @IsString() secret: string;
}

@Doc('Webhook endpoints, by creation')
export class WebhookPage extends OffsetPage {
  @Doc('The endpoints') @ValidateNested({ each: true }) @Type(() => WebhookView) items: WebhookView[];
}

@Doc('One try to deliver a message')
export class WebhookAttemptView {
  @Doc('When it was made') @IsTimestamp() attemptedAt: string;
  @Doc("The endpoint's HTTP status (null: no answer)") @Nullable() @IsInt() status: number | null;
  @Doc('How long it took, in milliseconds') @IsInt() latencyMs: number;
  @Doc("The first bytes of the endpoint's answer") @IsString() response: string;
  @Doc('Why it failed without an answer (timeout, refused by the egress policy …)') @Nullable() @IsString() error: string | null;
}

@Doc('A message for one endpoint and its attempts')
export class WebhookMessageView {
  @Doc('The `webhook-id` header: the same on every attempt and on a replay') @IsString() id: string;
  @Doc('The event it carries') @IsUUID('all') eventId: string;
  @Doc("The event's type") @IsString() eventType: string;
  @Doc('pending, delivered or failed') @IsIn(WEBHOOK_MESSAGE_STATES) state: WebhookMessageState;
  @Doc('When the event was taken for this endpoint') @IsTimestamp() createdAt: string;
  @Doc('When the next attempt is due (pending only)') @Nullable() @IsTimestamp() nextAttemptAt: string | null;
  @Doc('When it was delivered') @Nullable() @IsTimestamp() deliveredAt: string | null;
  @Doc('Its attempts, oldest first') @ValidateNested({ each: true }) @Type(() => WebhookAttemptView) attempts: WebhookAttemptView[];
}

@Doc("An endpoint's messages, newest first")
export class WebhookMessagePage extends CursorPage {
  @Doc('The messages') @ValidateNested({ each: true }) @Type(() => WebhookMessageView) items: WebhookMessageView[];
}

@Doc("Which of an endpoint's messages to read")
export class ListWebhookMessagesQuery {
  @Doc('Only those in this state') @IsOptional() @IsIn(WEBHOOK_MESSAGE_STATES) state?: WebhookMessageState;
  @Doc('At most this many (default 50)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @Doc('From the previous page (nextCursor)') @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

@Doc("A page of a webhook endpoint's messages (bus query)")
export class ListWebhookMessagesRequest extends ListWebhookMessagesQuery {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
}

@Doc('One message of a webhook endpoint (bus command)')
export class WebhookMessageRequest {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
  @Doc("The message's id (webhook-id)") @IsString() @MaxLength(100) messageId: string;
}

@Doc('Re-send what failed since a time')
export class RecoverWebhookBody {
  @Doc('Every message of this endpoint that failed since then is sent again, with its original id') @IsTimestamp() since: string;
}

@Doc("Re-sending a webhook endpoint's failed messages (bus command)")
export class RecoverWebhookRequest extends RecoverWebhookBody {
  @Doc("The endpoint's id") @IsUUID('all') id: string;
}

@Doc('How many messages were queued again')
export class WebhookRecoverReply {
  @Doc('Messages queued for delivery again') @IsInt() requeued: number;
}

export type WebhookDisabledEventReason = Exclude<WebhookDisabledReason, 'manual'>;

/** `tessera.events.broker.webhook.disabled`: the platform stopped delivering to an endpoint. A class, so consumers check it (EVENT_PAYLOADS). */
@Doc('tessera.events.broker.webhook.disabled: the platform stopped delivering to an endpoint')
export class WebhookDisabledEvent {
  @Doc("The endpoint's id") @IsUUID('all') webhookId: string;
  @Doc('Its URL') @IsString() url: string;
  @Doc('Why: gone (it answered 410) or failing (every delivery failed for too long)') @IsIn(['gone', 'failing']) reason: WebhookDisabledEventReason;
  /** Since when it had been failing (for `failing`). */
  @Doc('Since when it had been failing; null for gone') @Nullable() @IsTimestamp() failingSince: string | null;
}
