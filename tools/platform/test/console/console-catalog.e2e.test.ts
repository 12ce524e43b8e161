/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, launchConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { ADMIN_PASSWORD, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

// "Add provider" from the catalog in real Chromium: search and filter, pick a template, give its variables, see the
// callback URL to register and the provider's documentation, create; then a newer template version offered and applied.
let p: SharedPlatform;
let b: ConsoleBrowser;
let page: Page;

/** A custom template of this file's own (the shared platform's catalog holds other files' too). */
const customTemplate = (version: number, tokenPath: string) => ({
  id: 'console-catalog-crm',
  version,
  name: 'Console Catalog CRM',
  categories: ['crm'],
  docsUrl: 'https://developer.console-catalog.example/oauth',
  grantTypes: ['authorization_code'],
  variables: [
    {
      name: 'tenant',
      label: 'Tenant',
      description: 'The account: acme for acme.console-catalog.example',
      pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
      example: 'acme',
      from: 'provider',
      hostParent: 'console-catalog.example',
    },
  ],
  authorizationUrl: 'https://{{tenant}}.console-catalog.example/oauth/authorize',
  tokenUrl: `https://{{tenant}}.console-catalog.example/${tokenPath}`,
  clientAuthMethod: 'client_secret_post',
  sources: [
    { url: 'https://developer.console-catalog.example/oauth', supports: ['grantTypes', 'variables', 'authorizationUrl', 'tokenUrl', 'clientAuthMethod'] },
  ],
});

beforeAll(async () => {
  buildConsole();
  p = await sharedPlatform();
  b = await launchConsoleBrowser();
  page = b.page;
}, 120_000);

afterAll(async () => {
  await b?.close();
  await p?.stop();
});

/** Opens "Add provider" on the providers page: it starts from the catalog. */
async function openCatalog() {
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByLabel('Provider catalog').waitFor();
}

const templates = () => page.getByRole('list', { name: 'Templates' }).getByRole('button');

describe('console: a provider from the catalog', () => {
  it('searches and filters the catalog, and a template asks only for its variables', async () => {
    await page.goto(`${p.url}/console/providers`);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
    await openCatalog();

    await page.getByRole('button', { name: 'Use template Zendesk' }).waitFor();
    expect(await templates().count()).toBeGreaterThanOrEqual(60);
    await page.getByLabel('Search').fill('microsoft');
    await page.getByRole('button', { name: 'Use template Microsoft OneDrive' }).waitFor();
    await page.getByLabel('Category').selectOption('file-storage');
    await page.getByRole('button', { name: 'Use template Microsoft Teams' }).waitFor({ state: 'detached' });
    const names = await templates().allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/Microsoft/);
    await page.getByLabel('Search').fill('no such provider at all');
    await page.getByText('No template matches').waitFor();

    // Salesforce: the login host is asked for (with its default), the instance URL is not: each token answer brings it.
    await page.getByLabel('Search').fill('salesforce');
    await page.getByLabel('Category').selectOption('');
    await page.getByRole('button', { name: 'Use template Salesforce', exact: true }).click();
    const salesforce = page.getByRole('form', { name: 'New provider from Salesforce' });
    expect(await salesforce.getByLabel('Login host').inputValue()).toBe('login');
    expect(await salesforce.getByLabel('Instance URL').count()).toBe(0);
    expect(await page.getByTestId('answer-variables').textContent()).toContain('Instance URL (instance_url)');
    await page.getByRole('button', { name: 'Back to the catalog' }).click();
  });

  it('shows the callback URL and documentation, names a variable that does not fit, and creates the provider', async () => {
    await page.getByLabel('Search').fill('zendesk');
    await page.getByRole('button', { name: 'Use template Zendesk' }).click();
    const form = page.getByRole('form', { name: 'New provider from Zendesk' });
    await form.waitFor();

    const zendesk = (await (await fetch(`${p.url}/admin/catalog/zendesk`, { headers: { authorization: `Bearer ${await p.adminToken()}` } })).json()) as {
      template: { docsUrl: string; version: number };
    };
    expect(await form.getByRole('link', { name: 'Zendesk’s OAuth documentation' }).getAttribute('href')).toBe(zendesk.template.docsUrl);
    const metadata = (await (await fetch(`${p.url}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(await page.getByTestId('callback-url').textContent()).toBe(`${metadata.issuer.replace(/\/+$/, '')}/oauth/callback`);
    await b.shoot('provider-from-catalog');

    await form.getByLabel('Zendesk subdomain').fill('evil.example/x');
    await form.getByLabel('Name').fill('console-catalog-zendesk');
    await form.getByLabel('Client ID').fill('zendesk-client');
    await form.getByLabel('Client secret').fill('zendesk-secret');
    await form.getByRole('button', { name: 'Create provider' }).click();
    await form
      .getByText(/subdomain must match/)
      .first()
      .waitFor();

    await form.getByLabel('Zendesk subdomain').fill('console-acme');
    await form.getByRole('button', { name: 'Create provider' }).click();
    const row = page.getByRole('row', { name: /console-catalog-zendesk/ });
    await row.getByText(`From template zendesk (version ${zendesk.template.version})`).waitFor();
    await row.getByText('https://console-acme.zendesk.com/oauth/tokens').waitFor();
  });

  it('offers a newer version of the template a provider was made from, and applies it only when asked', async () => {
    const save = async (version: number, tokenPath: string) => {
      const response = await fetch(`${p.url}/admin/catalog`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await p.adminToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ template: customTemplate(version, tokenPath) }),
      });
      expect(response.status, await response.text()).toBe(201);
    };
    await save(1, 'oauth/token');
    await page.reload();
    await openCatalog();
    await page.getByLabel('Search').fill('console catalog');
    await page.getByRole('button', { name: 'Use template Console Catalog CRM' }).getByText('custom').waitFor();
    await page.getByRole('button', { name: 'Use template Console Catalog CRM' }).click();
    const form = page.getByRole('form', { name: 'New provider from Console Catalog CRM' });
    await form.getByLabel('Tenant').fill('eu1');
    await form.getByLabel('Name').fill('console-catalog-crm');
    await form.getByLabel('Client ID').fill('crm-client');
    await form.getByRole('button', { name: 'Create provider' }).click();
    const row = page.getByRole('row', { name: /console-catalog-crm/ });
    await row.getByText('From template console-catalog-crm (version 1)', { exact: true }).waitFor();

    await save(2, 'v2/token');
    await page.reload();
    await row.getByText(/version 2 is available/).waitFor();
    await row.getByText('https://eu1.console-catalog.example/oauth/token').waitFor();
    await b.shoot('provider-template-update');
    await row.getByRole('button', { name: 'Update provider console-catalog-crm to version 2 of its template' }).click();
    await row.getByText('From template console-catalog-crm (version 2)', { exact: true }).waitFor();
    await row.getByText('https://eu1.console-catalog.example/v2/token').waitFor();
    expect(await row.getByText(/is available/).count()).toBe(0);
    // The browser logs the one refused create above (the subdomain that did not fit); nothing else went wrong.
    expect(b.problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    expect(b.problems.filter((problem) => problem.includes('status of 400'))).toHaveLength(1);
  });
});
