import { UpdateProviderFields } from '@tessera/contracts';
import { getMetadataStorage } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { movedSecrets, originOf, originVariables, SECRET_DESTINATIONS, URLS_WITHOUT_SECRETS } from './secret-destinations.js';

describe('SECRET_DESTINATIONS', () => {
  it('covers every URL field a provider can be given: each either carries a secret or is declared not to', () => {
    const fields = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(UpdateProviderFields, '', true, false)
        .map((m) => m.propertyName),
    );
    const urlFields = [...fields].filter((name) => /url$/i.test(name));
    expect(urlFields.length).toBeGreaterThan(3);
    const declared = new Set<string>([...Object.values(SECRET_DESTINATIONS).flat(), ...URLS_WITHOUT_SECRETS]);
    for (const field of urlFields) expect(declared.has(field), `${field} must be in SECRET_DESTINATIONS or URLS_WITHOUT_SECRETS`).toBe(true);
  });

  it('reads origins of URLs and templates alike', () => {
    expect(originOf('https://API.example.com:443/token')).toBe('https://api.example.com');
    expect(originOf('https://{{tenant}}.example.com/token')).toBe('https://{{tenant}}.example.com');
    expect(originOf(null)).toBeNull();
  });

  it('finds the secrets a change sends somewhere new, and only those', () => {
    const before = { tokenUrl: 'https://idp.test/token', refreshUrl: 'https://idp.test/token', revocationUrl: null, baseUrl: 'https://api.test/v1' };
    expect(movedSecrets(before, { ...before, tokenUrl: 'https://idp.test/v2/token' })).toEqual([]);
    expect(movedSecrets(before, { ...before, tokenUrl: 'https://evil.test/token' })).toEqual(['clientSecret', 'password']);
    expect(movedSecrets(before, { ...before, refreshUrl: 'http://idp.test/token' })).toEqual(['clientSecret', 'refreshToken']);
    // The issuer's own origin is new to the access token (it only went to the API so far): strict, by design.
    expect(movedSecrets(before, { ...before, revocationUrl: 'https://idp.test/revoke' })).toEqual(['accessToken']);
    expect(movedSecrets(before, { ...before, revocationUrl: 'https://other.test/revoke' })).toEqual(['clientSecret', 'accessToken', 'refreshToken']);
    expect(movedSecrets(before, { ...before, baseUrl: 'https://api.test:8443/v1' })).toEqual(['accessToken']);
  });

  it('names the variables that choose a secret-bearing origin, not those of a path', () => {
    expect(
      originVariables({
        tokenUrl: 'http://{{tenant}}:8080/oauth/{{realm}}/token',
        refreshUrl: 'https://login.example.com/{{realm}}',
        revocationUrl: null,
        baseUrl: 'https://{{region}}.api.example.com:{{port}}/v1/{{account}}',
      }).sort(),
    ).toEqual(['port', 'region', 'tenant']);
    expect(originVariables({ tokenUrl: '{{whole}}/token' })).toEqual(['whole']);
  });
});
