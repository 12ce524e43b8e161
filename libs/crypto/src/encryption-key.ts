import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function decodeKey(text: string): Buffer {
  return Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Where the master key comes from: the configured one (TESSERA_ENCRYPTION_KEY), else a file in the data directory. */
export interface EncryptionKeySource {
  configured?: string;
  dataDir: string;
}

/** The key, and the file it was generated into when this call created it (the caller says so: whoever reads it can decrypt). */
export interface EncryptionKey {
  key: Buffer;
  generatedFile?: string;
  /** The file an existing key was read from (one left by an earlier start, often embedded mode's). */
  readFile?: string;
}

/**
 * The master key for encryption at rest. Without a configured one, a key is generated once and kept in the data
 * directory. Processes sharing a data directory race safely: the key file is created atomically, and the loser reads
 * the winner's key.
 */
export async function readOrCreateEncryptionKey(source: EncryptionKeySource): Promise<EncryptionKey> {
  if (source.configured) return { key: decodeKey(source.configured) };
  const path = join(source.dataDir, 'encryption.key');
  try {
    return { key: decodeKey(await readFile(path, 'utf8')), readFile: path };
  } catch {
    await mkdir(source.dataDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, randomBytes(32).toString('base64'), { mode: 0o600 });
    await link(temporary, path).catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    return { key: decodeKey(await readFile(path, 'utf8')), generatedFile: path };
  }
}
