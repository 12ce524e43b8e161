import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { BUS_SECURITY_VARIABLES, readBusSecurity, type BusSecurityConfig } from './bus-security.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The processes `npm start` runs in distributed mode; TESSERA_REPLICAS says how many of each. */
export const SERVICE_NAMES = ['auth-server', 'integrations-registry', 'outbound-token-broker', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
const MAX_REPLICAS = 16;
const REPLICAS_MESSAGE = `TESSERA_REPLICAS must be a count for every service (2) or service=count pairs (gateway=2,auth-server=3) of ${SERVICE_NAMES.join(', ')}; 1-${MAX_REPLICAS} each`;
const REPLICAS_PATTERN = new RegExp(`^(\\d+|(${SERVICE_NAMES.join('|')})=\\d+(,(${SERVICE_NAMES.join('|')})=\\d+)*)$`);

const PORT_MESSAGE = 'PORT must be an integer between 0 and 65535';
const TIMEOUT_MESSAGE = 'TESSERA_BUS_TIMEOUT_MS must be an integer between 100 and 60000 (milliseconds)';
const BROKER_TIMEOUT_MESSAGE = 'TESSERA_BROKER_PROVIDER_TIMEOUT_MS must be an integer between 100 and 300000 (milliseconds)';
const REFRESH_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_REFRESH_CONCURRENCY must be an integer between 1 and 1000';
const PROVIDER_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_PROVIDER_CONCURRENCY must be an integer between 1 and 1000';
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The environment Tessera reads, exactly once, at start. Nothing else reads process.env. */
export class TesseraEnvironment {
  @Transform(toInt) @IsOptional() @IsInt({ message: PORT_MESSAGE }) @Min(0, { message: PORT_MESSAGE }) @Max(65535, { message: PORT_MESSAGE })
  PORT?: number;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/\S+(,(nats|tls|wss?):\/\/\S+)*$/, { message: 'NATS_URL must be one or more nats:// URLs separated by commas' })
  NATS_URL?: string;

  @Transform(blankToUndefined) @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'TESSERA_ISSUER must be an http(s) URL' })
  TESSERA_ISSUER?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(1)
  TESSERA_DATA_DIR?: string;

  @Transform(blankToUndefined) @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  /** Prefix for every NATS subject and the JetStream stream, so several platforms or test runs share one NATS. */
  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'TESSERA_SUBJECT_PREFIX must be 1-32 characters of A-Z a-z 0-9 _ -' })
  TESSERA_SUBJECT_PREFIX?: string;

  /** How long the gateway waits for a service over the bus before answering 503. */
  @Transform(toInt) @IsOptional() @IsInt({ message: TIMEOUT_MESSAGE }) @Min(100, { message: TIMEOUT_MESSAGE }) @Max(60000, { message: TIMEOUT_MESSAGE })
  TESSERA_BUS_TIMEOUT_MS?: number;

  /** The longest the broker waits for a provider's token endpoint; a provider's own timeoutSeconds may only shorten it. */
  @Transform(toInt) @IsOptional() @IsInt({ message: BROKER_TIMEOUT_MESSAGE }) @Min(100, { message: BROKER_TIMEOUT_MESSAGE }) @Max(300000, { message: BROKER_TIMEOUT_MESSAGE })
  TESSERA_BROKER_PROVIDER_TIMEOUT_MS?: number;

  /** Scheduled refreshes in flight at once in one broker replica. */
  @Transform(toInt) @IsOptional() @IsInt({ message: REFRESH_CONCURRENCY_MESSAGE }) @Min(1, { message: REFRESH_CONCURRENCY_MESSAGE }) @Max(1000, { message: REFRESH_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_REFRESH_CONCURRENCY?: number;

  /** Scheduled refreshes in flight at once against one provider, across every broker replica. */
  @Transform(toInt) @IsOptional() @IsInt({ message: PROVIDER_CONCURRENCY_MESSAGE }) @Min(1, { message: PROVIDER_CONCURRENCY_MESSAGE }) @Max(1000, { message: PROVIDER_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_PROVIDER_CONCURRENCY?: number;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'TESSERA_ENCRYPTION_KEY must be 32 bytes, base64 or base64url encoded' })
  TESSERA_ENCRYPTION_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(12, { message: 'TESSERA_ADMIN_PASSWORD must be at least 12 characters' })
  TESSERA_ADMIN_PASSWORD?: string;

  /** How many processes of each service `npm start` runs in distributed mode. */
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : String(value).replace(/\s+/g, '')))
  @IsOptional() @Matches(REPLICAS_PATTERN, { message: REPLICAS_MESSAGE })
  TESSERA_REPLICAS?: string;
}

export type RuntimeMode = 'embedded' | 'distributed';

