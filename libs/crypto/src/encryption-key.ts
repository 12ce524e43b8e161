import type { TesseraConfig } from '@tessera/config';
import type { Logger } from '@tessera/observability';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function decodeKey(text: string): Buffer {
  return Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The master key for encryption at rest: TESSERA_ENCRYPTION_KEY. In embedded mode without it, a key is generated
 * once and kept in the data directory (with a warning: whoever reads that directory can decrypt). Distributed mode
 * requires it, because every process must hold the same key.
 */
export async function resolveEncryptionKey(config: TesseraConfig, logger: Logger): Promise<Buffer> {
  if (config.encryptionKey) return decodeKey(config.encryptionKey);
  if (config.mode === 'distributed') throw new Error('TESSERA_ENCRYPTION_KEY is required when DATABASE_URL and NATS_URL are set (32 bytes, base64)');
  const path = join(config.dataDir, 'encryption.key');
  try {
    return decodeKey(await readFile(path, 'utf8'));
  } catch {
    await mkdir(config.dataDir, { recursive: true });
    const key = randomBytes(32);
    await writeFile(path, key.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    logger.warn({ path }, 'TESSERA_ENCRYPTION_KEY is not set: generated an encryption key and stored it in the data directory; set TESSERA_ENCRYPTION_KEY in production');
    return decodeKey(await readFile(path, 'utf8'));
  }
}
