import type { AuthorizationPrompt } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { consentPage, loginPage } from './pages.js';

const prompt = { clientName: 'Platform instance one', scope: ['*:orgs=read'], redirectUri: 'https://one.example/oauth/callback' } as AuthorizationPrompt;

describe('the authorization pages', () => {
  it('keep the username after a refused sign-in (escaped), so only the password is typed again', () => {
    const page = loginPage(prompt, 'r', 'c', 'Wrong username or password', 'alice"><b>');
    expect(page).toContain('value="alice&quot;&gt;&lt;b&gt;"');
    expect(page).toMatch(/id="password"[^>]*autofocus/);
    expect(loginPage(prompt, 'r', 'c')).toMatch(/id="username"[^>]*value=""[^>]*autofocus/);
  });

  it('name the signed-in administrator plainly on the consent page', () => {
    const page = consentPage(prompt, 'r', 'c', 'admin:alice');
    expect(page).toContain('Signed in as <strong>alice</strong>');
    expect(page).not.toContain('admin:alice');
  });
});
