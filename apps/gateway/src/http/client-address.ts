import type { FastifyRequest } from 'fastify';

/**
 * The one place the client's address is decided; every limit keyed on an address uses it. Fastify computes
 * `request.ip` under the gateway's `trustProxy` (TESSERA_TRUSTED_PROXIES): X-Forwarded-For is walked right to left
 * past trusted hops only, so a client cannot choose its address by sending the header itself (ADR 0014).
 */
export function clientAddress(request: FastifyRequest): string {
  return request.ip;
}

/**
 * Fastify's `trustProxy` for the configured hops: none trusted → false (the socket's peer is the client, whatever
 * headers say); otherwise the list, which proxy-addr matches as addresses and CIDRs.
 */
export function trustProxySetting(trustedProxies: string[]): false | string[] {
  return trustedProxies.length ? trustedProxies : false;
}
