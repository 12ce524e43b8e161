import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, renderPage } from '../../test-support';
import { IntegrationsPage } from './IntegrationsPage';

const ID = '6f1c1f9e-2c49-4d0e-9f0a-1b2c3d4e5f60';
const integration = (enabled: boolean) => ({
  id: ID,
  name: 'reports',
  applicationId: 'a'.repeat(43),
  redirectUris: [],
  enabled,
  grantTypes: ['client_credentials'],
  refreshTokensValidUntilRevoked: false,
  permissions: ['*:orgs=read'],
  accessTokenTtlSeconds: 300,
  refreshTokenReuseIntervalSeconds: 30,
  refreshTokensOnClientCredentials: true,
  clientCredentialsTokensPerHour: null,
  createdAt: '2026-11-20T12:00:00Z',
  updatedAt: '2026-11-20T12:00:00Z',
});
const family = {
  id: 'f1',
  integrationId: ID,
  clientId: 'a',
  scope: '*:orgs=read',
  grantType: 'client_credentials',
  createdAt: '2026-11-20T12:02:00Z',
  lastUsedAt: null,
  expiresAt: null,
};

describe('An integration', () => {
  it('disables only after saying its live tokens are revoked, then no longer lists them', async () => {
    let enabled = true;
    const { calls, bodies, fetchImpl } = fakeApi({
      [`GET /admin/integrations/${ID}`]: () => json(200, integration(enabled)),
      [`GET /admin/integrations/${ID}/tokens?limit=100`]: () => json(200, { items: enabled ? [family] : [], nextCursor: null }),
      [`PATCH /admin/integrations/${ID}`]: (body) => {
        enabled = (body as { enabled: boolean }).enabled;
        return json(200, integration(enabled));
      },
      'GET /admin/permissions': () => json(200, { items: [] }),
    });
    renderPage(`/integrations/${ID}`, fetchImpl, <IntegrationsPage />);
    await waitFor(() => expect(screen.getAllByTestId('token-family')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Disable reports?' });
    expect(dialog.textContent).toMatch(/Every live token of reports is revoked at once/);
    expect(calls.some((c) => c.startsWith('PATCH'))).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(screen.queryAllByTestId('token-family')).toHaveLength(0));
    expect(bodies[`PATCH /admin/integrations/${ID}`]).toEqual({ enabled: false });
    expect(await screen.findByRole('button', { name: 'Enable' })).toBeTruthy();
    expect(screen.getByText('No live tokens')).toBeTruthy();
  });

  it('shows a refused delete on screen and stays on the page', async () => {
    const { fetchImpl } = fakeApi({
      [`GET /admin/integrations/${ID}`]: () => json(200, integration(true)),
      [`GET /admin/integrations/${ID}/tokens?limit=100`]: () => json(200, { items: [], nextCursor: null }),
      [`DELETE /admin/integrations/${ID}`]: () =>
        json(503, { statusCode: 503, error: 'unavailable', message: 'The integrations registry is unavailable; retry shortly' }),
      'GET /admin/permissions': () => json(200, { items: [] }),
    });
    renderPage(`/integrations/${ID}`, fetchImpl, <IntegrationsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('alertdialog', { name: 'Delete reports?' })).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByText('The integrations registry is unavailable; retry shortly')).closest('[role="alert"]')).toBeTruthy();
    expect(window.location.pathname).toBe(`/console/integrations/${ID}`);
  });

  it('rotates with a grace period at once, and without one only after saying what it revokes', async () => {
    const rotated = { ...integration(true), appSecret: 's3cr3t', config: { hocon: 'p6auth {}', env: {} } };
    const { calls, bodies, fetchImpl } = fakeApi({
      [`GET /admin/integrations/${ID}`]: () => json(200, integration(true)),
      [`GET /admin/integrations/${ID}/tokens?limit=100`]: () => json(200, { items: [], nextCursor: null }),
      [`POST /admin/integrations/${ID}/secret`]: () => json(200, rotated),
      'GET /admin/permissions': () => json(200, { items: [] }),
    });
    renderPage(`/integrations/${ID}`, fetchImpl, <IntegrationsPage />);
    fireEvent.change(await screen.findByLabelText('Grace period (seconds)'), { target: { value: '0' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Rotate secret' }));
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Rotate the secret with no grace period?' });
    expect(dialog.textContent).toMatch(/access tokens issued before are revoked/);
    expect(calls).not.toContain(`POST /admin/integrations/${ID}/secret`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    expect(await screen.findByText(/you won't see it again/)).toBeTruthy();
    expect(bodies[`POST /admin/integrations/${ID}/secret`]).toEqual({ graceSeconds: 0 });
  });

  it('offers an admin only disable and delete on an integration holding the owner role', async () => {
    const { fetchImpl } = fakeApi({
      [`GET /admin/integrations/${ID}`]: () => json(200, { ...integration(true), permissions: ['*:platform=owner'] }),
      [`GET /admin/integrations/${ID}/tokens?limit=100`]: () => json(200, { items: [], nextCursor: null }),
      'GET /admin/permissions': () => json(200, { items: [] }),
    });
    renderPage(`/integrations/${ID}`, fetchImpl, <IntegrationsPage />, { username: 'ada', role: 'admin', endsAt: '2026-11-20T20:00:00Z' });
    expect(await screen.findByText(/beyond your role \(admin\)/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Disable' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Rotate secret' })).toBeNull();
  });
});
