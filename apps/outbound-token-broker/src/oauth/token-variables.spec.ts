import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { fillTokenUrl, tokenVariables } from './token-variables.js';

const salesforce = { tokenResponseVariables: { instanceUrl: 'instance_url', org: 'id' }, tokenResponseHosts: { instanceUrl: 'salesforce.com' } };

describe('tokenVariables', () => {
  it("takes a name the answers fill from the answers only, never from the token's own variables", () => {
    expect(tokenVariables(salesforce, { variables: { instanceUrl: 'https://evil.example', region: 'eu' }, responseValues: { org: '00D' } })).toEqual({
      region: 'eu',
      org: '00D',
    });
  });
});

describe('fillTokenUrl', () => {
  const token = { variables: { version: 'v60.0' }, responseValues: { instanceUrl: 'https://acme.my.salesforce.com', org: '00D/x' } };

  it('fills an origin from the answer as it is, and every other variable encoded', () => {
    expect(fillTokenUrl('{{instanceUrl}}/services/data/{{version}}/{{org}}', salesforce, token, 'baseUrl')).toBe(
      'https://acme.my.salesforce.com/services/data/v60.0/00D%2Fx',
    );
  });

  it('refuses a filled URL off the domain, whatever reached the stored value', () => {
    const moved = { variables: {}, responseValues: { instanceUrl: 'https://evil.example' } };
    expect(() => fillTokenUrl('{{instanceUrl}}/services', salesforce, moved, 'baseUrl')).toThrow(/baseUrl filled with instanceUrl would leave salesforce\.com/);
    const userinfo = { variables: {}, responseValues: { instanceUrl: 'https://acme.salesforce.com@evil.example' } };
    expect(() => fillTokenUrl('{{instanceUrl}}/services', salesforce, userinfo, 'baseUrl')).toThrow(BusError);
  });

  it('refuses a host filled from the answer with no domain to keep it on', () => {
    const unpinned = { tokenResponseVariables: { apiDomain: 'api_domain' }, tokenResponseHosts: {} };
    expect(() => fillTokenUrl('{{apiDomain}}/v1', unpinned, { variables: {}, responseValues: { apiDomain: 'https://x.example' } }, 'baseUrl')).toThrow(
      /baseUrl's host comes from the token answer's apiDomain, with no domain to keep it on/,
    );
  });

  it('names a value no answer has brought yet', () => {
    expect(() => fillTokenUrl('{{instanceUrl}}/services', salesforce, { variables: {} }, 'baseUrl')).toThrow(/baseUrl needs the variable instanceUrl/);
  });
});
