import type { TesseraConfig } from '@tessera/config';
import type { Logger } from '@tessera/observability';
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function decodeKey(text: string): Buffer {
  return Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The master key for encryption at rest: TESSERA_ENCRYPTION_KEY. Without it, a key is generated once and kept in the
 * data directory with a warning (whoever reads that directory can decrypt; set the variable in production). Processes
 * sharing a data directory race safely: the key file is created atomically, and the loser reads the winner's key.
 */
export async function resolveEncryptionKey(config: TesseraConfig, logger: Logger): Promise<Buffer> {
  if (config.encryptionKey) return decodeKey(config.encryptionKey);
  const path = join(config.dataDir, 'encryption.key');
  try {
    return decodeKey(await readFile(path, 'utf8'));
  } catch {
    await mkdir(config.dataDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, randomBytes(32).toString('base64'), { mode: 0o600 });
    await link(temporary, path).catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    logger.warn({ path }, 'TESSERA_ENCRYPTION_KEY is not set: using a generated key stored in the data directory; set TESSERA_ENCRYPTION_KEY in production');
    return decodeKey(await readFile(path, 'utf8'));
  }
}
