import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

// The receiver permission is the grammar's (the console bundles it without this file's validators).
export { SSF_RECEIVER_PERMISSION } from './permission-grammar.js';

/**
 * The OpenID Shared Signals Framework 1.0 transmitter's vocabulary (ADR 0049): the CAEP 1.0 events it sends, the SSF
 * events every stream gets, the delivery methods (RFC 8935 push, RFC 8936 poll) and the subject formats (RFC 9493,
 * SSF's `jwt_id` and complex subjects). Field names are the specification's (snake_case), not ours.
 */
export const CAEP_EVENT_TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  tokenClaimsChange: 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change',
} as const;
export const SSF_EVENT_TYPES = {
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
  streamUpdated: 'https://schemas.openid.net/secevent/ssf/event-type/stream-updated',
} as const;
/** The events a receiver may request; verification and stream-updated reach every stream unasked. */
export const SSF_EVENTS_SUPPORTED = Object.values(CAEP_EVENT_TYPES);

export const SSF_PUSH = 'urn:ietf:rfc:8935';
export const SSF_POLL = 'urn:ietf:rfc:8936';
export const SSF_DELIVERY_METHODS = [SSF_PUSH, SSF_POLL] as const;
export type SsfDeliveryMethod = (typeof SSF_DELIVERY_METHODS)[number];

export const SSF_STREAM_STATUSES = ['enabled', 'paused', 'disabled'] as const;
export type SsfStreamStatusValue = (typeof SSF_STREAM_STATUSES)[number];

/** The subject formats a stream may name: an integration (`opaque` client id), one access token (`jwt_id`), or both. */
export const SSF_SUBJECT_FORMATS = ['opaque', 'jwt_id', 'complex'] as const;
/** A receiver's streams at most: each one holds SETs until they are delivered. */
export const SSF_MAX_STREAMS_PER_RECEIVER = 10;

const SUBJECT_SCHEMA = { type: 'object', additionalProperties: true, examples: [{ format: 'opaque', id: 'app_…' }] };
const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

@Doc('How SETs reach the receiver')
export class SsfDelivery {
  @Doc('urn:ietf:rfc:8935 (push to the receiver) or urn:ietf:rfc:8936 (the receiver polls)') @IsIn(SSF_DELIVERY_METHODS) method: SsfDeliveryMethod;
  @Doc("Push: the receiver's endpoint. Poll: supplied by the transmitter (ignored when sent)")
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_OPTIONS, { message: 'endpoint_url must be an http(s) URL' })
  endpoint_url?: string;
  @Secret()
  @Doc('Push: the Authorization header sent with every SET (kept encrypted, never returned)')
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  authorization_header?: string;
}

