import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';

describe('login', () => {
  it('keeps the admin token in memory only and shows the API’s error on a wrong password', async () => {
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockImplementation(async (url, init) => {
      // A first visit: no session cookie, nothing to resume.
      if (String(url) === '/admin/session/resume') return new Response(null, { status: 204 });
      if (String(url) === '/admin/login') {
        const body = JSON.parse(String(init?.body));
        return body.password === 'right-password-1'
          ? new Response(JSON.stringify({ access_token: 'jwt-token', token_type: 'Bearer', expires_in: 900 }), { status: 200 })
          : new Response(JSON.stringify({ statusCode: 401, error: 'unauthorized', message: 'Wrong username or password' }), { status: 401 });
      }
      return new Response(JSON.stringify({ items: [], total: 0, limit: 20, offset: 0 }), { status: 200 });
    });
    window.history.pushState(null, '', '/console/');
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'ops' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong username or password')).toBeTruthy();
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('ops');
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'admin' } });

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right-password-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeTruthy();
    expect(window.location.pathname).toBe('/console/integrations');
    expect(fetchMock.mock.calls.some(([, init]) => (init?.headers as Record<string, string> | undefined)?.authorization === 'Bearer jwt-token')).toBe(true);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You signed out.')).toBeTruthy();
    fetchMock.mockRestore();
  });

  it('resumes the session after a reload: the cookie buys a token, no sign-in shown', async () => {
    const fetchMock = vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
      if (String(url) === '/admin/session/resume')
        return new Response(JSON.stringify({ access_token: 'resumed-token', token_type: 'Bearer', expires_in: 900, scope: '' }), { status: 200 });
      return new Response(JSON.stringify({ items: [], total: 0, limit: 20, offset: 0 }), { status: 200 });
    });
    window.history.pushState(null, '', '/console/integrations');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
    const resume = fetchMock.mock.calls.find(([url]) => String(url) === '/admin/session/resume');
    expect((resume?.[1]?.headers as Record<string, string>)['x-tessera-console']).toBe('resume');
    expect(fetchMock.mock.calls.some(([, init]) => (init?.headers as Record<string, string> | undefined)?.authorization === 'Bearer resumed-token')).toBe(true);
    fetchMock.mockRestore();
  });
});
