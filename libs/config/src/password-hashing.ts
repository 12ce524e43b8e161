/**
 * How administrators' passwords are hashed. `standard` everywhere but test runs: argon2id's memory-hard defaults, a few
 * hundred milliseconds of a core per sign-in. `test-weak` makes each hash about a millisecond so that a test suite of
 * hundreds of sign-ins is not a suite of argon2 runs; it protects nothing, so production (NODE_ENV=production) refuses
 * it and the auth server warns at every start that it is on.
 */
export type PasswordHashing = 'standard' | 'test-weak';

export const PASSWORD_HASHING_VARIABLES = ['TESSERA_TEST_WEAK_PASSWORD_HASHES'] as const;

export function readPasswordHashing(env: Record<string, string | undefined>, problems: string[]): PasswordHashing {
  const value = env.TESSERA_TEST_WEAK_PASSWORD_HASHES?.trim() || 'false';
  if (value !== 'true' && value !== 'false') {
    problems.push('TESSERA_TEST_WEAK_PASSWORD_HASHES must be true or false');
    return 'standard';
  }
  if (value === 'true' && env.NODE_ENV === 'production') {
    problems.push('TESSERA_TEST_WEAK_PASSWORD_HASHES=true is for test runs only: it is refused with NODE_ENV=production');
    return 'standard';
  }
  return value === 'true' ? 'test-weak' : 'standard';
}
