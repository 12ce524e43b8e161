import type { TesseraConfig } from '@tessera/config';
import { readOrCreateEncryptionKey } from '@tessera/crypto';
import type { Logger } from '@tessera/observability';

/**
 * The master key for encryption at rest, resolved once per process: TESSERA_ENCRYPTION_KEY, else a key generated once
 * into the data directory, with a warning (whoever reads that directory can decrypt; set the variable in production).
 * Services receive it as ENCRYPTION_KEY rather than resolving it again.
 */
export async function resolveEncryptionKey(config: TesseraConfig, logger: Logger): Promise<Buffer> {
  const { key, generatedFile } = await readOrCreateEncryptionKey({ configured: config.encryptionKey, dataDir: config.dataDir });
  if (generatedFile) {
    logger.warn(
      { path: generatedFile },
      'TESSERA_ENCRYPTION_KEY is not set: using a generated key stored in the data directory; set TESSERA_ENCRYPTION_KEY in production',
    );
  }
  return key;
}
