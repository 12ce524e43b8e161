import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import type { ProviderTestReply, ProviderView } from '../../api/types';
import { SessionContext } from '../../session';
import { ProviderTest, ProviderTestResult, urlVariables } from './ProviderTest';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const provider = {
  id: '3f1e2d4c-5b6a-4789-8abc-0d1e2f3a4b5c',
  name: 'acme',
  grantType: 'password',
  clientId: 'acme-client',
  scopes: ['read'],
  tokenUrl: 'https://auth.acme.test/token/{{account}}',
  authorizationUrl: null,
} as unknown as ProviderView;

const passed: ProviderTestReply = {
  ok: true,
  grantType: 'password',
  steps: [{ name: 'token request', url: 'https://auth.acme.test/token/eu', status: 200, ms: 42, ok: true, outcome: 'issued a Bearer token, valid 3600 s' }],
  answer: { access_token: '[redacted]', refresh_token: '[redacted]', token_type: 'bearer', expires_in: 3600, scope: 'read' },
};

describe('Provider test', () => {
  it('renders each step and the redacted answer', () => {
    render(<ProviderTestResult result={passed} />);
    const result = screen.getByRole('region', { name: 'Test result' });
    expect(within(result).getByText('passed')).toBeTruthy();
    const row = within(result).getByText('token request').closest('tr')!;
    expect(within(row).getByText('200')).toBeTruthy();
    expect(within(row).getByText('42 ms')).toBeTruthy();
    expect(row.textContent).toContain('issued a Bearer token, valid 3600 s');
    const answer = screen.getByLabelText("Provider's answer").textContent!;
    expect(JSON.parse(answer)).toEqual(passed.answer);
  });

  it('renders a provider that could not be reached as failed, with no answer', () => {
    render(
      <ProviderTestResult
        result={{
          ok: false,
          grantType: 'client_credentials',
          answer: null,
          steps: [
            { name: 'token request', url: 'http://127.0.0.1:9/token', status: null, ms: 3, ok: false, outcome: 'token endpoint unreachable: ECONNREFUSED' },
          ],
        }}
      />,
    );
    expect(screen.getAllByText('failed')).toHaveLength(2);
    expect(screen.getByText('no answer')).toBeTruthy();
    expect(screen.getByText(/token endpoint unreachable: ECONNREFUSED/)).toBeTruthy();
    expect(screen.getByText(/could not be reached/)).toBeTruthy();
  });

  it('asks for the URL variables and credentials, posts them on Test, and shows the result', async () => {
    expect(urlVariables(provider)).toEqual(['account']);
    const calls: { url: string; body: unknown }[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
      return json(200, passed);
    });
    const api = new ApiClient('admin-token', () => undefined, fetchImpl as unknown as typeof fetch);
    render(
      <SessionContext.Provider value={{ api, expiresAt: Date.now() + 60_000, logout: () => undefined }}>
        <ProviderTest provider={provider} />
      </SessionContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText('Variable account'), { target: { value: 'eu' } });
    fireEvent.change(screen.getByLabelText(/Scopes/), { target: { value: 'read write' } });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(screen.getByText('passed')).toBeTruthy());
    expect(calls).toEqual([
      { url: `/admin/providers/${provider.id}/test`, body: { variables: { account: 'eu' }, scopes: ['read', 'write'], username: 'alice', password: 'pw' } },
    ]);
    expect(screen.getByText('https://auth.acme.test/token/eu')).toBeTruthy();
  });
});
