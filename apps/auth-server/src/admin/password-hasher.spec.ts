import { loadConfig } from '@tessera/config';
import { describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from './password-hasher.js';

function hasher(env: Record<string, string>) {
  const warn = vi.fn();
  const runtime = { config: loadConfig(env), logger: { warn } } as unknown as ConstructorParameters<typeof PasswordHasher>[0];
  return { passwords: new PasswordHasher(runtime), warn };
}

describe('PasswordHasher', () => {
  it('hashes with argon2id at its standard cost unless the test variable is set, and says nothing about it', async () => {
    const { passwords, warn } = hasher({});
    const hash = await passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(await passwords.verify(hash, 'correct horse battery')).toBe(true);
    expect(await passwords.verify(hash, 'wrong horse battery')).toBe(false);
    expect(await passwords.decoy('correct horse battery')).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it('with TESSERA_TEST_WEAK_PASSWORD_HASHES=true hashes at minimum cost and warns that it does', async () => {
    const { passwords, warn } = hasher({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'true' });
    const hash = await passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await passwords.verify(hash, 'correct horse battery')).toBe(true);
    expect(await passwords.decoy('correct horse battery')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/TESSERA_TEST_WEAK_PASSWORD_HASHES is on/));
  });

  it('still verifies a standard hash made before the variable was set (the parameters are read from the hash)', async () => {
    const standard = await hasher({}).passwords.hash('made in production');
    expect(await hasher({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'true' }).passwords.verify(standard, 'made in production')).toBe(true);
  });
});
