import { Injectable } from '@nestjs/common';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import type { SigningKeys } from './signing.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** More endpoints than an installation has: past it the opened keys are dropped and opened again as needed. */
const MAX_ENDPOINTS = 10_000;

/**
 * An endpoint's signing keys, opened once while its sealed values stay the same: opening derives a key and decrypts,
 * which per attempt cost more than the signature itself. A rotation or a new key pair changes the sealed values, so
 * the next attempt opens the new ones.
 */
@Injectable()
export class WebhookSigningKeys {
  private readonly opened = new Map<
    string,
    { sealed: string; secret: string; previousSealed: string | null; previous?: string; keySealed: string | null; ed25519?: string }
  >();

  constructor(private readonly secrets: BrokerSecrets) {}

  /** The keys that sign now: the current secret, the previous one during its grace period, and the Ed25519 key. */
  of(endpoint: WebhookEndpoint, now: Date): SigningKeys {
    let keys = this.opened.get(endpoint.id);
    if (
      !keys ||
      keys.sealed !== endpoint.secretSealed ||
      keys.previousSealed !== endpoint.previousSecretSealed ||
      keys.keySealed !== endpoint.signingKeySealed
    ) {
      if (this.opened.size >= MAX_ENDPOINTS) this.opened.clear();
      keys = {
        sealed: endpoint.secretSealed,
        secret: this.secrets.open(endpoint.secretSealed, endpoint.id, 'secret'),
        previousSealed: endpoint.previousSecretSealed,
        previous: endpoint.previousSecretSealed ? this.secrets.open(endpoint.previousSecretSealed, endpoint.id, 'previousSecret') : undefined,
        keySealed: endpoint.signingKeySealed,
        ed25519: endpoint.signingKeySealed ? this.secrets.open(endpoint.signingKeySealed, endpoint.id, 'signingKey') : undefined,
      };
      this.opened.set(endpoint.id, keys);
    }
    const inGrace = keys.previous !== undefined && endpoint.previousSecretUntil && new Date(endpoint.previousSecretUntil) > now;
    return { secrets: inGrace ? [keys.secret, keys.previous!] : [keys.secret], ...(keys.ed25519 ? { ed25519: keys.ed25519 } : {}) };
  }
}
