import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** How this process authenticates to NATS and whether the link is encrypted. Paths, read when the bus connects. */
export interface BusSecurityConfig {
  /** NATS_CREDS: this process's own credential (an nkey seed file from `npm run nats:config`, or a JWT .creds file). */
  credentialsFile?: string;
  /** TESSERA_NATS_CREDENTIALS: the launcher's directory of every service's credential (`npm run nats:config`). */
  credentialsDir?: string;
  /** NATS_TLS_CA (+ NATS_TLS_CERT / NATS_TLS_KEY for a client certificate): the client then requires TLS. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
  /** TESSERA_REQUIRE_SECURE_BUS: an open bus is a start-up error instead of a warning. */
  requireSecure: boolean;
}

export const BUS_SECURITY_VARIABLES = [
  'NATS_CREDS',
  'NATS_TLS_CA',
  'NATS_TLS_CERT',
  'NATS_TLS_KEY',
  'TESSERA_NATS_CREDENTIALS',
  'TESSERA_REQUIRE_SECURE_BUS',
] as const;

const NKEY_USER_SEED = /^\s*SU[A-Z2-7]{56}\s*$/;
const JWT_CREDS = /-----BEGIN NATS USER JWT-----[\s\S]+-----BEGIN USER NKEY SEED-----/;

/** The NATS account (and the credential folder) of one platform: one per subject prefix. */
export function busAccountName(subjectPrefix: string): string {
  return subjectPrefix ? `platform-${subjectPrefix}` : 'platform';
}

/** Where `npm run nats:config` keeps one service's credential for the platform with this prefix. */
export function busCredentialFile(dir: string, subjectPrefix: string, service: string): string {
  return join(dir, busAccountName(subjectPrefix), `${service}.nk`);
}

/** The credential file a service (by name) connects with: its own NATS_CREDS, else its file in the launcher's directory. */
export function busCredentialFor(security: BusSecurityConfig, subjectPrefix: string, service: string): string | undefined {
  if (security.credentialsFile) return security.credentialsFile;
  return security.credentialsDir ? busCredentialFile(security.credentialsDir, subjectPrefix, service) : undefined;
}

/** Problem with a credential file, or undefined when it holds an nkey seed or JWT credentials. Never quotes the file. */
export function credentialProblem(variable: string, path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  return NKEY_USER_SEED.test(text) || JWT_CREDS.test(text) ? undefined : `${variable}: ${path} holds neither an nkey user seed nor NATS user credentials`;
}

function readableFile(variable: string, path: string | undefined, problems: string[]): void {
  if (!path) return;
  try {
    readFileSync(path);
  } catch (error) {
    problems.push(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/** Reads and checks the bus-security variables; adds one message per problem to `problems`. */
export function readBusSecurity(env: Record<string, string | undefined>, distributed: boolean, subjectPrefix: string, problems: string[]): BusSecurityConfig {
  const value = (name: (typeof BUS_SECURITY_VARIABLES)[number]) => (env[name] ? env[name] : undefined);
  const requireSecure = value('TESSERA_REQUIRE_SECURE_BUS');
  if (requireSecure !== undefined && requireSecure !== 'true' && requireSecure !== 'false') problems.push('TESSERA_REQUIRE_SECURE_BUS must be true or false');
  const security: BusSecurityConfig = {
    requireSecure: requireSecure === 'true',
    credentialsFile: value('NATS_CREDS'),
    credentialsDir: value('TESSERA_NATS_CREDENTIALS'),
  };
  if (security.credentialsFile) {
    const problem = credentialProblem('NATS_CREDS', security.credentialsFile);
    if (problem) problems.push(problem);
  }
  if (security.credentialsDir) {
    const accountDir = join(security.credentialsDir, busAccountName(subjectPrefix));
    if (!statSync(accountDir, { throwIfNoEntry: false })?.isDirectory()) {
      // Most often the directory was made with --prefix and TESSERA_SUBJECT_PREFIX is not set (or another one is):
      // name the prefixes it does hold, so the fix is the variable, not a second platform's credentials.
      const held = heldPrefixes(security.credentialsDir);
      const instead = held.length
        ? `; it holds credentials for ${held.map((p) => (p ? `TESSERA_SUBJECT_PREFIX=${p}` : 'no TESSERA_SUBJECT_PREFIX')).join(', ')}: set ${held.length === 1 && held[0] ? `TESSERA_SUBJECT_PREFIX=${held[0]}` : 'TESSERA_SUBJECT_PREFIX to one of them'}, or add this platform with`
        : '; run';
      problems.push(
        `TESSERA_NATS_CREDENTIALS: ${accountDir} does not exist (TESSERA_SUBJECT_PREFIX is ${subjectPrefix ? subjectPrefix : 'not set'})${instead} \`npm run nats:config -- ${security.credentialsDir}${subjectPrefix ? ` --prefix ${subjectPrefix}` : ''}\``,
      );
    }
  }
  const [ca, cert, key] = [value('NATS_TLS_CA'), value('NATS_TLS_CERT'), value('NATS_TLS_KEY')];
  readableFile('NATS_TLS_CA', ca, problems);
  readableFile('NATS_TLS_CERT', cert, problems);
  readableFile('NATS_TLS_KEY', key, problems);
  if (Boolean(cert) !== Boolean(key)) problems.push('NATS_TLS_CERT and NATS_TLS_KEY go together (a client certificate and its key)');
  if ((cert || key) && !ca) problems.push('NATS_TLS_CERT/NATS_TLS_KEY need NATS_TLS_CA (the CA that signed the NATS server certificate)');
  if (ca) security.tls = { caFile: ca, ...(cert && key ? { certFile: cert, keyFile: key } : {}) };
  if (distributed && security.requireSecure && !security.credentialsFile && !security.credentialsDir) {
    problems.push(
      'TESSERA_REQUIRE_SECURE_BUS=true but no bus credential is set: set NATS_CREDS (one service) or TESSERA_NATS_CREDENTIALS (`npm start`); see `npm run nats:config`',
    );
  }
  return security;
}

/** The subject prefixes a `npm run nats:config` directory holds credentials for ('' = none), from each folder's record. */
function heldPrefixes(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    try {
      const prefix = readFileSync(join(dir, entry, 'subject-prefix'), 'utf8').trim();
      return busAccountName(prefix) === entry ? [prefix] : [];
    } catch {
      return [];
    }
  });
}

/** True when this process would connect to NATS with no credential: anyone who reaches the server can act as it. */
export function isOpenBus(security: BusSecurityConfig): boolean {
  return !security.credentialsFile && !security.credentialsDir;
}
