import { BusError, type CreateProviderRequest, type UpdateProviderFields } from '@tessera/contracts';
import { importSigningKey, SigningKeyProblem } from './signing-key.js';

/**
 * A Google service-account key file as provider settings: the JWT bearer grant, the account's email as the issuer,
 * its token_uri as the token endpoint and the audience, its private key and key id, RS256, and the scopes in a claim
 * (where Google reads them). Anything the request states itself beside the file wins, except a grant other than
 * jwt_bearer, which cannot use it.
 */
export async function withServiceAccount<T extends CreateProviderRequest | UpdateProviderFields>(request: T): Promise<T> {
  const { serviceAccount: file, ...rest } = request;
  if (!file) return request;
  const refused = (field: string, message: string) => new BusError('validation_failed', 'The request has invalid fields', { [field]: [message] });
  if (rest.grantType !== undefined && rest.grantType !== 'jwt_bearer') throw refused('grantType', 'a service-account key file is for the jwt_bearer grant');
  try {
    // Checked here so the message names the file's field, not assertionKey, which the admin did not send.
    await importSigningKey(file.private_key, 'RS256', file.private_key_id, new Date());
  } catch (error) {
    if (error instanceof SigningKeyProblem) throw refused('serviceAccount.private_key', `private_key ${error.message}`);
    throw error;
  }
  return {
    grantType: 'jwt_bearer',
    clientId: file.client_email,
    // A template names the token endpoint itself (and refuses one given beside it).
    ...(!('template' in rest) || rest.template === undefined ? { tokenUrl: file.token_uri } : {}),
    assertionKeyId: file.private_key_id,
    assertionAlgorithm: 'RS256',
    assertionScope: 'claim',
    ...rest,
    assertionKey: file.private_key,
  } as T;
}
