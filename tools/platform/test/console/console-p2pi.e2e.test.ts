/// <reference lib="dom" />
import { FakeOAuthProvider } from '@tessera/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, launchConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The console's platform-to-platform and broker flows in real Chromium: two whole platforms (own databases, ports and
// subject prefixes on the same NATS) for the "request" link, and a small OAuth server for a provider's
// "Get authorization token" button. Also takes the instance, provider and outbound-token screenshots.
let one: TestPlatform;
let two: TestPlatform;
let fake: FakeOAuthProvider;
let b: ConsoleBrowser;
let page: Page;

async function api<T = Record<string, unknown>>(platform: TestPlatform, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await platform.adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function signIn(path: string) {
  await page.goto(`${one.url}/console${path}`);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Back from another site: the console resumes the session from its HttpOnly cookie (ADR 0044), no second sign-in. */
async function returnTo(path: string) {
  await page.goto(`${one.url}/console${path}`);
  await page.getByText('Signed in as').waitFor();
}

beforeAll(async () => {
  buildConsole();
  [one, two, fake] = await Promise.all([startTestPlatform(), startTestPlatform(), new FakeOAuthProvider().start()]);
  b = await launchConsoleBrowser();
  page = b.page;
}, 120_000);

afterAll(async () => {
  await b?.close();
  await Promise.all([one?.stop(), two?.stop(), fake?.stop()]);
});

describe('console: platform-to-platform trust and outbound tokens in a real browser', () => {
  let integration: { applicationId: string; appSecret: string };

  it('registers Instance 2 on Instance 1, with the client app Instance 2 issued and OAuth-based authentication', async () => {
    // On Instance 2, through its API: Instance 1 is an integration there (P6: each instance is an integration).
    const oneOnTwo = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: 'instance-1', baseUrl: one.url });
    const created = await api<typeof integration>(two, 'POST', `/admin/instances/${oneOnTwo.body.id}/integration`);
    expect(created.status).toBe(201);
    integration = created.body;

    await signIn('/instances');
    await page.getByRole('heading', { name: 'Platform instances' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('instance-2');
    await page.getByLabel('Base URL').fill(two.url);
    await page.getByRole('button', { name: 'Register instance' }).click();
    await page.getByRole('link', { name: 'instance-2' }).click();
    await page.getByRole('heading', { name: 'instance-2', exact: true }).waitFor();
    expect(await page.getByTestId('instance-auth').textContent()).toBe('not set');
    expect(await page.getByRole('button', { name: 'Request' }).isDisabled()).toBe(true);

    // No secret means private_key_jwt (ADR 0053): Instance 2 made this integration with a secret, so it refuses the
    // signed check, and the form says so on the secret's field.
    await page.getByLabel('Client ID').fill(integration.applicationId);
    await page.getByRole('button', { name: 'Save authentication' }).click();
    await page.getByText(/refused this client ID signed with this platform's key/).waitFor();
    expect(await page.getByTestId('instance-auth').textContent()).toBe('not set');
    await page.getByLabel('Client secret').fill(integration.appSecret);
    await page.getByRole('button', { name: 'Save authentication' }).click();
    await page.getByTestId('client-app').getByText(`${two.url}/oauth/token`).waitFor();
    expect(await page.getByTestId('instance-auth').textContent()).toBe('OAuth');
    expect(await page.getByLabel('Client secret').inputValue()).toBe('');
  });

  it('runs the "request" link through Instance 2\'s login and consent pages back to Instance 1, and shows the token valid', async () => {
    await page.getByRole('button', { name: 'Request' }).click();
    const authorizationUrl = (await page.getByTestId('authorization-link').getAttribute('href'))!;
    expect(authorizationUrl.startsWith(`${two.url}/oauth/authorize?`)).toBe(true);

    // The admin follows it in this same tab: Instance 2's own sign-in and consent pages, then Instance 1's callback.
    await page.goto(authorizationUrl);
    await page.getByRole('heading', { name: 'Sign in to Tessera' }).waitFor();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('instance-1:users=read').first().waitFor();
    // Approving answers 303 to Instance 1's /oauth/callback; the consent page's CSP allows that origin in form-action.
    await page.getByRole('button', { name: 'Approve' }).click();
    const done = page.getByRole('heading', { name: 'Authorization complete' });
    await done.waitFor();
    expect(page.url().startsWith(`${one.url}/oauth/callback?`)).toBe(true);

    await returnTo('/instances');
    const row = page.getByRole('row', { name: /instance-2/ });
    await row.getByText('valid', { exact: true }).waitFor();
    await b.shoot('instances');
    await row.getByRole('link', { name: 'instance-2' }).click();
    await page.getByTestId('instance-token-state').getByText('valid', { exact: true }).waitFor();
    await page.getByText('*:orgs=read instance-1:users=read').waitFor();
    await b.shoot('instance-detail');

    // The token works: Instance 1 calls Instance 2 as itself.
    const whoami = await api<{ clientId: string }>(one, 'GET', '/proxy/instances/instance-2/api/whoami');
    expect(whoami).toMatchObject({ status: 200, body: { clientId: integration.applicationId } });
  });

  it('creates a provider in the form and gets an authorization token with the "Get authorization token" button', async () => {
    await page.getByRole('link', { name: 'Providers' }).click();
    // Add provider starts from the catalog; this provider is not in it, so it is typed in.
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('button', { name: 'Use template Zendesk' }).waitFor();
    await page.getByRole('button', { name: 'Type one in yourself' }).click();
    const form = page.getByRole('form', { name: 'New provider' });
    await form.getByLabel('Name', { exact: true }).fill('acme-crm');
    await form.getByLabel('Description').fill('Acme CRM (test OAuth server)');
    await form.getByLabel('Client ID').fill('console-client');
    await form.getByLabel('Client secret').fill('console-secret-0123456789');
    await form.getByLabel('Authorization URL').fill(`${fake.url}/authorize`);
    await form.getByLabel('Token URL').fill(`${fake.url}/token`);
    await form.getByLabel('Revocation URL').fill(`${fake.url}/revoke`);
    await form.getByLabel('Default scopes').fill('read write');
    // The form hides what the grant type does not use: no authorization URL for client_credentials.
    await form.getByLabel('Grant type').selectOption('client_credentials');
    expect(await form.getByLabel('Authorization URL').count()).toBe(0);
    await form.getByLabel('Grant type').selectOption('authorization_code');
    // The redirect URI to register at the provider, with its copy button.
    expect(await form.getByTestId('callback-url').textContent()).toBe(`${one.url}/oauth/callback`);
    await form.getByRole('button', { name: 'Copy callback URL' }).waitFor();
    await b.shoot('provider-form');
    await form.getByRole('button', { name: 'Create provider' }).click();
    await page.getByRole('cell', { name: /^acme-crm Acme CRM/ }).waitFor();
    // The client app created for Instance 2 is a provider too, discovered from Instance 2's metadata.
    await page.getByText(`${two.url}/oauth/token`).waitFor();
    await b.shoot('providers');

    await page.getByRole('link', { name: 'Outbound tokens' }).click();
    await page.getByRole('button', { name: 'New outbound token' }).click();
    await page.getByLabel('Name', { exact: true }).fill('acme');
    await page.getByLabel('Provider').selectOption({ label: 'acme-crm (authorization code)' });
    await page.getByLabel('Base URL').fill(`${fake.url}/api`);
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = page.locator('[data-testid="outbound-token"][data-name="acme"]');
    await token.getByText('pending authorization').waitFor();

    await token.getByRole('button', { name: 'Get authorization token for acme' }).click();
    // The link opens the provider in a new tab; the console tab stays signed in and picks up the result by itself.
    const [popup] = await Promise.all([b.context.waitForEvent('page'), page.getByTestId('authorization-link').click()]);
    await popup.getByRole('heading', { name: 'Authorization complete' }).waitFor();
    expect(await popup.getByText('Token "acme" is now valid.').count()).toBe(1);
    await popup.close();
    await page.locator('[data-testid="outbound-token"][data-name="acme"][data-state="valid"]').waitFor();
    await b.shoot('outbound-tokens');

    expect(fake.tokenRequests.at(-1)?.params).toMatchObject({ grant_type: 'authorization_code', redirect_uri: `${one.url}/oauth/callback` });
    const proxied = await api<{ ok: boolean; path: string }>(one, 'GET', '/proxy/acme/contacts');
    expect(proxied).toMatchObject({ status: 200, body: { ok: true, path: '/api/contacts' } });
  });

  it('shows on screen why the API refuses to delete a provider in use, after asking first', async () => {
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('button', { name: 'Delete provider acme-crm' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete provider acme-crm?' });
    await dialog.getByText(/outbound tokens still use cannot be deleted/).waitFor();
    await b.shoot('confirm-delete-provider');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('alert')
      .getByText(/is used by 1 token; delete those first/)
      .waitFor();
    await page.getByRole('cell', { name: /^acme-crm Acme CRM/ }).waitFor();
    expect((await api(one, 'GET', '/admin/providers')).body).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ name: 'acme-crm' })]) });
  });

  it('deauthorizes the instance and sees its token revoked', async () => {
    await page.getByRole('link', { name: 'Platform instances' }).click();
    await page.getByRole('link', { name: 'instance-2' }).click();
    await page.getByTestId('instance-token-state').getByText('valid', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Deauthorize' }).click();
    const confirm = page.getByRole('alertdialog', { name: "Revoke this platform's token for instance-2?" });
    await confirm.getByText(/revoked at instance-2 \(RFC 7009\)/).waitFor();
    expect(await page.getByTestId('instance-token-state').getByText('valid', { exact: true }).count()).toBe(1);
    await confirm.getByRole('button', { name: 'Deauthorize' }).click();
    await page.getByTestId('instance-token-state').getByText('revoked', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Deauthorize' }).isDisabled()).toBe(true);
    expect((await api(one, 'GET', '/proxy/instances/instance-2/api/whoami')).status).not.toBe(200);
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    // 409: the provider delete the API refuses, on purpose, above.
    expect(b.problems.filter((text) => !/Failed to load resource: the server responded with a status of (400|404|409)/.test(text))).toEqual([]);
  });
});
