import { eventually } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/admin-api.js';
import { basic, form } from '../support/test-platform.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

interface StoredEvent {
  sequence: string;
  id: string;
  type: string;
  data: { name?: string };
}
interface HistoryPage {
  items: StoredEvent[];
  nextCursor: string;
  more: boolean;
}

/** Reads a live event stream until `enough` says so (or 10 s pass); answers the events as received, with their SSE ids. */
async function readStream(url: string, token: string, headers: Record<string, string>, enough: (events: { id: string; data: StoredEvent }[]) => boolean) {
  const controller = new AbortController();
  const response = await fetch(`${url}/admin/events/stream`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: string; data: StoredEvent }[] = [];
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 10_000);
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id, data: JSON.parse(data) as StoredEvent });
      }
    }
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return events;
}

describe('the event history', () => {
  let t: TestPlatform;
  let owner: string;
  const created = (name: string) => (e: StoredEvent) => e.type === 'tessera.events.registry.integration.created' && e.data.name === name;

  beforeAll(async () => {
    t = await startTestPlatform();
    owner = await t.adminToken();
    for (const name of ['history-a', 'history-b', 'history-c']) {
      expect((await api(t.url, owner, 'POST', '/admin/integrations', { name, permissions: ['*:orgs=read'] })).status).toBe(201);
    }
    await t.events.waitFor((e) => e.type === 'tessera.events.registry.integration.created' && (e.data as { name: string }).name === 'history-c');
  });
  afterAll(() => t?.stop());

  const page = async (query: string, token = owner) => {
    const response = await api(t.url, token, 'GET', `/admin/events${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as HistoryPage;
  };

  it('pages through the stored events in order, by cursor, filtered by type', async () => {
    const all = await eventually(async () => {
      const first = await page('?types=registry.integration.created');
      return first.items.length === 3 && first;
    });
    expect(all.items.map((e) => e.data.name)).toEqual(['history-a', 'history-b', 'history-c']);
    const sequences = all.items.map((e) => Number(e.sequence));
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);

    // One event read per page: the pages together are the whole history, each event once.
    const walked: StoredEvent[] = [];
    let cursor = '0';
    for (let i = 0; i < 200; i++) {
      const next = await page(`?after=${cursor}&limit=1`);
      walked.push(...next.items);
      cursor = next.nextCursor;
      if (!next.more) break;
    }
    expect(walked.filter((e) => e.type === 'tessera.events.registry.integration.created').map((e) => e.data.name)).toEqual([
      'history-a',
      'history-b',
      'history-c',
    ]);
    expect(new Set(walked.map((e) => e.id)).size).toBe(walked.length);

    // After the last one, nothing more, and the same cursor to poll with.
    const end = await page(`?after=${cursor}`);
    expect(end).toEqual({ items: [], nextCursor: cursor, more: false });
    const afterA = await page(`?after=${all.items[0].sequence}&types=integration.created`);
    expect(afterA.items.map((e) => e.data.name)).toEqual(['history-b', 'history-c']);
  });

  it('keeps audit lines from those who may not read the audit log, and refuses a cursor it did not give', async () => {
    expect((await page('')).items.some((e) => e.type.endsWith('.audit.recorded'))).toBe(true);
    // A viewer: an integration holding the read role (no argon2 sign-in needed).
    const integration = await (await api(t.url, owner, 'POST', '/admin/integrations', { name: 'history-viewer', permissions: ['*:platform=read'] })).json();
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const token = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body,
      headers: { ...headers, authorization: basic(integration.applicationId, integration.appSecret) },
    });
    const viewer = ((await token.json()) as { access_token: string }).access_token;
    const seen = await page('?limit=1000', viewer);
    expect(seen.items.length).toBeGreaterThan(0);
    expect(seen.items.some((e) => e.type.endsWith('.audit.recorded'))).toBe(false);
    for (const bad of ['?after=soon', '?types=Token%20Revoked', '?limit=0'])
      expect((await api(t.url, owner, 'GET', `/admin/events${bad}`)).status, bad).toBe(400);
  });

  it('the live stream resumes right after Last-Event-ID', async () => {
    const history = await page('?types=registry.integration.created');
    const a = history.items.find(created('history-a'))!;
    const resumed = await readStream(t.url, owner, { 'last-event-id': a.sequence }, (events) => events.some((e) => created('history-c')(e.data)));
    expect(resumed.some((e) => created('history-a')(e.data))).toBe(false);
    expect(resumed.some((e) => created('history-b')(e.data))).toBe(true);
    expect(Number(resumed[0].id)).toBe(Number(a.sequence) + 1);
    // Each id is the event's place in the history, so the next reconnect can resume after any of them.
    const b = resumed.find((e) => created('history-b')(e.data))!;
    expect(b.id).toBe(history.items.find(created('history-b'))!.sequence);
  });
});
