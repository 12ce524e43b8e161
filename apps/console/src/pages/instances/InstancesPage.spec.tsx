import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../../api/client';
import type { PlatformInstanceView } from '../../api/types';
import { Router } from '../../router';
import { SessionContext } from '../../session';
import { InstancesPage } from './InstancesPage';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderAt(path: string, fetchImpl: typeof fetch) {
  window.history.pushState(null, '', `/console${path}`);
  const api = new ApiClient('admin-token', () => undefined, fetchImpl);
  return render(
    <SessionContext.Provider value={{ api, expiresAt: Date.now() + 60_000, logout: () => undefined }}>
      <Router>
        <InstancesPage />
      </Router>
    </SessionContext.Provider>,
  );
}

const ID = '0b7c2a7e-95a5-4f4b-8f0e-5c0d3a1e2b10';
const APP = '9d1c5a2b-7e3f-4a60-8b21-0c4d5e6f7a80';
const base: PlatformInstanceView = {
  id: ID,
  name: 'instance-2',
  baseUrl: 'http://two.example',
  auth: { type: 'none' },
  token: null,
  createdAt: '2026-11-20T12:00:00Z',
  updatedAt: '2026-11-20T12:00:00Z',
};

describe('Platform instances', () => {
  it('shows the token the API keeps on the instance record (state, expiry, scope, lastMessage)', async () => {
    const instance: PlatformInstanceView = {
      ...base,
      auth: { type: 'oauth', clientAppId: APP },
      token: {
        tokenId: 'tok-1',
        state: 'revoked',
        expiresAt: null,
        scope: '*:orgs=read',
        lastMessage: 'The instance refused the token: invalid_grant',
        updatedAt: '2026-11-20T12:05:00Z',
      },
    };
    const fetchImpl = vi.fn(async () => json(200, { items: [instance], total: 1, limit: 20, offset: 0 }));
    renderAt('/instances', fetchImpl as unknown as typeof fetch);
    expect(await screen.findByText('revoked')).toBeTruthy();
    expect(screen.getByText('OAuth')).toBeTruthy();
    expect(screen.getByText('The instance refused the token: invalid_grant')).toBeTruthy();
  });

  it('creates the client app, then chooses OAuth with its id, and runs the "request" link', async () => {
    let current: PlatformInstanceView = base;
    const calls: { method: string; url: string; body?: unknown }[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, url: String(url), body });
      if (method === 'GET' && String(url) === `/admin/instances/${ID}`) return json(200, current);
      if (method === 'GET' && String(url) === `/admin/providers/${APP}`)
        return json(200, { id: APP, name: 'instance-instance-2-1a2b3c4d', clientId: 'client-1', tokenUrl: 'http://two.example/oauth/token' });
      if (method === 'POST' && String(url).endsWith('/client-app')) return json(201, { id: APP });
      if (method === 'PATCH') {
        current = { ...current, auth: { type: 'oauth', clientAppId: body.auth.clientAppId } };
        return json(200, current);
      }
      if (method === 'POST' && String(url).endsWith('/authorize'))
        return json(200, { authorizationUrl: 'http://two.example/oauth/authorize?client_id=client-1' });
      return json(404, { statusCode: 404, error: 'not_found', message: 'Nothing has that id' });
    });
    renderAt(`/instances/${ID}`, fetchImpl as unknown as typeof fetch);
    expect(await screen.findByText('No token yet.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Request' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'client-1' } });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'secret-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save authentication' }));
    await screen.findByTestId('client-app');
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([
      { method: 'POST', url: `/admin/instances/${ID}/client-app`, body: { clientId: 'client-1', clientSecret: 'secret-1' } },
      { method: 'PATCH', url: `/admin/instances/${ID}`, body: { auth: { type: 'oauth', clientAppId: APP } } },
    ]);
    expect(await screen.findByText('instance-instance-2-1a2b3c4d')).toBeTruthy();

    // Saving again with blank fields keeps the client app rather than creating another.
    fireEvent.click(screen.getByRole('button', { name: 'Save authentication' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(calls.filter((c) => c.url.endsWith('/client-app'))).toHaveLength(1);

    await waitFor(() => expect((screen.getByRole('button', { name: 'Request' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    const link = await screen.findByTestId('authorization-link');
    expect(link.getAttribute('href')).toBe('http://two.example/oauth/authorize?client_id=client-1');
    expect(screen.queryByText(/not available on this server/)).toBeNull();
  });

  it('says "not available" only for a route the server does not have, not for an id it does not know', () => {
    const route = new ApiError(404, { statusCode: 404, error: 'Not Found', message: 'Cannot POST /admin/instances/x/authorize' });
    const id = new ApiError(404, { statusCode: 404, error: 'not_found', message: 'Instance 1 not found' });
    const other = new ApiError(404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
    expect([route.notAvailable, id.notAvailable, other.notAvailable]).toEqual([true, false, false]);
  });
});
