import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import { Router } from '../../router';
import { SessionContext } from '../../session';
import { IntegrationsPage } from './IntegrationsPage';

function json(status: number, body: unknown) {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderAt(path: string, fetchImpl: typeof fetch) {
  window.history.pushState(null, '', `/console${path}`);
  const api = new ApiClient('admin-token', () => undefined, fetchImpl);
  return render(
    <SessionContext.Provider value={{ api, expiresAt: Date.now() + 60_000, logout: () => undefined }}>
      <Router>
        <IntegrationsPage />
      </Router>
    </SessionContext.Provider>,
  );
}

const created = {
  id: '6f1c1f9e-2c49-4d0e-9f0a-1b2c3d4e5f60',
  name: 'reports',
  applicationId: 'a'.repeat(43),
  appSecret: 's3cr3t-'.repeat(6),
  redirectUris: [],
  grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
  enabled: true,
  refreshTokensValidUntilRevoked: false,
  permissions: ['*:orgs=read'],
  accessTokenTtlSeconds: 300,
  refreshTokenReuseIntervalSeconds: 30,
  refreshTokensOnClientCredentials: true,
  clientCredentialsTokensPerHour: null,
  createdAt: '2026-11-20T12:00:00Z',
  updatedAt: '2026-11-20T12:00:00Z',
  config: { hocon: 'p6auth {\n  client {\n    id = "aaa"\n  }\n}', env: { P6AUTH_CLIENT_ID: 'aaa', P6AUTH_CLIENT_SECRET: 'sss' } },
};

describe('Integrations', () => {
  it('lists integrations with the search and filter as query parameters, and says what to do when empty', async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json(200, { items: [], total: 0, limit: 20, offset: 0 }));
    renderAt('/integrations', fetchImpl as unknown as typeof fetch);
    expect(await screen.findByText('No integrations yet')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search by name'), { target: { value: 'rep' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'false' } });
    await waitFor(() => expect(String(fetchImpl.mock.calls.at(-1)?.[0])).toBe('/admin/integrations?name=rep&enabled=false&limit=20&offset=0'));
    expect(await screen.findByText('No integration matches')).toBeTruthy();
    const init = fetchImpl.mock.calls[0][1] as unknown as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer admin-token');
  });

  it('shows the API’s field errors next to the fields, then the secret once with copy buttons', async () => {
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      if (String(url) === '/admin/permissions') return json(200, { items: [] });
      const body = JSON.parse(String(init?.body));
      if (!body.name)
        return json(400, {
          statusCode: 400,
          error: 'validation_failed',
          message: 'The request has invalid fields',
          fields: { name: ['name must be longer than or equal to 1 characters'] },
        });
      return json(201, created);
    });
    renderAt('/integrations/new', fetchImpl as unknown as typeof fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Create integration' }));
    expect(await screen.findByText('name must be longer than or equal to 1 characters')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');

    // The message was about the value sent: editing the field clears it.
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'reports' } });
    expect(screen.queryByText('name must be longer than or equal to 1 characters')).toBeNull();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect((screen.getByLabelText('Application ID') as HTMLInputElement).value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    fireEvent.click(screen.getByRole('button', { name: 'Create integration' }));
    expect(await screen.findByText(/you won't see it again/)).toBeTruthy();
    expect(screen.getByTestId('app-secret').textContent).toBe(created.appSecret);
    expect(screen.getByRole('button', { name: 'Copy application secret' })).toBeTruthy();
    expect(screen.getByTestId('config-env').textContent).toContain('P6AUTH_CLIENT_SECRET=sss');
    const sent = JSON.parse(String((fetchImpl.mock.calls.at(-1)?.[1] as RequestInit).body));
    expect(sent).toMatchObject({ name: 'reports', enabled: true, refreshTokensValidUntilRevoked: false });
    expect(sent.applicationId).toHaveLength(32);
  });

  it('pages the live tokens with "Show more" and revokes them all after asking', async () => {
    const family = (id: string, createdAt: string) => ({
      id,
      integrationId: created.id,
      clientId: 'a',
      scope: '*:orgs=read',
      grantType: 'client_credentials',
      createdAt,
      lastUsedAt: null,
      expiresAt: null,
    });
    const calls: string[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const target = `${init?.method ?? 'GET'} ${String(url)}`;
      calls.push(target);
      if (target === `GET /admin/integrations/${created.id}`) return json(200, created);
      if (target === `GET /admin/integrations/${created.id}/tokens?limit=100`)
        return json(200, { items: [family('f1', '2026-11-20T12:02:00Z')], nextCursor: 'c1' });
      if (target === `GET /admin/integrations/${created.id}/tokens?limit=100&cursor=c1`)
        return json(200, { items: [family('f2', '2026-11-20T12:01:00Z')], nextCursor: null });
      if (target === `DELETE /admin/integrations/${created.id}/tokens`) return json(204, null);
      return json(200, { items: [] });
    });
    renderAt(`/integrations/${created.id}`, fetchImpl as unknown as typeof fetch);
    expect(await screen.findByText('none', { selector: 'dd' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('token-family')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(screen.getAllByTestId('token-family')).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke all' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke every token of this integration?' });
    expect(dialog.textContent).toContain('must get new ones with their ID and secret');
    expect(calls).not.toContain(`DELETE /admin/integrations/${created.id}/tokens`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke all' }));
    await waitFor(() => expect(calls).toContain(`DELETE /admin/integrations/${created.id}/tokens`));
  });
});