export interface TesseraConfig {
  mode: RuntimeMode;
  port: number;
  databaseUrl?: string;
  natsUrl?: string;
  issuer: string;
  dataDir: string;
  logLevel: LogLevel;
  subjectPrefix: string;
  busTimeoutMs: number;
  encryptionKey?: string;
  adminPassword?: string;
  /** NATS credentials and TLS (libs/config/src/bus-security.ts). */
  busSecurity: BusSecurityConfig;
  /** Processes per service in distributed mode (1 each unless TESSERA_REPLICAS says otherwise). */
  replicas: Record<ServiceName, number>;
  broker: BrokerSettings;
}

/** How the outbound token broker treats slow providers (docs/decisions/0017). */
export interface BrokerSettings {
  providerTimeoutMs: number;
  refreshConcurrency: number;
  providerConcurrency: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Names of every variable Tessera reads; the compose-file test checks docker-compose.yml against it. */
export const CONFIG_VARIABLES = Object.freeze([
  'PORT', 'DATABASE_URL', 'NATS_URL', 'TESSERA_ISSUER', 'TESSERA_DATA_DIR', 'LOG_LEVEL',
  'TESSERA_SUBJECT_PREFIX', 'TESSERA_BUS_TIMEOUT_MS', 'TESSERA_ENCRYPTION_KEY', 'TESSERA_ADMIN_PASSWORD', 'TESSERA_REPLICAS',
  'TESSERA_BROKER_PROVIDER_TIMEOUT_MS', 'TESSERA_BROKER_REFRESH_CONCURRENCY', 'TESSERA_BROKER_PROVIDER_CONCURRENCY',
  ...BUS_SECURITY_VARIABLES,
] as const satisfies readonly (keyof TesseraEnvironment | (typeof BUS_SECURITY_VARIABLES)[number])[]);

export function loadConfig(env: Record<string, string | undefined> = process.env): TesseraConfig {
  const raw = Object.fromEntries(CONFIG_VARIABLES.filter((name) => !(BUS_SECURITY_VARIABLES as readonly string[]).includes(name)).map((name) => [name, env[name]]));
  const parsed = plainToInstance(TesseraEnvironment, raw);
  const problems = validateSync(parsed, { forbidUnknownValues: false }).flatMap((error) => Object.values(error.constraints ?? {}).slice(0, 1));
  if (Boolean(parsed.DATABASE_URL) !== Boolean(parsed.NATS_URL)) {
    problems.push('DATABASE_URL and NATS_URL go together: set both (distributed mode) or neither (embedded mode)');
  }
  const busSecurity = readBusSecurity(env, Boolean(parsed.DATABASE_URL), parsed.TESSERA_SUBJECT_PREFIX ?? '', problems);
  const replicas = parseReplicas(parsed.TESSERA_REPLICAS, problems);
  if (!parsed.DATABASE_URL && Object.values(replicas).some((n) => n > 1)) {
    problems.push('TESSERA_REPLICAS needs distributed mode (DATABASE_URL and NATS_URL): embedded mode is one process');
  }
  if (problems.length) throw new ConfigError(problems);
  const port = parsed.PORT ?? 3000;
  return {
    mode: parsed.DATABASE_URL ? 'distributed' : 'embedded',
    port,
    databaseUrl: parsed.DATABASE_URL,
    natsUrl: parsed.NATS_URL,
    issuer: (parsed.TESSERA_ISSUER ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: parsed.TESSERA_DATA_DIR ?? './.tessera',
    logLevel: parsed.LOG_LEVEL ?? 'info',
    subjectPrefix: parsed.TESSERA_SUBJECT_PREFIX ?? '',
    busTimeoutMs: parsed.TESSERA_BUS_TIMEOUT_MS ?? 5000,
    encryptionKey: parsed.TESSERA_ENCRYPTION_KEY,
    adminPassword: parsed.TESSERA_ADMIN_PASSWORD,
    busSecurity,
    replicas,
    broker: {
      providerTimeoutMs: parsed.TESSERA_BROKER_PROVIDER_TIMEOUT_MS ?? 10_000,
      refreshConcurrency: parsed.TESSERA_BROKER_REFRESH_CONCURRENCY ?? 32,
      providerConcurrency: parsed.TESSERA_BROKER_PROVIDER_CONCURRENCY ?? 8,
    },
  };
}

function parseReplicas(value: string | undefined, problems: string[]): Record<ServiceName, number> {
  const replicas = Object.fromEntries(SERVICE_NAMES.map((name) => [name, 1])) as Record<ServiceName, number>;
  if (!value || !REPLICAS_PATTERN.test(value)) return replicas;
  const pairs = /^\d+$/.test(value) ? SERVICE_NAMES.map((name) => [name, value]) : value.split(',').map((pair) => pair.split('='));
  for (const [name, count] of pairs) replicas[name as ServiceName] = Number(count);
  if (Object.values(replicas).some((n) => !Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)) problems.push(REPLICAS_MESSAGE);
  return replicas;
}
