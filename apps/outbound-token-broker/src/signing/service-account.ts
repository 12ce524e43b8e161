import { BusError, type CreateProviderRequest, type UpdateProviderFields } from '@tessera/contracts';

/**
 * A Google service-account key file as provider settings: the JWT bearer grant, the account's email as the issuer,
 * its token_uri as the token endpoint and the audience, its private key and key id, RS256, and the scopes in a claim
 * (where Google reads them). Anything the request states itself beside the file wins, except a grant other than
 * jwt_bearer, which cannot use it.
 */
export function withServiceAccount<T extends CreateProviderRequest | UpdateProviderFields>(request: T): T {
  const { serviceAccount: file, ...rest } = request;
  if (!file) return request;
  if (rest.grantType !== undefined && rest.grantType !== 'jwt_bearer')
    throw new BusError('validation_failed', 'The request has invalid fields', { grantType: ['a service-account key file is for the jwt_bearer grant'] });
  return {
    grantType: 'jwt_bearer',
    clientId: file.client_email,
    tokenUrl: file.token_uri,
    assertionKeyId: file.private_key_id,
    assertionAlgorithm: 'RS256',
    assertionScope: 'claim',
    ...rest,
    assertionKey: file.private_key,
  } as T;
}