@Doc('A new stream (SSF 1.0 §8.1.1.1)')
export class CreateSsfStreamRequest {
  @Doc('The event types the receiver wants', { examples: [[CAEP_EVENT_TYPES.sessionRevoked]] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events_requested?: string[];
  @Doc('How SETs are delivered') @ValidateNested() @Type(() => SsfDelivery) delivery: SsfDelivery;
  @Doc('What the stream is for') @IsOptional() @IsString() @MaxLength(500) description?: string;
}

@Doc('A stream, by id')
export class SsfStreamRef {
  @Doc('The stream') @IsUUID('all', { message: 'stream_id must be a stream id' }) stream_id: string;
}

@Doc("Which stream to read; absent: all of the receiver's")
export class SsfStreamQuery {
  @Doc('The stream') @IsOptional() @IsUUID('all', { message: 'stream_id must be a stream id' }) stream_id?: string;
}

@Doc('A change of a stream (PATCH: the fields given; PUT: the whole receiver-supplied configuration)')
export class UpdateSsfStreamRequest extends SsfStreamRef {
  @Doc('The event types the receiver wants') @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) events_requested?: string[];
  @Doc('How SETs are delivered') @IsOptional() @ValidateNested() @Type(() => SsfDelivery) delivery?: SsfDelivery;
  @Doc('What the stream is for') @IsOptional() @IsString() @MaxLength(500) description?: string;
  // Transmitter-supplied members a receiver may echo back from GET; they are checked, not changed.
  @Doc('Read-only: must be the transmitter, if sent') @IsOptional() @IsString() iss?: string;
  @Doc('Read-only') @IsOptional() aud?: string | string[];
  @Doc('Read-only') @IsOptional() @IsArray() events_supported?: string[];
  @Doc('Read-only') @IsOptional() @IsArray() events_delivered?: string[];
  @Doc('Read-only') @IsOptional() @IsInt() min_verification_interval?: number;
}

@Doc('A stream status change (SSF 1.0 §8.1.2.2)')
export class UpdateSsfStatusRequest extends SsfStreamRef {
  @Doc('enabled, paused (SETs are kept) or disabled (SETs are dropped)') @IsIn(SSF_STREAM_STATUSES) status: SsfStreamStatusValue;
  @Doc('Why') @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

@Doc('A subject added to or removed from a stream (SSF 1.0 §8.1.3)')
export class SsfSubjectRequest extends SsfStreamRef {
  @Doc('A subject identifier: {format: "opaque", id: <client id>}, {format: "jwt_id", iss, jti} or a complex subject of those', SUBJECT_SCHEMA)
  @IsObject()
  subject: Record<string, unknown>;
  @Doc('Whether the receiver verified the subject (accepted, not used)') @IsOptional() @IsBoolean() verified?: boolean;
}

@Doc('A verification request (SSF 1.0 §8.1.4.2)')
export class SsfVerificationRequest extends SsfStreamRef {
  @Doc('Echoed in the verification event') @IsOptional() @IsString() @MaxLength(500) state?: string;
}

@Doc('An RFC 8936 poll: acknowledge SETs and ask for more')
export class SsfPollRequest {
  @Doc('jti of SETs received and processed') @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) ack?: string[];
  @Doc('jti → {err, description} of SETs the receiver could not process', { type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  setErrs?: Record<string, { err: string; description?: string }>;
  @Doc('At most this many SETs (0: acknowledge only)') @IsOptional() @IsInt() @Min(0) @Max(1000) maxEvents?: number;
  @Doc('false: wait a little for SETs when none is waiting') @IsOptional() @IsBoolean() returnImmediately?: boolean;
}

// What the gateway sends on the bus: the request and the receiver (client id) its verified access token named.
@Doc('Create a stream for a receiver')
export class CreateSsfStreamCommand extends CreateSsfStreamRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
}
@Doc("One of a receiver's streams, or all of them")
export class GetSsfStreamCommand {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
  @Doc('The stream; absent: every stream of the receiver') @IsOptional() @IsString() @MaxLength(100) stream_id?: string;
}
@Doc('Change a stream of a receiver')
export class UpdateSsfStreamCommand extends UpdateSsfStreamRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
  @Doc('PUT: fields not sent go back to their defaults') @IsBoolean() replace: boolean;
}
@Doc('A stream of a receiver')
export class SsfStreamCommand extends SsfStreamRef {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
}
@Doc('Change the status of a stream of a receiver')
export class UpdateSsfStatusCommand extends UpdateSsfStatusRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
}
@Doc('Add or remove a subject of a stream of a receiver')
export class SsfSubjectCommand extends SsfSubjectRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
}
@Doc('Ask for a verification event on a stream of a receiver')
export class SsfVerificationCommand extends SsfVerificationRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
}
@Doc("A receiver's poll of one stream")
export class SsfPollCommand extends SsfPollRequest {
  @Doc("The receiver's client id") @IsString() @MaxLength(200) receiver: string;
  @Doc('The stream') @IsString() @MaxLength(100) stream_id: string;
}

@Doc('How SETs reach the receiver (the authorization header is never returned)')
export class SsfDeliveryView {
  @Doc('urn:ietf:rfc:8935 or urn:ietf:rfc:8936') method: SsfDeliveryMethod;
  @Doc('Push: where SETs go. Poll: where the receiver polls') endpoint_url: string;
}

@Doc('A stream configuration (SSF 1.0 §8.1.1)')
export class SsfStreamConfiguration {
  @Doc('The stream') stream_id: string;
  @Doc('The transmitter (the iss of its SETs)') iss: string;
  @Doc('The aud of its SETs: the receiver') aud: string;
  @Doc('What the transmitter can send') events_supported: string[];
  @Doc('What the receiver asked for') events_requested: string[];
  @Doc('What it gets: requested and supported') events_delivered: string[];
  @Doc('How SETs are delivered') delivery: SsfDeliveryView;
  @Doc('What the stream is for') description?: string;
  @Doc('Seconds between two verification requests at least') min_verification_interval: number;
}

