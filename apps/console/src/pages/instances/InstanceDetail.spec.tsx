import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PlatformInstanceView } from '../../api/types';
import { fakeApi, json, renderPage } from '../../test-support';
import { InstancesPage } from './InstancesPage';

const ID = '0b7c2a7e-95a5-4f4b-8f0e-5c0d3a1e2b10';
const APP = '9d1c5a2b-7e3f-4a60-8b21-0c4d5e6f7a80';
const instance: PlatformInstanceView = {
  id: ID,
  name: 'instance-2',
  baseUrl: 'http://two.example',
  auth: { type: 'oauth', clientAppId: APP },
  token: {
    tokenId: 'tok-1',
    state: 'revoked',
    expiresAt: new Date(Date.now() + 3_540_000).toISOString(),
    scope: '*:orgs=read',
    lastMessage: 'The instance refused the token: invalid_grant',
    updatedAt: '2026-11-20T12:05:00Z',
  },
  createdAt: '2026-11-20T12:00:00Z',
  updatedAt: '2026-11-20T12:00:00Z',
};

describe('A platform instance', () => {
  it('shows no expiry for a token that is not valid', async () => {
    const { fetchImpl } = fakeApi({ [`GET /admin/instances/${ID}`]: () => json(200, instance) });
    renderPage(`/instances/${ID}`, fetchImpl, <InstancesPage />);
    await screen.findByTestId('instance-token-state');
    const facts = screen.getByLabelText('Token held for this instance');
    expect(facts.textContent).toContain('revoked');
    expect(facts.textContent).not.toMatch(/in \d+ minutes/);
  });

  it('is deleted after saying what is revoked and what stays, then the list is shown', async () => {
    const live = { ...instance, token: { ...instance.token!, state: 'valid' as const } };
    const { calls, fetchImpl } = fakeApi({
      [`GET /admin/instances/${ID}`]: () => json(200, live),
      [`DELETE /admin/instances/${ID}`]: () => json(204, null),
      'GET /admin/instances?limit=20&offset=0': () => json(200, { items: [], total: 0, limit: 20, offset: 0 }),
    });
    renderPage(`/instances/${ID}`, fetchImpl, <InstancesPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete instance' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete platform instance instance-2?' });
    expect(dialog.textContent).toMatch(/OAuth token for instance-2 is revoked there/);
    expect(dialog.textContent).toMatch(/integration instance-2 uses to call this platform is not touched/);
    expect(calls).not.toContain(`DELETE /admin/instances/${ID}`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete instance' }));
    await waitFor(() => expect(window.location.pathname).toBe('/console/instances'));
    expect(calls).toContain(`DELETE /admin/instances/${ID}`);
    expect(await screen.findByText('No instances registered')).toBeTruthy();
  });

  it('shows how the client app authenticates, and sets one up with the client ID alone (private_key_jwt) or creates a keyed integration', async () => {
    const { calls, bodies, fetchImpl } = fakeApi({
      [`GET /admin/instances/${ID}`]: () => json(200, instance),
      [`GET /admin/providers/${APP}`]: () =>
        json(200, {
          id: APP,
          name: 'p2pi-instance-2-app',
          clientId: 'client-1',
          tokenUrl: 'http://two.example/oauth/token',
          clientAuthMethod: 'private_key_jwt',
        }),
      [`POST /admin/instances/${ID}/client-app`]: () => json(201, { id: APP }),
      [`PATCH /admin/instances/${ID}`]: () => json(200, instance),
      [`POST /admin/instances/${ID}/integration`]: () =>
        json(201, { id: 'i', applicationId: 'app-on-this-side', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'http://two.example/oauth/client-jwks' }),
    });
    renderPage(`/instances/${ID}`, fetchImpl, <InstancesPage />);
    expect((await screen.findByTestId('client-app-auth-method')).textContent).toMatch(/private_key_jwt/);

    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'client-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save authentication' }));
    await waitFor(() => expect(calls).toContain(`PATCH /admin/instances/${ID}`));
    expect(bodies[`POST /admin/instances/${ID}/client-app`]).toEqual({ clientId: 'client-2' });

    fireEvent.click(screen.getByRole('button', { name: 'Create its integration with its published keys (no secret)' }));
    expect((await screen.findByTestId('keyed-integration')).textContent).toMatch(/app-on-this-side.*private_key_jwt.*client-jwks/);
    expect(bodies[`POST /admin/instances/${ID}/integration`]).toEqual({ tokenEndpointAuthMethod: 'private_key_jwt' });
  });
});
