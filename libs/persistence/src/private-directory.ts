import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths under `root` that other users can read, write or enter (mode bits 0o077). */
export async function openToOthers(root: string, recursive = true): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    const info = await stat(path);
    if (info.mode & 0o077) found.push(path);
    if (recursive && info.isDirectory()) for (const entry of await readdir(path)) await walk(join(path, entry));
  };
  await walk(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return found;
}

/** Directories 0700 and files 0600, all the way down: only this user may read or change any of it. */
export async function restrictToOwner(root: string): Promise<void> {
  const walk = async (path: string) => {
    const info = await stat(path);
    if (info.isDirectory()) {
      await chmod(path, 0o700);
      for (const entry of await readdir(path)) await walk(join(path, entry));
    } else if (info.mode & 0o077) {
      await chmod(path, 0o600);
    }
  };
  await walk(root);
}

/** Creates `path` (and parents) as 0700 if missing; an existing one is left to restrictToOwner. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}