@Doc('A stream status (SSF 1.0 §8.1.2)')
export class SsfStreamStatus {
  @Doc('The stream') stream_id: string;
  @Doc('enabled, paused or disabled') status: SsfStreamStatusValue;
  @Doc('Why, if given') reason?: string;
}

@Doc('RFC 8936 poll answer')
export class SsfPollResponse {
  @Doc('jti → the SET (a signed JWT)', { type: 'object', additionalProperties: { type: 'string' } }) sets: Record<string, string>;
  @Doc('More SETs are waiting') moreAvailable: boolean;
}

@Doc('SSF transmitter configuration metadata (SSF 1.0 §7.1)')
export class SsfConfiguration {
  @Doc('The SSF version') spec_version: string;
  @Doc('The transmitter') issuer: string;
  @Doc('The keys its SETs are signed with') jwks_uri: string;
  @Doc('urn:ietf:rfc:8935 and urn:ietf:rfc:8936') delivery_methods_supported: string[];
  @Doc('Create, read, update, replace and delete streams') configuration_endpoint: string;
  @Doc('Read and change a stream status') status_endpoint: string;
  @Doc('Add a subject') add_subject_endpoint: string;
  @Doc('Remove a subject') remove_subject_endpoint: string;
  @Doc('Ask for a verification event') verification_endpoint: string;
  @Doc('Members of a complex subject a receiver must understand') critical_subject_members: string[];
  @Doc('How receivers authenticate: OAuth 2 access tokens', { type: 'array', items: { type: 'object' } }) authorization_schemes: { spec_urn: string }[];
  @Doc('NONE: a stream gets only events about the subjects added to it') default_subjects: 'ALL' | 'NONE';
}

// An administrator's read-only view of every receiver's streams (the console's SSF page): our field names, not the spec's.
@Doc("Which streams an administrator lists; absent: every receiver's, newest first")
export class ListSsfStreamsQuery {
  @Doc("Only this receiver's (its client id)") @IsOptional() @IsString() @MaxLength(200) receiver?: string;
  @Doc('At most this many (default 200)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

@Doc('A stream as an administrator sees it: never its push Authorization header')
export class SsfStreamAdminView {
  @Doc('The stream') @IsUUID('all') streamId: string;
  @Doc("The receiver: its integration's client id (application id)") @IsString() receiver: string;
  @Doc('push (RFC 8935) or poll (RFC 8936)') @IsIn(['push', 'poll']) deliveryMethod: 'push' | 'poll';
  @Doc("Push: the receiver's endpoint; poll: null") @Nullable() @IsString() endpointUrl: string | null;
  @Doc('enabled, paused (SETs are kept) or disabled (SETs are dropped)') @IsIn(SSF_STREAM_STATUSES) status: SsfStreamStatusValue;
  @Doc('Why the status was set, if said') @Nullable() @IsString() statusReason: string | null;
  @Doc('What the stream is for') @Nullable() @IsString() description: string | null;
  @Doc('What the receiver asked for') @IsArray() @IsString({ each: true }) eventsRequested: string[];
  @Doc('What it gets: requested and supported') @IsArray() @IsString({ each: true }) eventsDelivered: string[];
  @Doc('Subjects added to the stream: it gets events about these only') @IsInt() subjects: number;
  @Doc('SETs queued and not yet delivered (a push accepted, or a poll acknowledged)') @IsInt() pendingSets: number;
  @Doc('When the oldest waiting SET was queued') @Nullable() @IsTimestamp() oldestPendingAt: string | null;
  @Doc('Push: why the latest failed attempt of a waiting SET failed (a status or a transport error, never an answer body)')
  @Nullable()
  @IsString()
  lastPushError: string | null;
  @Doc('When the stream was created') @IsTimestamp() createdAt: string;
}

@Doc('SSF streams, newest first')
export class SsfStreamAdminPage {
  @Doc('The streams') @ValidateNested({ each: true }) @Type(() => SsfStreamAdminView) items: SsfStreamAdminView[];
}
