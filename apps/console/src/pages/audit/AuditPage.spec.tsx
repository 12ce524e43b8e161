import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import { Router } from '../../router';
import { SessionContext } from '../../session';
import type { AuditEntryView as AuditEntry } from '../../api/types';
import { AuditPage } from './AuditPage';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const entry = (id: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  occurredAt: '2026-12-01T10:00:00Z',
  service: 'integrations-registry',
  action: 'integration.update',
  outcome: 'success',
  actor: { type: 'user', id: 'u-1', name: 'otto' },
  address: '10.0.0.7',
  requestId: 'req-42',
  clientRequestId: null,
  target: { type: 'integration', id: 'i-1', name: 'acme' },
  changes: { enabled: { before: true, after: false } },
  ...over,
});

function renderPage(fetchImpl: typeof fetch) {
  const api = new ApiClient('admin-token', () => undefined, fetchImpl);
  return render(
    <SessionContext.Provider value={{ api, expiresAt: Date.now() + 60_000, logout: () => undefined }}>
      <Router>
        <AuditPage />
      </Router>
    </SessionContext.Provider>,
  );
}

describe('Audit log', () => {
  it('shows who did what with before and after, sends the filters as the API takes them, and pages by cursor', async () => {
    const urls: string[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL) => {
      urls.push(String(url));
      const query = new URL(String(url), 'http://console').searchParams;
      if (query.get('cursor') === 'next-1')
        return json(200, {
          items: [entry('e-3', { action: 'admin.login', outcome: 'failure', actor: null, changes: undefined, target: { type: 'admin_user', name: 'nobody' } })],
          nextCursor: null,
        });
      if (query.get('actor') === 'otto') return json(200, { items: [entry('e-1')], nextCursor: null });
      return json(200, { items: [entry('e-1'), entry('e-2', { action: 'provider.create', changes: { name: { after: 'crm' } } })], nextCursor: 'next-1' });
    });
    renderPage(fetchImpl as unknown as typeof fetch);
    expect(await screen.findByText('integration.update')).toBeTruthy();
    expect(screen.getAllByText('otto (user)')).toHaveLength(2);
    expect(screen.getByText((_, node) => node?.tagName === 'LI' && node.textContent === 'enabled: true → false')).toBeTruthy();
    expect(screen.getByText((_, node) => node?.tagName === 'LI' && node.textContent === 'name: — → crm')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('admin.login')).toBeTruthy();
    expect(screen.getByText(/— failed/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    fireEvent.change(screen.getByLabelText('Actor'), { target: { value: 'otto' } });
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'integration.' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-12-01T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('integration.update');
    const last = new URL(urls[urls.length - 1], 'http://console');
    expect(last.pathname).toBe('/admin/audit');
    expect(last.searchParams.get('actor')).toBe('otto');
    expect(last.searchParams.get('action')).toBe('integration.');
    expect(last.searchParams.get('from')).toBe(new Date('2026-12-01T09:00').toISOString());
    expect(last.searchParams.has('cursor')).toBe(false);
    expect(screen.queryByText('provider.create')).toBeNull();
  });

  it('shows the API’s error for a bad filter', async () => {
    const fetchImpl = vi.fn(async () =>
      json(400, { statusCode: 400, error: 'validation_failed', message: 'from must be an ISO 8601 time', fields: { from: ['from must be an ISO 8601 time'] } }),
    );
    renderPage(fetchImpl as unknown as typeof fetch);
    expect((await screen.findByRole('alert')).textContent).toMatch(/from must be an ISO 8601 time/);
  });
});
