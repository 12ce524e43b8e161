import { Inject, Injectable } from '@nestjs/common';
import { deriveKey, hmacSha256, randomToken } from '@tessera/crypto';
import { ENCRYPTION_KEY } from '@tessera/runtime';

/**
 * App secrets are 256-bit random values, so a keyed fast hash (HMAC-SHA-256 with a server-side pepper) protects them
 * fully: brute force is hopeless at that entropy, and a slow password hash (argon2) would only cap the token
 * endpoint's throughput. auth-server derives the same pepper to verify, comparing in constant time.
 */
@Injectable()
export class ClientSecrets {
  private readonly pepper: Buffer;

  constructor(@Inject(ENCRYPTION_KEY) masterKey: Buffer) {
    this.pepper = deriveKey(masterKey, 'client-secret-pepper');
  }

  /** The seed's "generate button": long, random, unique. */
  generateApplicationId(): string {
    return randomToken(24);
  }

  generateSecret(): string {
    return randomToken(32);
  }

  hash(secret: string): string {
    return hmacSha256(this.pepper, secret);
  }
}
