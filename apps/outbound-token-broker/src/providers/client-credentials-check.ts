import { BusError } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import { randomBytes } from 'node:crypto';
import { postToEndpoint, type ClientCredentials } from '../oauth/token-endpoint.js';
import { TokenEndpointError } from '../oauth/token-endpoint-error.js';

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Asks the other platform's token endpoint whether it knows this client ID and secret, before they are stored: a
 * code nobody issued is presented with them, which a Tessera authorization server (like any RFC 6749 one that
 * authenticates the client first) refuses with `invalid_grant` for a client it knows and `invalid_client` for one it
 * does not. Nothing is issued either way.
 */
export async function checkClientCredentials(tokenUrl: string, client: ClientCredentials, egress: Egress): Promise<void> {
  try {
    await postToEndpoint({
      url: tokenUrl,
      egress,
      timeoutMs: CHECK_TIMEOUT_MS,
      client,
      params: { grant_type: 'authorization_code', code: randomBytes(24).toString('base64url'), redirect_uri: 'urn:tessera:credential-check' },
    });
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    if (error.oauthError === 'invalid_client' || error.status === 401) {
      const said =
        client.method === 'private_key_jwt'
          ? "the instance refused this client ID signed with this platform's key (invalid_client): check the client ID, and that its integration for this platform uses private_key_jwt"
          : 'the instance refused this client ID and secret (invalid_client): copy them again from the integration it created for this platform';
      // One field, not both: which of the two is wrong cannot be told, and the form shows the pair together.
      throw new BusError('validation_failed', 'The instance refused these client credentials', { clientSecret: [said] });
    }
    // Not reached at all (network, timeout): nothing is known yet, so nothing is stored; asking again can help.
    if (error.status === undefined) throw new BusError('unavailable', `Could not check the client credentials at ${tokenUrl}: ${error.message}`);
    // Any other answer (invalid_grant for the made-up code above all) did not refuse the client itself.
  }
}
