import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, renderPage } from '../../test-support';
import { WebhooksPage } from './WebhooksPage';

const ID = '3f1e2d4c-5b6a-4789-8abc-0d1e2f3a4b5c';
const endpoint = {
  id: ID,
  url: 'https://hooks.example.test/in',
  eventTypes: ['token.*'],
  description: null,
  enabled: false,
  disabledReason: 'gone',
  failingSince: null,
  publicKey: null,
  previousSecretUntil: null,
  createdAt: '2026-12-01T12:00:00Z',
  updatedAt: '2026-12-01T12:00:00Z',
};
const list = { 'GET /admin/webhooks?limit=20&offset=0': () => json(200, { items: [endpoint], total: 1, limit: 20, offset: 0 }) };
const message = {
  id: 'msg_1',
  eventId: '7d6f2a1e-0b3c-4d5e-8f90-a1b2c3d4e5f6',
  eventType: 'tessera.events.auth.token.revoked',
  state: 'failed',
  createdAt: '2026-12-01T12:00:00Z',
  nextAttemptAt: null,
  deliveredAt: null,
  attempts: [{ attemptedAt: '2026-12-01T12:00:01Z', status: 500, latencyMs: 42, response: 'database is down', error: null }],
};

describe('Webhooks', () => {
  it('lists endpoints with why one is disabled, and shows a new one’s secret once', async () => {
    const { bodies, fetchImpl } = fakeApi({
      ...list,
      'POST /admin/webhooks': () => json(201, { ...endpoint, enabled: true, disabledReason: null, secret: 'whsec_c2VjcmV0' }),
    });
    renderPage('/webhooks', fetchImpl, <WebhooksPage />);
    expect(await screen.findByText('https://hooks.example.test/in')).toBeTruthy();
    expect(screen.getByText('disabled (gone)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    fireEvent.change(screen.getByLabelText('URL', { exact: false }), { target: { value: 'https://hooks.example.test/in' } });
    fireEvent.change(screen.getByLabelText('Event types', { exact: false }), { target: { value: 'token.*, registry.integration.deleted' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_c2VjcmV0');
    expect(bodies['POST /admin/webhooks']).toEqual({ url: 'https://hooks.example.test/in', eventTypes: ['token.*', 'registry.integration.deleted'] });
    fireEvent.click(screen.getByRole('button', { name: 'I have stored the secret' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });

  it('shows an endpoint’s messages with their attempts, and retries one', async () => {
    const { calls, fetchImpl } = fakeApi({
      ...list,
      [`GET /admin/webhooks/${ID}/messages?limit=50`]: () => json(200, { items: [message], nextCursor: null }),
      [`POST /admin/webhooks/${ID}/messages/msg_1/retry`]: () => json(200, { ...message, state: 'pending' }),
    });
    renderPage('/webhooks', fetchImpl, <WebhooksPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open webhook endpoint https://hooks.example.test/in' }));
    expect(await screen.findByText('database is down')).toBeTruthy();
    expect(screen.getByText(/500 \(42 ms\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry message msg_1' }));
    await waitFor(() => expect(calls).toContain(`POST /admin/webhooks/${ID}/messages/msg_1/retry`));
  });
});
