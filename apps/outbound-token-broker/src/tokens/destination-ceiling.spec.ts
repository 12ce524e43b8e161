import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import type { Provider } from '../providers/provider.entity.js';
import { checkDestinationVariables, checkRetiredName } from './destination-ceiling.js';

const provider = { tokenUrl: 'https://{{tenant}}.idp.example/{{realm}}/token', refreshUrl: null, revocationUrl: null } as unknown as Provider;
const code = (work: () => void) => {
  try {
    work();
  } catch (error) {
    return error instanceof BusError ? error.code : error;
  }
  return undefined;
};

describe('what an operator may not choose', () => {
  it('a variable filling a secret-bearing host, set or changed; a path variable or an unchanged host stays theirs', () => {
    expect(code(() => checkDestinationVariables('operator', provider, { baseUrl: null }, {}, { tenant: 'evil', realm: 'r' }))).toBe('forbidden');
    expect(
      code(() => checkDestinationVariables('operator', provider, { baseUrl: null }, { tenant: 'a', realm: 'r' }, { tenant: 'a', realm: 's' })),
    ).toBeUndefined();
    expect(code(() => checkDestinationVariables('operator', provider, { baseUrl: 'https://{{region}}.api.example' }, {}, { region: 'eu' }))).toBe('forbidden');
    expect(code(() => checkDestinationVariables('admin', provider, { baseUrl: null }, {}, { tenant: 'evil' }))).toBeUndefined();
    expect(code(() => checkDestinationVariables(undefined, provider, { baseUrl: null }, {}, { tenant: 'evil' }))).toBeUndefined();
  });

  it('a retired name given to another provider', () => {
    expect(code(() => checkRetiredName('operator', 'crm', 'p1', 'p2'))).toBe('forbidden');
    expect(code(() => checkRetiredName('operator', 'crm', 'p1', 'p1'))).toBeUndefined();
    expect(code(() => checkRetiredName('operator', 'crm', undefined, 'p2'))).toBeUndefined();
    expect(code(() => checkRetiredName('admin', 'crm', 'p1', 'p2'))).toBeUndefined();
  });
});
