import { Module } from '@nestjs/common';
import { SecretBox } from '@tessera/crypto';
import { ENCRYPTION_KEY } from '@tessera/runtime';

/**
 * Encryption at rest for everything secret the broker holds: provider client secrets, token passwords, access and
 * refresh tokens, PKCE verifiers. Each value is bound to its row and field, so a ciphertext copied elsewhere is useless.
 */
export class BrokerSecrets {
  private readonly box: SecretBox;

  constructor(masterKey: Buffer) {
    this.box = new SecretBox(masterKey, 'outbound-token-broker');
  }

  seal(value: string, rowId: string, field: string): string {
    return this.box.seal(value, `${rowId}:${field}`);
  }

  open(sealed: string, rowId: string, field: string): string {
    return this.box.open(sealed, `${rowId}:${field}`);
  }

  sealOptional(value: string | undefined | null, rowId: string, field: string): string | null {
    return value ? this.seal(value, rowId, field) : null;
  }

  openOptional(sealed: string | null, rowId: string, field: string): string | undefined {
    return sealed ? this.open(sealed, rowId, field) : undefined;
  }
}

/** Imported by each module that seals or opens: the key is the process's, resolved once at start (ENCRYPTION_KEY). */
@Module({
  providers: [{ provide: BrokerSecrets, inject: [ENCRYPTION_KEY], useFactory: (masterKey: Buffer) => new BrokerSecrets(masterKey) }],
  exports: [BrokerSecrets],
})
export class BrokerSecretsModule {}
