import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate, validateSync,
  ValidatorConstraint, type ValidatorConstraintInterface,
} from 'class-validator';
import { isIP } from 'node:net';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_MESSAGE = 'PORT must be an integer between 0 and 65535';
const TIMEOUT_MESSAGE = 'TESSERA_BUS_TIMEOUT_MS must be an integer between 100 and 60000 (milliseconds)';
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** An IPv4/IPv6 address, or one with a prefix length (CIDR). */
export function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function parseAddressList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
}

@ValidatorConstraint({ name: 'addressList' })
class AddressList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseAddressList(value).length > 0 && parseAddressList(value).every(isAddressOrCidr);
  }
}

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

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'TESSERA_ENCRYPTION_KEY must be 32 bytes, base64 or base64url encoded' })
  TESSERA_ENCRYPTION_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(12, { message: 'TESSERA_ADMIN_PASSWORD must be at least 12 characters' })
  TESSERA_ADMIN_PASSWORD?: string;

  /** Reverse proxies whose X-Forwarded-For is believed: addresses and CIDRs, comma-separated. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  @Validate(AddressList, { message: 'TESSERA_TRUSTED_PROXIES must be IP addresses or CIDRs (e.g. 10.0.0.0/8,::1), comma-separated' })
  TESSERA_TRUSTED_PROXIES?: string;
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
  /** Hops whose X-Forwarded-For the gateway believes (TESSERA_TRUSTED_PROXIES); empty: the socket's peer is the client. */
  trustedProxies: string[];
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
  'TESSERA_SUBJECT_PREFIX', 'TESSERA_BUS_TIMEOUT_MS', 'TESSERA_ENCRYPTION_KEY', 'TESSERA_ADMIN_PASSWORD',
  'TESSERA_TRUSTED_PROXIES',
] as const satisfies readonly (keyof TesseraEnvironment)[]);

export function loadConfig(env: Record<string, string | undefined> = process.env): TesseraConfig {
  const raw = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]));
  const parsed = plainToInstance(TesseraEnvironment, raw);
  const problems = validateSync(parsed, { forbidUnknownValues: false }).flatMap((error) => Object.values(error.constraints ?? {}).slice(0, 1));
  if (Boolean(parsed.DATABASE_URL) !== Boolean(parsed.NATS_URL)) {
    problems.push('DATABASE_URL and NATS_URL go together: set both (distributed mode) or neither (embedded mode)');
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
    trustedProxies: parseAddressList(parsed.TESSERA_TRUSTED_PROXIES),
  };
}
