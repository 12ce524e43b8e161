/**
 * Values a caller may use once: a private_key_jwt assertion's or a DPoP proof's `jti` (RFC 7523 §3, RFC 9449 §11.1).
 * Shared by every replica, so a value replayed to another replica is refused as well. Implemented on the bus
 * (`Bus.replayCache`: a NATS key-value bucket, or memory in-process); a resource server may bring its own.
 */
export interface ReplayCache {
  /** True the first time `key` is presented; false while it is remembered (at least the cache's max age after). */
  claimOnce(key: string): Promise<boolean>;
}
