import { BusError, JWT_BEARER_ASSERTION_TYPE, type ClientAuthentication } from '@tessera/contracts';
import type { FastifyRequest } from 'fastify';

const MAX_PARAMETER_LENGTH = 4096;

/**
 * The form parameters of an OAuth request (RFC 6749 §3.2: application/x-www-form-urlencoded). A parameter sent twice,
 * or one that is not a string, is invalid_request (§3.1).
 */
export function formParameters(request: FastifyRequest): Record<string, string> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw BusError.oauth('invalid_request', 'The request body must be application/x-www-form-urlencoded');
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') throw BusError.oauth('invalid_request', `Parameter ${JSON.stringify(key.slice(0, 64))} must appear once`);
    if (value.length > MAX_PARAMETER_LENGTH || key.length > 128)
      throw BusError.oauth('invalid_request', `Parameter ${JSON.stringify(key.slice(0, 64))} is too long`);
    if (value !== '') params[key] = value;
  }
  return params;
}

/**
 * RFC 6749 §2.3.1: HTTP Basic (values form-urlencoded), client_id/client_secret in the body, or (RFC 7523 §2.2) a
 * signed client assertion — one method, not several.
 */
export function clientAuthentication(request: FastifyRequest, params: Record<string, string>): ClientAuthentication {
  const header = request.headers.authorization;
  const { client_id: bodyId, client_secret: bodySecret, client_assertion: assertion, client_assertion_type: assertionType } = params;
  delete params.client_secret;
  delete params.client_assertion;
  delete params.client_assertion_type;
  if (assertion !== undefined || assertionType !== undefined) {
    if (header !== undefined || bodySecret !== undefined) throw BusError.oauth('invalid_request', 'Use one client authentication method, not several');
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw BusError.oauth('invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    if (assertion === undefined) throw BusError.oauth('invalid_request', 'client_assertion is required with client_assertion_type');
    return { method: 'private_key_jwt', clientId: bodyId, clientAssertion: assertion };
  }
  if (header !== undefined) {
    const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) throw BusError.oauth('invalid_client', 'The Authorization header must be HTTP Basic with client_id:client_secret');
    if (bodySecret !== undefined) throw BusError.oauth('invalid_request', 'Use one client authentication method, not both');
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw BusError.oauth('invalid_client', 'The Basic credentials are not form-urlencoded');
    }
    if (bodyId !== undefined && bodyId !== clientId) throw BusError.oauth('invalid_request', 'client_id differs from the authenticated client');
    return { method: 'client_secret_basic', clientId, clientSecret };
  }
  if (bodySecret !== undefined) return { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  return { method: 'none', clientId: bodyId };
}

/** RFC 9449 §4.3: at most one DPoP header (Node joins repeated ones with ", ", which no JWS contains). */
export function dpopProof(request: FastifyRequest): string | undefined {
  const header = request.headers.dpop;
  if (header === undefined) return undefined;
  if (Array.isArray(header) || header.includes(',')) throw BusError.oauth('invalid_dpop_proof', 'Send exactly one DPoP header');
  return header;
}
