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
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Type one in yourself' }));
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

  it('adds a provider from the catalog: search, pick, fill the template’s variables, see the callback URL and the docs link', async () => {
    const zendesk = {
      id: 'zendesk',
      version: 1,
      name: 'Zendesk',
      categories: ['support'],
      docsUrl: 'https://developer.zendesk.com/oauth',
      grantTypes: ['authorization_code'],
      variables: [
        { name: 'subdomain', label: 'Zendesk subdomain', description: 'acme for acme.zendesk.com', pattern: '^[a-z0-9]+$', example: 'acme', from: 'provider' },
      ],
      defaultScopes: ['read'],
      tokenUrl: 'https://{{subdomain}}.zendesk.com/oauth/tokens',
      sources: [],
    };
    const summary = {
      id: 'zendesk',
      version: 1,
      name: 'Zendesk',
      description: null,
      categories: ['support'],
      docsUrl: zendesk.docsUrl,
      grantTypes: ['authorization_code'],
      custom: false,
    };
    let created: unknown;
    const { calls, fetchImpl } = fakeApi({
      ...list,
      'GET /.well-known/oauth-authorization-server': () => json(200, { issuer: 'https://tessera.example.com' }),
      'GET /admin/catalog': () => json(200, { items: [summary], categories: ['support'] }),
      'GET /admin/catalog?search=zen': () => json(200, { items: [summary], categories: ['support'] }),
      'GET /admin/catalog/zendesk': () => json(200, { custom: false, template: zendesk }),
      'POST /admin/providers': (body: unknown) => {
        created = body;
        return json(201, { ...provider, id: ID });
      },
    });
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add provider' }));
    fireEvent.change(await screen.findByLabelText('Search'), { target: { value: 'zen' } });
    await waitFor(() => expect(calls).toContain('GET /admin/catalog?search=zen'));
    fireEvent.click(await screen.findByRole('button', { name: 'Use template Zendesk' }));
    await waitFor(async () => expect((await screen.findByTestId('callback-url')).textContent).toBe('https://tessera.example.com/oauth/callback'));
    expect(screen.getByRole('link', { name: /Zendesk’s OAuth documentation/ }).getAttribute('href')).toBe('https://developer.zendesk.com/oauth');
    fireEvent.change(screen.getByLabelText('Zendesk subdomain'), { target: { value: 'acme' } });
    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'zd-client' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create provider' }));
    await waitFor(() => expect(created).toBeDefined());
    expect(created).toEqual({
      template: 'zendesk',
      name: 'zendesk',
      grantType: 'authorization_code',
      clientId: 'zd-client',
      scopes: ['read'],
      variables: { subdomain: 'acme' },
    });
  });

  it('shows which template a provider was made from, and offers a newer version without applying it', async () => {
    const fromTemplate = { ...provider, template: { id: 'zendesk', version: 1 }, templateUpdate: { id: 'zendesk', version: 2 } };
    const { calls, fetchImpl } = fakeApi({
      'GET /admin/providers?limit=20&offset=0': () => json(200, { items: [fromTemplate], total: 1, limit: 20, offset: 0 }),
      [`POST /admin/providers/${ID}/template-update`]: () => json(200, { ...fromTemplate, template: { id: 'zendesk', version: 2 }, templateUpdate: null }),
    });
    renderPage('/providers', fetchImpl, <ProvidersPage />);
    expect(await screen.findByText(/From template zendesk \(version 1\)/)).toBeTruthy();
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Update provider acme to version 2 of its template' }));
    await waitFor(() => expect(calls).toContain(`POST /admin/providers/${ID}/template-update`));
  });
});
