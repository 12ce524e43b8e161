import { PLATFORM_SCOPES } from '@tessera/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/** Where someone who only knows the gateway's address lands, and what its metadata tells a client. */
let t: SharedPlatform;
beforeAll(async () => {
  t = await sharedPlatform();
});
afterAll(() => t?.stop());

describe("the gateway's front doors", () => {
  it('GET / leads to the console', async () => {
    const response = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('/docs/ leads to the API reference page at /docs', async () => {
    const response = await fetch(`${t.url}/docs/`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/docs');
    const page = await fetch(`${t.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it("the metadata's scopes_supported lists the scopes the platform defines (roles, outbound tokens, P2PI)", async () => {
    const metadata = (await (await fetch(`${t.url}/.well-known/oauth-authorization-server`)).json()) as { scopes_supported: string[] };
    expect(metadata.scopes_supported).toEqual([...PLATFORM_SCOPES]);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['*:platform=admin', '*:tokens=proxy', '*:p2pi=read']));
  });
});
