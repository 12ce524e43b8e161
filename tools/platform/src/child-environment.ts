import { busCredentialFile, type TesseraConfig } from '@tessera/config';

/**
 * A child's environment: with TESSERA_NATS_CREDENTIALS, its own credential file as NATS_CREDS and not the directory,
 * so a service is never handed the others' credentials. The gateway opens no database, so it gets no DATABASE_URL.
 */
export function childEnvironment(config: TesseraConfig, service: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, ...withoutDatabase } = env;
  const own = service === 'gateway' ? withoutDatabase : env;
  const { credentialsDir } = config.busSecurity;
  if (!credentialsDir || config.busSecurity.credentialsFile) return own;
  const { TESSERA_NATS_CREDENTIALS: _dir, ...rest } = own;
  return { ...rest, NATS_CREDS: busCredentialFile(credentialsDir, config.subjectPrefix, service) };
}
