import { describe, expect, it } from 'vitest';
import { readResponseValues } from './response-values.js';
import { TokenResponseError } from './token-answer.js';

const salesforce = { variables: { instanceUrl: 'instance_url' }, hosts: { instanceUrl: 'salesforce.com' } };

describe('readResponseValues', () => {
  it('reads each variable at its path, numbers as text, and leaves out the absent ones', () => {
    expect(readResponseValues({ instance_url: 'https://acme.my.salesforce.com/', id: 'x' }, salesforce)).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    expect(readResponseValues({ data: { account: 42 } }, { variables: { account: 'data.account', region: 'region' }, hosts: {} })).toEqual({ account: '42' });
    expect(readResponseValues({ instance_url: null }, salesforce)).toEqual({});
  });

  it('takes a bare host name on the domain as well as an https origin', () => {
    expect(readResponseValues({ host: 'eu1.api.example.com' }, { variables: { host: 'host' }, hosts: { host: 'example.com' } })).toEqual({
      host: 'eu1.api.example.com',
    });
  });

  it.each([
    'https://evil.example',
    'https://acme.my.salesforce.com.evil.example',
    'https://evilsalesforce.com',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com:8443',
    'https://x@acme.my.salesforce.com',
    'https://acme.my.salesforce.com/services',
    'https://acme.my.salesforce.com?x=1',
    'https://acme.my.salesforce.com#x',
    'https://evil.example\\.salesforce.com',
    'evil.example/.salesforce.com',
  ])('refuses a host value off its domain or more than an origin: %s', (value) => {
    expect(() => readResponseValues({ instance_url: value }, salesforce)).toThrow(TokenResponseError);
    expect(() => readResponseValues({ instance_url: value }, salesforce)).toThrow(/instance_url.*instanceUrl.*salesforce\.com/);
  });

  it('refuses a value that could not sit in a URL: whitespace, control characters, objects, very long', () => {
    const plain = { variables: { account: 'account' }, hosts: {} };
    for (const value of ['a b', 'a\nb', { x: 1 }, ['a'], 'a'.repeat(2049)])
      expect(() => readResponseValues({ account: value }, plain)).toThrow(/not a single word that can sit in a URL/);
  });
});
