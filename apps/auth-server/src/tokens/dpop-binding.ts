import { Inject, Injectable } from '@nestjs/common';
import { BusError, REPLAY_CACHES } from '@tessera/contracts';
import { deriveKey } from '@tessera/crypto';
import { BusUnavailableError, type Bus } from '@tessera/messaging';
import type { Clock } from '@tessera/observability';
import { BUS, CLOCK, ENCRYPTION_KEY, ISSUER } from '@tessera/runtime';
import { DpopNonces, DpopProofRejected, DpopProofVerifier } from '@tessera/verifier';
import type { AuthenticatedClient } from '../clients/client-directory.js';

/** A proof's `iat` may be this far from now; its `jti` is remembered for longer than that window on both sides. */
const IAT_WINDOW_SECONDS = 60;

/**
 * DPoP at the token endpoint (RFC 9449 §5): a request with a proof gets tokens bound to the proof's key. Every proof
 * must carry a server nonce (§8), so a proof cannot be made ahead of time and used later; the nonce is an HMAC of the
 * time window under a key every replica derives from the master key, so any replica accepts another's.
 */
@Injectable()
export class DpopBinding {
  private readonly proofs: DpopProofVerifier;
  private readonly tokenEndpoint: string;

  constructor(@Inject(BUS) bus: Bus, @Inject(ENCRYPTION_KEY) masterKey: Buffer, @Inject(ISSUER) issuer: string, @Inject(CLOCK) clock: Clock) {
    const now = () => clock.now().getTime();
    this.proofs = new DpopProofVerifier({
      replay: bus.replayCache(REPLAY_CACHES.dpopTokenEndpoint, (2 * IAT_WINDOW_SECONDS + 60) * 1000),
      nonces: new DpopNonces(deriveKey(masterKey, 'dpop-nonce-token-endpoint'), 5 * 60_000, now),
      iatWindowSeconds: IAT_WINDOW_SECONDS,
      now,
    });
    this.tokenEndpoint = `${issuer}/oauth/token`;
  }

  /**
   * Checks the request's proof and binds the client's tokens of this request to its key. An integration that requires
   * DPoP (`dpop_bound_access_tokens`, RFC 9449 §5.2) gets nothing without one. Refusals carry the current nonce for
   * the `DPoP-Nonce` header.
   */
  async bind(client: AuthenticatedClient, proof: string | undefined): Promise<AuthenticatedClient> {
    if (proof === undefined) {
      if (client.dpopBoundAccessTokens) throw this.refusal(new DpopProofRejected('invalid_dpop_proof', 'This integration requires a DPoP proof'));
      return client;
    }
    try {
      const { jkt } = await this.proofs.verify(proof, { method: 'POST', url: this.tokenEndpoint });
      return { ...client, dpopJkt: jkt };
    } catch (error) {
      if (error instanceof DpopProofRejected) throw this.refusal(error);
      if (error instanceof BusUnavailableError) throw BusError.oauth('temporarily_unavailable', 'DPoP proofs cannot be checked for replay now; retry shortly');
      throw error;
    }
  }

  private refusal(error: DpopProofRejected): BusError {
    return BusError.oauth(error.error, error.message, { dpopNonce: this.proofs.nonce() });
  }
}
