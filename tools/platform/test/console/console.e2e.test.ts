/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, launchConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { ADMIN_PASSWORD, basic, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Drives the built admin console in Debian's Chromium against a whole platform on the real Postgres and NATS, and
// takes a screenshot of each main page (see support/console-browser.ts). The platform-to-platform and provider
// flows, with the instance, provider and outbound-token screenshots, are in console-p2pi.e2e.test.ts.
let t: TestPlatform;
let b: ConsoleBrowser;
let page: Page;
const shoot = (name: string) => b.shoot(name);

beforeAll(async () => {
  buildConsole();
  t = await startTestPlatform();
  b = await launchConsoleBrowser();
  page = b.page;
}, 120_000);

afterAll(async () => {
  await b?.close();
  await t?.stop();
});

describe('admin console in a real browser', () => {
  let applicationId = '';
  let appSecret = '';
  let integrationPath = '';

  it('is served at /console with a strict Content-Security-Policy, and the app routes fall back to index.html', async () => {
    const response = await page.goto(`${t.url}/console/integrations`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-frame-options']).toBe('DENY');
    await page.getByRole('heading', { name: 'Tessera console' }).waitFor();
    await shoot('login');
  });

  it('logs in with the admin account and keeps nothing in storage', async () => {
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length)).toBe(0);
    await page.getByText('No integrations yet').waitFor();
    // At 1280 px the navigation is one row, and no page name breaks over two lines.
    const links = await page.$$eval('header nav a', (anchors) =>
      anchors.map((a) => ({ top: a.getBoundingClientRect().top, height: a.getBoundingClientRect().height })),
    );
    expect(links.length).toBeGreaterThan(5);
    expect(new Set(links.map((l) => Math.round(l.top))).size).toBe(1);
    expect(new Set(links.map((l) => Math.round(l.height))).size).toBe(1);
  });

  it('stays signed in across a reload, in the same session (the HttpOnly cookie resumes it)', async () => {
    const sessionId = async () =>
      page.evaluate(async () => {
        const resumed = await fetch('/admin/session/resume', { method: 'POST', headers: { 'x-tessera-console': 'resume' } });
        const { access_token } = (await resumed.json()) as { access_token: string };
        const session = await fetch('/admin/session', { headers: { authorization: `Bearer ${access_token}` } });
        return ((await session.json()) as { sessionId: string }).sessionId;
      });
    const before = await sessionId();
    await page.reload();
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
    expect(await sessionId()).toBe(before);
  });

  it('creates an integration with permissions as chips, and shows its secret and configuration once', async () => {
    await page.getByRole('link', { name: 'New integration' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('reporting-service');
    await page.getByRole('button', { name: 'Generate' }).click();
    const permissions = page.getByLabel('Permissions', { exact: true });
    await permissions.fill('orgs=read');
    await page.getByText('Start with the instance name').waitFor();
    await permissions.fill('*:orgs=read');
    await permissions.press('Enter');
    await page.getByRole('button', { name: 'Remove permission *:orgs=read' }).waitFor();
    await shoot('integration-create');
    await page.getByRole('button', { name: 'Create integration' }).click();
    await page.getByText("you won't see it again").waitFor();
    applicationId = (await page.getByTestId('application-id').textContent()) ?? '';
    appSecret = (await page.getByTestId('app-secret').textContent()) ?? '';
    // Generate makes ids like the API's own: 32 characters.
    expect(applicationId).toHaveLength(32);
    expect(appSecret.length).toBeGreaterThanOrEqual(43);
    expect(await page.getByTestId('config-hocon').textContent()).toContain(applicationId);
    expect(await page.getByTestId('config-explained').textContent()).toMatch(/Platform 6 \(P6\) instance reads from its application\.conf/);
    await shoot('integration-secret');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('heading', { name: 'Live tokens', exact: true }).waitFor();
    // authorization_code is enabled (the default grants) and no redirect URI is set: not "client credentials only".
    expect(await page.getByTestId('redirect-uris').textContent()).toMatch(/^none yet: authorization_code needs one/);
    integrationPath = new URL(page.url()).pathname;
  });

  it('the secret gets a token over HTTP, which appears as a live token and can be revoked', async () => {
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const response = await fetch(`${t.url}/oauth/token`, { method: 'POST', body, headers: { ...headers, authorization: basic(applicationId, appSecret) } });
    expect(response.status).toBe(200);
    const token = await json<{ access_token: string; refresh_token: string; scope: string }>(response);
    expect(token.scope).toBe('*:orgs=read');
    // A refresh: the chart counts it as refreshed, not as one more token issued.
    const refreshed = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      ...form({ grant_type: 'refresh_token', refresh_token: token.refresh_token }),
      headers: { ...form({}).headers, authorization: basic(applicationId, appSecret) },
    });
    expect(refreshed.status).toBe(200);
    token.access_token = (await json<{ access_token: string }>(refreshed)).access_token;

    await page.getByRole('button', { name: 'Refresh list' }).click();
    await page.getByTestId('token-family').first().waitFor();
    await shoot('integration-detail');

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.locator('[data-testid="event"][data-type="tessera.events.registry.integration.created"]').waitFor();
    await page.locator('[data-testid="event"][data-type="tessera.events.auth.token.issued"]').first().waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    // An audit line reads as who did what to which thing, not a bare event name.
    const audit = page.locator('[data-testid="event"][data-type="tessera.events.registry.audit.recorded"]').filter({ hasText: 'integration.create' });
    expect(await audit.first().textContent()).toMatch(/integration\.create · integration reporting-service · by admin/);

    // Revoke from the integration's page while Activity's stream is replaced by the page change, then come back to it.
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe(integrationPath);
    await page.getByRole('button', { name: /^Revoke token issued/ }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke this token?' });
    await confirm.getByText(/stop working at once/).waitFor();
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No live tokens').waitFor();
    const introspection = await fetch(`${t.url}/oauth/introspect`, {
      method: 'POST',
      ...form({ token: token.access_token }),
      headers: { ...form({}).headers, authorization: basic(applicationId, appSecret) },
    });
    expect(await json(introspection)).toMatchObject({ active: false });
  });

  it('shows the revocation in the live Activity feed and the per-minute chart', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.locator('[data-testid="event"][data-type="tessera.events.auth.token.revoked"]').waitFor();
    expect(await page.getByTestId('events-chart').getAttribute('aria-label')).toMatch(/1 tokens issued, 1 refreshed, 1 revoked/);
    // A new event arrives on the open stream without a reload.
    await fetch(`${t.url}/admin/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.adminToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'acme', baseUrl: 'http://127.0.0.1:9/acme' }),
    });
    await page.locator('[data-testid="event"][data-type="tessera.events.registry.instance.registered"]').waitFor();
    await shoot('activity');
  });

  it('lists and registers platform instances, with field errors from the API', async () => {
    await page.getByRole('link', { name: 'Platform instances' }).click();
    await page.getByRole('link', { name: 'acme' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Not A Name');
    await page.getByLabel('Base URL').fill('http://127.0.0.1:9/other');
    await page.getByRole('button', { name: 'Register instance' }).click();
    await page.getByText(/^must be 1-63 lowercase letters/).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('globex');
    await page.getByRole('button', { name: 'Register instance' }).click();
    await page.getByRole('link', { name: 'globex' }).waitFor();
  });

  it('shows the broker pages with what to do next while they are empty', async () => {
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.getByText('No providers yet').waitFor();
    await page.getByRole('link', { name: 'Outbound tokens' }).click();
    await page.getByText('No outbound tokens yet').waitFor();
  });

  it('shows a token that has never held an access token as not fetched yet, not expired', async () => {
    const admin = { authorization: `Bearer ${await t.adminToken()}`, 'content-type': 'application/json' };
    // A token endpoint nothing listens on: the first fetch fails for now and is retried later; no token was ever held.
    const provider = await fetch(`${t.url}/admin/providers`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'unreachable', grantType: 'client_credentials', clientId: 'c', clientSecret: 's', tokenUrl: 'http://127.0.0.1:9/token' }),
    });
    const { id: providerId } = await json<{ id: string }>(provider);
    const created = await fetch(`${t.url}/admin/tokens`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'never-fetched', providerId }) });
    expect(await json<{ state: string; lastRefreshedAt: string | null }>(created)).toMatchObject({ state: 'expired', lastRefreshedAt: null });
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('link', { name: 'Outbound tokens' }).click();
    const row = page.locator('[data-testid="outbound-token"][data-name="never-fetched"]');
    await row.waitFor();
    expect(await row.locator('.badge').first().textContent()).toBe('not fetched');
  });

  it('has a favicon, and holds its layout in a 420 px window with long names wrapping at their hyphens', async () => {
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/console/favicon.svg');
    const icon = await fetch(`${t.url}/console/favicon.svg`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    const long = 'a-very-long-platform-instance-name-that-needs-to-wrap-somewhere';
    await fetch(`${t.url}/admin/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.adminToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: long, baseUrl: 'http://127.0.0.1:9/long' }),
    });
    await page.setViewportSize({ width: 420, height: 800 });
    try {
      await page.getByRole('link', { name: 'Platform instances' }).click();
      await page.getByRole('link', { name: long }).waitFor();
      await shoot('narrow-instances');
      // Nothing but a table's own box scrolls sideways; the page itself fits.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      await page.getByRole('link', { name: long }).click();
      const heading = page.getByRole('heading', { name: long, exact: true, level: 1 });
      await heading.waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      // Wrapped onto several lines, each break after a hyphen rather than inside a word.
      const lines = await heading.evaluate((element) => {
        const range = document.createRange();
        const text = element.firstChild!;
        const tops = new Map<number, string>();
        for (let i = 0; i < text.textContent!.length; i++) {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          const top = Math.round(range.getBoundingClientRect().top);
          tops.set(top, (tops.get(top) ?? '') + text.textContent![i]);
        }
        return [...tops.values()];
      });
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines.slice(0, -1)) expect(line.endsWith('-'), JSON.stringify(lines)).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(b.problems.filter((text) => !/Failed to load resource: the server responded with a status of (400|404)/.test(text))).toEqual([]);
  });
});
