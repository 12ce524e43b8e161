import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate } from 'class-validator';
import { AddressList } from './addresses.js';
import { REPLICAS_MESSAGE, REPLICAS_PATTERN } from './replicas.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_MESSAGE = 'PORT must be an integer between 0 and 65535';
const TIMEOUT_MESSAGE = 'TESSERA_BUS_TIMEOUT_MS must be an integer between 100 and 60000 (milliseconds)';
const BROKER_TIMEOUT_MESSAGE = 'TESSERA_BROKER_PROVIDER_TIMEOUT_MS must be an integer between 100 and 300000 (milliseconds)';
const REFRESH_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_REFRESH_CONCURRENCY must be an integer between 1 and 1000';
const PROVIDER_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_PROVIDER_CONCURRENCY must be an integer between 1 and 1000';
const PRUNE_INTERVAL_MESSAGE = 'TESSERA_PRUNE_INTERVAL_SECONDS must be an integer between 0 (never prune) and 86400';
const SSF_VERIFICATION_MESSAGE = 'TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS must be an integer between 0 and 86400 (seconds)';
const AUDIT_RETENTION_MESSAGE = 'TESSERA_AUDIT_RETENTION_DAYS must be an integer between 1 and 36500 (days)';
const SESSION_HOURS_MESSAGE = 'TESSERA_ADMIN_SESSION_HOURS must be an integer between 1 and 168 (hours)';
const IDLE_MINUTES_MESSAGE = 'TESSERA_ADMIN_IDLE_MINUTES must be an integer between 1 and 240 (minutes)';
const streamsMessage = (name: string) => `${name} must be an integer between 1 and 1000`;
// A day at least: the gateway replays a day of revocations from the stream when it starts.
const EVENTS_AGE_MESSAGE = 'TESSERA_EVENTS_MAX_AGE_HOURS must be an integer between 24 and 87600 (hours)';
const NOTICES_AGE_MESSAGE = 'TESSERA_NOTICES_MAX_AGE_MINUTES must be an integer between 1 and 10080 (minutes)';
const megabytesMessage = (name: string, min: number) => `${name} must be an integer between ${min} and 1048576 (MiB)`;
const STREAM_REPLICAS_MESSAGE = 'TESSERA_STREAM_REPLICAS must be an integer between 1 and 5 (JetStream allows at most 5)';
const STARTUP_WAIT_MESSAGE = 'TESSERA_STARTUP_WAIT_SECONDS must be an integer between 0 and 3600 (seconds)';
const hoursMessage = (name: string, min: number) => `${name} must be an integer between ${min} and 8760 (hours)`;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The environment Tessera reads, exactly once, at start. Nothing else reads process.env. */
export class TesseraEnvironment {
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT?: number;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/\S+(,(nats|tls|wss?):\/\/\S+)*$/, { message: 'NATS_URL must be one or more nats:// URLs separated by commas' })
  NATS_URL?: string;

  // What sits between the services and PostgreSQL: `transaction` for a pooler in transaction mode (ADR 0039).
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(['session', 'transaction'], { message: 'TESSERA_DATABASE_POOLER must be session (a direct connection or a session-mode pooler) or transaction' })
  TESSERA_DATABASE_POOLER?: 'session' | 'transaction';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'TESSERA_ISSUER must be an http(s) URL' })
  TESSERA_ISSUER?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  TESSERA_DATA_DIR?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  /** Prefix for every NATS subject and the JetStream stream, so several platforms or test runs share one NATS. */
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'TESSERA_SUBJECT_PREFIX must be 1-32 characters of A-Z a-z 0-9 _ -' })
  TESSERA_SUBJECT_PREFIX?: string;

  /** How long the gateway waits for a service over the bus before answering 503. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: TIMEOUT_MESSAGE })
  @Min(100, { message: TIMEOUT_MESSAGE })
  @Max(60000, { message: TIMEOUT_MESSAGE })
  TESSERA_BUS_TIMEOUT_MS?: number;

  /** The longest the broker waits for a provider's token endpoint; a provider's own timeoutSeconds may only shorten it. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: BROKER_TIMEOUT_MESSAGE })
  @Min(100, { message: BROKER_TIMEOUT_MESSAGE })
  @Max(300000, { message: BROKER_TIMEOUT_MESSAGE })
  TESSERA_BROKER_PROVIDER_TIMEOUT_MS?: number;

  /** Scheduled refreshes in flight at once in one broker replica. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: REFRESH_CONCURRENCY_MESSAGE })
  @Min(1, { message: REFRESH_CONCURRENCY_MESSAGE })
  @Max(1000, { message: REFRESH_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_REFRESH_CONCURRENCY?: number;

  /** Scheduled refreshes in flight at once against one provider, across every broker replica. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: PROVIDER_CONCURRENCY_MESSAGE })
  @Min(1, { message: PROVIDER_CONCURRENCY_MESSAGE })
  @Max(1000, { message: PROVIDER_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_PROVIDER_CONCURRENCY?: number;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'TESSERA_ENCRYPTION_KEY must be 32 bytes, base64 or base64url encoded' })
  TESSERA_ENCRYPTION_KEY?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'TESSERA_ADMIN_PASSWORD must be at least 12 characters' })
  TESSERA_ADMIN_PASSWORD?: string;

  /** How long `npm start` in distributed mode waits for PostgreSQL and NATS to answer before giving up. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: STARTUP_WAIT_MESSAGE })
  @Min(0, { message: STARTUP_WAIT_MESSAGE })
  @Max(3600, { message: STARTUP_WAIT_MESSAGE })
  TESSERA_STARTUP_WAIT_SECONDS?: number;

  /** How many processes of each service `npm start` runs in distributed mode. */
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : String(value).replace(/\s+/g, '')))
  @IsOptional()
  @Matches(REPLICAS_PATTERN, { message: REPLICAS_MESSAGE })
  TESSERA_REPLICAS?: string;
  /** Private and loopback destinations outbound calls may reach outside embedded mode (hosts, host:port, CIDRs). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  TESSERA_EGRESS_ALLOW?: string;
  // Retention (docs/decisions/0016): how often each service prunes, and how long rows are kept once nothing needs them.
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: PRUNE_INTERVAL_MESSAGE })
  @Min(0, { message: PRUNE_INTERVAL_MESSAGE })
  @Max(86_400, { message: PRUNE_INTERVAL_MESSAGE })
  TESSERA_PRUNE_INTERVAL_SECONDS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) })
  @Min(0, { message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) })
  @Max(8760, { message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) })
  TESSERA_GRANT_RETENTION_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) })
  @Min(1, { message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) })
  @Max(8760, { message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) })
  TESSERA_INBOX_RETENTION_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) })
  @Min(0, { message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) })
  @Max(8760, { message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) })
  TESSERA_OUTBOX_RETENTION_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: AUDIT_RETENTION_MESSAGE })
  @Min(1, { message: AUDIT_RETENTION_MESSAGE })
  @Max(36_500, { message: AUDIT_RETENTION_MESSAGE })
  TESSERA_AUDIT_RETENTION_DAYS?: number;
  // Admin sessions: renewed while in use up to a maximum, ended when idle.
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: SESSION_HOURS_MESSAGE })
  @Min(1, { message: SESSION_HOURS_MESSAGE })
  @Max(168, { message: SESSION_HOURS_MESSAGE })
  TESSERA_ADMIN_SESSION_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: IDLE_MINUTES_MESSAGE })
  @Min(1, { message: IDLE_MINUTES_MESSAGE })
  @Max(240, { message: IDLE_MINUTES_MESSAGE })
  TESSERA_ADMIN_IDLE_MINUTES?: number;
  // Live event streams (/admin/events/stream): each holds a bus consumer, so each caller may hold only a few.
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: streamsMessage('TESSERA_EVENT_STREAMS_PER_SESSION') })
  @Min(1, { message: streamsMessage('TESSERA_EVENT_STREAMS_PER_SESSION') })
  @Max(1000, { message: streamsMessage('TESSERA_EVENT_STREAMS_PER_SESSION') })
  TESSERA_EVENT_STREAMS_PER_SESSION?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: streamsMessage('TESSERA_EVENT_STREAMS_PER_ADDRESS') })
  @Min(1, { message: streamsMessage('TESSERA_EVENT_STREAMS_PER_ADDRESS') })
  @Max(1000, { message: streamsMessage('TESSERA_EVENT_STREAMS_PER_ADDRESS') })
  TESSERA_EVENT_STREAMS_PER_ADDRESS?: number;
  // SSF: the least time between two verification requests of a stream (SSF 1.0 §8.1.4.2).
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: SSF_VERIFICATION_MESSAGE })
  @Min(0, { message: SSF_VERIFICATION_MESSAGE })
  @Max(86_400, { message: SSF_VERIFICATION_MESSAGE })
  TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS?: number;
  // The JetStream streams' retention and replicas (ADR 0038).
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: EVENTS_AGE_MESSAGE })
  @Min(24, { message: EVENTS_AGE_MESSAGE })
  @Max(87_600, { message: EVENTS_AGE_MESSAGE })
  TESSERA_EVENTS_MAX_AGE_HOURS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: megabytesMessage('TESSERA_EVENTS_MAX_MB', 16) })
  @Min(16, { message: megabytesMessage('TESSERA_EVENTS_MAX_MB', 16) })
  @Max(1_048_576, { message: megabytesMessage('TESSERA_EVENTS_MAX_MB', 16) })
  TESSERA_EVENTS_MAX_MB?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: NOTICES_AGE_MESSAGE })
  @Min(1, { message: NOTICES_AGE_MESSAGE })
  @Max(10_080, { message: NOTICES_AGE_MESSAGE })
  TESSERA_NOTICES_MAX_AGE_MINUTES?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: megabytesMessage('TESSERA_NOTICES_MAX_MB', 1) })
  @Min(1, { message: megabytesMessage('TESSERA_NOTICES_MAX_MB', 1) })
  @Max(1_048_576, { message: megabytesMessage('TESSERA_NOTICES_MAX_MB', 1) })
  TESSERA_NOTICES_MAX_MB?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: STREAM_REPLICAS_MESSAGE })
  @Min(1, { message: STREAM_REPLICAS_MESSAGE })
  @Max(5, { message: STREAM_REPLICAS_MESSAGE })
  TESSERA_STREAM_REPLICAS?: number;
  /** Reverse proxies whose X-Forwarded-For is believed: addresses and CIDRs, comma-separated. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @Validate(AddressList, { message: 'TESSERA_TRUSTED_PROXIES must be IP addresses or CIDRs (e.g. 10.0.0.0/8,::1), comma-separated' })
  TESSERA_TRUSTED_PROXIES?: string;
}
