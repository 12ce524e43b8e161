/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/admin-api.js';
import { buildConsole, launchConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { ADMIN_PASSWORD, basic, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Roles in a real Chromium: an owner creates an operator; the operator signs in, revokes a token, and can neither
// see nor change an integration's secret; the audit page shows both administrators' actions with before and after.
let t: TestPlatform;
let b: ConsoleBrowser;
let page: Page;
let integration: { id: string; applicationId: string; appSecret: string };
let oneTimePassword = '';
const OPERATOR_PASSWORD = 'otto operates the platform';

beforeAll(async () => {
  buildConsole();
  t = await startTestPlatform({ env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
  b = await launchConsoleBrowser();
  page = b.page;
  page.on('dialog', (dialog) => void dialog.accept());
  integration = await json(await api(t.url, await t.adminToken(), 'POST', '/admin/integrations', { name: 'acme', permissions: ['*:orgs=read'] }));
}, 120_000);

afterAll(async () => {
  await b?.close();
  await t?.stop();
});

async function signIn(username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('administrators in the console', () => {
  it('an owner sees who is signed in and creates an operator, whose one-time password is shown once', async () => {
    await page.goto(`${t.url}/console/users`);
    await signIn('admin', ADMIN_PASSWORD);
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.signed-in-as').textContent()).toContain('admin (owner)');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.getByText('admin (you)').waitFor();
    await page.getByLabel('Username').fill('otto');
    await page.getByLabel('Role', { exact: true }).selectOption('operator');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('One-time password for otto').waitFor();
    oneTimePassword = (await page.locator('.secret-once code').textContent()) ?? '';
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
    await b.shoot('users');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
  });

  it('the operator chooses a password at the first sign-in, revokes a token, and can neither see nor rotate the secret', async () => {
    const { body, headers } = form({ grant_type: 'client_credentials' });
    expect(
      (
        await fetch(`${t.url}/oauth/token`, {
          method: 'POST',
          body,
          headers: { ...headers, authorization: basic(integration.applicationId, integration.appSecret) },
        })
      ).status,
    ).toBe(200);

    await signIn('otto', oneTimePassword);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await page.getByLabel('Current password').fill(oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill(OPERATOR_PASSWORD);
    await page.getByLabel('New password again').fill(OPERATOR_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is set; sign in with it.').waitFor();
    await signIn('otto', OPERATOR_PASSWORD);
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.signed-in-as').textContent()).toContain('otto (operator)');
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);

    // Loading a page anew keeps the session (the HttpOnly cookie resumes it, ADR 0044): no second sign-in.
    await page.goto(`${t.url}/console/integrations`);
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.signed-in-as').textContent()).toContain('otto (operator)');
    await page.getByRole('link', { name: 'acme' }).click();
    await page.getByTestId('token-family').first().waitFor();
    await page.getByRole('button', { name: /^Revoke token issued/ }).click();
    await page.getByRole('alertdialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No live tokens').waitFor();
    expect(await page.content()).not.toContain(integration.appSecret);
    // Its permissions are beyond an operator's role: the console offers no rotation (the API refuses one too).
    await page.getByText(/beyond your role \(operator\)/).waitFor();
    expect(await page.getByRole('button', { name: 'Rotate secret' }).count()).toBe(0);
    expect(await page.content()).not.toContain(integration.appSecret);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
  });

  it('the audit page shows both administrators’ actions with before and after', async () => {
    await signIn('admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const row = (action: string, actor: string) =>
      page.locator('tr', { has: page.locator('code', { hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }) }).filter({ hasText: actor });
    for (let i = 0; i < 50 && (await row('grant.revoke', 'otto (user)').count()) === 0; i++) {
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForTimeout(200);
    }
    await row('grant.revoke', 'otto (user)').first().waitFor();
    await row('admin_user.create', 'admin (user)').first().waitFor();
    expect(await row('admin_user.create', 'admin (user)').first().textContent()).toContain('role: — → operator');
    expect(await row('admin.password_change', 'otto (user)').first().textContent()).toContain('mustChangePassword: true → false');

    await page.getByLabel('Actor').fill('otto');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('tbody tr')).every((tr) => !tr.textContent?.includes('admin (user)')));
    expect(await row('grant.revoke', 'otto (user)').count()).toBe(1);
    const text = await page.content();
    for (const secret of [integration.appSecret, oneTimePassword, OPERATOR_PASSWORD, ADMIN_PASSWORD]) expect(text).not.toContain(secret);
    await b.shoot('audit');
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(b.problems.filter((text) => !/Failed to load resource: the server responded with a status of (400|401|403|404)/.test(text))).toEqual([]);
  });
});
