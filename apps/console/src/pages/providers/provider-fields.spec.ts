import { describe, expect, it } from 'vitest';
import { visibleFields } from './provider-fields';

const names = (...args: Parameters<typeof visibleFields>) => visibleFields(...args).map((field) => field.name);

describe('the provider form shows the signing-key fields only where the provider signs', () => {
  it('hides them for a secret client, shows the key, algorithm, id and audience with private_key_jwt', () => {
    expect(names('client_credentials', 'client_secret_basic')).not.toContain('assertionKey');
    const signing = names('client_credentials', 'private_key_jwt');
    expect(signing).toEqual(expect.arrayContaining(['assertionKey', 'assertionAlgorithm', 'assertionKeyId', 'assertionAudience']));
    expect(signing).not.toContain('assertionSubject');
  });

  it('shows them all, subject and scope place too, for the jwt_bearer grant', () => {
    expect(names('jwt_bearer', 'client_secret_basic')).toEqual(
      expect.arrayContaining(['assertionKey', 'assertionAlgorithm', 'assertionKeyId', 'assertionAudience', 'assertionSubject', 'assertionScope']),
    );
    expect(names('jwt_bearer', 'client_secret_basic')).not.toContain('authorizationUrl');
  });
});
