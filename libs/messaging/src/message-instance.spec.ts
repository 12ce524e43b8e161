import { ListIntegrationsRequest, ListFamiliesRequest, TokenRequest, ClientAuthentication, JsonWebKeySet, PublicJsonWebKey } from '@tessera/contracts';
import { plainToInstance } from 'class-transformer';
import { IsString, getMetadataStorage, validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { messageInstance } from './message-instance.js';
import { memoizeValidationMetadata } from './validation-metadata.js';

describe('messageInstance', () => {
  it('builds a message and its nested messages as instances of their classes, as plainToInstance does', () => {
    const plain = {
      client: { method: 'client_secret_basic', clientId: 'a', clientSecret: 's' },
      address: '127.0.0.1',
      params: { grant_type: 'client_credentials' },
    };
    const built = messageInstance(TokenRequest, plain) as TokenRequest;
    expect(built).toBeInstanceOf(TokenRequest);
    expect(built.client).toBeInstanceOf(ClientAuthentication);
    expect(built).toEqual(plainToInstance(TokenRequest, plain));
    const keys = messageInstance(JsonWebKeySet, { keys: [{ kty: 'EC', kid: 'k' }, 'not an object'] }) as JsonWebKeySet;
    expect(keys.keys[0]).toBeInstanceOf(PublicJsonWebKey);
    expect(keys.keys[1]).toBe('not an object');
  });

  it('leaves a field class-transformer converts (a @Type(() => Number), a @Transform) to class-transformer', () => {
    expect(messageInstance(ListFamiliesRequest, { limit: '5' })).toEqual(plainToInstance(ListFamiliesRequest, { limit: '5' }));
    expect((messageInstance(ListFamiliesRequest, { limit: '5' }) as ListFamiliesRequest).limit).toBe(5);
    const plain = { name: 'acme', enabled: 'false' };
    expect(messageInstance(ListIntegrationsRequest, plain)).toEqual(plainToInstance(ListIntegrationsRequest, plain));
    expect((messageInstance(ListIntegrationsRequest, plain) as ListIntegrationsRequest).enabled).toBe(false);
  });

  it('keeps a __proto__ field a field, as the general path does', () => {
    const plain = JSON.parse('{"address":"x","__proto__":{"polluted":true}}') as object;
    const built = messageInstance(TokenRequest, plain);
    expect(built).toBeInstanceOf(TokenRequest);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('memoizeValidationMetadata', () => {
  it('answers from the rules as they are, including those a decorator adds later', async () => {
    memoizeValidationMetadata();
    memoizeValidationMetadata(getMetadataStorage());
    class Later {
      name?: unknown;
    }
    const check = () => validate(Object.assign(new Later(), { name: 1 }), { forbidUnknownValues: false });
    expect(await check()).toHaveLength(0);
    IsString()(Later.prototype, 'name');
    expect(await check()).toHaveLength(1);
  });
});
