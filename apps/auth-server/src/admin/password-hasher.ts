import { Inject, Injectable } from '@nestjs/common';
import type { PasswordHashing } from '@tessera/config';
import { RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { argon2id, hash, verify, type HashOptions } from 'argon2';

/** argon2id's own defaults (64 MiB, three passes, four lanes): a person's password is low-entropy, so it gets a slow, memory-hard hash. */
const STANDARD: HashOptions = { type: argon2id };
/** argon2id's minimum cost, for test runs only (TESSERA_TEST_WEAK_PASSWORD_HASHES): about a millisecond, and as weak. */
const TEST_WEAK: HashOptions = { type: argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 };

/**
 * Verifying against a real hash when the user is unknown keeps the answer's timing from telling which usernames exist.
 * A fixed hash (of random bytes nobody kept) with the same parameters as the real ones costs what a real one does
 * without hashing at start or on the first unknown name, when sign-ins are least welcome to wait.
 */
const DECOYS: Record<PasswordHashing, string> = {
  standard: '$argon2id$v=19$m=65536,p=4,t=3$rLP0CSQ4S+/+24Az0QsbEg$iReVjrnSvnpxSDUHsIM03d/1EKzos5akQntZ1rNQuDs',
  'test-weak': '$argon2id$v=19$m=1024,p=1,t=1$Y485kYfQt7HxNiljRUjPVQ$M4LOpH5ZTozy1uEmJL8ieTcVMToLB723EgVYm7N6qcc',
};

/** Hashes and checks administrators' passwords with the parameters the configuration chose (TesseraConfig.passwordHashing). */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions;
  private readonly decoyHash: string;

  constructor(@Inject(RUNTIME) runtime: Pick<ServiceRuntime, 'config' | 'logger'>) {
    const mode = runtime.config.passwordHashing;
    this.options = mode === 'test-weak' ? TEST_WEAK : STANDARD;
    this.decoyHash = DECOYS[mode];
    // Loud on purpose: a deployment that inherited a test environment must notice.
    if (mode === 'test-weak') runtime.logger.warn('TESSERA_TEST_WEAK_PASSWORD_HASHES is on: admin passwords are hashed at minimum cost (test runs only)');
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  /** Whether `password` matches `passwordHash` (its own parameters, whatever they are, are read from the hash). */
  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password);
  }

  /** The cost of a verification, for an unknown username; always false. */
  async decoy(password: string): Promise<false> {
    await verify(this.decoyHash, password);
    return false;
  }
}
