import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, renderPage } from '../../test-support';
import { ProvidersPage } from './ProvidersPage';

const ID = '3f1e2d4c-5b6a-4789-8abc-0d1e2f3a4b5c';
const provider = {
  id: ID,
  name: 'acme',
  grantType: 'authorization_code',
  tokenUrl: 'https://auth.acme.test/token',
  authorizationUrl: 'https://auth.acme.test/authorize',
  clientId: 'acme-client',
  scopes: [],
  updatedAt: '2026-11-20T12:00:00Z',
};
const list = { [`GET /admin/providers?limit=20&offset=0`]: () => json(200, { items: [provider], total: 1, limit: 20, offset: 0 }) };

describe('Providers', () => {
  it('shows a loading state until the list arrives', async () => {
    let answer!: (r: Response) => void;
    const { fetchImpl } = fakeApi({
      'GET /admin/providers?limit=20&offset=0': () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    });
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    expect(screen.getByText('Loading providers…')).toBeTruthy();
    answer(json(200, { items: [provider], total: 1, limit: 20, offset: 0 }));
    expect(await screen.findByText('acme')).toBeTruthy();
    expect(screen.queryByText('Loading providers…')).toBeNull();
  });

  it('asks before deleting, saying what goes, and does nothing on Cancel', async () => {
    const { calls, fetchImpl } = fakeApi(list);
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete provider acme' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete provider acme?' });
    expect(dialog.textContent).toMatch(/client ID and secret are forgotten/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual([]);
  });

  it('shows the API’s refusal of a delete (409: in use) on screen, and reads the list again', async () => {
    const { calls, fetchImpl } = fakeApi({
      ...list,
      [`DELETE /admin/providers/${ID}`]: () =>
        json(409, { statusCode: 409, error: 'conflict', message: `Provider ${ID} is used by 2 tokens; delete those first` }),
    });
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete provider acme' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByRole('alert')).textContent).toBe(`Provider ${ID} is used by 2 tokens; delete those first`);
    await waitFor(() => expect(calls.filter((c) => c === 'GET /admin/providers?limit=20&offset=0')).toHaveLength(2));
  });

  it('shows the callback URL to register, from the platform’s issuer, with a copy button; a new provider has no secret to keep', async () => {
    const { fetchImpl } = fakeApi({ ...list, 'GET /.well-known/oauth-authorization-server': () => json(200, { issuer: 'https://tessera.example.com' }) });
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'New provider' }));
    expect((await screen.findByTestId('callback-url')).textContent).toBe('https://tessera.example.com/oauth/callback');
    expect(screen.getByRole('button', { name: 'Copy callback URL' })).toBeTruthy();
    const secret = screen.getByLabelText('Client secret');
    expect(document.getElementById(secret.getAttribute('aria-describedby')!)!.textContent).not.toMatch(/keep the current one/);
    fireEvent.change(screen.getByLabelText('Grant type'), { target: { value: 'client_credentials' } });
    expect(screen.queryByTestId('callback-url')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit provider acme' }));
    const editing = screen.getByLabelText('Client secret');
    expect(document.getElementById(editing.getAttribute('aria-describedby')!)!.textContent).toMatch(/Leave blank to keep the current one/);
  });
});
