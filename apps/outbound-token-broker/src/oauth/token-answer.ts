/** Reading a provider's token answer: where a value is, and the error an unusable answer is. */

export class TokenResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenResponseError';
  }
}

/** Reads `data.token.access_token` from nested objects; a plain key containing dots is tried first. */
export function readPath(source: unknown, path: string): unknown {
  if (source === null || typeof source !== 'object') return undefined;
  const record = source as Record<string, unknown>;
  if (path in record) return record[path];
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
