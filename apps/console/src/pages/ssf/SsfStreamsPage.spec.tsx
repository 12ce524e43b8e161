import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, renderPage } from '../../test-support';
import { SsfStreamsPage } from './SsfStreamsPage';

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type';
const push = {
  streamId: '0b7c6a2e-1d3f-4e5a-8b9c-0d1e2f3a4b5c',
  receiver: 'app_push_receiver',
  deliveryMethod: 'push',
  endpointUrl: 'https://rs.example.test/ssf/push',
  status: 'enabled',
  statusReason: null,
  description: 'Resource server in Berlin',
  eventsRequested: [`${CAEP}/session-revoked`, 'https://example.test/not-supported'],
  eventsDelivered: [`${CAEP}/session-revoked`],
  subjects: 3,
  pendingSets: 2,
  oldestPendingAt: '2026-12-01T12:00:00Z',
  lastPushError: 'HTTP 503',
  createdAt: '2026-12-01T11:00:00Z',
};
const poll = {
  ...push,
  streamId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  receiver: 'app_poll_receiver',
  deliveryMethod: 'poll',
  endpointUrl: null,
  status: 'paused',
  statusReason: 'maintenance',
  description: null,
  eventsRequested: [`${CAEP}/credential-change`],
  eventsDelivered: [`${CAEP}/credential-change`],
  subjects: 0,
  pendingSets: 0,
  oldestPendingAt: null,
  lastPushError: null,
};

describe('Shared Signals streams', () => {
  it('lists every receiver’s streams with delivery, status, events, subjects and waiting SETs, and refreshes', async () => {
    const { calls, fetchImpl } = fakeApi({ 'GET /admin/ssf/streams': () => json(200, { items: [push, poll] }) });
    renderPage('/ssf', fetchImpl, <SsfStreamsPage />);
    expect(screen.getByText(/Loading SSF streams/)).toBeTruthy();
    expect(await screen.findByText('app_push_receiver')).toBeTruthy();
    const [, pushRow, pollRow] = screen.getAllByRole('row');
    expect(pushRow.textContent).toContain('push to https://rs.example.test/ssf/push');
    expect(pushRow.textContent).toContain('Last failure: HTTP 503');
    expect(pushRow.textContent).toContain('session-revoked');
    expect(pushRow.textContent).toContain('Requested, not supported: not-supported');
    expect(pushRow.textContent).toContain('Resource server in Berlin');
    expect(pushRow.textContent).toMatch(/2oldest/);
    expect(pollRow.textContent).toContain('app_poll_receiver');
    expect(pollRow.textContent).toContain('poll');
    expect(pollRow.textContent).toContain('paused');
    expect(pollRow.textContent).toContain('maintenance');
    expect(pollRow.textContent).toContain('credential-change');
    expect(pollRow.textContent).not.toContain('Last failure');

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(calls.filter((call) => call === 'GET /admin/ssf/streams')).toHaveLength(2));
  });

  it('says so when there is no stream', async () => {
    const { fetchImpl } = fakeApi({ 'GET /admin/ssf/streams': () => json(200, { items: [] }) });
    renderPage('/ssf', fetchImpl, <SsfStreamsPage />);
    expect(await screen.findByText('No SSF streams yet')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the API’s refusal instead of a table', async () => {
    const { fetchImpl } = fakeApi({
      'GET /admin/ssf/streams': () => json(403, { statusCode: 403, error: 'forbidden', message: 'This needs the operator role' }),
    });
    renderPage('/ssf', fetchImpl, <SsfStreamsPage />);
    expect(await screen.findByText(/This needs the operator role/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByText(/Loading SSF streams/)).toBeNull();
  });
});
