import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { ApiClient } from './api/client';
import { Router } from './router';
import { SessionContext, type Session } from './session';

export function json(status: number, body: unknown) {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Route = (body: unknown) => Response | Promise<Response>;

/**
 * A fake /admin API: `routes` maps "METHOD /path?query" to an answer; anything else is a 404. Records every call, so a
 * test can say which requests a click made (and which it did not).
 */
export function fakeApi(routes: Record<string, Route>) {
  const calls: string[] = [];
  const bodies: Record<string, unknown> = {};
  const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const target = `${init?.method ?? 'GET'} ${String(url)}`;
    calls.push(target);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    bodies[target] = body;
    const route = routes[target];
    return route ? route(body) : json(404, { statusCode: 404, error: 'not_found', message: `Nothing at ${target}` });
  });
  return { calls, bodies, fetchImpl: fetchImpl as unknown as typeof fetch };
}

/** Renders a page at a console path with a session whose API calls go to `fetchImpl` (signed in as `user`, if given). */
export function renderPage(path: string, fetchImpl: typeof fetch, page: ReactNode, user?: Session['user']) {
  window.history.pushState(null, '', `/console${path}`);
  const api = new ApiClient('admin-token', () => undefined, fetchImpl);
  return render(
    <SessionContext.Provider value={{ api, expiresAt: Date.now() + 60_000, logout: () => undefined, user }}>
      <Router>{page}</Router>
    </SessionContext.Provider>,
  );
}
