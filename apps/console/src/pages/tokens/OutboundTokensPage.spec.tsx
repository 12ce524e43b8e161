import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutboundTokenView } from '../../api/types';
import { fakeApi, json, renderPage } from '../../test-support';
import { OutboundTokensPage } from './OutboundTokensPage';

const CODE = '11111111-1111-4111-8111-111111111111';
const CC = '22222222-2222-4222-8222-222222222222';
const providers = {
  items: [
    { id: CODE, name: 'crm', grantType: 'authorization_code' },
    { id: CC, name: 'billing', grantType: 'client_credentials' },
  ],
  total: 2,
  limit: 500,
  offset: 0,
};
const token = (id: string, name: string, providerId: string, state: string, extra: Partial<OutboundTokenView> = {}) => ({
  id,
  name,
  providerId,
  state,
  active: true,
  scopes: null,
  prompt: null,
  variables: {},
  baseUrl: null,
  platformInstance: null,
  scope: null,
  expiresAt: null,
  lastRefreshedAt: null,
  nextRefreshAt: null,
  lastMessage: null,
  lastTransientError: null,
  consecutiveFailures: 0,
  updatedAt: '2026-11-20T12:00:00Z',
  ...extra,
});
const T1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const T2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const T3 = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const LIST = 'GET /admin/tokens?limit=20&offset=0';

function api(tokens: unknown[], more: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    [LIST]: () => json(200, { items: tokens, total: tokens.length, limit: 20, offset: 0 }),
    'GET /admin/providers?limit=500': () => json(200, providers),
    ...more,
  });
}

const row = (name: string) => screen.getAllByTestId('outbound-token').find((r) => r.dataset.name === name)!;

describe('Outbound tokens', () => {
  it('offers the action each grant needs: "Get authorization token" only for authorization-code tokens', async () => {
    const { fetchImpl } = api([
      token(T1, 'crm-token', CODE, 'pending_authorization'),
      token(T2, 'billing-new', CC, 'expired'),
      token(T3, 'billing-live', CC, 'valid', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    ]);
    renderPage('/tokens', fetchImpl, <OutboundTokensPage />);
    await screen.findByText('crm-token');
    expect(within(row('crm-token')).getByRole('button', { name: 'Get authorization token for crm-token' })).toBeTruthy();
    expect(within(row('billing-new')).queryByRole('button', { name: /Get authorization token/ })).toBeNull();
    expect(within(row('billing-new')).getByRole('button', { name: 'Fetch token for billing-new' })).toBeTruthy();
    expect(within(row('billing-live')).getByRole('button', { name: 'Refresh now for billing-live' })).toBeTruthy();
    expect(within(row('billing-live')).queryByRole('button', { name: /Get authorization token/ })).toBeNull();
  });

  it('shows a failed action’s error on screen and reads the list again', async () => {
    const { calls, fetchImpl } = api([token(T2, 'billing-new', CC, 'expired')], {
      [`POST /admin/tokens/${T2}/refresh`]: () =>
        json(409, { statusCode: 409, error: 'conflict', message: 'Token billing-new cannot be refreshed: token is inactive' }),
    });
    renderPage('/tokens', fetchImpl, <OutboundTokensPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Fetch token for billing-new' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Token billing-new cannot be refreshed: token is inactive');
    await waitFor(() => expect(calls.filter((c) => c === LIST)).toHaveLength(2));
  });

  it('revokes only after saying what it revokes, then lists the token as it now is', async () => {
    let revoked = false;
    const { calls, fetchImpl } = fakeApi({
      [LIST]: () => json(200, { items: [token(T1, 'crm-token', CODE, revoked ? 'revoked' : 'valid')], total: 1, limit: 20, offset: 0 }),
      'GET /admin/providers?limit=500': () => json(200, providers),
      [`POST /admin/tokens/${T1}/revoke`]: () => {
        revoked = true;
        return json(200, token(T1, 'crm-token', CODE, 'revoked'));
      },
    });
    renderPage('/tokens', fetchImpl, <OutboundTokensPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke crm-token' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke crm-token?' });
    expect(dialog.textContent).toContain('asks crm to revoke the access and refresh tokens');
    expect(dialog.textContent).toContain('/proxy/crm-token/');
    expect(calls).not.toContain(`POST /admin/tokens/${T1}/revoke`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(row('crm-token').dataset.state).toBe('revoked'));
    expect(calls).toContain(`POST /admin/tokens/${T1}/revoke`);
  });

  it('edits a token (PATCH) and deletes one after asking', async () => {
    const { calls, bodies, fetchImpl } = api([token(T1, 'crm-token', CODE, 'valid', { scopes: ['read'], variables: { account: 'eu' } })], {
      [`PATCH /admin/tokens/${T1}`]: (body) => json(200, { ...token(T1, 'crm-token', CODE, 'valid'), ...(body as object) }),
      [`DELETE /admin/tokens/${T1}`]: () => json(204, null),
    });
    renderPage('/tokens', fetchImpl, <OutboundTokensPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit crm-token' }));
    const form = screen.getByRole('form', { name: 'Edit outbound token crm-token' });
    expect((within(form).getByLabelText('Scopes') as HTMLInputElement).value).toBe('read');
    fireEvent.change(within(form).getByLabelText('Scopes'), { target: { value: 'read write' } });
    fireEvent.click(within(form).getByLabelText('Active'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save token' }));
    await screen.findByRole('button', { name: 'Delete crm-token' });
    expect(bodies[`PATCH /admin/tokens/${T1}`]).toEqual({ scopes: ['read', 'write'], variables: { account: 'eu' }, active: false, prompt: '' });

    fireEvent.click(screen.getByRole('button', { name: 'Delete crm-token' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete crm-token?' });
    expect(dialog.textContent).toMatch(/Services lose \/tokens\/crm-token/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls).toContain(`DELETE /admin/tokens/${T1}`));
  });
});
