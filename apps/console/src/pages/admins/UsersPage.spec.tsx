import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import { Router } from '../../router';
import { SessionContext } from '../../session';
import type { AdminUserView as AdminUser } from '../../api/types';
import { UsersPage } from './UsersPage';

function json(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const owner: AdminUser = {
  id: '11111111-1111-4111-8111-111111111111',
  username: 'admin',
  role: 'owner',
  mustChangePassword: false,
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
  activeSessions: 1,
  lastSeenAt: '2026-12-01T10:05:00Z',
};

function renderPage(fetchImpl: typeof fetch) {
  const api = new ApiClient('owner-token', () => undefined, fetchImpl);
  return render(
    <SessionContext.Provider
      value={{ api, expiresAt: Date.now() + 60_000, user: { username: 'admin', role: 'owner', endsAt: '2026-12-01T18:00:00Z' }, logout: () => undefined }}
    >
      <Router>
        <UsersPage />
      </Router>
    </SessionContext.Provider>,
  );
}

describe('Users', () => {
  it('lists who is signed in, creates a user and shows the one-time password once', async () => {
    const users: AdminUser[] = [owner];
    const calls: { method: string; url: string; body?: unknown }[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, url: String(url), body });
      if (method === 'GET') return json(200, { items: users });
      const created: AdminUser = {
        ...owner,
        id: '22222222-2222-4222-8222-222222222222',
        username: body.username,
        role: body.role,
        mustChangePassword: true,
        activeSessions: 0,
        lastSeenAt: null,
      };
      users.push(created);
      return json(201, { ...created, oneTimePassword: 'one-time-password-xyz' });
    });
    renderPage(fetchImpl as unknown as typeof fetch);
    const row = (await screen.findByText('admin (you)')).closest('tr')!;
    expect(within(row).getByText('yes (1)')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'otto' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'operator' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('one-time-password-xyz')).toBeTruthy();
    expect(calls).toContainEqual({ method: 'POST', url: '/admin/users', body: { username: 'otto', role: 'operator' } });
    expect(await screen.findByText(/otto — must choose a password/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('one-time-password-xyz')).toBeNull();
  });

  it('shows the API’s refusal of the last owner’s demotion, and asks before a reset', async () => {
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (method === 'GET') return json(200, { items: [owner] });
      if (method === 'PATCH')
        return json(409, {
          statusCode: 409,
          error: 'conflict',
          message: 'The last owner cannot be given another role: make another administrator an owner first',
        });
      return json(200, { ...owner, oneTimePassword: 'reset-password-abc' });
    });
    renderPage(fetchImpl as unknown as typeof fetch);
    fireEvent.change(await screen.findByLabelText('Role of admin'), { target: { value: 'viewer' } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/last owner cannot be given another role/);

    // Reset asks first, saying what it ends; Cancel sends nothing.
    fireEvent.click(screen.getByRole('button', { name: 'Reset the password of admin' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Reset the password of admin?' });
    expect(dialog.textContent).toMatch(/sessions end now/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fetchImpl.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Reset the password of admin' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reset password' }));
    expect(await screen.findByText('reset-password-abc')).toBeTruthy();
  });
});
