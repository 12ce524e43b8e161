import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tessera/crypto';
import { ENCRYPTION_KEY } from '@tessera/runtime';

/** A push stream's Authorization header is the receiver's secret: sealed at rest (AES-256-GCM), bound to its stream. */
@Injectable()
export class SsfSecrets {
  private readonly box: SecretBox;

  constructor(@Inject(ENCRYPTION_KEY) masterKey: Buffer) {
    this.box = new SecretBox(masterKey, 'ssf-push-authorization');
  }

  seal(header: string, streamId: string): string {
    return this.box.seal(header, streamId);
  }

  open(sealed: string, streamId: string): string {
    return this.box.open(sealed, streamId);
  }
}
