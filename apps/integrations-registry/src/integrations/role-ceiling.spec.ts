import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import type { Integration } from './integration.entity.js';
import { checkChange, checkGrant, checkRotation } from './role-ceiling.js';

const ownerLevel = { permissions: ['*:platform=owner', '*:orgs=read'], enabled: false, redirectUris: [], name: 'bot' } as unknown as Integration;
const refusal = (work: () => void) => {
  try {
    work();
  } catch (error) {
    return error instanceof BusError ? { code: error.code, permissions: error.details?.permissions } : error;
  }
  return undefined;
};

describe('the role ceiling on integrations', () => {
  it('refuses granting beyond the role, naming what; a service asking for itself is not bounded', () => {
    expect(refusal(() => checkGrant('admin', ['*:orgs=read', '*:platform=owner']))).toEqual({ code: 'forbidden', permissions: ['*:platform=owner'] });
    expect(refusal(() => checkGrant('operator', ['*:platform=admin']))).toEqual({ code: 'forbidden', permissions: ['*:platform=admin'] });
    expect(refusal(() => checkGrant('admin', ['*:platform=admin', '*:tokens=read']))).toBeUndefined();
    expect(refusal(() => checkGrant(undefined, ['*:platform=owner']))).toBeUndefined();
  });

  it('lets a change leave permissions beyond the role only when it widens nothing', () => {
    expect(refusal(() => checkChange('admin', ownerLevel, { enabled: true }))).toMatchObject({ code: 'forbidden' });
    expect(refusal(() => checkChange('admin', ownerLevel, { redirectUris: ['https://x.example/cb'] }))).toMatchObject({ code: 'forbidden' });
    expect(refusal(() => checkChange('admin', ownerLevel, { name: 'harmless-looking' }))).toMatchObject({ code: 'forbidden' });
    expect(refusal(() => checkChange('admin', ownerLevel, { enabled: false, permissions: ['*:platform=owner'] }))).toBeUndefined();
    expect(refusal(() => checkChange('admin', ownerLevel, { name: 'bot', redirectUris: [] }))).toBeUndefined();
    expect(refusal(() => checkChange('admin', ownerLevel, { permissions: ['*:orgs=read'], enabled: true }))).toBeUndefined();
  });

  it('refuses re-keying an integration beyond the role', () => {
    expect(refusal(() => checkRotation('admin', ownerLevel))).toMatchObject({ code: 'forbidden', permissions: ['*:platform=owner'] });
    expect(refusal(() => checkRotation('owner', ownerLevel))).toBeUndefined();
  });
});
