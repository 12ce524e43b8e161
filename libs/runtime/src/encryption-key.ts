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

/**
 * Which master key a start uses and where it came from, in a line for the start-up banner. Resolving it here (creating
 * the file when there is none) is what every service then reads, so the line is true for all of them. A key file
 * read without TESSERA_ENCRYPTION_KEY is most often one an embedded start left behind: say so, as distributed mode
 * silently encrypting with it surprises whoever moves to another machine without that file.
 */
export async function encryptionKeyOrigin(config: TesseraConfig): Promise<string> {
  const { generatedFile, readFile } = await readOrCreateEncryptionKey({ configured: config.encryptionKey, dataDir: config.dataDir });
  if (readFile)
    return `encryption key: read from ${readFile}, a file left by an earlier start without TESSERA_ENCRYPTION_KEY (embedded mode writes one); set TESSERA_ENCRYPTION_KEY in production`;
  if (generatedFile)
    return `encryption key: generated now into ${generatedFile} (TESSERA_ENCRYPTION_KEY is not set): whoever reads that file can decrypt; set TESSERA_ENCRYPTION_KEY in production`;
  return 'encryption key: TESSERA_ENCRYPTION_KEY (from the environment)';
}
